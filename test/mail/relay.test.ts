import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../runtime/mail';
import type { Mailer } from '../../runtime/mail';
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

async function mailerFor(
  relay: string | { host: string; port: number; user?: string; pass?: string },
  timeoutMs = 2000,
): Promise<Mailer> {
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

describe('external relay', () => {
  it('delivers over SMTP and keeps the same bytes in the outbox as sent', async () => {
    const r = await relay();
    const mailer = await mailerFor(`smtp://127.0.0.1:${r.port}`);
    expect(mailer.relayDescription).toBe(`smtp://127.0.0.1:${r.port} (STARTTLS when offered)`);
    expect(await mailer.send(req({ to: 'a@company.com, B <b@company.com>' }), { callId: 'c1' })).toBeNull();
    expect(r.received).toHaveLength(1);
    expect(r.received[0]!.from).toBe('ivr@company.com');
    expect(r.received[0]!.to).toEqual(['a@company.com', 'b@company.com']);
    const [entry] = await mailer.outbox.list();
    expect(entry).toMatchObject({ status: 'sent', callId: 'c1', subject: 'Обратный звонок' });
    const { eml } = await mailer.outbox.read(entry!.id);
    expect(r.received[0]!.eml.toString('utf8')).toBe(eml);
    const parsed = await simpleParser(r.received[0]!.eml);
    expect(parsed.subject).toBe('Обратный звонок');
    expect(parsed.text).toBe('Перезвоните 1001');
  });

  it('logs in with user and password from the URL', async () => {
    const r = await relay({ auth: { user: 'bot@company.com', pass: 'p@ss:word' } });
    const mailer = await mailerFor(
      `smtp://${encodeURIComponent('bot@company.com')}:${encodeURIComponent('p@ss:word')}@127.0.0.1:${r.port}`,
    );
    expect(mailer.relayDescription).not.toContain('p@ss');
    expect(await mailer.send(req())).toBeNull();
    expect(r.received.map((m) => m.user)).toEqual(['bot@company.com']);
  });

  it('reports a refused login with the server text, and files the message as failed', async () => {
    const r = await relay({ auth: { user: 'bot', pass: 'right' } });
    const mailer = await mailerFor({ host: '127.0.0.1', port: r.port, user: 'bot', pass: 'wrong' });
    const err = await mailer.send(req());
    expect(err).toBe(
      `SMTP relay 127.0.0.1:${r.port} rejected the login of 'bot': 535 5.7.8 Authentication credentials invalid`,
    );
    expect(r.received).toHaveLength(0);
    expect((await mailer.outbox.list())[0]).toMatchObject({ status: 'failed', error: err });
  });

  it('returns an error when the relay is down, within the timeout, and keeps the message', async () => {
    const port = await deadPort();
    const mailer = await mailerFor({ host: '127.0.0.1', port }, 1000);
    const started = Date.now();
    const err = await mailer.send(req(), { callId: 'down' });
    expect(Date.now() - started).toBeLessThan(1000 + 1500); // slack for a loaded CI machine
    expect(err).toBe(`SMTP relay 127.0.0.1:${port} refused the connection`);
    const [entry] = await mailer.outbox.list();
    expect(entry).toMatchObject({ status: 'failed', error: err, callId: 'down' });
    const parsed = await simpleParser((await mailer.outbox.read(entry!.id)).eml);
    expect(parsed.subject).toBe('Обратный звонок');
  });

  it('returns the server text when the relay refuses the recipient', async () => {
    const r = await relay({ refuse: (a) => a.startsWith('nobody@') });
    const mailer = await mailerFor(`smtp://127.0.0.1:${r.port}`);
    const err = await mailer.send(req({ to: 'nobody@company.com' }));
    expect(err).toBe(
      `SMTP relay 127.0.0.1:${r.port} refused recipient nobody@company.com: 550 5.1.1 No such user here`,
    );
    expect(r.received).toHaveLength(0);
    expect((await mailer.outbox.list())[0]).toMatchObject({ status: 'failed', error: err });
  });

  it('delivers to the accepted recipients and names the refused one', async () => {
    const r = await relay({ refuse: (a) => a.startsWith('nobody@') });
    const mailer = await mailerFor(`smtp://127.0.0.1:${r.port}`);
    const err = await mailer.send(req({ to: 'ops@company.com, nobody@company.com' }));
    expect(err).toMatch(/refused recipient nobody@company\.com; sent to the others/);
    expect(r.received.map((m) => m.to)).toEqual([['ops@company.com']]);
    expect((await mailer.outbox.list())[0]).toMatchObject({ status: 'sent', error: err });
  });

  it('gives up on a relay that never answers after timeoutMs', async () => {
    const silent = await startSilentServer();
    cleanups.push(silent.close);
    const mailer = await mailerFor({ host: '127.0.0.1', port: silent.port }, 500);
    const started = Date.now();
    const err = await mailer.send(req());
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(500 + 2500);
    expect(err).toMatch(new RegExp(`^SMTP relay 127\\.0\\.0\\.1:${silent.port} did not answer within 500 ms`));
    expect((await mailer.outbox.list())[0]).toMatchObject({ status: 'failed', error: err });
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
    expect(r.received).toHaveLength(0);
    const entries = await mailer.outbox.list();
    expect(entries).toHaveLength(attempts.length);
    expect(entries.every((e) => e.status === 'failed')).toBe(true);
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
    expect(r.received).toHaveLength(0);
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
