// `npm run bench:sip`: SIPp drives N concurrent callback calls (RFC 2833 keys from the SIPp pcaps,
// # by INFO) against our SIP server running in a child process. The server's RTP goes to a sink that
// never reads, and tcpdump (Debian package tcpdump, root) timestamps every packet in the kernel: the
// gaps on the wire. Without tcpdump, or with SIP_BENCH_RECEIVER=node, a gap meter in this process
// receives the RTP instead. N defaults to 100, 500, 1000; SIP_BENCH_N="50,200" overrides,
// SIP_BENCH_RATE the calls per second (default 50). SIP_BENCH_NODE_ARGS adds Node flags to the server
// process (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" or "--trace-gc"). The loop-lag columns say who
// was late: the server's SIP thread or this process. On a shared machine SIP_BENCH_PRIORITY=-10
// (root) raises the server (all its threads) and this process so other load does not decide the gaps.
// SIP_BENCH_WORKERS sets the server's media worker threads (default 1, as `ivr-studio run` on 2+ cores; 0 = RTP on the SIP thread).
import { fork } from 'node:child_process';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable, type Row } from './table';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const KEYS = '73';

interface ChildReport {
  calls: number;
  completed: number;
  digitsLost: number;
  setupMs: number[];
  cpuMs: number;
  wallMs: number;
  rssBase: number;
  rssPeak: number;
  /** How the calls that did not complete ended: digits/endedBy → count. */
  failures: Record<string, number>;
  /** All keys arrived, but a pcap key after the INFO # (SIPp plays pcaps on a thread that lags under load). */
  reordered: number;
  /** The server's event-loop delay, ms. */
  lagP99: number;
  lagMax: number;
  /** MediaClock: slots dropped after stalls, most slots run by one wake-up, longest slot run (ms). */
  clock: { skipped: number; maxBurst: number; maxRunMs?: number };
  /** Each call's largest gap between two of its packets as the server sent them, ms. */
  sendGapMax: number[];
}

if (process.env.IVR_SIP_BENCH_CHILD === '1') await child();
else await main();

async function main(): Promise<void> {
  const sizes = (process.env.SIP_BENCH_N ?? '100,500,1000')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const rate = Number(process.env.SIP_BENCH_RATE ?? 50);
  const rows: Row[] = [];
  for (const n of sizes) rows.push(await runOnce(n, rate));
  printTable(
    `SIP: N concurrent callback calls at ${rate} calls/s (keys ${KEYS} by RFC 2833 + # by INFO), media workers: ${process.env.SIP_BENCH_WORKERS ?? 1}`,
    rows,
  );
}

async function runOnce(n: number, rate: number): Promise<Row> {
  const { HAVE_TCPDUMP, captureGaps, silentSink, gapMeter } = await import('./pcapGaps');
  // On the wire (kernel timestamps) by default: a Node receiver on this 2-core box would take a
  // core's share from the server it measures, which a softphone on another machine doesn't.
  const onWire = HAVE_TCPDUMP && process.env.SIP_BENCH_RECEIVER !== 'node';
  const meter = onWire ? await silentSink() : await gapMeter();
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const nodeArgs = (process.env.SIP_BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const server = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, IVR_SIP_BENCH_CHILD: '1', IVR_SIP_BENCH_N: String(n) },
    execArgv: ['--import', 'tsx', ...nodeArgs],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve) => server.once('message', (m: { port: number }) => resolve(m.port)));
  const priority = process.env.SIP_BENCH_PRIORITY;
  if (priority) {
    // The server raises itself (all its threads; see child()); this is the receiver.
    os.setPriority(Number(priority));
  }
  const { sipp, pcapKeys, freePortFor } = await helpers();
  // Every call holds until all have started, so N are up at once.
  const holdMs = Math.ceil((n / rate) * 1000) + 1000;
  let scenario = await readFile(path.join(HERE, '../sip/scenarios/uac-dtmf-2833.xml'), 'utf8');
  scenario = scenario
    .replace('<pause milliseconds="1000"/>', `<pause milliseconds="${holdMs}"/>`)
    .replace('<!--KEYS-->', pcapKeys(KEYS, 300))
    .replace('m=audio [media_port]', `m=audio ${meter.port}`)
    .replace('<recv request="BYE" timeout="30000"/>', '<recv request="BYE" timeout="60000"/>');
  const sippPort = await freePortFor();
  const capture = onWire ? await captureGaps(meter.port) : null;
  const started = Date.now();
  const run = await sipp(
    port,
    scenario,
    ['-m', String(n), '-l', String(n), '-r', String(rate), '-p', String(sippPort), '-max_socket', String(n + 100)],
    holdMs + 60_000,
  );
  const report = await new Promise<ChildReport>((resolve) => {
    server.once('message', (m: ChildReport) => resolve(m));
    server.send('report');
  });
  // The server exits by itself after the report (so --cpu-prof can write its profile); kill a laggard.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => resolve(), 10_000);
    server.once('exit', () => (clearTimeout(timer), resolve()));
  });
  if (server.exitCode === null) server.kill();
  const wire = await capture?.stop();
  meter.close();
  lag.disable();
  const unfinished = n - report.calls;
  if (unfinished > 0 || Object.keys(report.failures).length > 0) {
    console.log(
      `N=${n}: ${unfinished} calls never ended on the server; incomplete (keys/ended by): ${JSON.stringify(report.failures)}`,
    );
  }
  const setup = report.setupMs.sort((a, b) => a - b);
  const gaps = wire ?? meter.stats();
  const sentMax = report.sendGapMax.sort((a, b) => a - b);
  return {
    N: n,
    completed: report.completed,
    failed: n - report.completed,
    'sipp rc': run.code ?? -1,
    'setup p50 ms': pct(setup, 0.5),
    'setup p99 ms': pct(setup, 0.99),
    'gaps at': wire ? `wire${wire.dropped ? ` (${wire.dropped} not captured)` : ''}` : 'node receiver',
    'gap p50 ms': gaps.p50,
    'gap p99 ms': gaps.p99,
    'gap max ms': gaps.max,
    'sent: call max gap p50/p90 ms': `${pct(sentMax, 0.5).toFixed(0)}/${pct(sentMax, 0.9).toFixed(0)}`,
    'server lag p99/max ms': `${report.lagP99.toFixed(1)}/${report.lagMax.toFixed(0)}`,
    'clock skipped/burst/run ms': `${report.clock.skipped}/${report.clock.maxBurst}/${(report.clock.maxRunMs ?? NaN).toFixed(1)}`,
    'receiver lag p99/max ms': `${(lag.percentile(99) / 1e6).toFixed(1)}/${(lag.max / 1e6).toFixed(0)}`,
    'digits lost': report.digitsLost,
    'keys reordered': report.reordered,
    'CPU %': (100 * report.cpuMs) / report.wallMs,
    'RSS/call KB': Math.max(0, (report.rssPeak - report.rssBase) / 1024 / n),
    'wall s': (Date.now() - started) / 1000,
  };
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : NaN;
}

