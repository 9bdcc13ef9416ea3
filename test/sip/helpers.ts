// Real peers for the SIP tests: our server on a free port with the callback flow and an SMTP relay
// started by the test, SIPp / baresip as child processes with hard timeouts (killed in afterEach).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import dgram from 'node:dgram';
import { loadProgram, type Program } from '../../runtime/host';
import { createMailer, type Mailer } from '../../runtime/mail';
import {
  startSipServer,
  freePort,
  type SipServer,
  type SipServerOptions,
  type SipCall,
  type SipCallResult,
} from '../../runtime/sip';
import { startTestRelay, type TestRelay } from '../mail/helpers';
import { BARESIP, SIPP } from '../helpers/tools';
import { waitFor } from '../helpers/waitFor';

export const SCENARIOS = path.join(import.meta.dirname, 'scenarios');
export const PCAPS = '/usr/share/sip-tester';
export const HAVE_SIPP = SIPP.path !== null;
export const HAVE_BARESIP = BARESIP.path !== null;

let callback: Program | null = null;
export async function callbackProgram(): Promise<Program> {
  if (callback) return callback;
  const { program, errors } = await loadProgram(path.join(import.meta.dirname, '../../samples/callback/flow.json'));
  if (!program) throw new Error(errors.join('\n'));
  return (callback = program);
}

export interface Harness {
  server: SipServer;
  relay: TestRelay;
  mailer: Mailer;
  /** Calls that ended, with their result. */
  ended: { call: SipCall; result: SipCallResult }[];
  started: SipCall[];
  errors: string[];
  /** Resolves when n calls have ended. */
  endedCalls(n: number, timeoutMs?: number): Promise<void>;
  /** The relay's messages once at least n have arrived (delivery may run after SendEMail returned). */
  mails(n?: number): Promise<TestRelay['received']>;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<SipServerOptions> = {}): Promise<Harness> {
  const relay = await startTestRelay();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sip-outbox-'));
  const mailer = await createMailer({ outboxDir: dir, relay: `smtp://127.0.0.1:${relay.port}` });
  const ended: Harness['ended'] = [];
  const started: SipCall[] = [];
  const errors: string[] = [];
  let wake: () => void = () => {};
  const server = await startSipServer({
    programs: await callbackProgram(),
    port: 0,
    mailer,
    onError: (t) => errors.push(t),
    onCall: (c) => started.push(c),
    onCallEnd: (call, result) => {
      ended.push({ call, result });
      wake();
    },
    ...options,
  });
  return {
    server,
    relay,
    mailer,
    ended,
    started,
    errors,
    async endedCalls(n, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (ended.length < n) {
        if (Date.now() > deadline) throw new Error(`only ${ended.length} of ${n} calls ended in ${timeoutMs} ms`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 100);
        });
      }
    },
    async mails(n = 1) {
      await waitFor(`${n} e-mail(s) at the relay`, () => relay.received.length >= n);
      return relay.received;
    },
    async close() {
      await server.close();
      await mailer.close();
      await relay.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const children = new Set<ChildProcess>();

/** Kills the peers a test started (by pid, each one). */
export function killPeers(): void {
  for (const c of children) {
    if (c.exitCode === null) c.kill('SIGKILL');
  }
  children.clear();
}

export interface PeerResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to the end (or kills it at timeoutMs). */
export function runPeer(cmd: string, args: string[], timeoutMs: number, cwd?: string): Promise<PeerResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => (stderr += String(e)));
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface SippOptions {
  service: string;
  /** Scenario file in test/sip/scenarios, with <!--KEYS--> etc. replaced. */
  scenario: string;
  replace?: Record<string, string>;
  transport?: 'u1' | 't1';
  calls?: number;
  rate?: number;
  timeoutMs?: number;
  extra?: string[];
  /** SIPp's own address for SIP and RTP (-i, -mi); default 127.0.0.1. */
  localAddress?: string;
  /** The server address SIPp sends to; default 127.0.0.1. */
  remoteHost?: string;
  /** Run SIPp inside this network namespace (ip netns exec), whose ports are all free. */
  netns?: string;
  /** SIPp's SIP port (a UAS scenario others call); default a free one. */
  port?: number;
}

