// The outbox: every message SendEMail composed, kept as <id>.eml with its entry in <id>.json, so an
// undeliverable message is never lost and the designer can show what a flow sent. There is no shared
// index: each message's entry is its own file, written atomically, and a listing merges them, so any
// number of processes (eight `simulate` runs, the designer, `ivr-studio run`) can share one folder.
import { constants } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from '../fs/atomic';
import {
  copyEntry,
  isEntry,
  isOutboxId,
  newestFirst,
  type OutboxEntry,
  type OutboxListener,
  type OutboxOwner,
} from './entry';
import { claimName } from './owner';

export { isOutboxId, newOutboxId } from './entry';
export type { OutboxAttempt, OutboxEntry, OutboxListener, OutboxOwner, OutboxStatus } from './entry';

/** The single index of older versions: imported into per-message files on open. */
const LEGACY_INDEX = 'index.json';
const ENTRY_SUFFIX = '.json';
/** Files read at once while listing: enough to hide latency, few enough to keep descriptors. */
const READ_CONCURRENCY = 64;

export class Outbox {
  readonly dir: string;
  private readonly listeners = new Set<OutboxListener>();
  /** Entry files already read: a file is read again only when it was replaced (inode, time, size). */
  private readonly cache = new Map<string, { stamp: string; entry: OutboxEntry | null }>();
  /** Changes to one entry are written one after the other, so the last one written is the last made. */
  private readonly chains = new Map<string, Promise<unknown>>();

  private constructor(dir: string) {
    this.dir = dir;
  }

