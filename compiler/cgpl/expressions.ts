// CG/PL expressions, loosest to tightest: `c ? a : b`; all logical operators on one level, left to
// right; comparisons; + -; * / %; unary; postfix calls, members, indexes and method-style calls.
import type { BinaryOp, CallExpr, Expr, LogicalOp } from './ast';
import { describeToken, MAX_INT64 } from './tokens';
import { TokenCursor, at } from './cursor';

const COMPARE = new Set<string>(['<', '<=', '==', '!=', '>=', '>']);
const LOGICAL_SYMBOLS = new Set<string>(['&', '|', '^', '&&', '||']);
const ADD = new Set(['+', '-']);
const MUL = new Set(['*', '/', '%']);
const POSTFIX_OPENERS = new Set(['(', '.', '[', '::']);

export class ExpressionParser extends TokenCursor {
  parseExpr(): Expr {
    const t = this.peek();
    this.enter(t);
    try {
      const cond = this.parseLogical();
      if (!this.isOp(this.peek(), '?')) return cond;
      this.next();
      const then = this.parseExpr();
      this.expectOp(':', "in a 'c ? a : b' expression");
      const otherwise = this.parseExpr();
      return { kind: 'Ternary', cond, then, otherwise, pos: cond.pos };
    } finally {
      this.depth--;
    }
  }

  /** All logical operators share one level, left to right. */
  protected logicalOp(): { op: LogicalOp; width: number } | null {
    const t = this.peek();
    if (t.kind === 'keyword') {
      if (t.text === 'and')
        return this.isKw(this.peek(1), 'then') ? { op: 'and then', width: 2 } : { op: 'and', width: 1 };
      if (t.text === 'or')
        return this.isKw(this.peek(1), 'else') ? { op: 'or else', width: 2 } : { op: 'or', width: 1 };
      if (t.text === 'xor') return { op: 'xor', width: 1 };
    } else if (t.kind === 'op' && LOGICAL_SYMBOLS.has(t.text)) {
      return { op: t.text as LogicalOp, width: 1 };
    }
    return null;
  }

  protected parseLogical(): Expr {
    let left = this.parseCompare();
    const depth = this.depth;
    try {
      for (let op = this.logicalOp(); op; op = this.logicalOp()) {
        // each operator deepens the tree, so a long chain counts as nesting
        this.enter(this.peek());
        this.i += op.width;
        left = { kind: 'Binary', op: op.op, left, right: this.parseCompare(), pos: left.pos };
      }
    } finally {
      this.depth = depth;
    }
    return left;
  }

  protected parseBinaryLevel(ops: ReadonlySet<string>, operand: () => Expr): Expr {
    let left = operand();
    const depth = this.depth;
    try {
      while (this.peek().kind === 'op' && ops.has(this.peek().text)) {
        this.enter(this.peek());
        const op = this.next().text as BinaryOp;
        left = { kind: 'Binary', op, left, right: operand(), pos: left.pos };
      }
    } finally {
      this.depth = depth;
    }
    return left;
  }

  protected parseCompare(): Expr {
    return this.parseBinaryLevel(COMPARE, () => this.parseAdd());
  }
  protected parseAdd(): Expr {
    return this.parseBinaryLevel(ADD, () => this.parseMul());
  }
  protected parseMul(): Expr {
    return this.parseBinaryLevel(MUL, () => this.parseUnary());
  }

  protected parseUnary(): Expr {
    const t = this.peek();
    const op =
      t.kind === 'op' && (t.text === '-' || t.text === '+' || t.text === '!')
        ? t.text
        : this.isKw(t, 'not')
          ? 'not'
          : null;
    if (!op) return this.parsePostfix();
    const n = this.peek(1);
    const after = this.peek(2);
    if (op === '-' && n.kind === 'number' && !(after.kind === 'op' && POSTFIX_OPENERS.has(after.text))) {
      // fold `-123` into one literal so the smallest int64 can be written
      this.next();
      this.next();
      if (n.num! > MAX_INT64 + 1n)
        this.report(n.line, n.col, `number -${n.text} does not fit in a 64-bit integer`, 'CGPL106');
      return { kind: 'Number', value: n.num! > MAX_INT64 + 1n ? 0n : -n.num!, pos: this.pos(t) };
    }
    this.enter(t);
    try {
      this.next();
      return { kind: 'Unary', op: op as '-' | '+' | '!' | 'not', operand: this.parseUnary(), pos: this.pos(t) };
    } finally {
      this.depth--;
    }
  }

