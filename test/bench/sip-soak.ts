// `npm run bench:sip:soak`: the SIP soak. SIPp places SOAK_N callback calls (default 10 000) at
// SOAK_RATE calls/s (default 50) against our SIP server in a child process; each caller types
// SOAK_KEYS (default 73: RFC 2833 pcaps, # by INFO). The server's mailer is the real one
// (createMailer with a relay, as `ivr-studio run --smtp` builds it) pointed at an SMTP server in
// this process that parses every message and checks that it carries the typed number. The child
// reports its RSS every second; the table gives RSS through the run and its slope over the second
// half, which is what "RSS flat" means for a server that must run for weeks.
// Every 10 s a progress line says where the calls in progress are (their last trace event).
// SOAK_N=500 is a quick check (~40 s); SOAK_WORKERS sets the media threads (default 1); SOAK_GAPS=1 adds the RTP gap meter (it receives every
// call's RTP in this process, which costs a core's worth at a few hundred calls).
import { fork, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort, type SipCall } from '../../runtime/sip';
import { killPeers, pcapKeys, runPeer } from '../sip/helpers';
import { printTable } from './table';

const KEYS = process.env.SOAK_KEYS ?? '73';

interface Sample {
  /** ms since the child started serving */
  t: number;
  rss: number;
  heap: number;
  ended: number;
  /** Every 10 s: the calls in progress by their last trace event ("prompt CallbackTrailer": 120). */
  where?: Record<string, number>;
}

interface ChildReport {
  ended: number;
  completed: number;
  setupMs: number[];
  /** Calls that did not complete: digits/endedBy/mail → count. */
  failures: Record<string, number>;
  mailOk: number;
  mailErrors: Record<string, number>;
  /** How long each SendEMail took (the caller waits in silence meanwhile). */
  mailMs: number[];
  /** ...of which: until the outbox had filed it (.eml + index.json), then SMTP + the 'sent' update. */
  filingMs: number[];
  smtpMs: number[];
  cpuMs: number;
  wallMs: number;
  /** The server's event-loop delay, ms: a late key is the server's fault only if this is large. */
  lagP99: number;
  lagMax: number;
  /** Calls still up when SIPp was done (or killed), by their last trace event. */
  stillUp: Record<string, number>;
  /** Two incomplete calls of each kind: when each key and the INFO arrived, ms after the first key. */
  examples: string[];
}

if (process.env.IVR_SOAK_CHILD === '1') await child();
else await main();

