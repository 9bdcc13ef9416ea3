// Small matchers over the CG/PL AST for the importer: calls (with Void unwrapped), literals, names,
// {{templates}} read back from string expressions, and conditions in either polarity.
import type { CallExpr, Expr, IfStmt, Stmt } from '../cgpl/ast';
import { printCgpl, printExpr } from '../cgpl/printer';
import { NO_POS } from '../cgpl/ast';
import { BUILTIN_VARIABLES } from '../flow/model';
import { parseTemplate } from '../flow/templates';

const lc = (s: string) => s.toLowerCase();

/** The call a statement makes (`Void(f(x))` counts as `f(x)`), or null. */
export function stmtCall(s: Stmt | undefined, callee?: string): CallExpr | null {
  if (s?.kind !== 'CallStmt') return null;
  let c = s.call;
  if (lc(c.callee) === 'void' && c.module === null && c.args.length === 1 && c.args[0].kind === 'Call') c = c.args[0];
  return isCall(c, callee) ? c : null;
}

export function isCall(e: Expr | undefined, callee?: string, argc?: number): e is CallExpr {
  if (e?.kind !== 'Call' || e.module !== null || e.method) return false;
  if (callee !== undefined && lc(e.callee) !== lc(callee)) return false;
  return argc === undefined || e.args.length === argc;
}

export const strOf = (e: Expr | null | undefined): string | null => (e?.kind === 'String' ? e.value : null);
export const nameOf = (e: Expr | null | undefined): string | null => (e?.kind === 'Name' ? e.name : null);
export function numOf(e: Expr | null | undefined): number | null {
  if (e?.kind !== 'Number') return null;
  const n = Number(e.value);
  return Number.isSafeInteger(n) ? n : null;
}
export const isNull = (e: Expr | null | undefined) => e?.kind === 'NullLit';
export const sameName = (a: string | null, b: string | null) => a !== null && b !== null && lc(a) === lc(b);

/** `x = value;` to a plain name: [name, value], or null. */
export function assignOf(s: Stmt | undefined): { name: string; value: Expr } | null {
  if (s?.kind !== 'Assign' || s.op !== '=' || s.target.kind !== 'Name') return null;
  return { name: s.target.name, value: s.value };
}

/** `left op right` with that operator, or null. */
export function binOf(e: Expr | undefined, op: string): { left: Expr; right: Expr } | null {
  return e?.kind === 'Binary' && e.op === op ? { left: e.left, right: e.right } : null;
}

/** Operands of a left-folded chain `a op b op c` (one operand when e is not such a chain). */
export function chainOf(e: Expr, op: string): Expr[] {
  const out: Expr[] = [];
  let cur = e;
  while (cur.kind === 'Binary' && cur.op === op) {
    out.push(cur.right);
    cur = cur.left;
  }
  out.push(cur);
  return out.reverse();
}

/** The built-in a template placeholder stands for, by its call: MyEmail() → account. */
const PLACEHOLDER_OF: Record<string, string> = Object.fromEntries(
  Object.entries(BUILTIN_VARIABLES).map(([k, v]) => [lc(v.replace(/\(\)$/, '')), k]),
);

/**
 * A string expression the flow's templates write (`"Contact phone: " + digits`) as a template, or
 * null when it is anything else (or would not read back as the same parts).
 */