async function helpers() {
  const h = await import('../sip/helpers');
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const os = await import('node:os');
  return {
    pcapKeys: h.pcapKeys,
    freePortFor: () => import('../../runtime/sip').then((m) => m.freePort('127.0.0.1')),
    async sipp(port: number, scenario: string, extra: string[], timeoutMs: number) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'sipp-bench-'));
      const file = path.join(dir, 'load.xml');
      await writeFile(file, scenario);
      const result = await h.runPeer(
        'sipp',
        [
          `127.0.0.1:${port}`,
          '-sf',
          file,
          '-s',
          'callback',
          '-i',
          '127.0.0.1',
          '-mi',
          '127.0.0.1',
          '-mp',
          '31000',
          '-nostdin',
          '-t',
          'u1',
          ...extra,
        ],
        timeoutMs,
        dir,
      );
      await rm(dir, { recursive: true, force: true });
      return result;
    },
  };
}

// ── the server, in its own process so its CPU and memory are its own ─────────────────────────

async function child(): Promise<void> {
  // Before the media workers start, so their threads inherit it (a nice value is per thread).
  if (process.env.SIP_BENCH_PRIORITY) os.setPriority(0, Number(process.env.SIP_BENCH_PRIORITY));
  const { loadProgram } = await import('../../runtime/host');
  const { startSipServer } = await import('../../runtime/sip');
  const { MediaClock } = await import('../../runtime/sip/media');
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const n = Number(process.env.IVR_SIP_BENCH_N);
  const { program } = await loadProgram(path.join(HERE, '../../samples/callback/flow.json'));
  const setupMs: number[] = [];
  let completed = 0;
  let digitsLost = 0;
  let calls = 0;
  const failures: Record<string, number> = {};
  let reordered = 0;
  const sendGapMax: number[] = [];
  const mailer = { send: async () => null };
  const rssBase = process.memoryUsage().rss;
  let rssPeak = rssBase;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 250);
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  const server = await startSipServer({
    programs: program!,
    port: 0,
    transports: ['udp'],
    maxCalls: n + 10,
    // SIPp places every call from one address.
    maxCallsPerSource: n + 10,
    mailer,
    mediaWorkers: Number(process.env.SIP_BENCH_WORKERS ?? 1),
    onCallEnd: (call, result) => {
      calls++;
      const sent = call.media?.stats().sendGaps;
      if (sent && sent.count > 0) sendGapMax.push(sent.maxMs);
      const invite = call.messages[0];
      const ok = call.messages.find(
        (m) => m.dir === 'out' && m.firstLine.startsWith('SIP/2.0 200') && m.text.includes('INVITE'),
      );
      if (invite && ok) setupMs.push(ok.t - invite.t);
      const expected = `${KEYS}#`;
      const allKeys = [...expected].every((d) => result.digits.includes(d)) && result.digits.length === expected.length;
      if (allKeys && result.endedBy === 'program') completed++;
      if (allKeys && result.digits !== expected) reordered++;
      if (result.digits !== expected || result.endedBy !== 'program')
        failures[`${result.digits || '-'}/${result.endedBy}`] =
          (failures[`${result.digits || '-'}/${result.endedBy}`] ?? 0) + 1;
      digitsLost += [...expected].filter((d) => !result.digits.includes(d)).length;
    },
  });
  process.send!({ port: server.port });
  process.on('message', () => {
    clearInterval(sampler);
    const cpu = process.cpuUsage(cpu0);
    const report: ChildReport = {
      calls,
      completed,
      digitsLost,
      setupMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: Date.now() - t0,
      rssBase,
      rssPeak,
      failures,
      reordered,
      lagP99: lag.percentile(99) / 1e6,
      lagMax: lag.max / 1e6,
      clock: MediaClock.shared().stats(),
      sendGapMax,
    };
    process.send!(report, () => void server.close().then(() => process.exit(0)));
  });
}
