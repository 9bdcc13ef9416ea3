// CG/PL printer: AST → basic-style source, 2-space indent, plus a line → flow-node source map.
import { assertNever, type Decl, type Expr, type Program, type Stmt } from './ast';
import { cgplStringLiteral } from './strings';
import { KEYWORDS } from './tokens';

const MAX_COMPACT = 100;
const KEY_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const LOGICAL = new Set<string>(['and', 'or', 'xor', '&', '|', '^', 'and then', 'or else', '&&', '||']);
const COMPARE = new Set<string>(['<', '<=', '==', '!=', '>=', '>']);

/** Binding strength, loosest (ternary) to tightest (postfix and literals). */
function prec(e: Expr): number {
  switch (e.kind) {
    case 'Ternary':
      return 1;
    case 'Binary':
      return LOGICAL.has(e.op) ? 2 : COMPARE.has(e.op) ? 3 : e.op === '+' || e.op === '-' ? 4 : 5;
    case 'Unary':
      return 6;
    case 'Number':
      return e.value < 0n ? 6 : 7;
    default:
      return 7;
  }
}

function wrap(e: Expr, parens: boolean): string {
  return parens ? `(${printExpr(e)})` : printExpr(e);
}

/** One expression on one line, parenthesised only where precedence needs it. */
export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'String':
      return cgplStringLiteral(e.value);
    case 'Number':
      return e.value.toString();
    case 'NullLit':
      return 'null';
    case 'Bool':
      return e.value ? 'true' : 'false';
    case 'Name':
      return e.name;
    case 'Call': {
      if (e.method && e.args.length > 0) {
        const [self, ...rest] = e.args;
        return `${wrap(self, prec(self) < 7)}.${e.callee}(${rest.map(printExpr).join(', ')})`;
      }
      return `${e.module ? e.module + '::' : ''}${e.callee}(${e.args.map(printExpr).join(', ')})`;
    }
    case 'Member': {
      const obj = wrap(e.object, prec(e.object) < 7);
      if (typeof e.key === 'string')
        return KEY_NAME.test(e.key) && !KEYWORDS.has(e.key.toLowerCase())
          ? `${obj}.${e.key}`
          : `${obj}.(${cgplStringLiteral(e.key)})`;
      return `${obj}.(${printExpr(e.key)})`;
    }
    case 'Index':
      return `${wrap(e.object, prec(e.object) < 7)}[${printExpr(e.index)}]`;
    case 'Unary': {
      const inner = wrap(e.operand, prec(e.operand) < 6);
      if (e.op === 'not') return `not ${inner}`;
      // keep `- -x` apart; `-5` alone would read back as the literal -5, which is the same value
      return inner.startsWith('-') || inner.startsWith('+') ? `${e.op} ${inner}` : `${e.op}${inner}`;
    }
    case 'Binary': {
      const p = prec(e);
      // logical operators share one level: a logical or ternary operand gets parentheses, except
      // a chain of one operator (`a and b and c`), which reads the same either way
      const sameChain = e.left.kind === 'Binary' && e.left.op === e.op;
      const left = wrap(e.left, p === 2 ? prec(e.left) <= 2 && !sameChain : prec(e.left) < p);
      const right = wrap(e.right, prec(e.right) <= p);
      return `${left} ${e.op} ${right}`;
    }
    case 'Ternary':
      return `${wrap(e.cond, prec(e.cond) <= 1)} ? ${wrap(e.then, prec(e.then) <= 1)} : ${printExpr(e.otherwise)}`;
    case 'Spawn':
      return `spawn ${e.entry}(${e.arg ? printExpr(e.arg) : ''})`;
    default:
      return assertNever(e);
  }
}

class Out {
  readonly lines: string[] = [];
  readonly nodes: (string | null)[] = [];
  private readonly pads: string[] = [''];
  emit(indent: number, text: string, node: string | null): void {
    while (this.pads.length <= indent) this.pads.push(this.pads[this.pads.length - 1] + '  ');
    this.lines.push(this.pads[indent] + text);
    this.nodes.push(node);
  }
}

/** The text of a statement that fits on one line (no trailing ';'), or null for compound ones. */
function simpleText(s: Stmt): string | null {
  switch (s.kind) {
    case 'Assign':
      return `${printExpr(s.target)} ${s.op} ${printExpr(s.value)}`;
    case 'CallStmt':
      return printExpr(s.call);
    case 'Null':
      return 'null';
    case 'Stop':
      return 'stop';
    case 'Return':
      return s.value ? `return ${printExpr(s.value)}` : 'return';
    case 'ExitIf':
      return `exitif ${printExpr(s.cond)}`;
    case 'Var':
      return 'var ' + s.decls.map((d) => (d.init ? `${d.name} = ${printExpr(d.init)}` : d.name)).join(', ');
    default:
      return null;
  }
}

function printBody(out: Out, body: Stmt[], indent: number, node: string | null): void {
  for (const s of body) printStmt(out, s, indent, node);
}

