// Runtime errors carry where they happened; they never leave runProgram as JS exceptions.
import type { Pos } from '../../compiler/cgpl/ast';

export class CgplError extends Error {
  constructor(
    message: string,
    public pos: Pos | null = null,
    public file?: string,
  ) {
    super(message);
  }
}

/** Thrown by built-ins that know no position; the call site adds it. */
export function fail(message: string): never {
  throw new CgplError(message);
}

/** `stop;` — unwinds every frame at once. */
export class StopSignal {}

export const BUDGET_MESSAGE = 'step budget exhausted (runaway loop?)';
export const TIME_MESSAGE = 'wall-clock limit exhausted (runaway loop?)';