export async function sipp(server: SipServer, o: SippOptions): Promise<PeerResult & { errors: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sipp-'));
  let text = await readFile(path.join(SCENARIOS, o.scenario), 'utf8');
  for (const [from, to] of Object.entries(o.replace ?? {})) text = text.split(from).join(to);
  const file = path.join(dir, o.scenario);
  await writeFile(file, text);
  const local = o.localAddress ?? '127.0.0.1';
  // A namespace the test made has nothing else in it: any port is free there.
  const port = o.port ?? (o.netns ? 20000 + Math.floor(Math.random() * 10000) : await freePort(local));
  const mediaPort = o.netns ? 30000 + 2 * Math.floor(Math.random() * 5000) : await freeEvenPort(local);
  const args = [
    `${o.remoteHost ?? '127.0.0.1'}:${server.port}`,
    '-sf',
    file,
    '-s',
    o.service,
    '-m',
    String(o.calls ?? 1),
    '-i',
    local,
    '-p',
    String(port),
    '-mi',
    local,
    '-mp',
    String(mediaPort),
    '-nostdin',
    '-t',
    o.transport ?? 'u1',
    '-trace_err',
    '-error_file',
    path.join(dir, 'err.log'),
    ...(o.rate ? ['-r', String(o.rate)] : []),
    ...(o.extra ?? []),
  ];
  const result = o.netns
    ? await runPeer('ip', ['netns', 'exec', o.netns, SIPP.path ?? 'sipp', ...args], o.timeoutMs ?? 30_000, dir)
    : await runPeer(SIPP.path ?? 'sipp', args, o.timeoutMs ?? 30_000, dir);
  const errors = await readFile(path.join(dir, 'err.log'), 'utf8').catch(() => '');
  await rm(dir, { recursive: true, force: true });
  return { ...result, errors };
}

/** SIPp's media uses port and port+2: find a free even base. */
async function freeEvenPort(address: string): Promise<number> {
  for (;;) {
    const p = await freePort(address);
    const base = p - (p % 2);
    if (base > 1024 && (await udpFree(base, address)) && (await udpFree(base + 2, address))) return base;
  }
}

function udpFree(port: number, address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, address, () => s.close(() => resolve(true)));
  });
}

export interface InfoKeysOptions {
  /** The INFO body: dtmf-relay (`Signal=5`), dtmf (`5`), or the two taking turns, relay first. */
  body?: 'dtmf-relay' | 'dtmf' | 'alternate';
  /** The pause after each key's 200. */
  pauseMs?: number;
}

/**
 * SIPp lines for uac-info-digits.xml's KEYS slot: one INFO per key (CSeq from 2 on), each waiting for
 * its 200.
 * @example sipp(server, { scenario: 'uac-info-digits.xml', service: 'callback', replace: { '<!--KEYS-->': infoKeys('5551234#') } })
 */
export function infoKeys(digits: string, { body = 'dtmf-relay', pauseMs = 100 }: InfoKeysOptions = {}): string {
  return [...digits]
    .map((d, i) => {
      const relay = body === 'dtmf-relay' || (body === 'alternate' && i % 2 === 0);
      return `  <send retrans="500">
    <![CDATA[
      INFO sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: ${i + 2} INFO
      Max-Forwards: 70
      Content-Type: ${relay ? 'application/dtmf-relay' : 'application/dtmf'}
      Content-Length: [len]

      ${relay ? `Signal=${d}\n      Duration=160` : d}
    ]]>
  </send>
  <recv response="200"/>
  <pause milliseconds="${pauseMs}"/>`;
    })
    .join('\n');
}

/** play_pcap_audio lines for keys 0-9 (SIPp ships one pcap per key). */
export function pcapKeys(digits: string, gapMs = 400, tailMs = 0): string {
  const keys = [...digits].map(
    (d) =>
      `  <nop><action><exec play_pcap_audio="${PCAPS}/dtmf_2833_${d}.pcap"/></action></nop>\n  <pause milliseconds="${gapMs}"/>`,
  );
  return [...keys, ...(tailMs > 0 ? [`  <pause milliseconds="${tailMs}"/>`] : [])].join('\n');
}

/**
 * SIPp plays a pcap on a thread of its own and the scenario moves on at once: on a loaded machine the
 * last key's packets can trail a SIP INFO sent right after, so tests that check the order wait this
 * long after the last key.
 */
export const PCAP_TAIL_MS = 1000;
