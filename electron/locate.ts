// Is Electron usable here? Its npm package downloads the binary in a postinstall step, which fails on
// machines without that download; then the package may be absent or present without its binary.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export type ElectronLookup = { ok: true; binary: string } | { ok: false; reason: string };

export const NOT_INSTALLED = 'Electron is not installed (npm run desktop explains how to add it)';
export const NO_BINARY = "Electron's package is installed but not its binary (the download failed)";

export interface LocateDeps {
  /** require('electron') from the project: outside Electron it answers the binary's path. */
  load(): unknown;
  exists(path: string): boolean;
}

const projectRequire = createRequire(import.meta.url);
const realDeps: LocateDeps = { load: () => projectRequire('electron'), exists: existsSync };

/** @example const e = findElectron(); if (e.ok) spawn(e.binary, [main]); else console.log(e.reason); */
export function findElectron(deps: LocateDeps = realDeps): ElectronLookup {
  let binary: unknown;
  try {
    binary = deps.load();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | null)?.code;
    return { ok: false, reason: code === 'MODULE_NOT_FOUND' ? NOT_INSTALLED : NO_BINARY };
  }
  if (typeof binary !== 'string' || binary === '' || !deps.exists(binary)) return { ok: false, reason: NO_BINARY };
  return { ok: true, binary };
}
