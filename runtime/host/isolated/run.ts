// runIsolated: a call's program on a call worker, its session served from this thread. The program's
// CPU budget (runtime/call/budget.ts) runs with it in the worker and stops a runaway; if the program
// does not stop anyway (stuck where the budget is never checked), its thread is stopped from here
// `hardStopMs` after it last waited. This thread never runs program code, so it keeps serving HTTP, WebSockets, SIP
// and other calls whatever a program does, and a call can always be hung up.
import type { DiagnosticCode } from '../../../compiler/diagnostics';
import type { CallSession } from '../../call/api';
import { DEFAULT_RUNAWAY_MS, type CallBudgetOptions } from '../../call/budget';
import { whileBusy, type Clock } from '../../call/clock';
import type { Trace } from '../../call/trace';
import type { StepPos } from '../../cgpl';
import { finishCall, traceOf, type HostResult } from '../common';
import type { Program } from '../program';
import { ASYNC_METHODS, SYNC_BYTES, SYNC_METHODS, TOLD_METHODS, type FromWorker, type ToWorker } from './protocol';
import { callWorkers, type CallThread, type CallWorkers } from './workers';

export interface IsolatedOptions {
  target?: 'cgpl' | 'js';
  budget?: CallBudgetOptions;
  /** Run with the debugger (CG/PL): breakpoints to start with, and who hears of a pause. */
  debug?: { breakpoints: readonly string[]; onPause: (pos: StepPos, variables: Record<string, unknown>) => void };
  /** Default: the process's call workers. */
  workers?: CallWorkers;
  /** A program running this long without waiting has its thread stopped; default twice the budget's runawayMs + 2000. */
  hardStopMs?: number;
  /** Where the error goes; default the session's own trace. */
  trace?: Trace;
}

export interface IsolatedRun {
  /** Resolves when the program has ended (the call is hung up by then). */
  result: Promise<HostResult>;
  /** Debugger: pause before the next statement; resume (one statement, or on); new breakpoints; run freely. */
  pause(): void;
  resume(step: boolean): boolean;
  setBreakpoints(list: readonly string[]): void;
  detach(): void;
  /** Stops the program's thread now (the server is closing). */
  kill(): void;
}

const ASYNC = new Set<string>(ASYNC_METHODS);
const SYNC = new Set<string>(SYNC_METHODS);
const TOLD = new Set<string>(TOLD_METHODS);
const WATCH_MS = 100;

/**
 * @example
 *   const run = runIsolated(program, call, { target: 'cgpl' });
 *   const result = await run.result; // a runaway ends here too, its error naming the node
 */
