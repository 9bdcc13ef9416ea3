// The outbox: every message SendEMail composed, kept as <id>.eml next to index.json, so that an
// undeliverable message is never lost and the designer can show what a flow sent.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from '../fs/atomic';

export type OutboxStatus = 'sent' | 'failed' | 'queued';

export interface OutboxEntry {
  id: string;
  /** ISO 8601 */
  createdAt: string;
  from: string;
  to: string;
  subject: string;
  status: OutboxStatus;
  error?: string;
  callId?: string;
  account?: string;
  /** The .eml path relative to the outbox folder. */
  file: string;
}

export type OutboxListener = (entry: OutboxEntry) => void;

const INDEX = 'index.json';
/** With more than 1,000 entries, index writes start at least this far apart. */
const MIN_INDEX_INTERVAL_MS = 100;
// Ids become file names and arrive from the designer's HTTP API: keep them to a safe alphabet.
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,79}$/;

/** A new outbox id: sortable by time, unique across processes. */
export function newOutboxId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '').replace('Z', '');
  return `${stamp}-${randomBytes(5).toString('hex')}`;
}

export function isOutboxId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export class Outbox {
  readonly dir: string;
  private entries = new Map<string, OutboxEntry>();
  private listeners = new Set<OutboxListener>();
  /** Ids being added (their .eml is being written). */
  private readonly adding = new Set<string>();
  /**
   * index.json is written by one loop, a group commit: every change bumps `version`, and one write
   * covers every change made before it started. At 50 e-mails a second a write per change would
   * queue behind the others and grow with the outbox (a 10,000-entry index is a large file).
   */
  private version = 0;
  private written = 0;
  private writer: Promise<void> | null = null;
  private lastWriteStart = -Infinity;
  private waiters: { version: number; resolve: () => void; reject: (e: Error) => void }[] = [];

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Opens (creating if needed) the outbox folder and loads its index. Keep one Outbox per folder:
   * two writers would overwrite each other's index. */
  static async open(dir: string): Promise<Outbox> {
    const box = new Outbox(path.resolve(dir));
    await mkdir(box.dir, { recursive: true });
    await box.load();
    return box;
  }

  private async load(): Promise<void> {
    const file = path.join(this.dir, INDEX);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Keep the damaged index for a human to look at rather than overwrite it silently.
      await rename(file, `${file}.damaged-${Date.now()}`);
      return;
    }
    const list = Array.isArray(parsed) ? parsed : [];
    for (const item of list) {
      if (isEntry(item)) this.entries.set(item.id, item);
    }
  }

  /** Entries, newest first. */
  async list(): Promise<OutboxEntry[]> {
    return [...this.entries.values()]
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
      .map((e) => ({ ...e }));
  }

  /** One entry and its message text; rejects for an id the outbox does not hold. */
  async read(id: string): Promise<{ entry: OutboxEntry; eml: string }> {
    const entry = isOutboxId(id) ? this.entries.get(id) : undefined;
    if (!entry) throw new Error(`outbox ${this.dir}: no message with id '${id}'`);
    const eml = await readFile(path.join(this.dir, entry.file), 'utf8');
    return { entry: { ...entry }, eml };
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Calls listener after each entry is added or changes status; returns the unsubscribe function. */
  onChange(listener: OutboxListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Stores the message file, then the index entry; resolves once both are on disk. */
  async add(fields: Omit<OutboxEntry, 'file'>, eml: Buffer | string): Promise<OutboxEntry> {
    if (!isOutboxId(fields.id)) throw new Error(`outbox: bad id '${fields.id}'`);
    if (this.entries.has(fields.id) || this.adding.has(fields.id))
      throw new Error(`outbox: id '${fields.id}' already used`);
    const entry: OutboxEntry = { ...fields, file: `${fields.id}.eml` };
    this.adding.add(entry.id);
    try {
      await this.writeAtomic(entry.file, eml);
      this.entries.set(entry.id, entry);
    } finally {
      this.adding.delete(entry.id);
    }
    await this.commit();
    this.emit(entry);
    return entry;
  }

  /** Changes an entry's status (and error); the .eml stays as it was. */
  async update(id: string, status: OutboxStatus, error?: string): Promise<OutboxEntry> {
    const old = this.entries.get(id);
    if (!old) throw new Error(`outbox: no message with id '${id}'`);
    const entry: OutboxEntry = { ...old, status };
    if (error === undefined) delete entry.error;
    else entry.error = error;
    this.entries.set(id, entry);
    await this.commit();
    this.emit(entry);
    return entry;
  }

  /** Resolves once every pending index write is done. */
  async flush(): Promise<void> {
    while (this.writer) await this.writer;
  }

  /** Resolves when an index.json holding every change made so far is on disk. */
  private commit(): Promise<void> {
    const version = ++this.version;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ version, resolve, reject }));
    this.writer ??= this.writeLoop();
    return done;
  }

  private async writeLoop(): Promise<void> {
    while (this.written < this.version) {
      // A large index costs milliseconds of this thread to serialise: under a steady stream of
      // e-mails, gather changes for a moment rather than rewrite it back to back.
      const wait = this.lastWriteStart + MIN_INDEX_INTERVAL_MS - performance.now();
      if (wait > 0 && this.entries.size > 1000) await new Promise((r) => setTimeout(r, wait));
      this.lastWriteStart = performance.now();
      const version = this.version;
      let failure: Error | null = null;
      try {
        await this.writeIndex();
      } catch (err) {
        failure = err instanceof Error ? err : new Error(String(err));
      }
      this.written = version;
      const settled = this.waiters.filter((w) => w.version <= version);
      this.waiters = this.waiters.filter((w) => w.version > version);
      for (const w of settled) failure ? w.reject(failure) : w.resolve();
    }
    this.writer = null;
  }

  private emit(entry: OutboxEntry): void {
    for (const listener of this.listeners) {
      try {
        listener({ ...entry });
      } catch {
        // A broken listener (e.g. a closed designer socket) must not fail a send.
      }
    }
  }

  private writeIndex(): Promise<void> {
    const list = [...this.entries.values()].sort((a, b) =>
      a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0,
    );
    // One entry per line: still readable and diffable, and far cheaper than pretty-printing.
    return this.writeAtomic(
      INDEX,
      list.length === 0 ? '[]\n' : `[\n${list.map((e) => JSON.stringify(e)).join(',\n')}\n]\n`,
    );
  }

  private writeAtomic(name: string, data: Buffer | string): Promise<void> {
    return writeAtomic(path.join(this.dir, name), data);
  }
}

function isEntry(x: unknown): x is OutboxEntry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return (
    typeof e.id === 'string' &&
    isOutboxId(e.id) &&
    typeof e.createdAt === 'string' &&
    typeof e.from === 'string' &&
    typeof e.to === 'string' &&
    typeof e.subject === 'string' &&
    (e.status === 'sent' || e.status === 'failed' || e.status === 'queued') &&
    typeof e.file === 'string' &&
    e.file === `${e.id}.eml`
  );
}
