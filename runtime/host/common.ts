// What both program hosts share: where errors are traced and how a call is left when a program ends.
import type { CallSession } from '../call/api';
import { CallBudget, type CallBudgetOptions } from '../call/budget';
import { Trace } from '../call/trace';
import type { StepFrame, StepPos } from '../cgpl';
import type { SourceDiagnostic } from '../../compiler/diagnostics';

export interface HostOptions {
  /** Where errors go; default: the session's own trace (a SimulatedCall has one). */
  trace?: Trace;
  /** The program's CPU budget (every call has one; these are its settings, or the budget itself). */
  budget?: CallBudget | CallBudgetOptions;
  /** CG/PL only: the debugger's hook, awaited before every statement (see runProgram's onStep). */
  onStep?: (pos: StepPos, frame: StepFrame) => void | Promise<void>;
}

/** Where and why a program failed to load or stopped (compiler/diagnostics.ts); always with its file.
 * nodeId: the flow node the program was in, when known (always for a program its budget stopped). */
export type HostError = SourceDiagnostic & { file: string };

export interface HostResult {
  /** 'stop' (a stop; statement), 'end' (Main, or the JS main, returned), 'error' (a runtime error). */
  ended: 'stop' | 'end' | 'error';
  error?: HostError;
  /** Interpreter steps (CG/PL only). */
  steps?: number;
}

export function traceOf(session: CallSession): Trace | undefined {
  const trace = (session as { trace?: unknown }).trace;
  return trace instanceof Trace ? trace : undefined;
}

/** A program that ends leaves no call behind: CommuniGate disconnects the task's call. */
export async function finishCall(session: CallSession): Promise<void> {
  try {
    if (session.isConnected()) await session.disconnect();
  } catch {
    // The channel is already gone; nothing left to hang up.
  }
}

export function budgetOf(options: HostOptions): CallBudget {
  return options.budget instanceof CallBudget ? options.budget : new CallBudget(options.budget);
}

/**
 * Programs that spawn tasks (a Connect transfer) or run CLI commands: a call worker cannot serve them
 * (a spawned program and the PBX data cannot cross threads), so they run on the session's thread.
 */
export function needsCallThread(program: { cgpl: { text: string } }): boolean {
  return /\bspawn\b|\bExecuteCLI\b/i.test(program.cgpl.text);
}
