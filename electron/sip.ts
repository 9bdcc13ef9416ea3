// Call ▸ Start/Stop SIP runtime: runs `ivr-studio run <flow>` (runtime/cli/commands/run.ts runSip)
// inside the shell for the saved flow, so softphones can call it. The work is runSip's; this only
// starts, stops and reports.
import type { CliOutput } from '../runtime/cli/main';
import type { RunOpts } from '../runtime/cli/commands/run';

export type RunSip = (
  file: string,
  opts: RunOpts,
  io: CliOutput,
  setExit: (code: number) => void,
  stop?: AbortSignal,
) => Promise<void>;

export interface SipEvents {
  /** The runtime is listening: runSip's lines saying where to call. */
  started(lines: string[]): void;
  /** It stopped: by stop(), or with an error message (a CLI error, a port in use). */
  stopped(error: string | null): void;
  /** Any line it writes, for the log. */
  log?(line: string): void;
}

export interface SipController {
  readonly running: boolean;
  start(file: string, opts: RunOpts): void;
  stop(): void;
}

const READY = /^Ctrl-C to stop\.$/;

export function createSipController(run: RunSip, events: SipEvents): SipController {
  let abort: AbortController | null = null;
  return {
    get running() {
      return abort !== null;
    },
    start(file, opts) {
      if (abort) return;
      const mine = new AbortController();
      abort = mine;
      const lines: string[] = [];
      let announced = false;
      const io: CliOutput = {
        out: (text) => {
          for (const line of text.split('\n').filter((l) => l.length > 0)) {
            events.log?.(line);
            if (announced) continue;
            if (READY.test(line)) {
              announced = true;
              events.started(lines.slice());
            } else lines.push(line);
          }
        },
        err: (text) => {
          for (const line of text.split('\n').filter((l) => l.length > 0)) events.log?.(line);
        },
      };
      run(file, opts, io, () => {}, mine.signal).then(
        () => finish(null),
        (e: unknown) => finish(e instanceof Error ? e.message : String(e)),
      );
      function finish(error: string | null) {
        if (abort === mine) abort = null;
        events.stopped(error);
      }
    },
    stop() {
      abort?.abort();
    },
  };
}

/** The options the desktop uses: the CLI's defaults, the outbox in the workspace. */
export function sipOptions(outbox: string): RunOpts {
  return { sip: '127.0.0.1:5070', transport: 'udp,tcp', outbox, maxCalls: '100', target: 'cgpl' };
}
