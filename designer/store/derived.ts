// Derived data: problems, the CG/PL program with its source map, the JS module. Computed from the
// document on demand and cached by document identity (every edit makes a new document object).
import type { FlowDocument } from '../../compiler/flow/schema';
import { validateFlow } from '../../compiler/flow/validate';
import { hasErrors, type Problem } from '../../compiler/flow/problems';
import { compileToCgpl, compileToJs, type SourceMap } from '../../compiler/generate';

function memoByDoc<T>(compute: (doc: FlowDocument) => T): (doc: FlowDocument) => T {
  const cache = new WeakMap<FlowDocument, T>();
  return (doc) => {
    let value = cache.get(doc);
    if (value === undefined && !cache.has(doc)) {
      value = compute(doc);
      cache.set(doc, value);
    }
    return value as T;
  };
}

/** Never passes baseDir: the designer has no disk; prompt files are checked by the server. */
export const selectProblems = memoByDoc((doc): Problem[] => validateFlow(doc));

export type Compiled<T> = { ok: true; value: T } | { ok: false; error: string };

function guard<T>(doc: FlowDocument, run: () => T): Compiled<T> {
  const problems = selectProblems(doc);
  if (hasErrors(problems)) {
    const n = problems.filter((p) => p.severity === 'error').length;
    return { ok: false, error: `${n} error${n === 1 ? '' : 's'} in the flow: fix ${n === 1 ? 'it' : 'them'} (see Problems) to see the program` };
  }
  try {
    return { ok: true, value: run() };
  } catch (e) {
    return { ok: false, error: `the compiler failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export const selectCgpl = memoByDoc((doc): Compiled<{ text: string; sourceMap: SourceMap }> =>
  guard(doc, () => compileToCgpl(doc)));

export const selectJs = memoByDoc((doc): Compiled<{ text: string }> => guard(doc, () => compileToJs(doc)));

/** Problems about one node (and optionally one field or field prefix, e.g. "options"). */
export function problemsFor(problems: readonly Problem[], nodeId: string, field?: string): Problem[] {
  return problems.filter((p) => p.nodeId === nodeId && p.edgeId === undefined
    && (field === undefined || p.field === field || (p.field ?? '').startsWith(`${field}[`) || (p.field ?? '').startsWith(`${field}.`)));
}
