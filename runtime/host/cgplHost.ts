// Runs a CG/PL program on a call with the interpreter, the way CommuniGate starts a task at entry Main.
import type { CallSession } from '../call/api';
import { BUDGET_MESSAGE, runProgram, TIME_MESSAGE } from '../cgpl';
import type { Program } from './program';
import { budgetOf, finishCall, traceOf, type HostOptions, type HostResult, type HostError } from './common';

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
  const budget = budgetOf(options);
  const lines = program.cgpl.lineToNode;
  const nodeOf = (line: number) => (lines ? (lines[line - 1] ?? null) : null);
  let result: HostResult;
  let error: HostError | undefined;
  try {
    const run = await runProgram(program.cgpl.ast, budget.wrap(session), {
      file: program.cgpl.file,
      check: () => budget.check(),
      // The source map lists lines from the first: entry 0 is line 1.
      ...(lines ? { lineToNode: nodeOf } : {}),
      ...(program.cgpl.modules ? { modules: program.cgpl.modules } : {}),
      ...(options.onStep ? { onStep: options.onStep } : {}),
    });
    result = { ended: run.ended, steps: run.steps };
    if (run.error) {
      const node = nodeOf(run.error.line) ?? budget.node;
      // The interpreter's own limits know lines, not nodes: say which node the loop was in.
      const limit = run.error.message === BUDGET_MESSAGE || run.error.message === TIME_MESSAGE;
      const message = limit && node !== null ? `${run.error.message} in node ${node}` : run.error.message;
      error = {
        ...run.error,
        message,
        file: run.error.file ?? program.cgpl.file,
        ...(node !== null ? { nodeId: node } : {}),
      };
    }
  } catch (err) {
    result = { ended: 'error' };
    error = {
      severity: 'error',
      code: 'RUN499',
      line: 1,
      column: 1,
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
