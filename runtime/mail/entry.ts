// What the outbox keeps about one message: <id>.json beside <id>.eml. One file per message, so any
// number of processes can add and update messages in one folder without a shared index to fight over.
import { randomBytes } from 'node:crypto';

export type OutboxStatus = 'sent' | 'failed' | 'queued';

/** One delivery attempt: when, and what the relay (or the connection) answered. */
export interface OutboxAttempt {
  /** ISO 8601 */
  at: string;
  /** 'sent' (accepted), 'temporary' (will be retried: connection trouble, 4xx) or 'permanent' (5xx). */
  outcome: 'sent' | 'temporary' | 'permanent';
  reply: string;
}

/** Who delivers a queued message: a process (pid on host) and which of its mailers. */
export interface OutboxOwner {
  host: string;
  pid: number;
  mailer: string;
}

export interface OutboxEntry {
  id: string;
  /** ISO 8601 */
  createdAt: string;
  from: string;
  to: string;
  subject: string;
  status: OutboxStatus;
  /** Why it failed, or the last temporary trouble while it is queued, or recipients the relay refused. */
  error?: string;
  callId?: string;
  account?: string;
  /** The .eml path relative to the outbox folder. */
  file: string;
  /** SMTP envelope, so that any process can deliver (or resend) the message later. */
  envelope?: { from: string; to: string[] };
  /** Where it is delivered: 'embedded' or the relay as host:port (no password). */
  via?: string;
  attempts?: OutboxAttempt[];
  /** ISO 8601: when the next attempt is due (queued entries after a temporary failure). */
  nextAttemptAt?: string;
  /** Attempts before this index (made before the last resend) do not count against the limit. */
  retriesFrom?: number;
  /** Set while queued. */
  owner?: OutboxOwner;
  /** ISO 8601 of the last change. */
  updatedAt?: string;
  /** The message never went out: SendEMail refused it (bad address, header, full outbox, forced). */
  refused?: true;
}

export type OutboxListener = (entry: OutboxEntry) => void;

// Ids become file names and arrive from the designer's HTTP API: keep them to a safe alphabet.
// `index` is the old single-file index (index.json), never an entry.
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,79}$/;

/** A new outbox id: sortable by time, unique across processes. */
export function newOutboxId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '').replace('Z', '');
  return `${stamp}-${randomBytes(5).toString('hex')}`;
}

export function isOutboxId(id: string): boolean {
  return ID_PATTERN.test(id) && id.toLowerCase() !== 'index';
}

const STATUSES = new Set(['sent', 'failed', 'queued']);

/** The fields every entry must have, right types; anything else found in a file is dropped. */
export function isEntry(x: unknown): x is OutboxEntry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return (
    typeof e.id === 'string' &&
    isOutboxId(e.id) &&
    typeof e.createdAt === 'string' &&
    typeof e.from === 'string' &&
    typeof e.to === 'string' &&
    typeof e.subject === 'string' &&
    typeof e.status === 'string' &&
    STATUSES.has(e.status) &&
    e.file === `${e.id}.eml` &&
    (e.attempts === undefined || Array.isArray(e.attempts))
  );
}

export function newestFirst(a: OutboxEntry, b: OutboxEntry): number {
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function copyEntry(e: OutboxEntry): OutboxEntry {
  return structuredClone(e);
}
