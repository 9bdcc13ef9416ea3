// Delivering queued messages, as a mail server's queue does: one attempt as soon as the message is
// queued, then retries with growing delays while the trouble is temporary (the relay is down, it
// answers 4xx, it does not answer), until it is accepted, refused for good (5xx) or the attempts run out.
// Every attempt is written into the entry, so the outbox shows what happened and when.
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { OutboxAttempt, OutboxEntry, OutboxOwner } from './entry';
import type { Outbox } from './outbox';
import { relayError } from './relay';

export interface RetryPolicy {
  /** Wait before attempt 2, 3, …; the last delay repeats. */
  delaysMs: number[];
  /** Attempts before a temporary trouble becomes `failed`. */
  maxAttempts: number;
}

/** About 14 hours of retries, closer together at first (greylisting answers within minutes). */
export const DEFAULT_RETRY: RetryPolicy = {
  delaysMs: [30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000],
  maxAttempts: 20,
};

// setTimeout takes at most 2^31-1 ms; a later attempt is simply re-armed when that fires.
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface DeliveryTarget {
  transport: Transporter<SMTPTransport.SentMessageInfo>;
  /** For messages (after "SMTP relay "): "host:port" or "outbox server host:port". */
  label: string;
  user?: string;
  timeoutMs: number;
}

interface SmtpFailure {
  code?: string;
  responseCode?: number;
}

/** Whether a failed attempt is worth retrying: SMTP 4xx and connection trouble are; 5xx and TLS are not. */
export function isTemporary(err: unknown): boolean {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SmtpFailure;
  if (typeof e.responseCode === 'number' && e.responseCode >= 400 && e.responseCode < 600) return e.responseCode < 500;
  return e.code !== 'ETLS';
}

export class Delivery {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly running = new Map<string, Promise<OutboxEntry | undefined>>();
  private closed = false;

  constructor(
    private readonly outbox: Outbox,
    private readonly target: DeliveryTarget,
    private readonly owner: OutboxOwner,
    private readonly retry: RetryPolicy,
  ) {}

  /** Attempts delivery now (joining an attempt already running); resolves with the entry after it. */
  attempt(id: string): Promise<OutboxEntry | undefined> {
    const running = this.running.get(id);
    if (running) return running;
    this.cancel(id);
    const run = this.attemptOnce(id).finally(() => this.running.delete(id));
    this.running.set(id, run);
    return run;
  }

  /** Arms the next attempt of a queued entry this mailer owns at its nextAttemptAt (now if unset). */
  schedule(entry: OutboxEntry): void {
    if (this.closed) return;
    this.cancel(entry.id);
    const due = entry.nextAttemptAt ? Date.parse(entry.nextAttemptAt) : Date.now();
    const wait = Math.min(Math.max(0, (Number.isFinite(due) ? due : Date.now()) - Date.now()), MAX_TIMER_MS);
    const timer = setTimeout(() => {
      this.timers.delete(entry.id);
      if (Date.now() + 5 < due) this.schedule(entry);
      else void this.attempt(entry.id);
    }, wait);
    // A retry due in an hour must not keep a finished `simulate` alive; the next process takes it over.
    timer.unref();
    this.timers.set(entry.id, timer);
  }

  /** Resolves when no attempt is running (retries still due later do not count). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /** Lets running attempts finish and drops the timers; the messages stay queued for the next mailer. */
  async close(): Promise<void> {
    this.closed = true;
    for (const id of [...this.timers.keys()]) this.cancel(id);
    await this.settled();
  }

  private cancel(id: string): void {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
  }

  private async attemptOnce(id: string): Promise<OutboxEntry | undefined> {
    const entry = await this.outbox.get(id);
    if (entry?.status !== 'queued' || entry.owner?.mailer !== this.owner.mailer || !entry.envelope) return entry;
    let outcome: OutboxAttempt['outcome'] = 'sent';
    let reply: string;
    let refused: string[] = [];
    try {
      const raw = await this.outbox.message(entry);
      const info = await this.target.transport.sendMail({
        envelope: entry.envelope,
        raw,
        signal: AbortSignal.timeout(this.target.timeoutMs),
      });
      refused = [...(info.rejected ?? [])].map(String);
      reply = oneLine(info.response ?? '250 accepted');
    } catch (err) {
      outcome = isTemporary(err) ? 'temporary' : 'permanent';
      reply = relayError(err, this.target.label, this.target.timeoutMs, this.target.user);
    }
    const updated = await this.outbox.update(id, (now) =>
      this.settle(now, { at: new Date().toISOString(), outcome, reply }, refused),
    );
    if (updated.status === 'queued') this.schedule(updated);
    else await this.outbox.releaseClaims(id);
    return updated;
  }

  /** The entry after one attempt: sent, failed, or queued with the next attempt's time. */
  private settle(entry: OutboxEntry, attempt: OutboxAttempt, refused: string[]): OutboxEntry {
    const attempts = [...(entry.attempts ?? []), attempt];
    const next: OutboxEntry = { ...entry, attempts };
    delete next.nextAttemptAt;
    delete next.error;
    if (attempt.outcome === 'sent') {
      next.status = 'sent';
      delete next.owner;
      // Delivered to the others: the message went out, but the outbox names who was refused.
      if (refused.length > 0)
        next.error = `SMTP relay ${this.target.label} refused recipient ${refused.join(', ')}; sent to the others`;
      return next;
    }
    if (attempt.outcome === 'permanent') {
      next.status = 'failed';
      next.error = attempt.reply;
      delete next.owner;
      return next;
    }
    const made = attempts.slice(entry.retriesFrom ?? 0).filter((a) => a.outcome !== 'sent').length;
    if (made >= this.retry.maxAttempts) {
      next.status = 'failed';
      next.error = `gave up after ${made} attempts: ${attempt.reply}`;
      delete next.owner;
      return next;
    }
    const delays = this.retry.delaysMs.length > 0 ? this.retry.delaysMs : DEFAULT_RETRY.delaysMs;
    const delay = delays[Math.min(made - 1, delays.length - 1)]!;
    next.error = attempt.reply;
    next.nextAttemptAt = new Date(Date.now() + delay).toISOString();
    return next;
  }
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
