// A live test call from the designer: the flow runs on the real clock, the designer is the caller
// (keys, hang-up), every trace event streams back as it happens, and the CG/PL target can be paused.
import { realClock, type Clock } from '../../call/clock';
import { createSimulatedCall, type MailSender, type SimulatedCall } from '../../call/simulated';
import type { TraceEvent } from '../../call/trace';
import { runProgram, formatRunError, type StepFrame, type StepPos } from '../../cgpl';
import { runJsHost, type Program, type HostResult } from '../../host';
import { finishCall } from '../../host/common';
import { workspaceRelative } from '../security';
import { CallDebugger } from './debugger';

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
  mailer: MailSender;
  /** Realpath of the workspace: prompt paths are sent relative to it. */
  workspace: string;
  /** A designer that walked away does not keep a call (or its timers) going for the default hour. */
  maxCallMs?: number;
  send: (message: Record<string, unknown>) => void;
}

/** Server → client messages of one call. */
export type CallMessage =
  | { type: 'call.trace'; callId: string; event: TraceEvent & { audio?: string | null } }
  | { type: 'call.paused'; callId: string; nodeId: string | null; line: number; variables: Record<string, unknown> }
  | { type: 'call.resumed'; callId: string }
  | { type: 'call.ended'; callId: string; endedBy: string | null; error?: string };

export class LiveCall {
  readonly id: string;
  private readonly call: SimulatedCall;
  private readonly debug: CallDebugger;
  private finished: Promise<void> | null = null;
  /** The frame of the statement about to run; read only when the debugger pauses there. */
  private frame: StepFrame | null = null;

  constructor(private readonly options: LiveCallOptions) {
    this.id = options.id;
    this.call = createSimulatedCall({
      id: options.id,
      environment: options.program.environment,
      clock: clockAt(options.at),
      mailer: options.mailer,
      maxCallMs: options.maxCallMs ?? 30 * 60_000,
      refuseEmail: options.refuseEmail === true,
      ...(options.account ? { account: options.account } : {}),
      ...(options.language ? { language: options.language } : {}),
    });
    // Variables come from the CG/PL frame; the JS target has no hook, so it never pauses.
    this.debug = new CallDebugger((pos: StepPos) =>
      this.emit({
        type: 'call.paused',
        callId: this.id,
        nodeId: pos.nodeId,
        line: pos.line,
        variables: this.variables(),
      }),
    );
    this.debug.setBreakpoints(options.breakpoints ?? []);
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
        host =
          this.options.target === 'js' ? await runJsHost(this.options.program, session) : await this.runCgpl(session);
      })
      .then(
        (result) => this.ended(result.endedBy, host.error ? formatRunError(host.error, host.error.file) : undefined),
        (err: unknown) =>
          this.ended(this.call.endedBy, `the call failed: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => {
        unsubscribe();
        this.debug.detach();
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
    this.debug.detach();
  }

  pause(): void {
    this.debug.pause();
  }

  continue(): boolean {
    const resumed = this.debug.continue();
    if (resumed) this.emit({ type: 'call.resumed', callId: this.id });
    return resumed;
  }

  step(): boolean {
    const resumed = this.debug.step();
    if (resumed) this.emit({ type: 'call.resumed', callId: this.id });
    return resumed;
  }

  setBreakpoints(list: readonly string[]): void {
    this.debug.setBreakpoints(list);
  }

  /** Ends the call without telling anyone (its socket is gone): hang up, let the program run out. */
  async stop(): Promise<void> {
    this.hangup();
    await this.finished;
  }

  private emit(message: CallMessage): void {
    try {
      this.options.send(message);
    } catch {
      // A closed socket must not break the call.
    }
  }

  /** A snapshot failing must not stop the pause from being reported. */
  private variables(): Record<string, unknown> {
    try {
      return this.frame?.variables() ?? {};
    } catch {
      return {};
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

  /** runCgplHost with the debugger's hook (the host does not take one). */
  private async runCgpl(session: SimulatedCall): Promise<HostResult> {
    const program = this.options.program;
    const lines = program.cgpl.lineToNode;
    const run = await runProgram(program.cgpl.ast, session, {
      file: program.cgpl.file,
      onStep: (pos: StepPos, frame: StepFrame) => {
        this.frame = frame;
        return this.debug.onStep(pos);
      },
      ...(lines ? { lineToNode: (line: number) => lines[line - 1] ?? null } : {}),
      ...(program.cgpl.modules ? { modules: program.cgpl.modules } : {}),
    });
    const result: HostResult = { ended: run.ended, steps: run.steps };
    if (run.error) {
      result.error = { ...run.error, file: run.error.file ?? program.cgpl.file };
      session.trace.add({ kind: 'error', ...result.error });
    }
    await finishCall(session);
    return result;
  }
}

/** The real clock, shifted so that the call starts at `at`. */
function clockAt(at: Date | undefined): Clock {
  const real = realClock();
  if (at === undefined) return real;
  const offset = at.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset), sleep: real.sleep };
}
