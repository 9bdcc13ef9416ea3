// `ivr-studio run <flow.json | program.sppr | environment dir>`: a local SIP server that softphones
// call. Prints where to call, logs each call's trace, stays up until Ctrl-C.
import type { Command } from 'commander';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { loadProgram, type Program } from '../../host';
import { formatTraceEvent } from '../../call/trace';
import { parseRelay } from '../../mail';
import { openMailer } from './outbox';
import { startSipServer, type Transport } from '../../sip';
import { CliError } from '../io';
import type { CliOutput } from '../main';
import { DEFAULT_OUTBOX } from './runtime';

export interface RunOpts {
  sip: string;
  transport: string;
  smtp?: string;
  outbox: string;
  maxCalls: string;
  target: string;
  mediaWorkers?: string;
  verbose?: boolean;
}

export function registerRunCommand(program: Command, io: CliOutput, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('answer real SIP calls: a local SIP server runs the flow(s); call it from a softphone')
    .argument('<program>', 'a flow.json, a CG/PL program (.sppr), or an environment folder of them')
    .option('--sip <host:port>', 'where to listen for SIP', '127.0.0.1:5070')
    .option('--transport <list>', 'udp, tcp or both', 'udp,tcp')
    .option('--smtp <url>', 'deliver e-mail through this relay (default: the embedded outbox)')
    .option('--outbox <dir>', 'where e-mails are kept', DEFAULT_OUTBOX)
    .option('--max-calls <n>', 'calls at once; more are answered 486 Busy Here', '100')
    .option('--target <target>', 'cgpl (the interpreter) or js (the compiled module; flows only)', 'cgpl')
    .option(
      '--media-workers <n>',
      "threads that send and receive RTP; 0 = on the SIP thread; 'auto' = 1 when the machine has 2+ cores",
      'auto',
    )
    .option('--verbose', 'include node lines in the traces')
    .action(async (file: string, opts: RunOpts) => {
      await runSip(file, opts, io, setExit);
    });
}

