// Where the shell finds things, as pure choices: the workspace, the built designer, the preload.
import { join } from 'node:path';

export interface WorkspaceChoice {
  workspace: string;
  /** Copy the samples there first (a packaged app's first start: its own samples are read-only). */
  seedFrom: string | null;
}

/**
 * IVR_STUDIO_WORKSPACE when set (what `ivr-studio start --workspace` passes); else the user's own
 * folder, never the shipped samples (they are templates): from the source tree "~/IVR Studio" (like
 * `serve`), installed "Documents/IVR Studio"; either is seeded with copies of the samples the first time.
 */
export function chooseWorkspace(o: {
  env: string | undefined;
  packaged: boolean;
  documentsDir: string;
  homeDir: string;
  samplesDir: string;
  exists: (path: string) => boolean;
}): WorkspaceChoice {
  if (o.env) return { workspace: o.env, seedFrom: null };
  const workspace = join(o.packaged ? o.documentsDir : o.homeDir, 'IVR Studio');
  return { workspace, seedFrom: o.exists(workspace) ? null : o.samplesDir };
}

/** The page to open first: the callback sample when the workspace has it. */
export function startUrl(serverUrl: string, token: string, firstFile: string | null): string {
  const q = new URLSearchParams({ token });
  if (firstFile) q.set('file', firstFile);
  return `${serverUrl}/?${q.toString()}`;
}

/** The built designer beside the bundled main (dist/electron → dist/designer), or IVR_STUDIO_DESIGNER_DIR. */
export function designerDir(mainDir: string, env: string | undefined): string {
  return env || join(mainDir, '..', 'designer');
}

/** The part of node:fs copyTree needs (Electron's fs also reads inside app.asar). */
export interface TreeFs {
  readdirSync(
    path: string,
    options: { withFileTypes: true },
  ): Array<{ name: string; isDirectory(): boolean; isFile(): boolean }>;
  readFileSync(path: string): Uint8Array;
  writeFileSync(path: string, data: Uint8Array): void;
  mkdirSync(path: string, options: { recursive: true }): unknown;
}

/** Copies the folder `from` into `to` (created); read with readFileSync so it works out of app.asar. */
export function copyTree(fs: TreeFs, from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const a = join(from, entry.name);
    const b = join(to, entry.name);
    if (entry.isDirectory()) copyTree(fs, a, b);
    else if (entry.isFile()) fs.writeFileSync(b, fs.readFileSync(a));
  }
}
