// writeAtomic: the new data reaches the disk before the rename makes it the file, and the folder
// (the rename itself) after. Observed by watching every fsync and what the target holds at that moment.
import { mkdtempSync, readdirSync, readFileSync, rmSync, fstatSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeAtomic } from '../../runtime/fs/atomic';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function freshDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ivr-atomic-'));
  dirs.push(d);
  return d;
}

async function watchSyncs(target: string): Promise<string[]> {
  const probe = await open(target, 'r');
  const proto = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
  const original = proto.sync;
  const seen: string[] = [];
  vi.spyOn(proto, 'sync').mockImplementation(async function (this: FileHandle) {
    seen.push(fstatSync(this.fd).isDirectory() ? 'folder' : `file (target: ${readFileSync(target, 'utf8')})`);
    return original.call(this);
  });
  return seen;
}

describe('writeAtomic', () => {
  it('syncs the new data before the rename, then the folder', async () => {
    const dir = freshDir();
    const target = join(dir, 'flow.json');
    writeFileSync(target, 'old');
    const syncs = await watchSyncs(target);
    await writeAtomic(target, 'new');
    expect(syncs).toEqual(['file (target: old)', 'folder']);
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['flow.json']);
  });

  it('creates missing folders, and leaves no temp file when the write fails', async () => {
    const dir = freshDir();
    await writeAtomic(join(dir, 'a', 'b', 'c.txt'), new Uint8Array([104, 105]));
    expect(readFileSync(join(dir, 'a', 'b', 'c.txt'), 'utf8')).toBe('hi');
    // The target is a folder: the rename fails, the temp file goes.
    await expect(writeAtomic(join(dir, 'a'), 'x')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['a']);
  });
});