/** Runs until SIGINT/SIGTERM or until `stop` aborts. */
export async function runSip(
  file: string,
  opts: RunOpts,
  io: CliOutput,
  setExit: (code: number) => void,
  stop?: AbortSignal,
): Promise<void> {
  const { host, port } = parseListen(opts.sip);
  const transports = parseTransports(opts.transport);
  const maxCalls = Number(opts.maxCalls);
  if (!Number.isInteger(maxCalls) || maxCalls < 0)
    throw new CliError(`--max-calls: expected a whole number, got '${opts.maxCalls}'`);
  const mediaWorkers = parseMediaWorkers(opts.mediaWorkers ?? 'auto');
  if (opts.target !== 'cgpl' && opts.target !== 'js')
    throw new CliError(`unknown --target '${opts.target}': use cgpl or js`);
  if (opts.smtp !== undefined) {
    const relay = parseRelay(opts.smtp);
    if (!relay.ok) throw new CliError(`--smtp: ${relay.error}`);
  }
  const programs = await loadAll(file, io);
  if (opts.target === 'js' && programs.some((p) => !p.js))
    throw new CliError('--target js needs flows; a CG/PL program was given');
  const mailer = await openMailer(opts.outbox, opts.smtp);
  let server: Awaited<ReturnType<typeof startSipServer>>;
  try {
    server = await startSipServer({
      programs,
      host,
      port,
      transports,
      maxCalls,
      mailer,
      target: opts.target,
      mediaWorkers,
      onError: (t) => io.err(`sip: ${t}\n`),
      onCall: (call) => {
        const tag = call.callId.slice(0, 12);
        call.trace.subscribe((e) => {
          if (opts.verbose || (e.kind !== 'node' && e.kind !== 'prompt-finished'))
            io.out(`[${tag}] ${formatTraceEvent(e)}\n`);
        });
      },
      onCallEnd: (call, result) => {
        io.out(
          `[${call.callId.slice(0, 12)}] ended by ${result.endedBy ?? 'nobody'}; keys ${JSON.stringify(result.digits)}; ${call.messages.length} SIP messages\n`,
        );
        if (result.host?.ended === 'error') setExit(1);
      },
    });
  } catch (err) {
    await mailer.close();
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  const where = `${host.includes(':') ? `[${host}]` : host}:${server.port}`;
  const media =
    server.mediaWorkers > 0
      ? `RTP on ${server.mediaWorkers} worker thread${server.mediaWorkers > 1 ? 's' : ''}`
      : 'RTP on the SIP thread';
  io.out(`SIP on ${transports.join('+')} ${where}; ${media}; e-mail: ${mailer.relayDescription}\n`);
  for (const p of programs) io.out(`  call sip:${p.name}@${where}   (${p.file})\n`);
  const accounts = programs
    .flatMap((p) => p.environment.directory?.pbx.accounts ?? [])
    .filter((a, i, all) => all.findIndex((b) => b.name === a.name) === i);
  for (const a of accounts)
    io.out(
      `  call sip:${a.name}@${where}   (account: ${a.rules.map((r) => `${r.when} → ${r.to}`).join(', ') || 'no rules'})\n`,
    );
  io.out('Ctrl-C to stop.\n');
  // A bug reached from the network (a peer's odd message) must not end every other call.
  const survive = (err: unknown) =>
    io.err(`sip: uncaught: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.on('uncaughtException', survive);
  process.on('unhandledRejection', survive);
  await new Promise<void>((done) => {
    const finish = () => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      done();
    };
    process.on('SIGINT', finish);
    process.on('SIGTERM', finish);
    stop?.addEventListener('abort', finish, { once: true });
  });
  process.off('uncaughtException', survive);
  process.off('unhandledRejection', survive);
  await server.close();
  await mailer.close();
}

async function loadAll(file: string, io: CliOutput): Promise<Program[]> {
  let files = [file];
  const info = await stat(file).catch(() => null);
  if (!info) throw new CliError(`${file}: no such file or folder`);
  if (info.isDirectory()) files = await programFiles(file);
  if (files.length === 0) throw new CliError(`${file}: no .sppr or flow.json in this folder`);
  const programs: Program[] = [];
  for (const f of files) {
    const { program, errors } = await loadProgram(
      f,
      info.isDirectory() && f.endsWith('.sppr') ? { environmentDir: file } : {},
    );
    if (!program) {
      for (const e of errors) io.err(e + '\n');
      throw new CliError(`${f}: cannot be run`);
    }
    for (const w of program.warnings) io.err(w + '\n');
    if (programs.some((p) => p.name === program.name))
      throw new CliError(`${f}: a second program named '${program.name}'`);
    programs.push(program);
  }
  return programs;
}

/** An environment folder: its *.sppr and flow.json files, and flow.json one folder down. */
async function programFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isFile() && (entry.name.endsWith('.sppr') || entry.name === 'flow.json')) found.push(path);
    if (entry.isDirectory()) {
      const inner = join(path, 'flow.json');
      if (
        await stat(inner).then(
          (s) => s.isFile(),
          () => false,
        )
      )
        found.push(inner);
    }
  }
  return found;
}

function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text.trim()) ?? /^()()(\d+)$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535))
    throw new CliError(`--sip: expected host:port, e.g. 127.0.0.1:5070, got '${text}'`);
  return { host: m[1] || m[2] || '127.0.0.1', port };
}

function parseTransports(text: string): Transport[] {
  const list = text
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  const bad = list.find((t) => t !== 'udp' && t !== 'tcp');
  if (bad !== undefined || list.length === 0)
    throw new CliError(`--transport: use udp, tcp or udp,tcp (got '${text}')`);
  return [...new Set(list)] as Transport[];
}

/** 'auto' → one media thread beside the SIP thread when there is a second core, else none. */
export function parseMediaWorkers(text: string): number {
  if (text === 'auto') return availableParallelism() >= 2 ? 1 : 0;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(n) || n > 64)
    throw new CliError(`--media-workers: expected 'auto' or a whole number 0–64, got '${text}'`);
  return n;
}
