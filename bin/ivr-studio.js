#!/usr/bin/env node
// Entry for `npx ivr-studio …`: loads the TypeScript CLI through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../runtime/cli/main.ts');
process.exitCode = await main(process.argv);
