// `ivr-studio run <flow.json | program.sppr | environment dir>`: a local SIP server that softphones
// call. Prints where to call, logs each call's trace, runs until SIGINT/SIGTERM (calls in progress
// get a BYE, exit 0). A port it cannot listen on is one line and exit 1; an uncaught exception is
// logged, the calls that can be ended get a BYE, and the process exits 1 (it does not limp on).
import type { Command } from 'commander';
import os from 'node:os';
import { formatTraceEvent } from '../../call/trace';
import { ServiceError, startSipService, type SipService } from '../../services/sip';
import { formatHostPort, type RegistrationChange, type SipServer } from '../../sip';
import { CliError } from '../io';
import type { CliOutput } from '../main';
import { DEFAULT_OUTBOX } from './runtime';
import { parseRunOpts, type RunConfig, type RunOpts } from './run-options';

export { parseMediaWorkers, type RunOpts } from './run-options';

export function registerRunCommand(program: Command, io: CliOutput, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('answer real SIP calls: a local SIP server runs the flow(s); call it from a softphone')
    .argument('<program>', 'a flow.json, a CG/PL program (.sppr), or an environment folder of them')
    .option(
      '--sip <host:port>',
      'where to listen: 127.0.0.1:5070, or 0.0.0.0:5070 / [::]:5070 for every address',
      '127.0.0.1:5070',
    )
    .option(
      '--advertise <addr[:port]>',
      'the address Contact and SDP name (a NAT public address); default where each call arrived',
    )
    .option('--allow <list>', "networks that may call, e.g. 192.168.1.0/24,local ('local' = this machine, the default)")
    .option('--transport <list>', 'udp, tcp or both', 'udp,tcp')
    .option('--smtp <url>', 'deliver e-mail through this relay (default: the embedded outbox)')
    .option('--outbox <dir>', 'where e-mails are kept', DEFAULT_OUTBOX)
    .option('--max-calls <n>', 'calls at once; more are answered as --when-full says', '100')
    .option('--max-calls-per-source <n>', 'calls at once from one address', '10')
    .option('--when-full <status>', '486 (Busy Here) or 503 (Service Unavailable)', '486')
    .option('--environment <dir>', "the PBX environment folder prompts come from (default: each program's folder)")
    .option('--at <time>', 'pretend the calls happen from this time on, e.g. 2026-11-29T23:00 (office hours)')
    .option('--target <target>', 'cgpl (the interpreter) or js (the compiled module; flows only)', 'cgpl')
    .option(
      '--media-workers <n>',
      "threads that send and receive RTP; 0 = on the SIP thread; 'auto' = 1 when the machine has 2+ cores",
      'auto',
    )
    .option('--isolate', "run each call's program on its own worker thread (~50 MB a call at once)")
    .option('--verbose', 'include node lines in the traces')
    .action(async (file: string, opts: RunOpts) => {
      await runSip(file, opts, io, setExit, undefined, { failFast: true });
    });
}

export interface RunControl {
  /**
   * The CLI's process: an uncaught exception ends the calls and exits 1. Off when a host (the
   * desktop shell) runs the server in its own process.
   */
  failFast?: boolean;
}

