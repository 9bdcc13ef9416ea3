// Derived data: problems, the CG/PL program with its source map, the JS module. Computed from the
// document on demand and cached by document identity (every edit makes a new document object).
// Moving nodes makes a new document on every drag step but changes nothing the validator or the
// generators read, so a result is carried over to a document that differs only in positions: a drag
// or a layout never re-validates or recompiles a 1,000-node flow per frame.
import type { FlowDocument } from '../../compiler/flow/schema';
import { validateFlow } from '../../compiler/flow/validate';
import { hasErrors, type Problem } from '../../compiler/flow/problems';
import { compileToCgpl, compileToJs, type SourceMap } from '../../compiler/generate';
import { parseCgpl } from '../../compiler/cgpl/parser';
import { checkCgpl } from '../../compiler/cgpl/check';
import type { Diagnostic } from '../../compiler/diagnostics';

const finite = (p: { x: number; y: number }) => Number.isFinite(p.x) && Number.isFinite(p.y);

/** Same object, or the same object with only a (finite) position replaced. */
function samePlaced<T extends { position: { x: number; y: number } }>(a: T, b: T): boolean {
  if (a === b) return true;
  if (!finite(a.position) || !finite(b.position)) return false;
  const ka = Object.keys(a) as (keyof T)[];
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => k === 'position' || a[k] === b[k]);
}

function sameList<T extends { position: { x: number; y: number } }>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!samePlaced(a[i]!, b[i]!)) return false;
  return true;
}

/** True when b is a only with nodes or notes moved (what movePositions makes). */
export function differsOnlyInPositions(a: FlowDocument, b: FlowDocument): boolean {
  if (a === b) return true;
  const keys = Object.keys(a) as (keyof FlowDocument)[];
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) {
    if (k === 'nodes' || k === 'notes') continue;
    if (a[k] !== b[k]) return false;
  }
  return sameList(a.nodes, b.nodes) && sameList(a.notes, b.notes);
}

type Memo<T> = ((doc: FlowDocument) => T) & {
  /** The value if it is known without computing it (this document, or one it differs from only in positions). */
  peek(doc: FlowDocument): T | undefined;
};

function memoByDoc<T>(compute: (doc: FlowDocument) => T): Memo<T> {
  const cache = new WeakMap<FlowDocument, T>();
  let last: { doc: FlowDocument; value: T } | null = null;
  const peek = (doc: FlowDocument): T | undefined => {
    if (cache.has(doc)) return cache.get(doc) as T;
    return last && differsOnlyInPositions(last.doc, doc) ? last.value : undefined;
  };
  const get = (doc: FlowDocument): T => {
    if (cache.has(doc)) return cache.get(doc) as T;
    const value = last && differsOnlyInPositions(last.doc, doc) ? last.value : compute(doc);
    cache.set(doc, value);
    last = { doc, value };
    return value;
  };
  return Object.assign(get, { peek });
}

/** Never passes baseDir: the designer has no disk; prompt files are checked by the server. */
export const selectProblems = memoByDoc((doc): Problem[] => validateFlow(doc));

const errorCounts = new WeakMap<readonly Problem[], Map<string, number>>();

/** Errors per node id, built once per problem list (every node on the canvas asks for its count). */
export function selectErrorCounts(doc: FlowDocument): ReadonlyMap<string, number> {
  const problems = selectProblems(doc);
  let counts = errorCounts.get(problems);
  if (!counts) {
    counts = new Map();
    for (const p of problems)
      if (p.severity === 'error' && p.nodeId) counts.set(p.nodeId, (counts.get(p.nodeId) ?? 0) + 1);
    errorCounts.set(problems, counts);
  }
  return counts;
}

export type Compiled<T> = { ok: true; value: T } | { ok: false; error: string };

function guard<T>(doc: FlowDocument, run: () => T): Compiled<T> {
  const problems = selectProblems(doc);
  if (hasErrors(problems)) {
    const n = problems.filter((p) => p.severity === 'error').length;
    return {
      ok: false,
      error: `${n} error${n === 1 ? '' : 's'} in the flow: fix ${n === 1 ? 'it' : 'them'} (see Problems) to see the program`,
    };
  }
  try {
    return { ok: true, value: run() };
  } catch (e) {
    return { ok: false, error: `the compiler failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export const selectCgpl = memoByDoc(
  (doc): Compiled<{ text: string; sourceMap: SourceMap }> => guard(doc, () => compileToCgpl(doc)),
);

/**
 * The generated program read back and checked by the checker `ivr-studio check` and the interpreter use:
 * empty by construction; the code panel lists anything found, with its code.
 */
export const selectCgplCheck = memoByDoc((doc): Diagnostic[] => {
  const compiled = selectCgpl(doc);
  if (!compiled.ok) return [];
  const file = `${doc.name}.sppr`;
  const parsed = parseCgpl(compiled.value.text, file);
  if (!parsed.program) return parsed.diagnostics;
  return [...parsed.diagnostics, ...checkCgpl(parsed.program, { file, modules: 'unresolved' }).diagnostics];
});

export const selectJs = memoByDoc((doc): Compiled<{ text: string }> => guard(doc, () => compileToJs(doc)));

/** Problems about one node (and optionally one field or field prefix, e.g. "options"). */
export function problemsFor(problems: readonly Problem[], nodeId: string, field?: string): Problem[] {
  return problems.filter(
    (p) =>
      p.nodeId === nodeId &&
      p.edgeId === undefined &&
      (field === undefined ||
        p.field === field ||
        (p.field ?? '').startsWith(`${field}[`) ||
        (p.field ?? '').startsWith(`${field}.`)),
  );
}
