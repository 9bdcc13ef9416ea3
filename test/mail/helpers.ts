// Test relays on 127.0.0.1: a real SMTP server that records what arrives, a silent one, a dead port.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface Received {
  from: string;
  to: string[];
  eml: Buffer;
  user?: string;
}

export interface TestRelay {
  port: number;
  received: Received[];
  /** Messages whose data arrived, taken or refused. */
  attempts: number;
  /** Every AUTH attempt's user name, accepted or not. */
  logins: string[];
  close(): Promise<void>;
}

export interface TestRelayOptions {
  /** Require this login. */
  auth?: { user: string; pass: string };
  /** Recipients refused with 550. */
  refuse?: (address: string) => boolean;
  /**
   * The answer to the message data on the n-th attempt (1-based): an SMTP code and text to refuse
   * it (e.g. [451, '4.7.1 Greylisted, try again later']), or null to take it.
   */
  answer?: (attempt: number) => [number, string] | null;
  /** Awaited before each recipient is answered: holds a delivery mid-conversation. */
  gate?: () => Promise<void>;
}

export async function startTestRelay(opts: TestRelayOptions = {}): Promise<TestRelay> {
  const received: Received[] = [];
  const state = { attempts: 0 };
  const logins: string[] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    closeTimeout: 500,
    onAuth(auth, _session, cb) {
      logins.push(auth.username ?? '');
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass)
        return cb(null, { user: auth.username });
      cb(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      void (opts.gate?.() ?? Promise.resolve()).then(() => {
        if (opts.refuse?.(address.address))
          return cb(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
        cb();
      });
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const refusal = opts.answer?.(++state.attempts) ?? null;
        if (refusal) return cb(Object.assign(new Error(refusal[1]), { responseCode: refusal[0] }));
        const mailFrom = session.envelope.mailFrom;
        received.push({
          from: mailFrom ? mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          eml: Buffer.concat(chunks),
          user: typeof session.user === 'string' ? session.user : undefined,
        });
        cb(null, 'Queued');
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    logins,
    get attempts() {
      return state.attempts;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A server that accepts connections and never says a word. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port that was just free: bind it, then let it go. */
export async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function tempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ivr-mail-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** TCP servers and sockets this process holds, to see that a test left none behind. */
export function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap').length;
}
