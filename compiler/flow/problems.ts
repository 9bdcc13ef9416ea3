// One diagnostic shape for loading and validating flows, and one way to print it, so the CLI,
// the designer's problem list and the tests all speak the same language.

export interface Problem {
  severity: 'error' | 'warning';
  message: string;
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
  /** The file the problem was found in (set by loadFlow when it is given one). */
  file?: string;
  /** 1-based position in the file, for JSON syntax errors. */
  line?: number;
  column?: number;
}

/**
 * One line per problem, e.g.
 * `flow.json: node collect1 (collectDigits) field maxDigits: error: must be 0 or more`,
 * `flow.json:3:14: error: invalid JSON: expected ',' or '}'`.
 */
export function formatProblem(p: Problem, file?: string): string {
  let where = file ?? p.file ?? '';
  if (where && p.line !== undefined) where += `:${p.line}:${p.column ?? 1}`;
  const parts: string[] = [];
  if (p.nodeId !== undefined) parts.push(`node ${p.nodeId}${p.nodeType ? ` (${p.nodeType})` : ''}`);
  if (p.edgeId !== undefined) parts.push(`edge ${p.edgeId}`);
  // The JSON path is the more precise location when both are known.
  if (p.path !== undefined) parts.push(`at ${p.path || '(document)'}`);
  else if (p.field !== undefined) parts.push(`field ${p.field}`);
  if (!where && p.line !== undefined) parts.unshift(`line ${p.line}:${p.column ?? 1}`);
  const location = [where, parts.join(' ')].filter((s) => s !== '').join(': ');
  return `${location ? `${location}: ` : ''}${p.severity}: ${p.message}`;
}

/** True when any problem is an error (warnings alone do not stop compilation). */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
