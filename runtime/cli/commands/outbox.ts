// ivr-studio outbox list | show | resend | purge — the e-mails simulated and live calls sent.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { createMailer, Outbox, parseRelay, type Mailer, type OutboxEntry, type OutboxStatus } from '../../mail';
import { CliError } from '../io';
import type { CliOutput } from '../main';
import { DEFAULT_OUTBOX } from './runtime';

interface BoxOpts {
  outbox: string;
}

const STATUSES: readonly OutboxStatus[] = ['queued', 'sent', 'failed'];

export function registerOutboxCommands(program: Command, io: CliOutput, setExit: (code: number) => void): void {
  const outbox = program
    .command('outbox')
    .description('the e-mails calls sent: list, show, resend, purge (the folder simulate and serve use)');

  outbox
    .command('list')
    .description('one line per message, newest first: id, status, when, to, subject, attempts')
    .option('--outbox <dir>', 'the outbox folder', DEFAULT_OUTBOX)
    .option('--status <status>', 'only queued, sent or failed messages')
    .option('--json', 'the entries as JSON lines')
    .action(async (opts: BoxOpts & { status?: string; json?: boolean }) => {
      const status = opts.status === undefined ? undefined : checkStatus(opts.status);
      const box = await openOutbox(opts.outbox);
      const entries = (await box.list()).filter((e) => status === undefined || e.status === status);
      for (const e of entries) io.out(opts.json ? `${JSON.stringify(e)}\n` : `${listLine(e)}\n`);
      if (!opts.json) io.out(`${entries.length} message${entries.length === 1 ? '' : 's'} in ${box.dir}\n`);
    });

  outbox
    .command('show')
    .description('one message: its entry, every delivery attempt and its text')
    .argument('<id>')
    .option('--outbox <dir>', 'the outbox folder', DEFAULT_OUTBOX)
    .option('--eml', 'print the raw message (RFC 5322) instead of its text')
    .action(async (id: string, opts: BoxOpts & { eml?: boolean }) => {
      const box = await openOutbox(opts.outbox);
      const entry = await box.get(id);
      if (!entry) throw new CliError(`the outbox ${box.dir} has no message with id '${id}'`);
      const { eml } = await box.read(id);
      if (opts.eml) return io.out(eml.endsWith('\n') ? eml : `${eml}\n`);
      io.out(describeEntry(entry));
      const text = await simpleParser(eml)
        .then((p) => p.text ?? '')
        .catch(() => '');
      io.out(`\n${text.trimEnd()}\n`);
    });

  outbox
    .command('resend')
    .description(
      'deliver messages again now (failed ones, queued ones waiting for a retry); exit 1 unless all are sent',
    )
    .argument('<ids...>')
    .option('--outbox <dir>', 'the outbox folder', DEFAULT_OUTBOX)
    .option('--smtp <url>', 'deliver through this relay, e.g. smtp://user:pass@mail.company.com:587')
    .action(async (ids: string[], opts: BoxOpts & { smtp?: string }) => {
      if (opts.smtp !== undefined) {
        const relay = parseRelay(opts.smtp);
        if (!relay.ok) throw new CliError(`--smtp: ${relay.error}`);
      }
      const box = await openOutbox(opts.outbox);
      for (const id of ids) {
        const entry = await box.get(id);
        if (!entry) throw new CliError(`the outbox ${box.dir} has no message with id '${id}'`);
        // Without --smtp a relay's message would only reach the local outbox server: say so instead.
        if (opts.smtp === undefined && entry.via !== undefined && entry.via !== 'embedded')
          throw new CliError(`message ${id} goes through the relay ${entry.via}: give --smtp smtp://…${entry.via}`);
      }
      const mailer = await openMailer(opts.outbox, opts.smtp);
      try {
        for (const id of ids) {
          let entry: OutboxEntry;
          try {
            entry = await mailer.resend(id);
          } catch (err) {
            io.err(`ivr-studio: ${err instanceof Error ? err.message : String(err)}\n`);
            setExit(1);
            continue;
          }
          io.out(`${listLine(entry)}\n`);
          if (entry.status !== 'sent') setExit(1);
        }
      } finally {
        await mailer.close();
      }
    });

  outbox
    .command('purge')
    .description('remove messages and their files (default: sent and failed ones)')
    .option('--outbox <dir>', 'the outbox folder', DEFAULT_OUTBOX)
    .option('--status <status>', 'only this status: sent, failed, queued or all')
    .option('--older-than <days>', 'only messages created more than this many days ago')
    .action(async (opts: BoxOpts & { status?: string; olderThan?: string }) => {
      const wanted =
        opts.status === undefined ? ['sent', 'failed'] : opts.status === 'all' ? STATUSES : [checkStatus(opts.status)];
      let before = Infinity;
      if (opts.olderThan !== undefined) {
        const days = Number(opts.olderThan);
        if (!Number.isFinite(days) || days < 0)
          throw new CliError(`--older-than: expected a number of days, got '${opts.olderThan}'`);
        before = Date.now() - days * 86_400_000;
      }
      const box = await openOutbox(opts.outbox);
      let removed = 0;
      for (const e of await box.list()) {
        if (!wanted.includes(e.status) || !(Date.parse(e.createdAt) < before)) continue;
        await box.remove(e.id);
        removed++;
      }
      io.out(`removed ${removed} message${removed === 1 ? '' : 's'} from ${box.dir}\n`);
    });
}

