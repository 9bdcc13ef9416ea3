// Starts the TypeScript call worker from source (tsx); the Electron bundle ships a built
// call-worker.mjs instead and never loads this file.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