/** Runs until SIGINT/SIGTERM or until `stop` aborts. */
export async function runSip(
  file: string,
  opts: RunOpts,
  io: CliOutput,
  setExit: (code: number) => void,
  stop?: AbortSignal,
  control: RunControl = {},
): Promise<void> {
  const config = parseRunOpts(opts);
  const verbose = opts.verbose === true;
  let service: SipService;
  try {
    service = await startSipService({
      file,
      outboxDir: opts.outbox,
      ...(opts.smtp !== undefined ? { smtp: opts.smtp } : {}),
      ...(opts.environment !== undefined ? { environmentDir: opts.environment } : {}),
      host: config.host,
      port: config.port,
      transports: config.transports,
      maxCalls: config.maxCalls,
      target: config.target,
      mediaWorkers: config.mediaWorkers,
      server: {
        maxCallsPerSource: config.maxCallsPerSource,
        busyStatus: config.busyStatus,
        isolate: config.isolate,
        ...(config.advertise ? { advertise: config.advertise } : {}),
        ...(config.allow ? { allow: config.allow } : {}),
        ...(config.clock ? { clock: config.clock } : {}),
        // Phones register as the environment's accounts that have a password (none: REGISTER gets 405).
        registrar: { ifPasswords: true, onChange: (c: RegistrationChange) => io.out(`${describeChange(c)}\n`) },
      },
      onProblem: (line) => io.err(`${line}\n`),
      onError: (t) => io.err(`sip: ${t}\n`),
      onCall: (call) => {
        const tag = call.callId.slice(0, 12);
        call.trace.subscribe((e) => {
          if (verbose || (e.kind !== 'node' && e.kind !== 'prompt-finished'))
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
  const { server } = service;
  announce(io, service, config);
  const unwatch = control.failFast ? failFast(io, server) : () => undefined;
  await stopped(stop);
  io.out(`stopping: ${server.calls.size} call${server.calls.size === 1 ? '' : 's'} in progress get a BYE\n`);
  unwatch();
  await service.close();
}

/** One line per registration event: "registered ivanov at sip:… (udp 127.0.0.1:5080, baresip) for 3600 s". */
export function describeChange(c: RegistrationChange): string {
  if (c.kind === 'refused') return `REGISTER ${c.user} from ${c.source} refused (${c.status}): ${c.why}`;
  const b = c.binding;
  const ua = b.userAgent ? `, ${b.userAgent}` : '';
  const left = Math.max(0, Math.round((b.expiresAt - Date.now()) / 1000));
  const until = c.kind === 'registered' || c.kind === 'refreshed' ? ` for ${left} s` : '';
  return `${c.kind} ${b.account} at ${b.contact} (${b.source}${ua})${until}`;
}

/** Where to call: the advertised address, else the bind address, else (a wildcard) this machine's first LAN address. */
function callAddress(config: RunConfig): string {
  if (config.advertise) return formatHostPort(config.advertise.address, config.advertise.port ?? null);
  if (config.host !== '0.0.0.0' && config.host !== '::') return config.host;
  const v6 = config.host === '::';
  const lan = Object.values(os.networkInterfaces())
    .flatMap((l) => l ?? [])
    .find((a) => !a.internal && (a.family === 'IPv6') === v6 && !/^fe80:/i.test(a.address));
  return lan?.address ?? (v6 ? '::1' : '127.0.0.1');
}

/** The start-up lines: where SIP listens and whom to call (the service's banner, with LAN addresses), who may call. */
function announce(io: CliOutput, service: SipService, config: RunConfig): void {
  const { server, programs, mailer } = service;
  const wildcard = config.host === '0.0.0.0' || config.host === '::';
  const where =
    config.advertise?.port !== undefined ? callAddress(config) : formatHostPort(callAddress(config), server.port);
  const media =
    server.mediaWorkers > 0
      ? `RTP on ${server.mediaWorkers} worker thread${server.mediaWorkers > 1 ? 's' : ''}`
      : 'RTP on the SIP thread';
  const bound = `${formatHostPort(config.host, server.port)}${wildcard ? ' (every local address)' : ''}`;
  io.out(`SIP on ${config.transports.join('+')} ${bound}; ${media}; e-mail: ${mailer.relayDescription}\n`);
  for (const p of programs) io.out(`  call sip:${p.name}@${where}   (${p.file})\n`);
  const accounts = programs
    .flatMap((p) => p.environment.directory?.pbx.accounts ?? [])
    .filter((a, i, all) => all.findIndex((b) => b.name === a.name) === i);
  for (const a of accounts)
    io.out(
      `  call sip:${a.name}@${where}   (account: ${a.rules.map((r) => `${r.when} → ${r.to}`).join(', ') || 'no rules'})\n`,
    );
  io.out(
    `  calls accepted from: ${server.allow.join(', ')}${server.allow.join() === 'local' ? ' (this machine)' : ''}\n`,
  );
  if (wildcard && server.allow.join() === 'local')
    io.out('  note: only this machine may call; let phones in with --allow, e.g. --allow 192.168.1.0/24,local\n');
  if (server.registrar)
    io.out(
      `  phones may register as: ${server.registrar.accounts.join(', ')} (registrar sip:${where}; passwords from pbx.json)\n`,
    );
  if (config.at) io.out(`  clock: calls happen at ${config.at.toString()} (--at), and time runs on from there\n`);
  io.out('Ctrl-C to stop.\n');
}

/** Resolves on SIGINT, SIGTERM or `stop`. */
function stopped(stop?: AbortSignal): Promise<void> {
  return new Promise<void>((done) => {
    const finish = () => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      stop?.removeEventListener('abort', finish);
      done();
    };
    process.on('SIGINT', finish);
    process.on('SIGTERM', finish);
    if (stop?.aborted) finish();
    else stop?.addEventListener('abort', finish, { once: true });
  });
}

/**
 * An uncaught exception means a bug we know nothing about: state may be broken for every call, so
 * the process does not carry on. It says what happened, BYEs what it can within 2 s, and exits 1
 * (a supervisor restarts a clean one).
 */
function failFast(io: CliOutput, server: SipServer): () => void {
  let dying = false;
  const fatal = (err: unknown) => {
    if (dying) return;
    dying = true;
    io.err(
      `ivr-studio run: uncaught ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\nivr-studio run: ending ${server.calls.size} call(s) and exiting\n`,
    );
    const exit = () => process.exit(1);
    setTimeout(exit, 3000);
    server.endCalls(2000).then(exit, exit);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  return () => {
    process.off('uncaughtException', fatal);
    process.off('unhandledRejection', fatal);
  };
}
