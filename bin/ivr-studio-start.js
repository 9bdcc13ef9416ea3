#!/usr/bin/env node
// `npm start` / `npm run desktop` (and `ivr-studio start`, which runs this file): Electron when it is
// installed, else the designer in the browser. Loads the TypeScript launcher through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
const { startMain } = await import('../electron/start.ts');
process.exitCode = await startMain(process.argv);
