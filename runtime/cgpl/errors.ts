// Runtime errors carry where they happened; they never leave runProgram as JS exceptions.
import type { Pos } from '../../compiler/cgpl/ast';
import type { DiagnosticCode } from '../../compiler/diagnostics';

export class CgplError extends Error {
  constructor(
    message: string,
    public pos: Pos | null = null,
    public file?: string,
    public code: DiagnosticCode = 'RUN401',
  ) {
    super(message);
  }
}

/** Thrown by built-ins that know no position; the call site adds it. */
export function fail(message: string, code: DiagnosticCode = 'RUN401'): never {
  throw new CgplError(message, null, undefined, code);
}

/** `stop;` — unwinds every frame at once. */
export class StopSignal {}

export const BUDGET_MESSAGE = 'step budget exhausted (runaway loop?)';
export const TIME_MESSAGE = 'wall-clock limit exhausted (runaway loop?)';
