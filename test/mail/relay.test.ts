import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMailer, Outbox } from '../../runtime/mail';
import type { Mailer, RelayConfig } from '../../runtime/mail';
import type { EmailRequest } from '../../runtime/call/api';
import { deadPort, startSilentServer, startTestRelay, tcpHandles, tempDir } from './helpers';
import type { TestRelay } from './helpers';
import { waitFor } from '../helpers/waitFor';

const cleanups: (() => Promise<void>)[] = [];
let handlesBefore: number;

beforeAll(() => {
  handlesBefore = tcpHandles();
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await waitFor('the TCP handles to close', () => tcpHandles() === handlesBefore);
});

async function mailerFor(relay: string | RelayConfig, timeoutMs = 2000): Promise<Mailer> {
  const dir = await tempDir();
  const mailer = await createMailer({ outboxDir: dir.dir, relay, timeoutMs });
  cleanups.push(dir.remove, () => mailer.close());
  return mailer;
}

async function relay(opts?: Parameters<typeof startTestRelay>[0]): Promise<TestRelay> {
  const r = await startTestRelay(opts);
  cleanups.push(r.close);
  return r;
}

const req = (over: Partial<EmailRequest> = {}): EmailRequest => ({
  from: 'IVR <ivr@company.com>',
  to: 'ops@company.com',
  subject: 'Обратный звонок',
  headers: null,
  content: 'Перезвоните 1001',
  ...over,
});