  protected parsePostfix(): Expr {
    let e = this.parsePrimary();
    const depth = this.depth;
    try {
      for (;;) {
        const t = this.peek();
        if (this.isOp(t, '.')) {
          this.enter(t);
          this.next();
          const k = this.peek();
          if (this.isOp(k, '(')) {
            this.next();
            const key = this.parseExpr();
            this.expectOp(')', `to close the key in d.(key)`);
            e = { kind: 'Member', object: e, key, pos: e.pos };
          } else if (k.kind === 'keyword') {
            // consumed, so recovery does not take `d.end`'s end for the end of the section
            this.next();
            throw this.fail(
              k,
              `'${k.text}' is a keyword and cannot be a key or method name: write .("${k.text}") for the key`,
              'CGPL111',
            );
          } else if (k.kind === 'name') {
            this.next();
            if (this.isOp(this.peek(), '(')) {
              this.next();
              e = {
                kind: 'Call',
                callee: k.text,
                module: null,
                args: [e, ...this.parseArgs(k.text)],
                method: true,
                pos: e.pos,
              };
            } else {
              e = { kind: 'Member', object: e, key: k.text, pos: e.pos };
            }
          } else {
            throw this.fail(k, `expected a key name or '(' after '.', found ${describeToken(k)}`);
          }
        } else if (this.isOp(t, '[')) {
          this.enter(t);
          this.next();
          const index = this.parseExpr();
          this.expectOp(']', 'to close the index');
          e = { kind: 'Index', object: e, index, pos: e.pos };
        } else if (this.isOp(t, '(')) {
          throw this.fail(t, `only a name can be called: write f(x), m::f(x) or x.f()`, 'CGPL118');
        } else {
          return e;
        }
      }
    } finally {
      this.depth = depth;
    }
  }

  /** Arguments after the '(' up to and including ')'. */
  protected parseArgs(callee: string): Expr[] {
    const args: Expr[] = [];
    if (this.isOp(this.peek(), ')')) {
      this.next();
      return args;
    }
    for (;;) {
      args.push(this.parseExpr());
      const t = this.next();
      if (this.isOp(t, ')')) return args;
      if (!this.isOp(t, ',')) {
        this.i--;
        throw this.fail(t, `expected ',' or ')' in the arguments of ${callee}, found ${describeToken(t)}`);
      }
    }
  }

  protected parsePrimary(): Expr {
    const t = this.peek();
    const pos = this.pos(t);
    switch (t.kind) {
      case 'number':
        this.next();
        if (t.num! > MAX_INT64)
          this.report(t.line, t.col, `number ${t.text} does not fit in a 64-bit integer`, 'CGPL106');
        return { kind: 'Number', value: t.num! > MAX_INT64 ? 0n : t.num!, pos };
      case 'string': {
        let value = '';
        // adjacent literals join: "a" "b" is "ab"
        while (this.peek().kind === 'string') value += this.next().str ?? '';
        return { kind: 'String', value, pos };
      }
      case 'name': {
        this.next();
        if (this.isOp(this.peek(), '::')) {
          this.next();
          const member = this.expectName(`after '${t.text}::'`);
          if (this.isOp(this.peek(), '(')) {
            this.next();
            return {
              kind: 'Call',
              callee: member.text,
              module: t.text,
              args: this.parseArgs(`${t.text}::${member.text}`),
              method: false,
              pos,
            };
          }
          throw this.fail(
            this.peek(),
            `expected '(' after ${t.text}::${member.text}: a qualified name is a procedure or function to call`,
          );
        }
        if (this.isOp(this.peek(), '(')) {
          this.next();
          const call: CallExpr = {
            kind: 'Call',
            callee: t.text,
            module: null,
            args: this.parseArgs(t.text),
            method: false,
            pos,
          };
          return call;
        }
        return { kind: 'Name', name: t.text, pos };
      }
      case 'keyword':
        if (t.text === 'true' || t.text === 'false') {
          this.next();
          return { kind: 'Bool', value: t.text === 'true', pos };
        }
        if (t.text === 'null') {
          this.next();
          return { kind: 'NullLit', pos };
        }
        if (t.text === 'spawn') {
          this.next();
          const entry = this.expectName("after 'spawn'").text;
          let arg: Expr | null = null;
          if (this.isOp(this.peek(), '(')) {
            this.next();
            if (!this.isOp(this.peek(), ')')) arg = this.parseExpr();
            this.expectOp(')', `after the argument of spawn ${entry}`);
          }
          return { kind: 'Spawn', entry, arg, pos };
        }
        break;
      case 'op':
        if (t.text === '(') {
          this.next();
          const e = this.parseExpr();
          this.expectOp(')', `to close the '(' at ${at(t)}`);
          return e;
        }
        break;
      case 'eof':
        break;
    }
    throw this.fail(t, `expected an expression, found ${describeToken(t)}`);
  }
}
