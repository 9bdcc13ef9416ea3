// Loads a compiled JS module the way a user would: written to a .mjs file and imported.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = mkdtempSync(join(tmpdir(), 'ivr-js-'));
let count = 0;

/** Writes the module text to a temp .mjs and imports its default export. */
export async function importModule(text: string): Promise<(call: unknown) => Promise<void>> {
  const file = join(dir, `flow${count++}.mjs`);
  writeFileSync(file, text);
  const mod = await import(/* @vite-ignore */ pathToFileURL(file).href);
  return mod.default;
}
