// Compiled code: closures over a frame of variable slots. A node that may wait on the call session
// compiles to an async closure; everything else stays synchronous so pure code runs fast.
import type { CallExpr, Pos } from '../../compiler/cgpl/ast';
import { BudgetExceeded } from '../call/budget';
import { CgplError, StopSignal } from './errors';
import type { Routine, Target, Unit } from './link';
import type { StepFrame } from './debug';
import type { StepPos, Task } from './task';
import type { Value } from './values';

/** A call's local variables (case-insensitive names → slots) and the value `return e;` left. */
export class Frame {
  ret: Value = null;
  readonly v: Value[];
  constructor(size: number) {
    this.v = new Array<Value>(size).fill(null);
  }
}

export interface CExpr {
  /** Returns a Value, or a Promise of one when `async`. */
  run: (f: Frame) => Value | Promise<Value>;
  async: boolean;
}

export const NEXT = 0;
export const EXIT = 1;
export const RETURN = 2;
export type Signal = number;

export interface CStmt {
  run: (f: Frame) => Signal | Promise<Signal>;
  async: boolean;
}

export interface CompiledRoutine {
  slots: number;
  body: CStmt;
}

/** Variables of one routine: case-insensitive names to slot numbers. */
export class Scope {
  private readonly slots = new Map<string, number>();
  /** Each slot's name as first written, for the debugger's variables view. */
  readonly names: string[] = [];
  slot(name: string): number {
    const key = name.toLowerCase();
    let s = this.slots.get(key);
    if (s === undefined) {
      s = this.slots.size;
      this.slots.set(key, s);
      this.names.push(name);
    }
    return s;
  }
  get size(): number {
    return this.slots.size;
  }
}

export interface Ctx {
  task: Task;
  /** `spawn Entry(arg)`: starts the entry as a new task and returns its handle. */
  spawn?: (entry: string, arg: Value) => Value;
  targets: Map<CallExpr, Target>;
  compiled: Map<Routine, CompiledRoutine>;
  /** Routines whose calls are awaited (they may wait on the call session). */
  async: Set<Routine>;
  /** The program or module whose code is being compiled: its task variables and constants. */
  unit: Unit | null;
  scope: Scope;
  file: string | undefined;
  lineToNode?: (line: number) => string | null;
  onStep?: (pos: StepPos, frame: StepFrame) => void | Promise<void>;
}

/** Gives an error its position (the innermost known one wins); JS failures become CG/PL errors. */
export function located(e: unknown, pos: Pos, file: string | undefined): unknown {
  if (e instanceof CgplError) {
    if (e.pos === null) {
      e.pos = pos;
      e.file = file;
    }
    return e;
  }
  if (e instanceof StopSignal) return e;
  // The host's budget stopped the program: its message is the error, at the statement running.
  if (e instanceof BudgetExceeded) return new CgplError(e.message, pos, file, 'RUN407');
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new CgplError('calls nested too deep (stack overflow)', pos, file, 'RUN406');
  }
  return new CgplError(`internal error: ${e instanceof Error ? e.message : String(e)}`, pos, file, 'RUN499');
}