function printStmt(out: Out, s: Stmt, indent: number, inherited: string | null): void {
  const node = s.nodeId ?? inherited;
  const simple = simpleText(s);
  if (simple !== null) {
    out.emit(indent, simple + ';', node);
    return;
  }
  switch (s.kind) {
    case 'If': {
      const [first, ...elifs] = s.branches;
      if (!first) {
        // no branch at all: nothing can run but the else
        if (s.elseBody) printBody(out, s.elseBody, indent, node);
        return;
      }
      const cond = printExpr(first.cond);
      const only = first.body.length === 1 ? first.body[0] : null;
      const inner =
        only && only.kind !== 'Var' && (only.nodeId === undefined || only.nodeId === s.nodeId)
          ? simpleText(only)
          : null;
      if (inner !== null && elifs.length === 0 && !s.elseBody) {
        // `if AcceptCall() != null then stop; end if;` reads best on one line
        const line = `if ${cond} then ${inner}; end if;`;
        if (indent * 2 + line.length <= MAX_COMPACT) {
          out.emit(indent, line, node);
          return;
        }
      }
      out.emit(indent, `if ${cond} then`, node);
      printBody(out, first.body, indent + 1, node);
      for (const b of elifs) {
        out.emit(indent, `elif ${printExpr(b.cond)} then`, node);
        printBody(out, b.body, indent + 1, node);
      }
      if (s.elseBody) {
        out.emit(indent, 'else', node);
        printBody(out, s.elseBody, indent + 1, node);
      }
      out.emit(indent, 'end if;', node);
      return;
    }
    case 'Loop':
    case 'While':
    case 'For': {
      let head = 'loop';
      if (s.kind === 'While') head = `while ${printExpr(s.cond)} loop`;
      if (s.kind === 'For' && s.init && simpleText(s.init)!.startsWith('(')) {
        // `for (` announces the C form, so an init like `(a).b = 1` can only be written that way
        const cond = s.cond ? printExpr(s.cond) : '';
        const step = s.step ? simpleText(s.step)! : '';
        out.emit(indent, `for (${simpleText(s.init)}; ${cond}; ${step}) {`, node);
        printBody(out, s.body, indent + 1, node);
        out.emit(indent, '}', node);
        return;
      }
      if (s.kind === 'For') {
        const parts = ['for'];
        if (s.init) parts.push(simpleText(s.init)!);
        if (s.cond) parts.push('while', printExpr(s.cond));
        if (s.step) parts.push('by', simpleText(s.step)!);
        head = parts.join(' ') + ' loop';
      }
      out.emit(indent, head, node);
      printBody(out, s.body, indent + 1, node);
      out.emit(indent, 'end loop;', node);
      return;
    }
    case 'Block':
      out.emit(indent, '{', node);
      printBody(out, s.body, indent + 1, node);
      out.emit(indent, '}', node);
      return;
    case 'Assign':
    case 'CallStmt':
    case 'Null':
    case 'Stop':
    case 'Return':
    case 'ExitIf':
    case 'Var':
      return; // printed as simple statements above
    default:
      assertNever(s);
  }
}

function printDecl(out: Out, d: Decl): void {
  if (d.kind === 'Entry') {
    out.emit(0, `entry ${d.name} is`, null);
    printBody(out, d.body, 1, null);
    out.emit(0, 'end;', null);
    return;
  }
  if (d.kind === 'TaskVar') {
    out.emit(0, `var ${d.names.map((n) => n.name).join(', ')};`, null);
    return;
  }
  if (d.kind === 'Const') {
    out.emit(0, `const ${d.decls.map((c) => `${c.name} = ${printExpr(c.value)}`).join(', ')};`, null);
    return;
  }
  const name = d.module ? `${d.module}::${d.name}` : d.name;
  const head = `${d.kind === 'Procedure' ? 'procedure' : 'function'} ${name}(${d.params.join(', ')})`;
  if (d.linkage !== 'local') {
    out.emit(0, `${head} ${d.linkage};`, null);
    return;
  }
  out.emit(0, `${head} is`, null);
  printBody(out, d.body ?? [], 1, null);
  out.emit(0, 'end;', null);
}

/**
 * Print a program in basic style, as a CommuniGate engineer would write it by hand.
 * `lineNodes[i]` is the flow node id behind line i + 1 (null for headers, declarations, blanks).
 * @example printCgpl(program).text // 'entry Main is\n  stop;\nend;\n'
 */
export function printCgpl(program: Program): { text: string; lineNodes: (string | null)[] } {
  const out = new Out();
  for (const h of program.header ?? []) {
    for (const line of h.split(/\r\n|\r|\n/)) out.emit(0, line ? `// ${line}` : '//', null);
  }
  program.decls.forEach((d, k) => {
    if (k > 0 || out.lines.length > 0) out.emit(0, '', null);
    printDecl(out, d);
  });
  return { text: out.lines.length ? out.lines.join('\n') + '\n' : '', lineNodes: out.nodes };
}
