// Who delivers a queued message. The mailer that queued it does, while it runs; a message whose
// mailer is gone (its process was killed, or it closed with a retry still due) is taken over by the
// next mailer that opens the folder and delivers the same way. Taking over is a claim file created
// exclusively, so two processes never both deliver one message.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { OutboxEntry, OutboxOwner } from './entry';

/** Mailers of this process that are open (a closed one's messages may be taken over). */
const openMailers = new Set<string>();

export function newOwner(): OutboxOwner {
  const owner = { host: hostname(), pid: process.pid, mailer: randomBytes(6).toString('hex') };
  openMailers.add(owner.mailer);
  return owner;
}

export function releaseOwner(owner: OutboxOwner): void {
  openMailers.delete(owner.mailer);
}

/** Another host's mailer is presumed alive until its next attempt is this late. */
const FOREIGN_GRACE_MS = 10 * 60_000;

/** Whether the owner of a queued entry can still deliver it. */
export function ownerAlive(entry: OutboxEntry, now = Date.now()): boolean {
  const owner = entry.owner;
  if (!owner || typeof owner.pid !== 'number') return false;
  if (owner.host !== hostname()) {
    const due = Date.parse(entry.nextAttemptAt ?? entry.updatedAt ?? entry.createdAt);
    return Number.isFinite(due) && now < due + FOREIGN_GRACE_MS;
  }
  if (owner.pid === process.pid) return openMailers.has(owner.mailer);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists, it is just not ours to signal.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The claim file for taking over from this owner: unique per (message, previous owner). */
export function claimName(id: string, previous: OutboxOwner | undefined): string {
  const who = previous ? `${previous.pid}-${previous.mailer}` : 'none';
  return `.${id}.claim-${who.replace(/[^A-Za-z0-9-]/g, '')}`;
}
