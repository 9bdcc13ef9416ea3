// CG/PL statements, both basic (`if ... end if;`) and C-like (`if (c) { }`) style, mixable. A syntax
// error unwinds to the nearest statement boundary (synchronize), so one run reports several problems.
import type { AssignOp, AssignStmt, CallStmt, Expr, ForStmt, IfStmt, Stmt, VarStmt } from './ast';
import { describeToken, type Token } from './tokens';
import { SYNTAX, at } from './cursor';
import { ExpressionParser } from './expressions';

const ASSIGN_OPS = new Set<string>(['=', '+=', '-=', '*=', '/=', '%=', '|=', '&=']);
/** Where a statement-level recovery may resume. */
const SYNC_KEYWORDS = new Set([
  'if',
  'loop',
  'while',
  'for',
  'var',
  'exitif',
  'stop',
  'return',
  'end',
  'elif',
  'else',
  'entry',
  'procedure',
  'function',
]);
export const DECL_KEYWORDS = new Set(['entry', 'procedure', 'function']);
/** Tokens that end a basic-style statement list (the caller decides whether they are welcome). */
const BASIC_END = new Set(['end', 'elif', 'else', 'entry', 'procedure', 'function']);

/** Statement lists and statements; expressions come from ExpressionParser. */
export class StatementParser extends ExpressionParser {
  // ---- statement lists ----
  protected parseBasicList(): Stmt[] {
    return this.parseList(
      (t) => t.kind === 'eof' || (t.kind === 'keyword' && BASIC_END.has(t.text)) || this.isOp(t, '}'),
    );
  }

  /** `{ statements }` — the C-like body of an entry, procedure, if, while, for or a nested block. */
  protected parseBraced(label: string): Stmt[] {
    const open = this.expectOp('{', `to open the body of ${label}`);
    const body = this.parseList(
      (t) => t.kind === 'eof' || this.isOp(t, '}') || (t.kind === 'keyword' && DECL_KEYWORDS.has(t.text)),
    );
    const t = this.peek();
    if (this.isOp(t, '}')) this.next();
    else
      this.report(
        t.line,
        t.col,
        `expected '}' to close the body of ${label} opened at ${at(open)}, found ${describeToken(t)}`,
        'CGPL113',
      );
    return body;
  }

  private parseList(done: (t: Token) => boolean): Stmt[] {
    const out: Stmt[] = [];
    while (!done(this.peek())) {
      const start = this.i;
      const depth = this.depth;
      try {
        out.push(this.parseStatement());
      } catch (e) {
        if (e !== SYNTAX) throw e;
        this.depth = depth;
        this.synchronize(start);
      }
    }
    return out;
  }

