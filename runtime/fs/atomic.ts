// The one way files are written: a temp file beside the target, flushed to the disk, then a rename
// (and the folder flushed), so readers see the old file or the new one, never half of it, and a
// crash or power loss right after leaves the new file whole rather than an empty one in its place.
import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

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
