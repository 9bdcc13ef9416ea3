// One simulated call of a loaded program: what `ivr-studio simulate`, the scenario runner and the
// designer's test call do.
import { createSimulatedCall, type CallResult, type SimulatedCallOptions } from '../call/simulated';
import type { Program } from './program';
import { runCgplHost } from './cgplHost';
import { runJsHost } from './jsHost';
import type { HostResult } from './common';
import type { CallBudgetOptions } from '../call/budget';

export type Target = 'cgpl' | 'js';

export interface SimulateOptions extends Omit<SimulatedCallOptions, 'environment'> {
  /** Which compiled form runs: the CG/PL interpreter (default) or the JS module (flows only). */
  target?: Target;
  /** The program's CPU budget settings (runtime/call/budget.ts). */
  budget?: CallBudgetOptions;
}

export interface SimulateResult extends CallResult {
  host: HostResult;
}

/**
 * @example
 *   const { program } = await loadProgram('samples/callback/flow.json');
 *   const result = await simulateCall(program!, { caller: parseDtmfScript('5551234#'), mailer });
 *   process.stdout.write(result.trace.toText());
 */
export async function simulateCall(program: Program, options: SimulateOptions = {}): Promise<SimulateResult> {
  const { target = 'cgpl', budget, ...callOptions } = options;
  const call = createSimulatedCall({ ...callOptions, environment: program.environment });
  let host: HostResult = { ended: 'stop' };
  const hostOptions = budget ? { budget } : {};
  const result = await call.run(async (session) => {
    host =
      target === 'js'
        ? await runJsHost(program, session, hostOptions)
        : await runCgplHost(program, session, hostOptions);
  });
  return { ...result, host };
}
