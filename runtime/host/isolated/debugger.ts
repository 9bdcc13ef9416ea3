// The test call's debugger, on the interpreter's onStep hook (awaited before every statement):
// breakpoints on flow nodes (hit when the program enters the node) and on CG/PL lines (`line:N`),
// pause / step / continue. Pausing is awaiting a promise the client's next command resolves.
import type { StepPos } from '../../cgpl';

export class CallDebugger {
  private breakpoints = new Set<string>();
  private pauseRequested = false;
  private stepping = false;
  private release: (() => void) | null = null;
  private lastNode: string | null = null;
  private detached = false;

  constructor(private readonly onPause: (pos: StepPos) => void) {}

  get paused(): boolean {
    return this.release !== null;
  }

  /** Node ids, and `line:N` for a line of the generated program. */
  setBreakpoints(list: readonly string[]): void {
    this.breakpoints = new Set(list);
  }

  /** Pauses before the next statement the program runs. */
  pause(): void {
    if (!this.detached) this.pauseRequested = true;
  }

  /** Runs to the next breakpoint. Returns false when the call was not paused. */
  continue(): boolean {
    this.stepping = false;
    return this.resume();
  }

  /** Runs one statement and pauses again. Returns false when the call was not paused. */
  step(): boolean {
    if (!this.paused) return false;
    this.stepping = true;
    return this.resume();
  }

  /** Lets the program run freely from now on (the call ends or its socket closed). */
  detach(): void {
    this.detached = true;
    this.stepping = false;
    this.pauseRequested = false;
    this.resume();
  }

  readonly onStep = async (pos: StepPos): Promise<void> => {
    if (this.detached) return;
    const entering = pos.nodeId !== null && pos.nodeId !== this.lastNode;
    this.lastNode = pos.nodeId;
    const hit =
      this.pauseRequested ||
      this.stepping ||
      (entering && this.breakpoints.has(pos.nodeId!)) ||
      this.breakpoints.has(`line:${pos.line}`);
    if (!hit) return;
    this.pauseRequested = false;
    this.stepping = false;
    const resumed = new Promise<void>((resolve) => {
      this.release = resolve;
    });
    this.onPause(pos);
    await resumed;
  };

  private resume(): boolean {
    const release = this.release;
    this.release = null;
    release?.();
    return release !== null;
  }
}