  /** Skip to just after a ';' or to a token that can start or end a statement. */
  private synchronize(start: number): void {
    if (this.i === start) {
      const t = this.next();
      if (this.isKw(t, 'end') && this.peek().kind === 'keyword' && !this.isKw(this.peek(), 'end')) this.next();
      if (this.isOp(t, ';')) return;
    }
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof' || this.isOp(t, '{') || this.isOp(t, '}')) return;
      if (t.kind === 'keyword' && SYNC_KEYWORDS.has(t.text)) return;
      this.next();
      if (this.isOp(t, ';')) return;
    }
  }

  // ---- statements ----
  private parseStatement(): Stmt {
    const t = this.peek();
    this.enter(t);
    try {
      return this.parseStatementInner(t);
    } finally {
      this.depth--;
    }
  }

  private parseStatementInner(t: Token): Stmt {
    const pos = this.pos(t);
    if (t.kind === 'keyword') {
      switch (t.text) {
        case 'if':
          return this.parseIf();
        case 'loop': {
          this.next();
          this.skipLoopSemicolon();
          const body = this.parseBasicList();
          this.expectEnd('loop', t);
          return { kind: 'Loop', body, pos };
        }
        case 'while':
          return this.parseWhile();
        case 'for':
          return this.parseFor();
        case 'exitif': {
          this.next();
          const cond = this.parseExpr();
          this.expectSemicolon('the exitif condition');
          return { kind: 'ExitIf', cond, pos };
        }
        case 'var': {
          const v = this.parseVar();
          this.expectSemicolon('the var declaration');
          return v;
        }
        case 'stop':
          this.next();
          this.expectSemicolon("'stop'");
          return { kind: 'Stop', pos };
        case 'return': {
          this.next();
          const value = this.isOp(this.peek(), ';') ? null : this.parseExpr();
          this.expectSemicolon(value ? 'the returned value' : "'return'");
          return { kind: 'Return', value, pos };
        }
        case 'null':
          if (this.isOp(this.peek(1), ';')) {
            this.next();
            this.next();
            return { kind: 'Null', pos };
          }
          break;
        case 'true':
        case 'false':
        case 'spawn':
          break;
        case 'end': {
          const w = this.peek(1);
          const what = w.kind === 'keyword' && w.text !== 'end' ? `'end ${w.text}'` : "'end'";
          throw this.fail(t, `unexpected ${what}: nothing here to close`, 'CGPL114');
        }
        case 'const':
          throw this.fail(t, "'const' declares constants outside code sections, before the first entry", 'CGPL116');
        default:
          throw this.fail(t, `expected a statement, found ${describeToken(t)}`);
      }
    }
    if (this.isOp(t, '{')) {
      return { kind: 'Block', body: this.parseBraced('the block'), pos };
    }
    if (t.kind === 'eof' || (t.kind === 'op' && t.text !== '(')) {
      throw this.fail(t, `expected a statement, found ${describeToken(t)}`);
    }
    const s = this.parseAssignOrCall();
    this.expectSemicolon(s.kind === 'Assign' ? 'the assignment' : `the call to ${s.call.callee}`);
    return s;
  }

  /** Real programs write `loop;` and then the body: the ';' after `loop` is allowed and means nothing. */
  private skipLoopSemicolon(): void {
    if (this.isOp(this.peek(), ';')) this.next();
  }

  /** `target op value` or a procedure call, without the ';' (shared with for headers). */
  private parseAssignOrCall(): AssignStmt | CallStmt {
    const first = this.peek();
    const target = this.parsePostfix();
    const t = this.peek();
    if (t.kind === 'op' && ASSIGN_OPS.has(t.text)) {
      if (target.kind !== 'Name' && target.kind !== 'Member' && target.kind !== 'Index') {
        throw this.fail(
          first,
          `cannot assign to this expression: the target must be a name, d.key, d.(key) or a[i]`,
          'CGPL115',
        );
      }
      if (target.kind === 'Name' && target.name.includes('::')) {
        throw this.fail(first, `cannot assign to the module name '${target.name}'`, 'CGPL115');
      }
      this.next();
      const value = this.parseExpr();
      return { kind: 'Assign', target, op: t.text as AssignOp, value, pos: this.pos(first) };
    }
    if (target.kind === 'Call') return { kind: 'CallStmt', call: target, pos: this.pos(first) };
    throw this.fail(t, `expected an assignment or a procedure call, found ${describeToken(t)}`);
  }

  private parseVar(): VarStmt {
    const start = this.next();
    const decls: VarStmt['decls'] = [];
    do {
      if (decls.length > 0) this.next();
      const t = this.expectName("after 'var'");
      let init: Expr | null = null;
      if (this.isOp(this.peek(), '=')) {
        this.next();
        init = this.parseExpr();
      }
      decls.push({ name: t.text, init, pos: this.pos(t) });
    } while (this.isOp(this.peek(), ','));
    return { kind: 'Var', decls, pos: this.pos(start) };
  }

  /** `end if;` / `end loop;` — when absent, report and leave the tokens to the enclosing construct. */
  private expectEnd(word: 'if' | 'loop', open: Token): void {
    const t = this.peek();
    if (this.isKw(t, 'end') && this.isKw(this.peek(1), word)) {
      this.next();
      this.next();
      this.expectSemicolon(`'end ${word}'`);
      return;
    }
    const w = this.peek(1);
    const found = this.isKw(t, 'end')
      ? this.isOp(w, ';')
        ? "'end;'"
        : w.kind === 'keyword'
          ? `'end ${w.text}'`
          : "'end'"
      : describeToken(t);
    const opener = word === 'if' ? 'if' : open.text;
    this.report(
      t.line,
      t.col,
      `expected 'end ${word};' to close the ${opener} at ${at(open)}, found ${found}`,
      'CGPL113',
    );
  }

  /** A condition of if/elif/while: on a syntax error skip to the `then`/`loop`/`{` that follows. */
  private parseCond(): Expr {
    const start = this.peek();
    const depth = this.depth;
    try {
      return this.parseExpr();
    } catch (e) {
      if (e !== SYNTAX) throw e;
      this.depth = depth;
      for (;;) {
        const t = this.peek();
        if (t.kind === 'eof' || this.isOp(t, '{') || this.isOp(t, '}') || this.isOp(t, ';')) break;
        if (t.kind === 'keyword' && (t.text === 'then' || t.text === 'loop' || SYNC_KEYWORDS.has(t.text))) break;
        this.next();
      }
      return { kind: 'NullLit', pos: this.pos(start) };
    }
  }

  private parseIf(): IfStmt {
    const start = this.next();
    const branches: IfStmt['branches'] = [];
    let elseBody: Stmt[] | null = null;
    const cond = this.parseCond();
    if (this.isOp(this.peek(), '{')) {
      branches.push({ cond, body: this.parseBraced('the if') });
      while (this.isKw(this.peek(), 'elif')) {
        this.next();
        const c = this.parseCond();
        branches.push({ cond: c, body: this.parseBraced('the elif') });
      }
      if (this.isKw(this.peek(), 'else')) {
        this.next();
        elseBody = this.parseBraced('the else');
      }
      return { kind: 'If', branches, elseBody, pos: this.pos(start) };
    }
    this.expectThen('if');
    branches.push({ cond, body: this.parseBasicList() });
    while (this.isKw(this.peek(), 'elif')) {
      this.next();
      const c = this.parseCond();
      this.expectThen('elif');
      branches.push({ cond: c, body: this.parseBasicList() });
    }
    if (this.isKw(this.peek(), 'else')) {
      this.next();
      elseBody = this.parseBasicList();
    }
    this.expectEnd('if', start);
    return { kind: 'If', branches, elseBody, pos: this.pos(start) };
  }

  /** A missing `then` is reported and assumed, so the branch body is still checked. */
  private expectThen(word: string): void {
    const t = this.peek();
    if (this.isKw(t, 'then')) this.next();
    else this.report(t.line, t.col, `expected 'then' after the ${word} condition, found ${describeToken(t)}`);
  }

  private parseWhile(): Stmt {
    const start = this.next();
    const cond = this.parseCond();
    const pos = this.pos(start);
    if (this.isOp(this.peek(), '{')) return { kind: 'While', cond, body: this.parseBraced('the while'), pos };
    const t = this.peek();
    if (this.isKw(t, 'loop')) {
      this.next();
      this.skipLoopSemicolon();
    } else this.report(t.line, t.col, `expected 'loop' after the while condition, found ${describeToken(t)}`);
    const body = this.parseBasicList();
    this.expectEnd('loop', start);
    return { kind: 'While', cond, body, pos };
  }

  private parseFor(): ForStmt {
    const start = this.next();
    const pos = this.pos(start);
    if (this.isOp(this.peek(), '(')) {
      this.next();
      const init = this.isOp(this.peek(), ';') ? null : this.parseForInit();
      this.expectOp(';', 'after the for initialisation');
      const cond = this.isOp(this.peek(), ';') ? null : this.parseExpr();
      this.expectOp(';', 'after the for condition');
      const step = this.isOp(this.peek(), ')') ? null : this.parseAssignOrCall();
      this.expectOp(')', 'after the for step');
      return { kind: 'For', init, cond, step, body: this.parseBraced('the for'), pos };
    }
    const p = this.peek();
    const init = this.isKw(p, 'while') || this.isKw(p, 'by') || this.isKw(p, 'loop') ? null : this.parseForInit();
    let cond: Expr | null = null;
    let step: AssignStmt | CallStmt | null = null;
    if (this.isKw(this.peek(), 'while')) {
      this.next();
      cond = this.parseExpr();
    }
    if (this.isKw(this.peek(), 'by')) {
      this.next();
      step = this.parseAssignOrCall();
    }
    const t = this.peek();
    if (this.isKw(t, 'loop')) {
      this.next();
      this.skipLoopSemicolon();
    } else throw this.fail(t, `expected 'loop' after the for header, found ${describeToken(t)}`);
    const body = this.parseBasicList();
    this.expectEnd('loop', start);
    return { kind: 'For', init, cond, step, body, pos };
  }

  private parseForInit(): AssignStmt | VarStmt {
    if (this.isKw(this.peek(), 'var')) return this.parseVar();
    const first = this.peek();
    const s = this.parseAssignOrCall();
    if (s.kind !== 'Assign') throw this.fail(first, 'expected an assignment or var to start the for loop');
    return s;
  }
}
