// The Mailer behind SendEMail: checks the request, composes the .eml once, sends exactly those bytes
// over SMTP (to the embedded outbox server or to the configured relay) and keeps every message in
// the outbox with its fate.
import nodemailer from 'nodemailer';
import type { EmailRequest } from '../call/api';
import { checkEmail, composeEml, composeRefused } from './compose';
import { MESSAGE_ID_DOMAIN, startEmbeddedServer } from './embedded';
import type { EmbeddedServer, PendingMessage } from './embedded';
import { newOutboxId, Outbox } from './outbox';
import { describeRelay, parseRelay, relayError, transportOptions } from './relay';
import type { RelayConfig } from './relay';

export interface MailerOptions {
  /** Folder of the outbox: <id>.eml files and index.json. Created if missing. */
  outboxDir: string;
  /** Where to deliver; omitted = the embedded outbox server (nothing leaves this machine). */
  relay?: RelayConfig | string;
  /** Bound on connecting, the greeting, each reply and the whole send; default 10 000 ms. */
  timeoutMs?: number;
}

export interface SendMeta {
  callId?: string;
  account?: string;
}

export interface Mailer {
  /** SendEMail: null once the message is accepted, else an error string. Never throws. */
  send(req: EmailRequest, meta?: SendMeta): Promise<string | null>;
  readonly outbox: Outbox;
  /** e.g. "embedded outbox smtp://127.0.0.1:40125" or "smtp://bot@mail.company.com:587 (STARTTLS when offered)" */
  readonly relayDescription: string;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 5 * 60_000;

/**
 * Opens the outbox and, without a relay, starts the embedded SMTP server.
 * Rejects with a clear message for a bad relay setting (see parseRelay to check one first).
 *
 * @example
 *   const mailer = await createMailer({ outboxDir: 'data/outbox' });
 *   const err = await mailer.send({ from: 'ivr@company.com', to: 'ops@company.com', subject: 'Missed call',
 *     headers: null, content: 'Caller 1001 left no message' }, { callId: 'c-17' });
 */
export async function createMailer(options: MailerOptions): Promise<Mailer> {
  const timeoutMs = boundTimeout(options.timeoutMs);
  let relay: RelayConfig | undefined;
  if (options.relay !== undefined) {
    const parsed = parseRelay(options.relay);
    if (!parsed.ok) throw new Error(parsed.error);
    relay = parsed.relay;
  }
  const outbox = await Outbox.open(options.outboxDir);
  const pending = new Map<string, PendingMessage>();
  let embedded: EmbeddedServer | undefined;
  let target: RelayConfig;
  if (relay) {
    target = relay;
  } else {
    embedded = await startEmbeddedServer(outbox, pending);
    target = { host: embedded.host, port: embedded.port, ignoreTls: true };
  }
  const transport = nodemailer.createTransport(transportOptions(target, timeoutMs));
  const where = `${target.host}:${target.port}`;
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  async function recordFailure(
    id: string,
    fields: PendingMessage,
    error: string,
    eml: () => Promise<Buffer>,
  ): Promise<void> {
    try {
      if (outbox.has(id)) await outbox.update(id, 'failed', error);
      else await outbox.add({ id, ...fields, status: 'failed', error }, await eml());
    } catch {
      // The send's own error is what the caller needs; a full disk shows up on the next send too.
    }
  }

  async function sendOnce(req: EmailRequest, meta: SendMeta): Promise<string | null> {
    const id = newOutboxId();
    const messageId = `<${id}@${MESSAGE_ID_DOMAIN}>`;
    const r = (typeof req === 'object' && req !== null ? req : {}) as Partial<
      Record<'from' | 'to' | 'subject', unknown>
    >;
    const fields: PendingMessage = {
      from: typeof r.from === 'string' ? r.from : '',
      to: typeof r.to === 'string' ? r.to : '',
      subject: typeof r.subject === 'string' ? r.subject : '',
      createdAt: new Date().toISOString(),
      ...(meta.callId !== undefined ? { callId: String(meta.callId) } : {}),
      ...(meta.account !== undefined ? { account: String(meta.account) } : {}),
    };
    const checked = checkEmail(req);
    if (!checked.ok) {
      await recordFailure(id, fields, checked.error, () => composeRefused(req, checked.error, messageId));
      return checked.error;
    }
    const email = checked.email;
    const eml = await composeEml(email, messageId, new Date(fields.createdAt));
    // With a relay the message is filed first, so a crash mid-send leaves it 'queued', not lost.
    if (relay) await outbox.add({ id, ...fields, status: 'queued' }, eml);
    else pending.set(id, fields);
    let rejected: string[] = [];
    try {
      const info = await transport.sendMail({
        envelope: { from: email.from.address, to: email.to.map((m) => m.address) },
        raw: eml,
        signal: AbortSignal.timeout(timeoutMs),
      });
      rejected = [...(info.rejected ?? [])];
    } catch (err) {
      const error = relayError(err, relay ? where : `outbox server ${where}`, timeoutMs, relay?.user);
      await recordFailure(id, fields, error, async () => eml);
      return error;
    } finally {
      pending.delete(id);
    }
    if (rejected.length > 0) {
      // Delivered to the others: the message went out ('sent'), but the caller hears who was refused.
      const error = `SMTP relay ${where} refused recipient ${rejected.join(', ')}; sent to the others`;
      if (relay) await outbox.update(id, 'sent', error);
      return error;
    }
    if (relay) await outbox.update(id, 'sent');
    return null;
  }

  return {
    outbox,
    relayDescription: relay ? describeRelay(relay) : `embedded outbox smtp://${where} → ${outbox.dir}`,
    async send(req, meta = {}) {
      if (closed) return 'SendEMail: the mailer is closed';
      const run = sendOnce(req, meta).catch(
        (err: unknown) => `SendEMail: ${err instanceof Error ? err.message : String(err)}`,
      );
      inFlight.add(run);
      try {
        return await run;
      } finally {
        inFlight.delete(run);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...inFlight]);
      transport.close();
      if (embedded) await embedded.close();
      await outbox.flush();
    },
  };
}

function boundTimeout(ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return DEFAULT_TIMEOUT_MS;
  return Math.min(Math.max(Math.round(ms), 50), MAX_TIMEOUT_MS);
}
