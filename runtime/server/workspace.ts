// The user's workspace: where it is by default (outside the repository: the shipped samples are
// templates, never the files a user saves over), seeding a new one, and the server's own hidden
// folder in it (autosaves, drafts of unsaved flows, the designer's preferences).
import { cp, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { sweepStaleTemps } from '../fs/atomic';
import { SAMPLES_DIR } from './samples';

/** `<workspace>/.ivr-studio`: never listed as flows (hidden), never exported. */
export const STATE_DIR = '.ivr-studio';
export const DRAFTS_DIR = `${STATE_DIR}/drafts`;
export const AUTOSAVE_DIR = `${STATE_DIR}/autosave`;
export const PREFS_FILE = `${STATE_DIR}/prefs.json`;

/** A draft id: what the designer makes up for an unsaved flow (crypto.randomUUID or similar). */
export const DRAFT_ID = /^[A-Za-z0-9-]{8,64}$/;
/** Drafts untouched this long (no autosave, no prompt) are removed at start. */
const DRAFT_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/** The workspace-relative path an unsaved flow is known by: its prompts live in the draft's folder. */
export function draftFlowPath(id: string): string {
  return `${DRAFTS_DIR}/${id}/flow.json`;
}

/** `IVR_STUDIO_WORKSPACE`, else `~/IVR Studio`. */
export function defaultWorkspace(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return env.IVR_STUDIO_WORKSPACE || join(home, 'IVR Studio');
}

/**
 * Creates the workspace when it does not exist yet and copies the samples into it (their flows and
 * prompts, not their outboxes), so the first start opens the callback sample from the user's own copy.
 * @returns whether it was created
 */
export async function ensureWorkspace(dir: string, seedFrom: string | null = SAMPLES_DIR): Promise<boolean> {
  if (existsSync(dir)) return false;
  await mkdir(dir, { recursive: true });
  if (seedFrom) await cp(seedFrom, dir, { recursive: true, filter: (src) => !/[\\/]\.outbox([\\/]|$)/.test(src) });
  return true;
}

/** Start-up housekeeping: temp files of killed saves, and drafts nobody came back to. Never throws. */
export async function tidyWorkspace(workspace: string, now = Date.now()): Promise<{ temps: number; drafts: number }> {
  const temps = await sweepStaleTemps(workspace);
  let drafts = 0;
  const root = join(workspace, DRAFTS_DIR);
  for (const e of await readdir(root, { withFileTypes: true }).catch(() => [])) {
    if (!e.isDirectory() || !DRAFT_ID.test(e.name)) continue;
    const newest = await newestMtime(join(root, e.name));
    if (now - newest > DRAFT_MAX_AGE_MS) {
      await rm(join(root, e.name), { recursive: true, force: true }).catch(() => undefined);
      drafts++;
    }
  }
  return { temps, drafts };
}

async function newestMtime(path: string): Promise<number> {
  const s = await stat(path).catch(() => null);
  if (!s) return 0;
  let newest = s.mtimeMs;
  if (s.isDirectory())
    for (const e of await readdir(path).catch(() => [])) newest = Math.max(newest, await newestMtime(join(path, e)));
  return newest;
}
