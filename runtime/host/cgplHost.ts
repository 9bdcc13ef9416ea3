// Runs a CG/PL program on a call with the interpreter, the way CommuniGate starts a task at entry Main.
import type { CallSession } from '../call/api';
import { runProgram } from '../cgpl';
import type { Program } from './program';
import { finishCall, traceOf, type HostOptions, type HostResult, type HostError } from './common';

/**
 * @example
 *   const call = createSimulatedCall({ environment: program.environment, caller: parseDtmfScript('12#') });
 *   await call.run((session) => runCgplHost(program, session));
 */
export async function runCgplHost(
  program: Program,
  session: CallSession,
  options: HostOptions = {},
): Promise<HostResult> {
  const trace = options.trace ?? traceOf(session);
  let result: HostResult;
  let error: HostError | undefined;
  try {
    const lines = program.cgpl.lineToNode;
    const run = await runProgram(program.cgpl.ast, session, {
      file: program.cgpl.file,
      // The source map lists lines from the first: entry 0 is line 1.
      ...(lines ? { lineToNode: (line: number) => lines[line - 1] ?? null } : {}),
      ...(program.cgpl.modules ? { modules: program.cgpl.modules } : {}),
    });
    result = { ended: run.ended, steps: run.steps };
    if (run.error) error = { ...run.error, file: run.error.file ?? program.cgpl.file };
  } catch (err) {
    result = { ended: 'error' };
    error = {
      line: 0,
      col: 0,
      message: `interpreter failed: ${err instanceof Error ? err.message : String(err)}`,
      file: program.cgpl.file,
    };
  }
  if (error) {
    result.error = error;
    trace?.add({ kind: 'error', ...error });
  }
  await finishCall(session);
  return result;
}
