// CG/PL parser: tokens → AST, both basic (`is ... end;`) and C-like (`{ }`) style, mixable.
// Recursive descent that never throws to its caller: a syntax error unwinds to the nearest statement
// boundary (synchronize) so one run reports several problems; nesting is capped so hostile input
// cannot exhaust the stack.
import type {
  AssignOp,
  AssignStmt,
  CallStmt,
  Decl,
  Diagnostic,
  EntryDecl,
  Expr,
  ForStmt,
  IfStmt,
  ProcDecl,
  Program,
  Stmt,
  Style,
  VarStmt,
} from './ast';
import { lexCgpl } from './lexer';
import { describeToken, type Token } from './tokens';
import { ABORT, SYNTAX, at } from './cursor';
import { ExpressionParser } from './expressions';

const MAX_ERRORS = 50;

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
const DECL_KEYWORDS = new Set(['entry', 'procedure', 'function']);
/** Tokens that end a basic-style statement list (the caller decides whether they are welcome). */
const BASIC_END = new Set(['end', 'elif', 'else', 'entry', 'procedure', 'function']);

/** Declarations and statements; expressions come from ExpressionParser, tokens from TokenCursor. */
class Parser extends ExpressionParser {
  // ---- declarations ----
  parseProgram(): Program {
    const decls: Decl[] = [];
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      const start = this.i;
      try {
        if (t.kind === 'keyword' && DECL_KEYWORDS.has(t.text)) decls.push(this.parseDecl());
        else throw this.fail(t, `expected 'entry', 'procedure' or 'function', found ${describeToken(t)}`);
      } catch (e) {
        if (e !== SYNTAX) throw e;
        if (this.i === start) this.next();
        while (this.peek().kind !== 'eof' && !(this.peek().kind === 'keyword' && DECL_KEYWORDS.has(this.peek().text)))
          this.next();
      }
    }
    return { kind: 'Program', decls };
  }

  private parseDecl(): Decl {
    const start = this.next();
    const word = start.text as 'entry' | 'procedure' | 'function';
    const name = this.expectName(`after '${word}'`).text;
    const label = `${word} ${name}`;
    if (word === 'entry') {
      const { body, style } = this.parseDeclBody(start, word, label);
      const decl: EntryDecl = { kind: 'Entry', name, body, style, pos: this.pos(start) };
      return decl;
    }
    this.expectOp('(', `after ${label}`);
    const params: string[] = [];
    if (!this.isOp(this.peek(), ')')) {
      params.push(this.expectName(`for a parameter of ${label}`).text);
      while (this.isOp(this.peek(), ',')) {
        this.next();
        params.push(this.expectName(`for a parameter of ${label}`).text);
      }
    }
    this.expectOp(')', `after the parameters of ${label}`);
    const kind = word === 'procedure' ? 'Procedure' : 'Function';
    const link = this.peek();
    if (this.isKw(link, 'forward') || this.isKw(link, 'external')) {
      this.next();
      this.expectSemicolon(`'${link.text}'`);
      const decl: ProcDecl = {
        kind,
        name,
        params,
        body: null,
        linkage: link.text as 'forward' | 'external',
        style: 'basic',
        pos: this.pos(start),
      };
      return decl;
    }
    const { body, style } = this.parseDeclBody(start, word, label);
    return { kind, name, params, body, linkage: 'local', style, pos: this.pos(start) };
  }

  private parseDeclBody(start: Token, word: string, label: string): { body: Stmt[]; style: Style } {
    const t = this.peek();
    if (this.isOp(t, '{')) return { body: this.parseBraced(label), style: 'c' };
    if (!this.isKw(t, 'is')) {
      const also = word === 'entry' ? '' : ", 'forward' or 'external'";
      throw this.fail(t, `expected 'is' or '{'${also} after ${label}, found ${describeToken(t)}`);
    }
    this.next();
    const body = this.parseBasicList();
    const e = this.peek();
    if (this.isKw(e, 'end')) {
      this.next();
      const w = this.peek();
      if (this.isKw(w, word)) this.next();
      else if (w.kind === 'keyword' && ['if', 'loop', 'entry', 'procedure', 'function'].includes(w.text)) {
        this.report(
          w.line,
          w.col,
          `expected 'end;' or 'end ${word};' to close ${label} (line ${start.line}), found 'end ${w.text}'`,
        );
        this.next();
      }
      this.expectSemicolon(`the end of ${label}`);
    } else {
      this.report(e.line, e.col, `expected 'end;' to close ${label} (line ${start.line}), found ${describeToken(e)}`);
    }
    return { body, style: 'basic' };
  }

  // ---- statement lists ----
  private parseBasicList(): Stmt[] {
    return this.parseList(
      (t) => t.kind === 'eof' || (t.kind === 'keyword' && BASIC_END.has(t.text)) || this.isOp(t, '}'),
    );
  }

  /** `{ statements }` — the C-like body of an entry, procedure, if, while, for or a nested block. */
  private parseBraced(label: string): Stmt[] {
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
          throw this.fail(t, `unexpected ${what}: nothing here to close`);
        }
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

  /** `target op value` or a procedure call, without the ';' (shared with for headers). */
  private parseAssignOrCall(): AssignStmt | CallStmt {
    const first = this.peek();
    const target = this.parsePostfix();
    const t = this.peek();
    if (t.kind === 'op' && ASSIGN_OPS.has(t.text)) {
      if (target.kind !== 'Name' && target.kind !== 'Member' && target.kind !== 'Index') {
        throw this.fail(first, `cannot assign to this expression: the target must be a name, d.key, d.(key) or a[i]`);
      }
      if (target.kind === 'Name' && target.name.includes('::')) {
        throw this.fail(first, `cannot assign to the module name '${target.name}'`);
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
      const name = this.expectName("after 'var'").text;
      let init: Expr | null = null;
      if (this.isOp(this.peek(), '=')) {
        this.next();
        init = this.parseExpr();
      }
      decls.push({ name, init });
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
    this.report(t.line, t.col, `expected 'end ${word};' to close the ${opener} at ${at(open)}, found ${found}`);
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
    if (this.isKw(t, 'loop')) this.next();
    else this.report(t.line, t.col, `expected 'loop' after the while condition, found ${describeToken(t)}`);
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
    if (this.isKw(t, 'loop')) this.next();
    else throw this.fail(t, `expected 'loop' after the for header, found ${describeToken(t)}`);
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

/**
 * Parse a CG/PL program. Never throws. `program` is null when there is any error; warnings alone
 * keep it. Diagnostics are sorted by position, one per position, at most about 50.
 * @example parseCgpl('entry Main is stop; end;').program?.decls[0].kind // 'Entry'
 */
export function parseCgpl(source: string, file?: string): { program: Program | null; diagnostics: Diagnostic[] } {
  void file; // diagnostics are file-relative; formatDiagnostic(file, d) adds the name
  try {
    return parseTokens(lexCgpl(typeof source === 'string' ? source : String(source)));
  } catch (e) {
    return {
      program: null,
      diagnostics: [{ line: 1, col: 1, message: `internal parser error: ${String(e)}`, severity: 'error' }],
    };
  }
}

function parseTokens(lexed: ReturnType<typeof lexCgpl>): { program: Program | null; diagnostics: Diagnostic[] } {
  const lexErrors = lexed.diagnostics.filter((d) => d.severity === 'error').length;
  const parser = new Parser(lexed.tokens, Math.max(1, MAX_ERRORS - lexErrors));
  let program: Program | null = null;
  let stopped = false;
  try {
    program = parser.parseProgram();
  } catch (e) {
    if (e !== ABORT) throw e;
    stopped = true;
  }
  const eof = lexed.tokens[lexed.tokens.length - 1];
  const echoes = eof.bad
    ? parser.diagnostics.filter((d) => !(d.line === eof.line && d.col === eof.col))
    : parser.diagnostics;
  const diagnostics = tidy([...lexed.diagnostics, ...echoes]);
  if (stopped && diagnostics.length >= MAX_ERRORS) {
    const last = diagnostics[diagnostics.length - 1];
    diagnostics.push({ line: last.line, col: last.col, message: 'too many errors; stopped here', severity: 'error' });
  }
  if (stopped || diagnostics.some((d) => d.severity === 'error')) program = null;
  return { program, diagnostics };
}

/** Sort by position, keep the first problem at each position, cap the count. */
function tidy(diags: Diagnostic[]): Diagnostic[] {
  const sorted = diags.map((d, k) => ({ d, k })).sort((a, b) => a.d.line - b.d.line || a.d.col - b.d.col || a.k - b.k);
  const out: Diagnostic[] = [];
  for (const { d } of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.line === d.line && prev.col === d.col) continue;
    if (out.length >= MAX_ERRORS) break;
    out.push(d);
  }
  return out;
}