  /**
   * Opens (creating if needed) the outbox folder. Rejects with one line when it is not a folder
   * or cannot be written. Any number of Outboxes, in any number of processes, may share a folder.
   */
  static async open(dir: string): Promise<Outbox> {
    const box = new Outbox(path.resolve(dir));
    try {
      await mkdir(box.dir, { recursive: true });
      const info = await stat(box.dir);
      if (!info.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      await access(box.dir, constants.W_OK);
    } catch (err) {
      throw new Error(`outbox ${box.dir}: ${describeFsError(err)}`);
    }
    await box.importLegacyIndex();
    return box;
  }

  /** Entries, newest first, as every process sharing the folder has left them. */
  async list(): Promise<OutboxEntry[]> {
    const names = (await readdir(this.dir)).filter((n) => n.endsWith(ENTRY_SUFFIX) && !n.startsWith('.'));
    const ids = names.map((n) => n.slice(0, -ENTRY_SUFFIX.length)).filter(isOutboxId);
    const found: OutboxEntry[] = [];
    for (let i = 0; i < ids.length; i += READ_CONCURRENCY) {
      const batch = await Promise.all(ids.slice(i, i + READ_CONCURRENCY).map((id) => this.get(id)));
      for (const e of batch) if (e) found.push(e);
    }
    const present = new Set(ids);
    for (const id of this.cache.keys()) if (!present.has(id)) this.cache.delete(id);
    return found.sort(newestFirst);
  }

  /** The entry as it is on disk now, or undefined. */
  async get(id: string): Promise<OutboxEntry | undefined> {
    if (!isOutboxId(id)) return undefined;
    const file = this.entryPath(id);
    let stamp: string;
    try {
      const s = await stat(file);
      stamp = `${s.ino}:${s.mtimeMs}:${s.size}`;
    } catch {
      this.cache.delete(id);
      return undefined;
    }
    const cached = this.cache.get(id);
    if (cached && cached.stamp === stamp) return cached.entry ? copyEntry(cached.entry) : undefined;
    let entry: OutboxEntry | null = null;
    try {
      const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
      if (isEntry(parsed) && parsed.id === id) entry = parsed;
    } catch {
      // Gone meanwhile, or not an entry (edited by hand): not listed.
    }
    this.cache.set(id, { stamp, entry });
    return entry ? copyEntry(entry) : undefined;
  }

  async has(id: string): Promise<boolean> {
    return (await this.get(id)) !== undefined;
  }

  /** One entry and its message text; rejects for an id the outbox does not hold. */
  async read(id: string): Promise<{ entry: OutboxEntry; eml: string }> {
    const entry = await this.get(id);
    if (!entry) throw new Error(`outbox ${this.dir}: no message with id '${id}'`);
    const eml = await readFile(path.join(this.dir, entry.file), 'utf8');
    return { entry, eml };
  }

  /** The message bytes, exactly as filed. */
  async message(entry: OutboxEntry): Promise<Buffer> {
    return readFile(path.join(this.dir, entry.file));
  }

  /** Calls listener after each entry this Outbox adds or changes; returns the unsubscribe function. */
  onChange(listener: OutboxListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Stores the message file, then its entry; resolves once both are on disk. */
  async add(fields: Omit<OutboxEntry, 'file'>, eml: Buffer | string): Promise<OutboxEntry> {
    if (!isOutboxId(fields.id)) throw new Error(`outbox: bad id '${fields.id}'`);
    const entry: OutboxEntry = { ...fields, file: `${fields.id}.eml`, updatedAt: new Date().toISOString() };
    return this.serial(entry.id, async () => {
      if (await this.exists(entry.id)) throw new Error(`outbox: id '${entry.id}' already used`);
      // The message first: an entry never points at a file that is not there.
      await writeAtomic(path.join(this.dir, entry.file), eml);
      await this.writeEntry(entry);
      return entry;
    });
  }

  /** Writes an entry for a message file that has none; false when it has one by now. */
  async adopt(fields: Omit<OutboxEntry, 'file'>): Promise<boolean> {
    if (!isOutboxId(fields.id)) return false;
    return this.serial(fields.id, async () => {
      if (await this.exists(fields.id)) return false;
      await this.writeEntry({ ...fields, file: `${fields.id}.eml`, updatedAt: new Date().toISOString() });
      return true;
    });
  }

  /** Changes an entry (its .eml stays as it was); `change` gets the entry as it is on disk. */
  async update(id: string, change: (entry: OutboxEntry) => OutboxEntry): Promise<OutboxEntry> {
    return this.serial(id, async () => {
      const old = await this.get(id);
      if (!old) throw new Error(`outbox: no message with id '${id}'`);
      const entry = { ...change(old), id, file: old.file, updatedAt: new Date().toISOString() };
      await this.writeEntry(entry);
      return entry;
    });
  }

  /** Removes a message (entry first, so it is never listed without its file). */
  async remove(id: string): Promise<void> {
    await this.serial(id, async () => {
      const entry = await this.get(id);
      if (!entry) return;
      await unlink(this.entryPath(id)).catch(ignoreMissing);
      await unlink(path.join(this.dir, entry.file)).catch(ignoreMissing);
      this.cache.delete(id);
      await this.releaseClaims(id);
    });
  }

  /**
   * Claims a message from its previous owner; true for exactly one of the processes that try.
   * The claim stays until the message is settled (releaseClaims), so a late contender cannot
   * claim it again from the same owner.
   */
  async claim(id: string, previous: OutboxOwner | undefined): Promise<boolean> {
    try {
      const handle = await open(path.join(this.dir, claimName(id, previous)), 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  }

  async releaseClaims(id: string): Promise<void> {
    const prefix = `.${id}.claim-`;
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((n) => n.startsWith(prefix));
    await Promise.all(names.map((n) => unlink(path.join(this.dir, n)).catch(ignoreMissing)));
  }

  /** Resolves once every change started so far is on disk. */
  async flush(): Promise<void> {
    while (this.chains.size > 0) await Promise.allSettled([...this.chains.values()]);
  }

  private serial<T>(id: string, work: () => Promise<T>): Promise<T> {
    const before = this.chains.get(id) ?? Promise.resolve();
    const run = before.then(work, work);
    const settled = run.catch(() => undefined);
    this.chains.set(id, settled);
    void settled.then(() => {
      if (this.chains.get(id) === settled) this.chains.delete(id);
    });
    return run;
  }

  private async exists(id: string): Promise<boolean> {
    try {
      await stat(this.entryPath(id));
      return true;
    } catch {
      return false;
    }
  }

  private async writeEntry(entry: OutboxEntry): Promise<void> {
    await writeAtomic(this.entryPath(entry.id), `${JSON.stringify(entry, null, 1)}\n`);
    this.emit(entry);
  }

  private entryPath(id: string): string {
    return path.join(this.dir, `${id}${ENTRY_SUFFIX}`);
  }

  private emit(entry: OutboxEntry): void {
    for (const listener of this.listeners) {
      try {
        listener(copyEntry(entry));
      } catch {
        // A broken listener (e.g. a closed designer socket) must not fail a send.
      }
    }
  }

  /** index.json of older versions → one file per entry; the index is then set aside. */
  private async importLegacyIndex(): Promise<void> {
    const file = path.join(this.dir, LEGACY_INDEX);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Keep the damaged index for a human to look at rather than lose it silently.
      await rename(file, `${file}.damaged-${Date.now()}`).catch(ignoreMissing);
      return;
    }
    for (const item of Array.isArray(parsed) ? parsed : []) {
      if (isEntry(item) && !(await this.exists(item.id)))
        await writeAtomic(this.entryPath(item.id), JSON.stringify(item));
    }
    await rename(file, `${file}.imported-${Date.now()}`).catch(ignoreMissing);
  }
}

function ignoreMissing(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
}

/** A file-system error as the end of a one-line message. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOTDIR':
    case 'EEXIST':
      return 'not a folder';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'not writable';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    case 'ENOENT':
      return 'no such folder';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