/** The entry of the only message, once no delivery attempt is running. */
async function onlyEntry(mailer: Mailer) {
  await mailer.settled();
  const entries = await mailer.outbox.list();
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

describe('external relay', () => {
  it('delivers over SMTP and keeps the same bytes in the outbox as sent', async () => {
    const r = await relay();
    const mailer = await mailerFor(`smtp://127.0.0.1:${r.port}`);
    expect(mailer.relayDescription).toBe(`smtp://127.0.0.1:${r.port} (STARTTLS when offered)`);
    expect(await mailer.send(req({ to: 'a@company.com, B <b@company.com>' }), { callId: 'c1' })).toBeNull();
    const entry = await onlyEntry(mailer);
    expect(r.received).toHaveLength(1);
    expect(r.received[0]!.from).toBe('ivr@company.com');
    expect(r.received[0]!.to).toEqual(['a@company.com', 'b@company.com']);
    expect(entry).toMatchObject({
      status: 'sent',
      callId: 'c1',
      subject: 'Обратный звонок',
      via: `127.0.0.1:${r.port}`,
    });
    expect(entry.attempts).toEqual([
      { at: expect.any(String), outcome: 'sent', reply: expect.stringMatching(/^250 /) },
    ]);
    expect(entry.owner).toBeUndefined();
    const { eml } = await mailer.outbox.read(entry.id);
    expect(r.received[0]!.eml.toString('utf8')).toBe(eml);
    const parsed = await simpleParser(r.received[0]!.eml);
    expect(parsed.subject).toBe('Обратный звонок');
    expect(parsed.text).toBe('Перезвоните 1001');
  });

  it('files the message queued while the relay has it, and sent only once the relay has answered', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reached = false;
    const r = await relay({
      gate: () => {
        reached = true;
        return held;
      },
    });
    const dir = await tempDir();
    const mailer = await createMailer({ outboxDir: dir.dir, relay: `smtp://127.0.0.1:${r.port}` });
    cleanups.push(dir.remove, () => mailer.close());
    expect(await mailer.send(req())).toBeNull();
    await waitFor('the delivery at the relay', () => reached);
    const statuses = async (box: Outbox) => (await box.list()).map((e) => e.status);
    expect(await statuses(mailer.outbox)).toEqual(['queued']);
    // On disk too (a second look at the folder): a crash now leaves it queued, to be taken over, not "sent".
    expect(await statuses(await Outbox.open(dir.dir))).toEqual(['queued']);
    expect(r.received).toHaveLength(0);
    release();
    await mailer.settled();
    expect(r.received).toHaveLength(1);
    expect(await statuses(await Outbox.open(dir.dir))).toEqual(['sent']);
  });

  it('sends no credentials to a relay without TLS, and says how to allow it', async () => {
    const r = await relay({ auth: { user: 'bot', pass: 'right' } });
    const mailer = await mailerFor({ host: '127.0.0.1', port: r.port, user: 'bot', pass: 'right' });
    expect(mailer.relayDescription).toBe(`smtp://bot@127.0.0.1:${r.port} (STARTTLS required for the login)`);
    expect(await mailer.send(req())).toBeNull();
    const entry = await onlyEntry(mailer);
    expect(entry.status).toBe('failed');
    expect(entry.error).toMatch(
      new RegExp(
        `^SMTP relay 127\\.0\\.0\\.1:${r.port} did not start TLS \\(.*\\), so the login of 'bot' was not sent: use smtps://, or allowPlainLogin=true for a relay on a trusted network$`,
      ),
    );
    expect(r.logins).toEqual([]);
    expect(r.received).toHaveLength(0);
  });

  it('logs in with user and password from the URL (allowPlainLogin: a trusted relay without TLS)', async () => {
    const r = await relay({ auth: { user: 'bot@company.com', pass: 'p@ss:word' } });
    const mailer = await mailerFor(
      `smtp://${encodeURIComponent('bot@company.com')}:${encodeURIComponent('p@ss:word')}@127.0.0.1:${r.port}/?allowPlainLogin=true`,
    );
    expect(mailer.relayDescription).not.toContain('p@ss');
    expect(await mailer.send(req())).toBeNull();
    await mailer.settled();
    expect(r.received.map((m) => m.user)).toEqual(['bot@company.com']);
  });

  it('a refused login (535) fails the message for good, with the server text; SendEMail had answered null', async () => {
    const r = await relay({ auth: { user: 'bot', pass: 'right' } });
    const mailer = await mailerFor({
      host: '127.0.0.1',
      port: r.port,
      user: 'bot',
      pass: 'wrong',
      allowPlainLogin: true,
    });
    expect(await mailer.send(req())).toBeNull();
    const entry = await onlyEntry(mailer);
    expect(entry).toMatchObject({
      status: 'failed',
      error: `SMTP relay 127.0.0.1:${r.port} rejected the login of 'bot': 535 5.7.8 Authentication credentials invalid`,
    });
    expect(r.received).toHaveLength(0);
  });

  it('greylisting: 451 twice then 250 — SendEMail answers null at once, delivered on the third attempt, every attempt shown', async () => {
    const r = await relay({ answer: (n) => (n <= 2 ? [451, '4.7.1 Greylisted, please try again later'] : null) });
    const dir = await tempDir();
    const mailer = await createMailer({
      outboxDir: dir.dir,
      relay: `smtp://127.0.0.1:${r.port}`,
      timeoutMs: 2000,
      retry: { delaysMs: [100, 200] },
    });
    cleanups.push(dir.remove, () => mailer.close());
    const changes: string[] = [];
    mailer.outbox.onChange((e) => changes.push(`${e.status}:${e.attempts?.length ?? 0}`));
    expect(await mailer.send(req(), { callId: 'grey' })).toBeNull();
    // At once: the message is filed queued before any SMTP answer.
    expect(changes).toEqual(['queued:0']);
    // The entry file says 'sent' a moment before the change is announced: wait for the announcement.
    await vi.waitFor(() => expect(changes.at(-1)).toBe('sent:3'), { timeout: 10_000 });
    const [entry] = await mailer.outbox.list();
    expect(entry!.status).toBe('sent');
    expect(entry!.attempts!.map((a) => [a.outcome, a.reply])).toEqual([
      ['temporary', `SMTP relay 127.0.0.1:${r.port} refused the message: 451 4.7.1 Greylisted, please try again later`],
      ['temporary', `SMTP relay 127.0.0.1:${r.port} refused the message: 451 4.7.1 Greylisted, please try again later`],
      ['sent', expect.stringMatching(/^250 /)],
    ]);
    // The waits between attempts follow the schedule (the second one is the longer).
    const at = entry!.attempts!.map((a) => Date.parse(a.at));
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(90);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(190);
    expect(r.attempts).toBe(3);
    expect(r.received).toHaveLength(1);
    expect(changes).toEqual(['queued:0', 'queued:1', 'queued:2', 'sent:3']);
  });

  it('550 fails the message with the relay’s answer; resend delivers it once the relay accepts', async () => {
    let refuse = true;
    const r = await relay({ answer: () => (refuse ? [550, '5.7.1 Message rejected as spam'] : null) });
    const mailer = await mailerFor(`smtp://127.0.0.1:${r.port}`);
    expect(await mailer.send(req(), { callId: 'spam' })).toBeNull();
    const failed = await onlyEntry(mailer);
    expect(failed).toMatchObject({
      status: 'failed',
      error: `SMTP relay 127.0.0.1:${r.port} refused the message: 550 5.7.1 Message rejected as spam`,
    });
    expect(failed.attempts).toHaveLength(1);
    expect(r.received).toHaveLength(0);
    refuse = false;
    const resent = await mailer.resend(failed.id);
    expect(resent).toMatchObject({ id: failed.id, status: 'sent' });
    expect(resent.error).toBeUndefined();
    expect(resent.attempts!.map((a) => a.outcome)).toEqual(['permanent', 'sent']);
    expect(r.received).toHaveLength(1);
    expect(r.received[0]!.eml.toString('utf8')).toBe((await mailer.outbox.read(failed.id)).eml);
  });

  it('a relay that is down: the message stays queued with the attempt and its next time; SendEMail answered null', async () => {
    const port = await deadPort();
    const dir = await tempDir();
    const mailer = await createMailer({
      outboxDir: dir.dir,
      relay: { host: '127.0.0.1', port },
      timeoutMs: 1000,
      retry: { delaysMs: [60_000] },
    });
    cleanups.push(dir.remove, () => mailer.close());
    expect(await mailer.send(req(), { callId: 'down' })).toBeNull();
    const entry = await onlyEntry(mailer);
    expect(entry).toMatchObject({
      status: 'queued',
      error: `SMTP relay 127.0.0.1:${port} refused the connection`,
      callId: 'down',
    });
    expect(entry.attempts).toEqual([
      { at: expect.any(String), outcome: 'temporary', reply: `SMTP relay 127.0.0.1:${port} refused the connection` },
    ]);
    expect(Date.parse(entry.nextAttemptAt!) - Date.parse(entry.attempts![0]!.at)).toBeGreaterThanOrEqual(59_000);
    const parsed = await simpleParser((await mailer.outbox.read(entry.id)).eml);
    expect(parsed.subject).toBe('Обратный звонок');
  });

  it('temporary trouble becomes failed once the attempts run out', async () => {
    const port = await deadPort();
    const dir = await tempDir();
    const mailer = await createMailer({
      outboxDir: dir.dir,
      relay: { host: '127.0.0.1', port },
      retry: { delaysMs: [20], maxAttempts: 3 },
    });
    cleanups.push(dir.remove, () => mailer.close());
    expect(await mailer.send(req())).toBeNull();
    await vi.waitFor(async () => expect((await mailer.outbox.list())[0]?.status).toBe('failed'), { timeout: 10_000 });
    const [entry] = await mailer.outbox.list();
    expect(entry!.error).toBe(`gave up after 3 attempts: SMTP relay 127.0.0.1:${port} refused the connection`);
    expect(entry!.attempts).toHaveLength(3);
  });

  it('a recipient refused with 550: failed with the server text', async () => {
    const r = await relay({ refuse: (a) => a.startsWith('nobody@') });
    const mailer = await mailerFor(`smtp://127.0.0.1:${r.port}`);
    expect(await mailer.send(req({ to: 'nobody@company.com' }))).toBeNull();
    expect(await onlyEntry(mailer)).toMatchObject({
      status: 'failed',
      error: `SMTP relay 127.0.0.1:${r.port} refused recipient nobody@company.com: 550 5.1.1 No such user here`,
    });
    expect(r.received).toHaveLength(0);
  });

  it('delivers to the accepted recipients and names the refused one', async () => {
    const r = await relay({ refuse: (a) => a.startsWith('nobody@') });
    const mailer = await mailerFor(`smtp://127.0.0.1:${r.port}`);
    expect(await mailer.send(req({ to: 'ops@company.com, nobody@company.com' }))).toBeNull();
    const entry = await onlyEntry(mailer);
    expect(entry.status).toBe('sent');
    expect(entry.error).toMatch(/refused recipient nobody@company\.com; sent to the others/);
    expect(r.received.map((m) => m.to)).toEqual([['ops@company.com']]);
  });

  it('a relay that never answers: the attempt ends after timeoutMs and is retried later', async () => {
    const silent = await startSilentServer();
    cleanups.push(silent.close);
    const mailer = await mailerFor({ host: '127.0.0.1', port: silent.port }, 500);
    const started = Date.now();
    expect(await mailer.send(req())).toBeNull();
    expect(Date.now() - started).toBeLessThan(400);
    const entry = await onlyEntry(mailer);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(500 + 2500);
    expect(entry.status).toBe('queued');
    expect(entry.error).toMatch(new RegExp(`^SMTP relay 127\\.0\\.0\\.1:${silent.port} did not answer within 500 ms`));
  });

  it('refuses CR/LF injection in subject, to, from and headers: nothing reaches the relay', async () => {
    const r = await relay();
    const mailer = await mailerFor(`smtp://127.0.0.1:${r.port}`);
    const attempts: EmailRequest[] = [
      req({ subject: 'Hi\r\nBcc: victim@evil.test' }),
      req({ subject: 'Hi\nX-Evil: 1' }),
      req({ to: 'ops@company.com\r\nBcc: victim@evil.test' }),
      req({ to: 'ops@company.com\rRCPT TO:<victim@evil.test>' }),
      req({ from: 'ivr@company.com\nBcc: victim@evil.test' }),
      req({ headers: { 'X-Note': 'a\r\nBcc: victim@evil.test' } }),
      req({ headers: { 'X-Evil\r\nBcc': 'victim@evil.test' } }),
    ];
    for (const a of attempts) expect(await mailer.send(a)).toMatch(/line break|not a valid field name/);
    await mailer.settled();
    expect(r.received).toHaveLength(0);
    const entries = await mailer.outbox.list();
    expect(entries).toHaveLength(attempts.length);
    expect(entries.every((e) => e.status === 'failed' && e.refused === true)).toBe(true);
    await expect(mailer.resend(entries[0]!.id)).rejects.toThrow(/was refused before it was sent/);
  });

  it('refuses bad addresses and reserved headers with a clear error', async () => {
    const r = await relay();
    const mailer = await mailerFor(`smtp://127.0.0.1:${r.port}`);
    expect(await mailer.send(req({ to: 'not an address' }))).toBe(
      "SendEMail: to has an invalid address 'not an address' (expected user@domain)",
    );
    expect(await mailer.send(req({ to: 'ops@company.com, @x' }))).toMatch(/^SendEMail: to has an invalid address/);
    expect(await mailer.send(req({ to: '' }))).toBe('SendEMail: to holds no address');
    expect(await mailer.send(req({ from: 'a@x.ru, b@x.ru' }))).toBe(
      'SendEMail: from must hold exactly one address, got 2',
    );
    expect(await mailer.send(req({ headers: { To: 'victim@evil.test' } }))).toBe(
      "SendEMail: header 'To' is set by SendEMail itself and cannot be given in headers",
    );
    expect(await mailer.send(req({ headers: { Bcc: 'hidden@evil.test' } }))).toBe(
      "SendEMail: header 'Bcc' is set by SendEMail itself and cannot be given in headers",
    );
    // Any spelling, and every field the composer writes itself (Content-* included).
    for (const name of ['bcc', 'BCC', 'From', 'Subject', 'Message-ID', 'Date', 'MIME-Version', 'Content-Type'])
      expect(await mailer.send(req({ headers: { [name]: 'x' } })), name).toBe(
        `SendEMail: header '${name}' is set by SendEMail itself and cannot be given in headers`,
      );
    // Other names go out.
    expect(await mailer.send(req({ headers: { 'X-Content-Note': 'fine' } }))).toBeNull();
    await mailer.settled();
    expect(r.received).toHaveLength(1);
    expect(r.received[0]!.eml.toString()).toMatch(/^X-Content-Note: fine\r$/m);
  });

  it('a forced refusal (a test call exercising the failed branch) is an error and nothing is sent', async () => {
    const r = await relay();
    const mailer = await mailerFor(`smtp://127.0.0.1:${r.port}`);
    expect(await mailer.send(req(), { refuse: 'asked for by the test' })).toBe(
      'SendEMail: the outbox refused the message (asked for by the test)',
    );
    expect(await onlyEntry(mailer)).toMatchObject({ status: 'failed', refused: true });
    expect(r.received).toHaveLength(0);
  });

  it('a message larger than maxMessageBytes is refused at submission', async () => {
    const dir = await tempDir();
    const mailer = await createMailer({ outboxDir: dir.dir, maxMessageBytes: 10_000 });
    cleanups.push(dir.remove, () => mailer.close());
    expect(await mailer.send(req({ content: 'x'.repeat(20_000) }))).toMatch(
      /^SendEMail: the message is 2\d KB; the outbox takes at most 10 KB$/,
    );
  });
});

describe('relay configuration', () => {
  it('rejects a bad relay setting with a message that hides the password', async () => {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    await expect(createMailer({ outboxDir: dir.dir, relay: 'http://u:secret@host' })).rejects.toThrow(
      /unsupported scheme 'http:'/,
    );
    await expect(createMailer({ outboxDir: dir.dir, relay: 'smtp//u:secret@host' })).rejects.toThrow(
      /^(?!.*secret).*not a URL/,
    );
    await expect(createMailer({ outboxDir: dir.dir, relay: { host: 'h', port: 0 } })).rejects.toThrow(
      /port must be 1\.\.65535/,
    );
  });
});
