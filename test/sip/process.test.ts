// `ivr-studio run` as a process, with RTP on the SIP thread and on a media worker: a port it cannot
// listen on is one line and exit 1 (never a live process serving nothing); SIGTERM and SIGINT send a
// BYE to the calls in progress and exit 0; an uncaught exception BYEs the calls and exits 1.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../runtime/sip';
import { closeRawSockets, RawCall, RtpPeer, SipPeer, sdpOffer } from './raw';
import { waitFor } from '../helpers/waitFor';
import { HAVE_BARESIP } from './helpers';
import { autosecretaryPbx, PASSWORDS } from './pbx';
import { startPhone, toneWav } from './phone';

const ROOT = path.join(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/ivr-studio.js');
const CALLBACK = path.join(ROOT, 'samples/callback/flow.json');
const FAULT = path.join(import.meta.dirname, 'fixtures/fault-on-sigusr2.mjs');

interface Run {
  child: ChildProcess;
  out: string;
  err: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const runs: Run[] = [];
const dirs: string[] = [];
const holders: { close(): void }[] = [];
afterEach(async () => {
  closeRawSockets();
  for (const r of runs.splice(0)) if (r.child.exitCode === null) r.child.kill('SIGKILL');
  for (const h of holders.splice(0)) h.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function run(args: string[], nodeArgs: string[] = [], program = CALLBACK): Promise<Run> {
  const outbox = await mkdtemp(path.join(os.tmpdir(), 'run-outbox-'));
  dirs.push(outbox);
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'run', program, '--outbox', outbox, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const r: Run = {
    child,
    out: '',
    err: '',
    exit: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout!.on('data', (d) => (r.out += d));
  child.stderr!.on('data', (d) => (r.err += d));
  runs.push(r);
  return r;
}

async function exited(r: Run, timeoutMs = 10_000) {
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    r.exit,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`still running after ${timeoutMs} ms:\n${r.out}\n${r.err}`)),
        timeoutMs,
      );
    }),
  ]);
  clearTimeout(timer);
  return result;
}

/** Waits for the start-up lines; the port the server picked itself (port 0: no race for a free one). */
async function started(r: Run): Promise<number> {
  await waitFor(
    'the server to start',
    () => {
      if (r.child.exitCode !== null) throw new Error(`it exited ${r.child.exitCode}: ${r.err}`);
      return r.out.includes('Ctrl-C to stop.');
    },
    { timeoutMs: 25_000 },
  );
  return Number(/^SIP on \S+ 127\.0\.0\.1:(\d+)/m.exec(r.out)![1]);
}

/** A running server with one call established; the caller answers BYE. */
async function serverWithCall(workers: number, nodeArgs: string[] = []) {
  const r = await run(['--sip', '127.0.0.1:0', '--media-workers', String(workers)], nodeArgs);
  const port = await started(r);
  const peer = await SipPeer.open();
  const rtp = await RtpPeer.open();
  const call = new RawCall(peer, { address: '127.0.0.1', port }, 'callback');
  await call.establish(sdpOffer('127.0.0.1', rtp.port));
  await waitFor('RTP from the server', () => rtp.seen.length > 0);
  return { r, peer, call };
}

