// The Mailer behind SendEMail: submission (check, compose once, file `queued`) answers the call at
// once, as CommuniGate's SendEMail does; delivery (exactly the filed bytes, over SMTP to the embedded
// outbox server or to the configured relay) and its retries are the outbox's, reported in each entry.
import nodemailer from 'nodemailer';
import type { EmailRequest } from '../call/api';
import { DEFAULT_RETRY, Delivery, type RetryPolicy } from './delivery';
import { startEmbeddedServer } from './embedded';
import type { OutboxEntry, OutboxOwner } from './entry';
import { Outbox } from './outbox';
import { newOwner, ownerAlive, releaseOwner } from './owner';
import { adoptOrphans, takeOver, takeOverQueued } from './recover';
import { describeRelay, parseRelay, transportOptions } from './relay';
import type { RelayConfig } from './relay';
import { submit, type SendMeta } from './submit';

export type { SendMeta } from './submit';

export interface MailerOptions {
  /** Folder of the outbox: <id>.eml and <id>.json per message. Created if missing. */
  outboxDir: string;
  /** Where to deliver; omitted = the embedded outbox server (nothing leaves this machine). */
  relay?: RelayConfig | string;
  /** Bound on connecting, the greeting, each reply and the whole attempt; default 10 000 ms. */
  timeoutMs?: number;
  /** Retries of temporary failures; default DEFAULT_RETRY (about 14 hours). */
  retry?: Partial<RetryPolicy>;
  /** Larger messages are refused at submission; default 25 MB. */
  maxMessageBytes?: number;
}

export interface Mailer {
  /** SendEMail: null once the message is queued, else why it cannot be submitted. Never throws. */
  send(req: EmailRequest, meta?: SendMeta): Promise<string | null>;
  /**
   * Delivers a message again now (a failed one, a queued one waiting for its retry, or a sent one
   * once more) and resolves with its entry after the attempt. Rejects with one line when the
   * message is unknown, was refused at submission, or another running process is delivering it.
   */
  resend(id: string): Promise<OutboxEntry>;
  /** Resolves when no delivery attempt is running (retries due later do not count). */
  settled(): Promise<void>;
  readonly outbox: Outbox;
  /** e.g. "embedded outbox smtp://127.0.0.1:40125" or "smtp://bot@mail.company.com:587 (STARTTLS when offered)" */
  readonly relayDescription: string;
  /** What entries record as `via`: 'embedded' or host:port of the relay. */
  readonly via: string;
  /** Waits for running attempts; messages still queued stay so for the next mailer on the folder. */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

/**
 * Opens the outbox, takes over what a stopped mailer left queued and, without a relay, starts the
 * embedded SMTP server. Rejects with one line for a bad relay setting or an outbox it cannot write.
 *
 * @example
 *   const mailer = await createMailer({ outboxDir: 'data/outbox' });
 *   const err = await mailer.send({ from: 'ivr@company.com', to: 'ops@company.com', subject: 'Missed call',
 *     headers: null, content: 'Caller 1001 left no message' }, { callId: 'c-17' });
 */
export async function createMailer(options: MailerOptions): Promise<Mailer> {
  const timeoutMs = boundTimeout(options.timeoutMs);
  const relay = relayOf(options.relay);
  const outbox = await Outbox.open(options.outboxDir);
  const owner = newOwner();
  const embedded = relay ? undefined : await startEmbeddedServer(outbox);
  const target: RelayConfig = relay ?? { host: embedded!.host, port: embedded!.port, ignoreTls: true };
  const where = `${target.host}:${target.port}`;
  const via = relay ? where : 'embedded';
  const transport = nodemailer.createTransport(transportOptions(target, timeoutMs));
  const delivery = new Delivery(
    outbox,
    {
      transport,
      label: relay ? where : `outbox server ${where}`,
      timeoutMs,
      ...(relay?.user !== undefined ? { user: relay.user } : {}),
    },
    owner,
    { ...DEFAULT_RETRY, ...options.retry },
  );
  await takeOverQueued(outbox, delivery, owner, via).catch(() => 0);
  await adoptOrphans(outbox).catch(() => 0);
  const submitting = new Set<Promise<unknown>>();
  let closed = false;
  const track = <T>(p: Promise<T>): Promise<T> => {
    submitting.add(p);
    void p.finally(() => submitting.delete(p)).catch(() => undefined);
    return p;
  };
  const submission = {
    outbox,
    owner,
    via,
    maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
  };

  return {
    outbox,
    via,
    relayDescription: relay ? describeRelay(relay) : `embedded outbox smtp://${where} → ${outbox.dir}`,
    async send(req, meta = {}) {
      if (closed) return 'SendEMail: the mailer is closed';
      try {
        const done = await track(submit(req, meta, submission));
        if (done.error === null) void delivery.attempt(done.id).catch(() => undefined);
        return done.error;
      } catch (err) {
        return `SendEMail: ${err instanceof Error ? err.message : String(err)}`;
      }
    },
    resend: (id) => track(resend(outbox, delivery, owner, via, id)),
    settled: async () => {
      while (submitting.size > 0) await Promise.allSettled([...submitting]);
      await delivery.settled();
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...submitting]);
      await delivery.close();
      transport.close();
      if (embedded) await embedded.close();
      await outbox.flush();
      releaseOwner(owner);
    },
  };
}

async function resend(
  outbox: Outbox,
  delivery: Delivery,
  owner: OutboxOwner,
  via: string,
  id: string,
): Promise<OutboxEntry> {
  const entry = await outbox.get(id);
  if (!entry) throw new Error(`the outbox has no message with id '${id}'`);
  if (entry.refused || !entry.envelope)
    throw new Error(
      `message ${id} was refused before it was sent (${entry.error ?? 'no envelope'}); nothing to resend`,
    );
  const mine = entry.owner?.mailer === owner.mailer;
  if (entry.status === 'queued' && !mine && ownerAlive(entry)) {
    throw new Error(`message ${id} is being delivered by process ${entry.owner?.pid}; resend it once that is done`);
  }
  if (entry.status === 'queued' && !mine) {
    // Left by a mailer that is gone: claim it so that no other process delivers it too.
    if (!(await takeOver(outbox, entry, owner)))
      throw new Error(`message ${id} was just taken over by another process`);
  } else if (!mine) {
    await outbox.update(id, (e) => {
      const again: OutboxEntry = { ...e, status: 'queued', owner, via };
      delete again.nextAttemptAt;
      return again;
    });
  }
  await outbox.update(id, (e) => ({ ...e, via, retriesFrom: e.attempts?.length ?? 0 }));
  return (await delivery.attempt(id)) ?? entry;
}

function relayOf(setting: MailerOptions['relay']): RelayConfig | undefined {
  if (setting === undefined) return undefined;
  const parsed = parseRelay(setting);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.relay;
}

function boundTimeout(ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return DEFAULT_TIMEOUT_MS;
  return Math.min(Math.max(Math.round(ms), 50), MAX_TIMEOUT_MS);
}
