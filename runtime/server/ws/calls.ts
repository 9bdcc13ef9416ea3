// A live test call from the designer: the flow runs on the real clock, the designer is the caller
// (keys, hang-up), every trace event streams back as it happens, and the CG/PL target can be paused.
// The program runs on a call worker (runtime/host/isolated), never on the server's thread.
import { offsetClock, realClock, type Clock } from '../../call/clock';
import { createSimulatedCall, type MailSender, type SimulatedCall } from '../../call/simulated';
import type { TraceEvent } from '../../call/trace';
import { formatRunError, type StepPos } from '../../cgpl';
import {
  runCgplHost,
  needsCallThread,
  runIsolated,
  runJsHost,
  type CallWorkers,
  type HostResult,
  type IsolatedRun,
  type Program,
} from '../../host';
import type { PartyOverrides } from '../../call/parties';
import { workspaceRelative } from '../security';
import type { CallMessage } from './protocol';

export type CallTarget = 'cgpl' | 'js';

export interface LiveCallOptions {
  id: string;
  program: Program;
  target: CallTarget;
  account?: string;
  language?: string;
  /** Pretend the call happens at this time (the clock still runs in real time from there). */
  at?: Date;
  breakpoints?: readonly string[];
  /** SendEMail is refused at submission (the flow's `failed` branch); see call.smtp. */
  refuseEmail?: boolean;
  /** Vars().startParameter of the call's task. */
  startParameter?: string | string[];
  /** How dialled parties' phones behave in this call. */
  parties?: PartyOverrides;
  mailer: MailSender;
  /** Realpath of the workspace: prompt paths are sent relative to it. */
  workspace: string;
  /** A designer that walked away does not keep a call (or its timers) going for the default hour. */
  maxCallMs?: number;
  send: (message: Record<string, unknown>) => void;
  /** Where the program runs (default: the process's call workers). */
  workers?: CallWorkers;
}

/** Server → client messages of one call (protocol.ts). */
export type { CallMessage };

export class LiveCall {
  readonly id: string;
  private readonly call: SimulatedCall;
  private run: IsolatedRun | null = null;
  private finished: Promise<void> | null = null;
  private breakpoints: readonly string[];
  /** Debugger commands that came before the program's thread did. */
  private pauseFirst = false;

  constructor(private readonly options: LiveCallOptions) {
    this.id = options.id;
    this.breakpoints = options.breakpoints ?? [];
    this.call = createSimulatedCall({
      id: options.id,
      environment: options.program.environment,
      clock: clockAt(options.at),
      mailer: options.mailer,
      maxCallMs: options.maxCallMs ?? 30 * 60_000,
      refuseEmail: options.refuseEmail === true,
      ...(options.account ? { account: options.account } : {}),
      ...(options.language ? { language: options.language } : {}),
      ...(options.startParameter !== undefined ? { startParameter: options.startParameter } : {}),
      ...(options.parties ? { parties: options.parties } : {}),
    });
  }

  /** Starts the call; resolves when it has ended and call.ended was sent. */
  start(): Promise<void> {
    if (this.finished) return this.finished;
    const unsubscribe = this.call.trace.subscribe((event) =>
      this.emit({ type: 'call.trace', callId: this.id, event: this.withAudio(event) }),
    );
    let host: HostResult = { ended: 'end' };
    this.finished = this.call
      .run(async (session) => {
        if (needsCallThread(this.options.program)) {
          // spawn and ExecuteCLI need the call's own thread (its tasks and PBX data): no debugger here
          session.log('this program starts tasks or uses the CLI: it runs on the server thread, without the debugger');
          host =
            this.options.target === 'js'
              ? await runJsHost(this.options.program, session)
              : await runCgplHost(this.options.program, session);
          return;
        }
        // The program runs on a call worker: a runaway cannot hold up this server.
        this.run = runIsolated(this.options.program, session, {
          target: this.options.target,
          ...(this.options.target === 'cgpl' ? { debug: { breakpoints: this.breakpoints, onPause: this.paused } } : {}),
          ...(this.options.workers ? { workers: this.options.workers } : {}),
        });
        if (this.pauseFirst) this.run.pause();
        host = await this.run.result;
      })
      .then(
        (result) => this.ended(result.endedBy, host.error ? formatRunError(host.error, host.error.file) : undefined),
        (err: unknown) =>
          this.ended(this.call.endedBy, `the call failed: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => {
        unsubscribe();
        this.run?.detach();
      });
    return this.finished;
  }

  /** The Phone panel's SendEMail knob: refuse from now on, or submit as usual. */
  setEmailRefused(refuse: boolean): void {
    this.call.setEmailRefused(refuse);
  }

  dtmf(digits: string): void {
    this.call.pressDigits(digits);
  }

  hangup(): void {
    this.call.hangup();
    // A paused program must get to see the hang-up to end.
    this.run?.detach();
  }

  pause(): void {
    if (this.run) this.run.pause();
    else this.pauseFirst = true;
  }

  continue(): boolean {
    const resumed = this.run?.resume(false) ?? false;
    if (resumed) this.emit({ type: 'call.resumed', callId: this.id });
    return resumed;
  }

  step(): boolean {
    const resumed = this.run?.resume(true) ?? false;
    if (resumed) this.emit({ type: 'call.resumed', callId: this.id });
    return resumed;
  }

  setBreakpoints(list: readonly string[]): void {
    this.breakpoints = list;
    this.run?.setBreakpoints(list);
  }

  /** Ends the call without telling anyone (its socket is gone): hang up, let the program run out. */
  async stop(): Promise<void> {
    this.hangup();
    await this.finished;
  }

  /** Ends the call now, its program too (the server is closing). */
  async kill(): Promise<void> {
    this.hangup();
    this.run?.kill();
    await this.finished;
  }

  private readonly paused = (pos: StepPos, variables: Record<string, unknown>): void =>
    this.emit({ type: 'call.paused', callId: this.id, nodeId: pos.nodeId, line: pos.line, variables });

  private emit(message: CallMessage): void {
    try {
      this.options.send(message);
    } catch {
      // A closed socket must not break the call.
    }
  }

  private ended(endedBy: string | null, error: string | undefined): void {
    this.emit(
      error === undefined
        ? { type: 'call.ended', callId: this.id, endedBy }
        : { type: 'call.ended', callId: this.id, endedBy, error },
    );
  }

  /** prompt-started carries the file as a workspace path for /api/audio. */
  private withAudio(event: TraceEvent): TraceEvent & { audio?: string | null } {
    if (event.kind !== 'prompt-started') return event;
    return { ...event, audio: event.path === null ? null : workspaceRelative(this.options.workspace, event.path) };
  }
}

/** The real clock, shifted so that the call starts at `at`. */
function clockAt(at: Date | undefined): Clock {
  return at === undefined ? realClock() : offsetClock(at.getTime() - Date.now());
}
