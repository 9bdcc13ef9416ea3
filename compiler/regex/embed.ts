// What the compiled JS module carries of this folder (bundle.ts bundles it into embedded.ts).
export { findRegEx } from './index';
