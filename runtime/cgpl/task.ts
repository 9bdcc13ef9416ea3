// The running task: its session, Vars(), limits and the per-task settings built-ins change.
import type { Pos } from '../../compiler/cgpl/ast';
import type { CallSession } from '../call/api';
import { BUDGET_MESSAGE, CgplError, TIME_MESSAGE } from './errors';
import type { Dict, Value } from './values';

/** Where a step is, as given to the debugger hook. */
export interface StepPos {
  line: number;
  col: number;
  file?: string;
  /** The flow node the statement belongs to (from the source map), if known. */
  nodeId: string | null;
}

export const MAX_CALL_DEPTH = 400;

export class Task {
  steps = 0;
  depth = 0;
  /** The statement being executed: where an error with no better position is reported. */
  pos: Pos = { line: 0, col: 0 };
  file: string | undefined;
  currentNode: string | null = null;
  interruptOnDtmf = true;
  /** Task variables (top-level `var`), by lower-cased name: shared by every routine of the task. */
  readonly taskVars = new Map<string, Value>();
  private readonly deadline: number;

  constructor(
    readonly session: CallSession,
    readonly vars: Dict,
    readonly budget: number,
    readonly wallClockMs: number,
    public timeZone: string,
    readonly defaultTimeZone: string,
  ) {
    this.deadline = Date.now() + wallClockMs;
  }

  /** The host's CPU budget (runtime/call/budget.ts), checked with the clock; it may throw. */
  check: (() => void) | undefined;

  /** Counts one step; the clock is read only every 1024 steps to keep pure loops fast. */
  tick(): void {
    if (++this.steps > this.budget) throw new CgplError(BUDGET_MESSAGE, null, undefined, 'RUN404');
    if ((this.steps & 1023) === 0) {
      if (Date.now() > this.deadline) throw new CgplError(TIME_MESSAGE, null, undefined, 'RUN405');
      this.check?.();
    }
  }

  enterNode(id: string): void {
    if (id === this.currentNode) return;
    this.currentNode = id;
    this.session.node(id);
  }

  /** Waits for a PBX operation, but never past the task's wall-clock limit. */
  async wait<T>(p: Promise<T>): Promise<T> {
    const left = this.deadline - Date.now();
    if (left <= 0) throw new CgplError(TIME_MESSAGE, null, undefined, 'RUN405');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CgplError(TIME_MESSAGE, null, undefined, 'RUN405')), left);
    });
    try {
      return await Promise.race([p, limit]);
    } finally {
      clearTimeout(timer);
    }
  }
}
