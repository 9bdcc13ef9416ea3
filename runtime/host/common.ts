// What both program hosts share: where errors are traced and how a call is left when a program ends.
import type { CallSession } from '../call/api';
import { Trace } from '../call/trace';

export interface HostOptions {
  /** Where errors go; default: the session's own trace (a SimulatedCall has one). */
  trace?: Trace;
}

export interface HostError {
  line: number;
  col: number;
  message: string;
  file: string;
}

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