// Each test starts a fresh process (tsx compiles the CLI): slow on a loaded machine, hence the timeout.
describe('ivr-studio run as a process', { timeout: 60_000 }, () => {
  for (const workers of [0, 1]) {
    it(`UDP port in use → one line, exit 1 (media workers: ${workers})`, async () => {
      const port = await freePort();
      const holder = dgram.createSocket('udp4');
      holders.push(holder);
      await new Promise<void>((res) => holder.bind(port, '127.0.0.1', () => res()));
      const r = await run(['--sip', `127.0.0.1:${port}`, '--media-workers', String(workers)]);
      expect((await exited(r)).code).toBe(1);
      expect(r.err.trim().split('\n')).toEqual([
        `ivr-studio: cannot listen on UDP 127.0.0.1:${port}: the port is in use`,
      ]);
      expect(r.out).toBe('');
    });

    it(`TCP port in use, on a wildcard bind → one line, exit 1 (media workers: ${workers})`, async () => {
      const port = await freePort();
      const holder = net.createServer();
      holders.push(holder);
      await new Promise<void>((res) => holder.listen(port, '0.0.0.0', () => res()));
      const r = await run(['--sip', `0.0.0.0:${port}`, '--media-workers', String(workers)]);
      expect((await exited(r)).code).toBe(1);
      expect(r.err.trim().split('\n')).toEqual([
        `ivr-studio: cannot listen on TCP 0.0.0.0:${port}: the port is in use`,
      ]);
    });

    it(`SIGTERM: the call in progress gets a BYE, exit 0 (media workers: ${workers})`, async () => {
      const { r, peer, call } = await serverWithCall(workers);
      r.child.kill('SIGTERM');
      await peer.waitFor((m) => m.method === 'BYE' && m.header('call-id') === call.callId, 'our BYE');
      expect(await exited(r)).toEqual({ code: 0, signal: null });
      expect(r.out).toMatch(/stopping: 1 call in progress get a BYE/);
    });
  }

  it('--environment: the seed .sppr plays its prompts from samples/callback; --at shows in the start-up lines', async () => {
    const seed = path.join(ROOT, 'test/fixtures/seed-callback.sppr');
    const environment = path.join(ROOT, 'samples/callback');
    const r = await run(['--environment', environment, '--at', '2026-11-29T23:00', '--sip', '127.0.0.1:0'], [], seed);
    const port = await started(r);
    expect(r.out).toMatch(/call sip:seed-callback@127\.0\.0\.1:\d+/);
    expect(r.out).toMatch(/clock: calls happen at Sun Nov 29 2026 23:00/);
    const peer = await SipPeer.open();
    const rtp = await RtpPeer.open();
    const call = new RawCall(peer, { address: '127.0.0.1', port }, 'seed-callback');
    await call.establish(sdpOffer('127.0.0.1', rtp.port));
    await waitFor('the first prompt from the environment', () =>
      /prompt {2}CallbackBusy \(english: .*samples\/callback\/CallbackBusy\.wav\)/.test(r.out),
    );
    r.child.kill('SIGTERM');
    expect((await exited(r)).code).toBe(0);
  });

  it.skipIf(!HAVE_BARESIP)(
    'an environment with passwords: phones may register; run prints each registration',
    async () => {
      const pbx = await autosecretaryPbx();
      dirs.push(pbx.dir);
      const r = await run(['--sip', '127.0.0.1:0'], [], path.join(pbx.dir, 'flow.json'));
      const port = await started(r);
      expect(r.out).toMatch(
        /phones may register as: ivanov, petrov \(registrar sip:127\.0\.0\.1:\d+; passwords from pbx\.json\)/,
      );
      const phone = await startPhone({
        aor: `sip:ivanov@127.0.0.1:${port}`,
        password: PASSWORDS.ivanov!,
        microphone: toneWav(1, 0),
      });
      const line = new RegExp(
        `^registered ivanov at sip:ivanov\\S*@127\\.0\\.0\\.1:${phone.sipPort} \\(udp 127\\.0\\.0\\.1:${phone.sipPort}, baresip.*\\) for \\d+ s$`,
        'm',
      );
      await waitFor('the registration line', () => {
        if (!line.test(r.out)) throw new Error(r.out.slice(-300));
        return true;
      });
      await phone.close();
      await waitFor('the unregistration line', () => /^unregistered ivanov at /m.test(r.out));
      r.child.kill('SIGTERM');
      expect((await exited(r)).code).toBe(0);
    },
  );

  it('SIGINT does the same', async () => {
    const { r, peer, call } = await serverWithCall(1);
    r.child.kill('SIGINT');
    await peer.waitFor((m) => m.method === 'BYE' && m.header('call-id') === call.callId, 'our BYE');
    expect((await exited(r)).code).toBe(0);
  });

  it('an uncaught exception is logged, the call gets a BYE, exit 1', async () => {
    const { r, peer, call } = await serverWithCall(1, ['--import', FAULT]);
    r.child.kill('SIGUSR2');
    await peer.waitFor((m) => m.method === 'BYE' && m.header('call-id') === call.callId, 'our BYE');
    expect((await exited(r)).code).toBe(1);
    expect(r.err).toMatch(/uncaught Error: a test fault nobody catches/);
    expect(r.err).toMatch(/ending 1 call\(s\) and exiting/);
  });
});
