// Runs a flow compiled to a JS module (`export default async function main(call)`) on a call.
import type { CallSession } from '../call/api';
import type { Program } from './program';
import { jsRefusal } from '../../compiler/generate/js';
import { BudgetExceeded } from '../call/budget';
import { budgetOf, finishCall, traceOf, type HostOptions, type HostResult, type HostError } from './common';

const MODULE_FILE = 'flow.mjs';
/** A problem with the module as a whole: reported at its first line. */
const AT_START = { severity: 'error', code: 'RUN499', line: 1, column: 1 } as const;

/**
 * @example
 *   await call.run((session) => runJsHost(program, session));
 */
export async function runJsHost(
  program: Program,
  session: CallSession,
  options: HostOptions = {},
): Promise<HostResult> {
  const trace = options.trace ?? traceOf(session);
  const budget = budgetOf(options);
  const file = `${program.name}.mjs`;
  const fail = (error: HostError): HostResult => {
    trace?.add({ kind: 'error', ...error });
    return { ended: 'error', error };
  };
  let result: HostResult;
  if (!program.js) {
    result = fail({
      ...AT_START,
      message: program.flow
        ? `${program.file}: ${jsRefusal(program.flow)}`
        : `${program.file} is a CG/PL program: there is no JS module to run (use the cgpl target)`,
      file,
    });
  } else {
    const main = await importMain(program.js.text);
    if (typeof main === 'string') {
      result = fail({ ...AT_START, message: main, file });
    } else {
      try {
        await main(budget.wrap(session), { check: () => budget.check() });
        result = { ended: 'end' };
      } catch (err) {
        const node = budget.node;
        result = fail({
          severity: 'error',
          code: err instanceof BudgetExceeded ? 'RUN407' : 'RUN401',
          ...errorPosition(err),
          message: err instanceof Error ? err.message : String(err),
          file,
          ...(node !== null ? { nodeId: node } : {}),
        });
      }
    }
  }
  await finishCall(session);
  return result;
}

type Main = (call: CallSession, options: { check: () => void }) => Promise<unknown>;

/** Imports the module from a data: URL (no temp files; the same text is imported once). */
async function importMain(text: string): Promise<Main | string> {
  const url = `data:text/javascript;base64,${Buffer.from(`${text}\n//# sourceURL=${MODULE_FILE}\n`).toString('base64')}`;
  try {
    const mod = (await import(/* @vite-ignore */ url)) as { default?: unknown };
    if (typeof mod.default !== 'function') return 'the compiled module has no default export main(call)';
    return mod.default as Main;
  } catch (err) {
    return `the compiled module does not load: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Where in the module a thrown error came from: the first stack frame inside it. */
function errorPosition(err: unknown): { line: number; column: number } {
  const stack = err instanceof Error ? (err.stack ?? '') : '';
  for (const frame of stack.split('\n')) {
    if (!frame.includes('data:text/javascript') && !frame.includes(MODULE_FILE)) continue;
    const m = /:(\d+):(\d+)\)?\s*$/.exec(frame);
    if (m) return { line: Number(m[1]), column: Number(m[2]) };
  }
  return { line: 1, column: 1 };
}
