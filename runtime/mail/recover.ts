// What a mailer looks at when it opens a folder: messages left `queued` by a mailer that is gone (a
// killed process, a `simulate` that ended with a retry still due) are taken over and delivered, and a
// message file whose entry was never written (killed between the two writes) gets one, as `failed`.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { Delivery } from './delivery';
import { isOutboxId, type OutboxEntry, type OutboxOwner } from './entry';
import type { Outbox } from './outbox';
import { ownerAlive } from './owner';

/** A message file younger than this may still be getting its entry from a live process. */
const ORPHAN_AGE_MS = 60_000;

/** Takes over queued messages for `via` whose mailer is gone; returns how many. */
export async function takeOverQueued(
  outbox: Outbox,
  delivery: Delivery,
  owner: OutboxOwner,
  via: string,
): Promise<number> {
  let taken = 0;
  for (const entry of await outbox.list()) {
    if (entry.status !== 'queued' || entry.via !== via || ownerAlive(entry)) continue;
    const mine = await takeOver(outbox, entry, owner);
    if (mine) {
      delivery.schedule(mine);
      taken++;
    }
  }
  return taken;
}

/** Claims one queued entry from its previous owner; the entry as now owned, or null when another got it. */
export async function takeOver(outbox: Outbox, entry: OutboxEntry, owner: OutboxOwner): Promise<OutboxEntry | null> {
  if (!(await outbox.claim(entry.id, entry.owner))) return null;
  const now = await outbox.get(entry.id);
  // Someone else settled or took it between the listing and the claim.
  if (now?.status !== 'queued' || now.owner?.mailer !== entry.owner?.mailer) return null;
  return outbox.update(entry.id, (e) => ({ ...e, owner }));
}

/** Gives an entry to every message file that has none (and is old enough not to be in the making). */
export async function adoptOrphans(outbox: Outbox): Promise<number> {
  const names = await readdir(outbox.dir);
  const entries = new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)));
  let adopted = 0;
  for (const name of names) {
    const id = name.slice(0, -4);
    if (!name.endsWith('.eml') || !isOutboxId(id) || entries.has(id)) continue;
    const info = await stat(path.join(outbox.dir, name)).catch(() => null);
    if (!info || Date.now() - info.mtimeMs < ORPHAN_AGE_MS) continue;
    const parsed = await simpleParser(await outbox.message({ file: name } as OutboxEntry), {
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipImageLinks: true,
    }).catch(() => undefined);
    const to = parsed?.to ? (Array.isArray(parsed.to) ? parsed.to : [parsed.to]) : [];
    const fromAddress = parsed?.from?.value[0]?.address ?? '';
    const toAddresses = to.flatMap((a) => a.value.map((v) => v.address ?? '')).filter((a) => a !== '');
    const done = await outbox.adopt({
      id,
      createdAt: new Date(info.mtimeMs).toISOString(),
      from: parsed?.from?.text ?? '',
      to: to.map((a) => a.text).join(', '),
      subject: parsed?.subject ?? '',
      status: 'failed',
      error: 'found without its outbox entry (the process that queued it stopped); resend it to deliver it',
      ...(fromAddress && toAddresses.length > 0 ? { envelope: { from: fromAddress, to: toAddresses } } : {}),
    });
    if (done) adopted++;
  }
  return adopted;
}