export function runIsolated(program: Program, session: CallSession, options: IsolatedOptions = {}): IsolatedRun {
  const workers = options.workers ?? callWorkers();
  const thread = workers.take();
  thread.runs++;
  thread.worker.ref();
  const runawayMs = options.budget?.runawayMs ?? DEFAULT_RUNAWAY_MS;
  const hardStopMs = options.hardStopMs ?? 2 * runawayMs + 2000;
  const trace = options.trace ?? traceOf(session);
  const sync = new SharedArrayBuffer(8 + SYNC_BYTES);
  const control = new SharedArrayBuffer(4);
  const busy = new BusyMark((session as { clock?: Clock }).clock);
  let node: string | null = null;
  let paused = false;
  let done = false;
  let runningSince = Date.now();
  let finish!: (r: HostResult) => void;
  const result = new Promise<HostResult>((resolve) => {
    finish = resolve;
  });
  const post = (m: ToWorker) => {
    if (!done) thread.worker.postMessage(m);
  };
  const running = (yes: boolean) => {
    runningSince = yes ? Date.now() : 0;
    busy.set(yes);
  };

  const end = async (r: HostResult, healthy: boolean) => {
    if (done) return;
    done = true;
    clearInterval(watchdog);
    thread.worker.off('message', onMessage);
    thread.worker.off('error', onError);
    thread.worker.off('exit', onExit);
    busy.set(false);
    if (healthy) workers.give(thread);
    else workers.discard(thread);
    // The worker has no trace: its host's error is written here, as a host on this thread would.
    if (r.error) trace?.add({ kind: 'error', ...r.error });
    await finishCall(session);
    finish(r);
  };
  const stopFromHere = (message: string, code: DiagnosticCode = 'RUN499') =>
    void end(
      {
        ended: 'error',
        error: {
          severity: 'error',
          code,
          line: 1,
          column: 1,
          message,
          file: program.cgpl.file,
          ...(node !== null ? { nodeId: node } : {}),
        },
      },
      false,
    );

  const onMessage = (m: FromWorker) => {
    switch (m.t) {
      case 'call': {
        if (!ASYNC.has(m.method)) return post({ t: 'reply', id: m.id, ok: false, error: `unknown call ${m.method}` });
        running(false);
        const method = session[m.method] as (...a: unknown[]) => Promise<unknown>;
        method.apply(session, m.args).then(
          (value) => {
            running(true);
            post({ t: 'reply', id: m.id, ok: true, value });
          },
          (err: unknown) => {
            running(true);
            post({ t: 'reply', id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) });
          },
        );
        return;
      }
      case 'sync':
        return answer(sync, () => {
          if (!SYNC.has(m.method)) throw new Error(`unknown call ${m.method}`);
          if (m.method === 'now') return session.now().getTime();
          return (session[m.method] as (...a: unknown[]) => unknown).apply(session, m.args);
        });
      case 'tell':
        if (m.method === 'node') node = String(m.args[0]);
        if (TOLD.has(m.method)) (session[m.method] as (...a: unknown[]) => unknown).apply(session, m.args);
        return;
      case 'hint':
        node = m.node;
        return;
      case 'paused':
        paused = true;
        running(false);
        options.debug?.onPause(m.pos, m.variables);
        return;
      case 'done':
        return void end(m.result, true);
      case 'ready':
        return;
    }
  };
  const onError = (err: Error & { code?: string }) =>
    stopFromHere(
      err.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `the program used more than ${workers.maxHeapMb} MB of memory${node !== null ? ` in node ${node}` : ''}; it was stopped`
        : `the program's thread failed: ${err.message}`,
      err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'RUN407' : 'RUN499',
    );
  const onExit = (code: number) => stopFromHere(`the program's thread exited (code ${code})`);
  thread.worker.on('message', onMessage);
  thread.worker.on('error', onError);
  thread.worker.on('exit', onExit);
  // The budget stops a runaway inside the worker; this is for one that never gets to check it.
  const watchdog = setInterval(() => {
    if (done || runningSince === 0 || Date.now() - runningSince <= hardStopMs) return;
    stopFromHere(
      `the program ran ${(hardStopMs / 1000).toFixed(1)} s without waiting for the caller${node !== null ? ` in node ${node}` : ''} and did not stop; its thread was stopped`,
      'RUN407',
    );
  }, WATCH_MS);

  running(true);
  post({
    t: 'run',
    program: {
      kind: program.kind,
      file: program.file,
      name: program.name,
      cgpl: { ast: program.cgpl.ast, file: program.cgpl.file, lineToNode: program.cgpl.lineToNode },
      js: program.js,
      ...(program.kind === 'sppr' && program.cgpl.modules ? { moduleDir: dirnameOf(program.file) } : {}),
    },
    target: options.target ?? 'cgpl',
    sessionId: session.id,
    budget: { ...options.budget },
    debug: options.debug ? { breakpoints: [...options.debug.breakpoints] } : null,
    sync,
    control,
  });

  return {
    result,
    pause: () => {
      Atomics.store(new Int32Array(control), 0, 1);
    },
    resume: (step) => {
      if (!paused) return false;
      paused = false;
      running(true);
      post({ t: 'resume', step });
      return true;
    },
    setBreakpoints: (list) => post({ t: 'breakpoints', list: [...list] }),
    detach: () => {
      Atomics.store(new Int32Array(control), 0, 0);
      if (paused) running(true);
      paused = false;
      post({ t: 'detach' });
    },
    kill: () => stopFromHere('the call was ended by the server (it is closing)'),
  };
}

/** Writes a sync answer (as JSON) into shared memory and wakes the worker. */
function answer(buffer: SharedArrayBuffer, compute: () => unknown): void {
  let text: string;
  try {
    text = JSON.stringify({ ok: true, value: compute() ?? null });
  } catch (err) {
    text = JSON.stringify({ ok: false, error: err instanceof Error ? err.message : String(err) });
  }
  let bytes = Buffer.from(text, 'utf8');
  if (bytes.length > SYNC_BYTES) bytes = Buffer.from(JSON.stringify({ ok: false, error: 'the answer is too large' }));
  const state = new Int32Array(buffer, 0, 2);
  new Uint8Array(buffer, 8).set(bytes);
  Atomics.store(state, 1, bytes.length);
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
}

/** Keeps a virtual clock still while the program computes (its time moves only while the call waits). */
class BusyMark {
  private release: (() => void) | null = null;
  constructor(private readonly clock: Clock | undefined) {}
  set(busy: boolean): void {
    if (!this.clock?.busy) return;
    if (busy && !this.release) {
      const work = new Promise<void>((resolve) => {
        this.release = resolve;
      });
      void whileBusy(this.clock, work);
    } else if (!busy && this.release) {
      this.release();
      this.release = null;
    }
  }
}

function dirnameOf(file: string): string {
  const at = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return at < 0 ? '.' : file.slice(0, at);
}

export type { CallThread };