export function templateOf(e: Expr): string | null {
  const parts = chainOf(e, '+');
  let out = '';
  const expected: { kind: 'text' | 'var'; value: string }[] = [];
  for (const p of parts) {
    if (p.kind === 'String') {
      if (p.value === '') {
        if (parts.length > 1) return null;
        continue;
      }
      out += p.value.replaceAll('{{', '{{{{');
      expected.push({ kind: 'text', value: p.value });
    } else if (p.kind === 'Name') {
      if (p.name in BUILTIN_VARIABLES) return null;
      out += `{{${p.name}}}`;
      expected.push({ kind: 'var', value: p.name });
    } else if (isCall(p, undefined, 0) && PLACEHOLDER_OF[lc(p.callee)]) {
      const name = PLACEHOLDER_OF[lc(p.callee)]!;
      out += `{{${name}}}`;
      expected.push({ kind: 'var', value: name });
    } else return null;
  }
  // two texts in a row, or a text that reads differently next to a placeholder, would not come back
  const back = parseTemplate(out).map((p) =>
    p.kind === 'text' ? { kind: 'text', value: p.text } : { kind: 'var', value: p.name },
  );
  return JSON.stringify(back) === JSON.stringify(expected) ? out : null;
}

/** What a condition tests, or its opposite: the condition `negate` (compiler/generate/build) would write. */
export function opposite(cond: Expr): Expr {
  if (cond.kind === 'Binary' && (cond.op === '==' || cond.op === '!='))
    return { ...cond, op: cond.op === '==' ? '!=' : '==' };
  if (cond.kind === 'Unary' && (cond.op === 'not' || cond.op === '!')) return cond.operand;
  return { kind: 'Unary', op: 'not', operand: cond, pos: NO_POS };
}

/** Tries the matcher on the condition, then on its opposite: the value and which way round it matched. */
export function eitherWay<T>(cond: Expr, match: (c: Expr) => T | null): { value: T; positive: boolean } | null {
  const direct = match(cond);
  if (direct !== null) return { value: direct, positive: true };
  const flipped = match(opposite(cond));
  return flipped !== null ? { value: flipped, positive: false } : null;
}

/** `if c then stop; end if;` */
export function isStopIf(s: Stmt | undefined, cond: (c: Expr) => boolean): boolean {
  return (
    s?.kind === 'If' &&
    s.branches.length === 1 &&
    s.elseBody === null &&
    s.branches[0].body.length === 1 &&
    s.branches[0].body[0].kind === 'Stop' &&
    cond(s.branches[0].cond)
  );
}

/**
 * `if c then stop; end if;` where the `stop` is the node's own unconnected output rather than a
 * hang-up node: the printer writes a node's own one-statement branch on one line (when it fits).
 */
export function stopsHere(s: IfStmt, ambiguous = true): boolean {
  const body = s.branches[0]?.body;
  if (s.branches.length !== 1 || s.elseBody || body?.length !== 1 || body[0].kind !== 'Stop') return false;
  if (body[0].pos.line === s.pos.line) return true;
  const line = `if ${printExpr(s.branches[0].cond)} then stop; end if;`;
  // too long for one line: either reading gives the same text; `ambiguous` says which to take
  return ambiguous && s.pos.col - 1 + line.length > MAX_COMPACT_LINE;
}

/** compiler/cgpl/printer.ts MAX_COMPACT: the longest one-line `if` it writes. */
const MAX_COMPACT_LINE = 100;

export const singleIf = (s: Stmt | undefined): s is IfStmt => s?.kind === 'If' && s.branches.length === 1;

/** Statements printed as CG/PL, one level deep as in an entry's body, without that indent. */
export function printStatements(stmts: Stmt[]): string {
  const { text } = printCgpl({
    kind: 'Program',
    decls: [{ kind: 'Entry', name: 'Main', body: stmts, style: 'basic', pos: NO_POS }],
  });
  const lines = text.split('\n').slice(1, -2);
  return lines.map((l) => (l.startsWith('  ') ? l.slice(2) : l)).join('\n');
}

/** A run of `PlayFile("name");` from index i: the prompt names. */
export function playRun(stmts: Stmt[], i: number): string[] {
  const out: string[] = [];
  for (let k = i; k < stmts.length; k++) {
    const c = stmtCall(stmts[k], 'PlayFile');
    const name = c && c.args.length === 1 ? strOf(c.args[0]) : null;
    if (name === null) break;
    out.push(name);
  }
  return out;
}
