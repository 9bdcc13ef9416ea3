// Starts the TypeScript media worker from source (tsx); the Electron bundle ships a built
// media-worker.mjs instead and never loads this file.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
