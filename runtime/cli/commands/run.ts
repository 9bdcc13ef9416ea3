// `ivr-studio run <flow.json | program.sppr | environment dir>`: a local SIP server that softphones
// call. Prints where to call, logs each call's trace, stays up until Ctrl-C.
import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { formatTraceEvent } from '../../call/trace';
import { ServiceError, startSipService, type SipService } from '../../services/sip';
import type { Transport } from '../../sip';
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
  let service: SipService;
  try {
    service = await startSipService({
      file,
      outboxDir: opts.outbox,
      ...(opts.smtp !== undefined ? { smtp: opts.smtp } : {}),
      host,
      port,
      transports,
      maxCalls,
      target: opts.target,
      mediaWorkers,
      onProblem: (line) => io.err(`${line}\n`),
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
    throw err instanceof ServiceError ? new CliError(err.message) : err;
  }
  for (const line of service.banner) io.out(`${line}\n`);
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
  await service.close();
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