async function main(): Promise<void> {
  const n = Number(process.env.SOAK_N ?? 10_000);
  const rate = Number(process.env.SOAK_RATE ?? 50);
  if (!(n > 0) || !(rate > 0))
    throw new Error(
      `SOAK_N and SOAK_RATE must be positive numbers (got '${process.env.SOAK_N}', '${process.env.SOAK_RATE}')`,
    );
  if (!/^[0-9]+$/.test(KEYS)) throw new Error(`SOAK_KEYS: only 0-9 (SIPp ships a pcap per digit), got '${KEYS}'`);
  requireSipp();
  const load0 = os.loadavg()[0]!;

  const smtp = await startSmtpSink(KEYS);
  const { gapMeter, silentSink } = await import('./pcapGaps');
  const meter = process.env.SOAK_GAPS === '1' ? await gapMeter() : null;
  // Without the meter the RTP goes to a socket that never reads (the kernel drops it): no CPU here.
  const sink = meter ? null : await silentSink();
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sip-soak-'));
  // Generous: a call lasts a few seconds, so rate × 60 s of them at once is far above what is needed.
  const limit = Math.max(500, Math.ceil(rate * 60));
  const server = fork(fileURLToPath(import.meta.url), [], {
    env: {
      ...process.env,
      IVR_SOAK_CHILD: '1',
      IVR_SOAK_SMTP: String(smtp.port),
      IVR_SOAK_MAX_CALLS: String(limit + 10),
      IVR_SOAK_OUTBOX: path.join(dir, 'outbox'),
    },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const cleanup = () => {
    killPeers();
    if (server.exitCode === null) server.kill('SIGKILL');
  };
  process.once('exit', cleanup);
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => (cleanup(), rmSync(dir, { recursive: true, force: true }), process.exit(130)));

  const samples: Sample[] = [];
  let report: ChildReport | null = null;
  const port = await new Promise<number>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`the SIP server process exited (${code}) before it listened`)));
    server.on('message', (m: { port?: number; sample?: Sample; report?: ChildReport }) => {
      if (m.port !== undefined) resolve(m.port);
      if (m.sample) samples.push(m.sample);
      if (m.report) report = m.report;
    });
  });

  const stat = path.join(dir, 'stat.csv');
  const started = Date.now();
  const progress = setInterval(() => {
    void statCsv(stat).then((s) => {
      const last = samples.at(-1);
      const where = samples.findLast((x) => x.where)?.where ?? {};
      const top = Object.entries(where)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ');
      console.error(
        `  ${((Date.now() - started) / 1000).toFixed(0)} s: placed ${s?.created ?? 0}, SIPp ok ${s?.ok ?? 0} failed ${s?.failed ?? 0}; server ended ${last?.ended ?? 0}; mails ${smtp.right}; RSS ${last ? mb(last.rss).toFixed(0) : '?'} MB${top ? `; calls at: ${top}` : ''}`,
      );
    });
  }, 10_000);
  const scenario = (await readFile(path.join(import.meta.dirname, '../sip/scenarios/uac-dtmf-2833.xml'), 'utf8'))
    .replace('<!--KEYS-->', pcapKeys(KEYS, 300))
    .replace('m=audio [media_port]', `m=audio ${(meter ?? sink)!.port}`)
    // A 200 to the INFO that came late (> 500 ms) crosses SIPp's retransmission and arrives twice;
    // without this SIPp aborts the call on the second one while it waits for our BYE.
    .replace(
      '<recv request="BYE" timeout="30000"/>',
      '<recv response="200" optional="true"/>\n  <recv request="BYE" timeout="60000"/>',
    );
  const run = await runSipp(
    dir,
    port,
    scenario,
    ['-m', String(n), '-r', String(rate), '-l', String(limit), '-trace_stat', '-stf', stat, '-fd', '1'],
    Math.ceil((n / rate) * 1000) + 180_000,
  );
  clearInterval(progress);
  const sipp = await statCsv(stat);

  // Mail goes out before the trailer prompt, so it is all in by now; allow stragglers a few seconds.
  for (let i = 0; i < 50 && smtp.total < n; i++) await new Promise((r) => setTimeout(r, 100));
  server.send('report');
  const deadline = Date.now() + 30_000;
  while (!report && Date.now() < deadline && server.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  await new Promise<void>((resolve) =>
    server.exitCode !== null ? resolve() : (server.once('exit', () => resolve()), setTimeout(resolve, 15_000)),
  );
  cleanup();
  meter?.close();
  sink?.close();
  await smtp.close();
  await rm(dir, { recursive: true, force: true });
  if (!report) throw new Error('the SIP server process sent no report');
  const r: ChildReport = report;

  const setup = r.setupMs.sort((a, b) => a - b);
  const mailMs = r.mailMs.sort((a, b) => a - b);
  const filing = r.filingMs.sort((a, b) => a - b);
  const smtpMs = r.smtpMs.sort((a, b) => a - b);
  const gaps = meter?.stats() ?? { p50: NaN, p99: NaN };
  const rssAt = (p: number) => {
    const s = samples[Math.max(0, Math.ceil(p * samples.length) - 1)];
    return s ? mb(s.rss) : NaN;
  };
  const half = samples.filter((s) => s.ended >= n / 2);
  printTable(
    `SIP soak: ${n} callback calls at ${rate} calls/s (keys ${KEYS} by RFC 2833 + # by INFO; mail over SMTP)`,
    [
      {
        placed: sipp?.created ?? NaN,
        'SIPp ok/failed': `${sipp?.ok ?? '?'}/${sipp?.failed ?? '?'}`,
        'server ended': r.ended,
        completed: r.completed,
        failed: n - r.completed,
        'mails w/ number': smtp.right,
        'mails other/dup': `${smtp.total - smtp.right}/${smtp.duplicates}`,
        'setup p50/p99 ms': `${pct(setup, 0.5).toFixed(1)}/${pct(setup, 0.99).toFixed(1)}`,
        'SendEMail p50/p99/max ms': [0.5, 0.99, 1].map((p) => pct(mailMs, p).toFixed(0)).join('/'),
        'RTP gap p50/p99 ms': `${gaps.p50.toFixed(1)}/${gaps.p99.toFixed(1)}`,
        'RSS MB 10/50/90/100%': [0.1, 0.5, 0.9, 1].map((p) => rssAt(p).toFixed(0)).join('/'),
        'RSS slope MB/1k calls': slope(half.map((s) => [s.ended / 1000, mb(s.rss)])),
        'heap slope MB/1k calls': slope(half.map((s) => [s.ended / 1000, mb(s.heap)])),
        'CPU %': (100 * r.cpuMs) / r.wallMs,
        'lag p99 server/bench ms': `${r.lagP99.toFixed(0)}/${(lag.percentile(99) / 1e6).toFixed(0)}`,
        'wall s': (Date.now() - started) / 1000,
      },
    ],
  );
  const problems = [
    ...Object.entries(r.failures).map(([k, v]) => `${v} × keys/ended by/mail ${k}`),
    ...Object.entries(r.mailErrors).map(([k, v]) => `${v} × SendEMail: ${k}`),
  ];
  const stillUp = Object.entries(r.stillUp).map(([k, v]) => `${v} at ${k}`);
  if (stillUp.length) problems.push(`still up on the server at the end: ${stillUp.join(', ')}`);
  if (problems.length) {
    console.log(
      `Incomplete calls (server event-loop delay p99 ${r.lagP99.toFixed(1)} ms, max ${r.lagMax.toFixed(0)} ms):\n  ${problems.join('\n  ')}`,
    );
    console.log(
      `  e.g. (ms after the first key, as the server saw them; SIPp sends them at 0, 300, 600):\n    ${r.examples.join('\n    ')}`,
    );
  }
  if (run.code !== 0)
    console.log(
      `SIPp exited ${run.code}${run.errors ? `; first errors:\n${run.errors.split('\n').slice(0, 20).join('\n')}` : ''}`,
    );
  console.log(
    `SendEMail p50/p99 ms: outbox filing ${pct(filing, 0.5).toFixed(0)}/${pct(filing, 0.99).toFixed(0)}, then SMTP + 'sent' ${pct(smtpMs, 0.5).toFixed(0)}/${pct(smtpMs, 0.99).toFixed(0)}`,
  );
  console.log(
    `load average (1 min) at start/end: ${load0.toFixed(1)}/${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} CPUs`,
  );
  process.exit(r.completed === n && smtp.right === n ? 0 : 1);
}