/** The outbox folder, or one line saying why it cannot be one. */
export async function openOutbox(dir: string): Promise<Outbox> {
  try {
    return await Outbox.open(resolve(dir));
  } catch (err) {
    throw new CliError(`--outbox: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** A mailer on the folder (embedded outbox, or the relay), or one line saying why not. */
export async function openMailer(dir: string, smtp: string | undefined): Promise<Mailer> {
  try {
    return await createMailer({ outboxDir: resolve(dir), ...(smtp !== undefined ? { relay: smtp } : {}) });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new CliError(message.startsWith('outbox ') ? `--outbox: ${message}` : `--smtp: ${message}`);
  }
}

function checkStatus(s: string): OutboxStatus {
  if (!(STATUSES as readonly string[]).includes(s))
    throw new CliError(`--status: use queued, sent or failed, not '${s}'`);
  return s as OutboxStatus;
}

/** `20261204T…-ab12  queued  2026-12-04 12:00:01  ops@company.com  "Subject"  2 attempts: 451 …` */
export function listLine(e: OutboxEntry): string {
  const attempts = e.attempts?.length ?? 0;
  const tail = [
    attempts > 0 ? `${attempts} attempt${attempts === 1 ? '' : 's'}` : '',
    e.nextAttemptAt ? `next ${shortTime(e.nextAttemptAt)}` : '',
    e.error ?? '',
  ].filter((s) => s !== '');
  return `${e.id}  ${e.status.padEnd(6)}  ${shortTime(e.createdAt)}  ${e.to}  ${JSON.stringify(e.subject)}${tail.length ? `  ${tail.join('; ')}` : ''}`;
}

function describeEntry(e: OutboxEntry): string {
  const lines = [
    `id:       ${e.id}`,
    `status:   ${e.status}${e.refused ? ' (refused at submission)' : ''}`,
    `created:  ${e.createdAt}`,
    `from:     ${e.from}`,
    `to:       ${e.to}`,
    `subject:  ${e.subject}`,
  ];
  if (e.via) lines.push(`via:      ${e.via}`);
  if (e.callId) lines.push(`call:     ${e.callId}${e.account ? ` (${e.account})` : ''}`);
  if (e.error) lines.push(`error:    ${e.error}`);
  if (e.nextAttemptAt) lines.push(`next:     ${e.nextAttemptAt}`);
  for (const [i, a] of (e.attempts ?? []).entries()) lines.push(`attempt ${i + 1}: ${a.at}  ${a.outcome}  ${a.reply}`);
  lines.push(`file:     ${e.file}`);
  return `${lines.join('\n')}\n`;
}

function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}
