// One shape for every problem the pipeline reports — CG/PL lexer, parser and checker, flow loading and
// validation, the interpreter — one numbered catalogue of codes, and one way to print them, so the CLI
// (`parse`, `check`, `validate`, with or without --json), the designer and the tests all say the same.

export type Severity = 'error' | 'warning';

/**
 * Where a problem is and what it is. Text sources (.sppr, flow.json syntax) give line:column (1-based);
 * a flow problem gives the node, edge or field instead. Codes are stable: tools may match on them.
 */
export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  /** The file the problem is in (a program, a module .sppi, a flow.json). */
  file?: string;
  line?: number;
  column?: number;
  /** The flow node the problem belongs to (flow problems, and generated-program errors via the source map). */
  nodeId?: string;
  /** The node's type, printed next to its id so "node m1 (menu)" reads without the flow at hand. */
  nodeType?: string;
  edgeId?: string;
  /** The data field (e.g. "maxDigits", "options[2].digit") or document field ("environment.domain"). */
  field?: string;
  /** The JSON path of a shape error found while loading, e.g. "nodes[3].data.timeout". */
  path?: string;
  /** A loop's node ids, in the order a call goes round (busy loops: compiler/flow/cycles.ts). */
  cycle?: string[];
}

/** A problem in a text source: always with line:column. */
export type SourceDiagnostic = Diagnostic & { line: number; column: number };

/**
 * The catalogue. CGPL1xx: lexer and parser; CGPL2xx: the checker (names, built-ins, arity, declarations);
 * FLOW3xx: flow loading and validation; RUN4xx: the interpreter. docs/cgpl-front-end.md lists them too.
 */
export const CATALOGUE = {
  CGPL101: 'unexpected character',
  CGPL102: 'unterminated string literal',
  CGPL103: 'unterminated comment',
  CGPL104: 'bad escape or byte sequence in a string literal',
  CGPL105: 'byte-order mark at the start of the file',
  CGPL106: 'number does not fit in a 64-bit integer',
  CGPL110: 'syntax error: something else was expected here',
  CGPL111: 'a keyword used as a name',
  CGPL112: "missing ';'",
  CGPL113: 'a block is not closed (end, end if, end loop, })',
  CGPL114: "an 'end' with nothing to close, or the wrong word after 'end'",
  CGPL115: 'cannot assign to this expression',
  CGPL116: 'expected a declaration (entry, procedure, function, var, const) at the top level',
  CGPL117: 'a task variable with an initial value, or a constant without one',
  CGPL118: 'only a name can be called',
  CGPL119: 'nesting is too deep',
  CGPL120: 'too many errors; the parser stopped',
  CGPL199: 'internal parser error',
  CGPL201: 'unknown procedure or function',
  CGPL202: 'wrong number of arguments',
  CGPL203: 'a function used as a statement (discard its value with Void)',
  CGPL204: 'a procedure used as a value',
  CGPL205: 'a variable, parameter, constant or code section named like a built-in',
  CGPL206: 'a built-in of another environment (PBX in a WebApp file, WebApp in a PBX program)',
  CGPL207: 'declared twice',
  CGPL208: 'a forward declaration without a definition, or one that does not match it',
  CGPL209: 'an external declaration whose module or definition is missing or different',
  CGPL210: 'exitif outside a loop',
  CGPL211: 'a value returned from an entry or a procedure',
  CGPL212: 'assignment to a constant',
  CGPL213: 'spawn of an entry that does not exist',
  CGPL214: 'a qualified call (module::name) without an external declaration',
  CGPL215: 'a constant whose value is not a constant expression',
  CGPL299: 'internal checker error',
  FLOW301: 'the flow file is not valid JSON',
  FLOW302: 'the document does not have the shape of a flow',
  FLOW310: 'the graph: start node, node and edge ids, edge ends and outputs',
  FLOW311: 'a node that cannot be reached from the start',
  FLOW312: 'an output that is not connected',
  FLOW313: 'a loop in the flow that never waits for the caller',
  FLOW320: 'a prompt missing from the library or its recording missing',
  FLOW330: "a node's settings",
  FLOW340: 'a variable name that cannot be a CG/PL variable, or an undefined variable',
  FLOW341: 'a variable named like a CG/PL built-in',
  FLOW350: "the document's languages, accounts and environment",
  FLOW360: 'a regular expression the engine rejects',
  FLOW361: 'a regular expression that behaves differently than it reads',
  FLOW399: 'internal validation error',
  RUN401: 'runtime error',
  RUN402: 'the program has no such entry',
  RUN403: 'a built-in that the local runtime does not support',
  RUN404: 'step budget exhausted',
  RUN405: 'wall-clock limit exhausted',
  RUN406: 'calls nested too deeply',
  RUN407: "the call's computing budget is exhausted (a runaway program)",
  RUN499: 'internal runtime error',
} as const satisfies Record<string, string>;

export type DiagnosticCode = keyof typeof CATALOGUE;

export const DIAGNOSTIC_CODES = Object.keys(CATALOGUE) as DiagnosticCode[];

/** Where a diagnostic is, as printed before its severity: `flow.json: node m1 (menu) field timeout`. */
function location(d: Diagnostic, file: string | undefined): string {
  let where = file ?? d.file ?? '';
  if (where && d.line !== undefined) where += `:${d.line}:${d.column ?? 1}`;
  const parts: string[] = [];
  if (!where && d.line !== undefined) parts.push(`line ${d.line}:${d.column ?? 1}`);
  if (d.nodeId !== undefined) parts.push(`node ${d.nodeId}${d.nodeType ? ` (${d.nodeType})` : ''}`);
  if (d.edgeId !== undefined) parts.push(`edge ${d.edgeId}`);
  // The JSON path is the more precise location when both are known.
  if (d.path !== undefined) parts.push(`at ${d.path || '(document)'}`);
  else if (d.field !== undefined) parts.push(`field ${d.field}`);
  return [where, parts.join(' ')].filter((s) => s !== '').join(': ');
}

/**
 * One line per diagnostic:
 * `callback.sppr:3:14: error CGPL110: expected 'then' after the if condition, found 'PlayFile'`,
 * `flow.json: node collect1 (collectDigits) field maxDigits: error FLOW330: must be 0 or more`.
 * `file` overrides d.file (the name the user typed on the command line).
 */
export function formatDiagnostic(d: Diagnostic, file?: string): string {
  const where = location(d, file);
  return `${where ? `${where}: ` : ''}${d.severity} ${d.code}: ${d.message}`;
}

/** True when any diagnostic is an error (warnings alone do not stop compilation or a run). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** What `--json` prints: the diagnostics as they are, with counts. */
export function diagnosticsJson(diagnostics: readonly Diagnostic[], file?: string): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const list = diagnostics.map((d) => (file !== undefined && d.file === undefined ? { ...d, file } : d));
  return `${JSON.stringify({ ok: errors === 0, errors, warnings: diagnostics.length - errors, diagnostics: list }, null, 2)}\n`;
}

/** "2 errors, 1 warning" */
export function countText(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const n = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
  return warnings ? `${n(errors, 'error')}, ${n(warnings, 'warning')}` : n(errors, 'error');
}
