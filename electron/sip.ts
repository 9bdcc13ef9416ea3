// Call ▸ Start/Stop SIP runtime: the runtime's SIP service (runtime/index.ts startSipService, what
// `ivr-studio run` uses) inside the shell for the saved flow, so softphones can call it. The work
// is the service's; this only starts, stops and reports.
import { formatTraceEvent } from '../runtime/call/trace';
import type { SipService, SipServiceOptions } from '../runtime';

/** Starts the service for a file; the desktop passes startSipService. */
export type StartSip = (options: SipServiceOptions) => Promise<Pick<SipService, 'banner' | 'close'>>;

export interface SipEvents {
  /** The runtime is listening: the lines saying where to call. */
  started(lines: string[]): void;
  /** It stopped: by stop(), or with an error message (a load error, a port in use). */
  stopped(error: string | null): void;
  /** Problems, errors and call traces, one line each, for the log. */
  log?(line: string): void;
}

export interface SipController {
  readonly running: boolean;
  start(file: string, outboxDir: string): void;
  stop(): void;
}

type Running = Pick<SipService, 'banner' | 'close'>;

interface Run {
  /** false once stop() was called, even before the service is up. */
  wanted: boolean;
  service: Running | null;
}

export function createSipController(startSip: StartSip, events: SipEvents): SipController {
  let current: Run | null = null;
  const log = (line: string) => events.log?.(line);
  const finish = (run: Run, error: string | null) => {
    if (current === run) current = null;
    events.stopped(error);
  };
  const close = (run: Run, service: Running) =>
    service.close().then(
      () => finish(run, null),
      (e: unknown) => finish(run, e instanceof Error ? e.message : String(e)),
    );
  return {
    get running() {
      return current !== null;
    },
    start(file, outboxDir) {
      if (current) return;
      const run: Run = { wanted: true, service: null };
      current = run;
      startSip(sipOptions(file, outboxDir, log)).then(
        (service) => {
          run.service = service;
          if (run.wanted) events.started([...service.banner]);
          else void close(run, service);
        },
        (e: unknown) => finish(run, e instanceof Error ? e.message : String(e)),
      );
    },
    stop() {
      const run = current;
      if (!run?.wanted) return;
      run.wanted = false;
      // Still starting: the start closes it once it is up.
      if (run.service) void close(run, run.service);
    },
  };
}

/** What the desktop runs: the CLI's defaults (127.0.0.1:5070, udp and tcp, the interpreter), the given outbox. */
export function sipOptions(file: string, outboxDir: string, log: (line: string) => void): SipServiceOptions {
  return {
    file,
    outboxDir,
    host: '127.0.0.1',
    port: 5070,
    transports: ['udp', 'tcp'],
    maxCalls: 100,
    target: 'cgpl',
    onProblem: log,
    onError: (t) => log(`sip: ${t}`),
    onCall: (call) => {
      const tag = call.callId.slice(0, 12);
      call.trace.subscribe((e) => log(`[${tag}] ${formatTraceEvent(e)}`));
    },
  };
}