function requireSipp(): void {
  const probe = spawnSync('sipp', ['-v'], { encoding: 'utf8' });
  if (probe.error) {
    console.error('bench:sip:soak needs SIPp on the PATH (Debian/Ubuntu: apt-get install sip-tester).');
    process.exit(2);
  }
  const pcap = `/usr/share/sip-tester/dtmf_2833_${KEYS[0]}.pcap`;
  if (!existsSync(pcap)) {
    console.error(
      `bench:sip:soak needs SIPp's DTMF pcaps (${pcap} is missing; they ship with the sip-tester package).`,
    );
    process.exit(2);
  }
}

/** An SMTP server that parses each message and counts those whose body carries the typed number. */
async function startSmtpSink(keys: string) {
  const ids = new Set<string>();
  const sink = { port: 0, total: 0, right: 0, duplicates: 0, close: () => Promise.resolve() };
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    closeTimeout: 500,
    onData(stream, _session, cb) {
      simpleParser(stream).then(
        (mail) => {
          sink.total++;
          const id = mail.messageId ?? `(none ${sink.total})`;
          if (ids.has(id)) sink.duplicates++;
          ids.add(id);
          // The callback flow's body: "Please call back {{digits}}."
          if (mail.text?.match(/call back (\S*?)\./)?.[1] === keys) sink.right++;
          cb(null, 'Queued');
        },
        (err: Error) => cb(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  sink.port = (server.server.address() as AddressInfo).port;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

/** SIPp with the scenario text, in dir (which also holds the -stf file). */
async function runSipp(dir: string, port: number, scenario: string, extra: string[], timeoutMs: number) {
  const file = path.join(dir, 'soak.xml');
  await writeFile(file, scenario);
  const mediaPort = (await freePort('127.0.0.1')) & ~1;
  const errFile = path.join(dir, 'err.log');
  const result = await runPeer(
    'sipp',
    [
      `127.0.0.1:${port}`,
      '-sf',
      file,
      '-s',
      'callback',
      '-i',
      '127.0.0.1',
      '-p',
      String(await freePort('127.0.0.1')),
      '-mi',
      '127.0.0.1',
      '-mp',
      String(mediaPort),
      '-nostdin',
      '-t',
      'u1',
      '-trace_err',
      '-error_file',
      errFile,
      ...extra,
    ],
    timeoutMs,
    dir,
  );
  return { ...result, errors: await readFile(errFile, 'utf8').catch(() => '') };
}

/** The last line of SIPp's -trace_stat CSV: calls created, succeeded, failed (cumulative). */
async function statCsv(file: string): Promise<{ created: number; ok: number; failed: number } | null> {
  const lines = (await readFile(file, 'utf8').catch(() => '')).trim().split('\n');
  if (lines.length < 2) return null;
  const head = lines[0]!.split(';');
  const last = lines.at(-1)!.split(';');
  const col = (name: string) => Number(last[head.indexOf(name)]);
  return { created: col('TotalCallCreated'), ok: col('SuccessfulCall(C)'), failed: col('FailedCall(C)') };
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : NaN;
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  if (points.length < 2) return NaN;
  const mx = points.reduce((a, [x]) => a + x, 0) / points.length;
  const my = points.reduce((a, [, y]) => a + y, 0) / points.length;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? NaN : sxy / sxx;
}

function mb(bytes: number): number {
  return bytes / 1024 / 1024;
}

// ── the server, in its own process so its CPU and memory are its own ─────────────────────────

async function child(): Promise<void> {
  const { callbackProgram } = await import('../sip/helpers');
  const { startSipServer } = await import('../../runtime/sip');
  const { createMailer } = await import('../../runtime/mail');
  const send = (m: unknown) => process.connected && process.send!(m);
  // As `ivr-studio run --smtp smtp://…` builds it.
  const relay = await createMailer({
    outboxDir: process.env.IVR_SOAK_OUTBOX!,
    relay: `smtp://127.0.0.1:${process.env.IVR_SOAK_SMTP}`,
  });
  let mailOk = 0;
  const mailErrors: Record<string, number> = {};
  const mailOf = new Map<string, string | null>();
  const mailMs: number[] = [];
  // Where SendEMail's time goes: filing the message in the outbox, then SMTP and the 'sent' update.
  const sendStart = new Map<string, number>();
  const queuedAt = new Map<string, number>();
  const filingMs: number[] = [];
  const smtpMs: number[] = [];
  relay.outbox.onChange((e) => {
    const now = performance.now();
    if (e.status === 'queued' && e.callId) {
      filingMs.push(now - (sendStart.get(e.callId) ?? now));
      queuedAt.set(e.callId, now);
    } else if (e.callId && queuedAt.has(e.callId)) {
      smtpMs.push(now - queuedAt.get(e.callId)!);
      queuedAt.delete(e.callId);
    }
  });
  // Observes each SendEMail's outcome, per call; the sending is the real mailer's.
  const mailer: typeof relay = {
    outbox: relay.outbox,
    relayDescription: relay.relayDescription,
    via: relay.via,
    resend: (id) => relay.resend(id),
    settled: () => relay.settled(),
    close: () => relay.close(),
    async send(req, meta) {
      const t = performance.now();
      if (meta?.callId !== undefined) sendStart.set(meta.callId, t);
      const error = await relay.send(req, meta);
      mailMs.push(performance.now() - t);
      if (error === null) mailOk++;
      else mailErrors[error] = (mailErrors[error] ?? 0) + 1;
      if (meta?.callId !== undefined) mailOf.set(meta.callId, error), sendStart.delete(meta.callId);
      return error;
    },
  };
  const setupMs: number[] = [];
  const failures: Record<string, number> = {};
  let ended = 0;
  let completed = 0;
  const examples: string[] = [];
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  const server = await startSipServer({
    programs: await callbackProgram(),
    port: 0,
    transports: ['udp'],
    maxCalls: Number(process.env.IVR_SOAK_MAX_CALLS),
    // SIPp places every call from one address.
    maxCallsPerSource: Number(process.env.IVR_SOAK_MAX_CALLS),
    mailer,
    // As `ivr-studio run` on 2+ cores; SOAK_WORKERS=0 keeps RTP on the SIP thread.
    mediaWorkers: Number(process.env.SOAK_WORKERS ?? 1),
    onCallEnd: (call, result) => {
      ended++;
      const invite = call.messages[0];
      const ok = call.messages.find(
        (m) => m.dir === 'out' && m.firstLine.startsWith('SIP/2.0 200') && m.text.includes('INVITE'),
      );
      if (invite && ok) setupMs.push(ok.t - invite.t);
      const mail = mailOf.get(call.id);
      mailOf.delete(call.id);
      const mailState = mail === null ? 'sent' : mail === undefined ? 'none' : 'error';
      if (
        result.digits === `${KEYS}#` &&
        result.endedBy === 'program' &&
        mailState === 'sent' &&
        result.host?.ended !== 'error'
      )
        completed++;
      else {
        const key = `${result.digits || '-'}/${result.endedBy ?? 'nobody'}/${mailState}${result.host?.ended === 'error' ? '/program error' : ''}`;
        failures[key] = (failures[key] ?? 0) + 1;
        if ((failures[key] ?? 0) <= 2) examples.push(`${key}: ${timeline(call)}`);
      }
    },
  });
  send({ port: server.port });
  let tick = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    send({
      sample: {
        t: Date.now() - t0,
        rss: m.rss,
        heap: m.heapUsed,
        ended,
        ...(++tick % 10 === 0 ? { where: whereCallsAre(server.calls.values()) } : {}),
      } satisfies Sample,
    });
  }, 1000);
  process.on('message', () => {
    clearInterval(sampler);
    const cpu = process.cpuUsage(cpu0);
    const report: ChildReport = {
      ended,
      completed,
      setupMs,
      failures,
      mailOk,
      mailErrors,
      mailMs,
      filingMs,
      smtpMs,
      stillUp: whereCallsAre(server.calls.values()),
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: Date.now() - t0,
      lagP99: lag.percentile(99) / 1e6,
      lagMax: lag.max / 1e6,
      examples,
    };
    process.send!(
      { report },
      () =>
        void server
          .close()
          .then(() => mailer.close())
          .then(() => process.exit(0)),
    );
  });
  process.on('disconnect', () => process.exit(1));
}

function whereCallsAre(calls: Iterable<SipCall>): Record<string, number> {
  const where: Record<string, number> = {};
  for (const call of calls) {
    const e = call.trace
      .list()
      .filter((x) => x.kind !== 'node')
      .at(-1);
    const key = !e
      ? 'no event'
      : e.kind === 'prompt-started'
        ? `prompt ${e.name}`
        : e.kind === 'digit'
          ? `digit ${e.digit}`
          : e.kind;
    where[key] = (where[key] ?? 0) + 1;
  }
  return where;
}

/** "7 rfc4733 +0, INFO +601, # info +602, 3 rfc4733 +655": the order the server saw things in. */
function timeline(call: SipCall): string {
  const keys = call.trace.ofKind('digit').map((e) => ({ what: `${e.digit} ${e.source}`, at: Date.parse(e.wall) }));
  const infos = call.messages
    .filter((m) => m.dir === 'in' && m.firstLine.startsWith('INFO'))
    .map((m) => ({ what: 'INFO in', at: Date.parse(m.wall) }));
  const all = [...keys, ...infos].sort((a, b) => a.at - b.at);
  const first = keys[0]?.at ?? all[0]?.at ?? 0;
  return all.map((e) => `${e.what} +${e.at - first}`).join(', ');
}
