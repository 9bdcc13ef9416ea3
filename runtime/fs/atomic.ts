// The one way files are written: a temp file beside the target, flushed to the disk, then a rename
// (and the folder flushed), so readers see the old file or the new one, never half of it, and a
// crash or power loss right after leaves the new file whole rather than an empty one in its place.
// A process killed between the two leaves its temp file behind: sweepStaleTemps removes those whose
// writer is gone.
import { mkdir, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** `.<target name>.<pid>.<8 hex>.tmp`: the writer's pid tells whether the file is still being written. */
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;
/** A temp file this old is stale whoever wrote it (the pid may have been reused). */
const STALE_MS = 60 * 60 * 1000;

/** @example await writeAtomic('flows/callback/flow.json', JSON.stringify(flow)); */
export async function writeAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(target);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(data);
      // Without it the rename can reach the disk before the data does.
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, target);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncFolder(dir);
}

/** Makes the rename itself durable. Windows cannot open a folder for this; there it is skipped. */
async function syncFolder(dir: string): Promise<void> {
  let folder: FileHandle;
  try {
    folder = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await folder.sync();
  } catch {
    // Some file systems refuse fsync on a folder (EINVAL); the data itself is already synced.
  } finally {
    await folder.close();
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `name` (a file name) is a temp file of writeAtomic that nobody will finish. */
export function isStaleTemp(name: string, mtimeMs: number, now = Date.now()): boolean {
  const m = TEMP_NAME.exec(name);
  if (!m) return false;
  return now - mtimeMs > STALE_MS || !alive(Number(m[1]));
}

/**
 * Removes writeAtomic's stale temp files under `dir` (hidden folders included, symlinks not followed,
 * bounded depth and count); the number removed. Never throws.
 */
export async function sweepStaleTemps(dir: string, { depth = 8, maxEntries = 50_000 } = {}): Promise<number> {
  let seen = 0;
  let removed = 0;
  async function walk(folder: string, level: number): Promise<void> {
    if (level > depth) return;
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (++seen > maxEntries) return;
      const full = join(folder, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') await walk(full, level + 1);
      } else if (e.isFile() && TEMP_NAME.test(e.name)) {
        const s = await stat(full).catch(() => null);
        if (
          s &&
          isStaleTemp(e.name, s.mtimeMs) &&
          (await unlink(full).then(
            () => true,
            () => false,
          ))
        )
          removed++;
      }
    }
  }
  await walk(dir, 0);
  return removed;
}
