// CG/PL parser: tokens → AST. Declarations here (entry, procedure, function, task var, const);
// statements in statements.ts, expressions in expressions.ts. Recursive descent that never throws to its
// caller: a syntax error unwinds to the nearest statement or declaration boundary so one run reports
// several problems; nesting is capped so hostile input cannot exhaust the stack.
import type {
  ConstDecl,
  Decl,
  Diagnostic,
  EntryDecl,
  Expr,
  Pos,
  ProcDecl,
  Program,
  Stmt,
  Style,
  TaskVarDecl,
} from './ast';
import { lexCgpl } from './lexer';
import { describeToken, type Token } from './tokens';
import { ABORT, SYNTAX } from './cursor';
import { DECL_KEYWORDS, StatementParser } from './statements';

const MAX_ERRORS = 50;

class Parser extends StatementParser {
  // ---- declarations ----
  parseProgram(): Program {
    const decls: Decl[] = [];
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      const start = this.i;
      try {
        if (this.isKw(t, 'var')) decls.push(this.parseTaskVar());
        else if (this.isKw(t, 'const')) decls.push(this.parseConst());
        else if (t.kind === 'keyword' && DECL_KEYWORDS.has(t.text)) decls.push(this.parseDecl());
        else
          throw this.fail(
            t,
            `expected 'entry', 'procedure', 'function', 'var' or 'const', found ${describeToken(t)}`,
            'CGPL116',
          );
      } catch (e) {
        if (e !== SYNTAX) throw e;
        if (this.i === start) this.next();
        while (this.peek().kind !== 'eof' && !(this.peek().kind === 'keyword' && DECL_KEYWORDS.has(this.peek().text)))
          this.next();
      }
    }
    return { kind: 'Program', decls };
  }

  /** `var a, b;` outside code sections: task variables start as null, so they take no initial value. */
  private parseTaskVar(): TaskVarDecl {
    const start = this.next();
    const names: TaskVarDecl['names'] = [];
    do {
      if (names.length > 0) this.next();
      const t = this.expectName("after 'var'");
      names.push({ name: t.text, pos: this.pos(t) });
      if (this.isOp(this.peek(), '=')) {
        const eq = this.next();
        this.report(
          eq.line,
          eq.col,
          `task variable '${t.text}' cannot have an initial value: assign it in a code section (or use const)`,
          'CGPL117',
        );
        this.parseExpr();
      }
    } while (this.isOp(this.peek(), ','));
    this.expectSemicolon('the var declaration');
    return { kind: 'TaskVar', names, pos: this.pos(start) };
  }

  /** `const a = 1, b = "x";` — each name needs its value. */
  private parseConst(): ConstDecl {
    const start = this.next();
    const decls: ConstDecl['decls'] = [];
    do {
      if (decls.length > 0) this.next();
      const t = this.expectName("after 'const'");
      let value: Expr;
      if (this.isOp(this.peek(), '=')) {
        this.next();
        value = this.parseExpr();
      } else {
        const p = this.peek();
        this.report(p.line, p.col, `constant '${t.text}' needs a value: const ${t.text} = ...;`, 'CGPL117');
        value = { kind: 'NullLit', pos: this.pos(p) };
      }
      decls.push({ name: t.text, value, pos: this.pos(t) });
    } while (this.isOp(this.peek(), ','));
    this.expectSemicolon('the const declaration');
    return { kind: 'Const', decls, pos: this.pos(start) };
  }

  private parseDecl(): Decl {
    const start = this.next();
    const word = start.text as 'entry' | 'procedure' | 'function';
    const first = this.expectName(`after '${word}'`);
    let name = first.text;
    let module: string | null = null;
    if (word !== 'entry' && this.isOp(this.peek(), '::')) {
      this.next();
      module = name;
      name = this.expectName(`after '${module}::'`).text;
    }
    const shown = module ? `${module}::${name}` : name;
    const label = `${word} ${shown}`;
    if (word === 'entry') {
      const { body, style } = this.parseDeclBody(start, word, label);
      const decl: EntryDecl = { kind: 'Entry', name, body, style, pos: this.pos(start) };
      return decl;
    }
    this.expectOp('(', `after ${label}`);
    const params: string[] = [];
    const paramPos: Pos[] = [];
    const param = () => {
      const t = this.expectName(`for a parameter of ${label}`);
      params.push(t.text);
      paramPos.push(this.pos(t));
    };
    if (!this.isOp(this.peek(), ')')) {
      param();
      while (this.isOp(this.peek(), ',')) {
        this.next();
        param();
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
        ...(module !== null ? { module } : {}),
        params,
        paramPos,
        body: null,
        linkage: link.text as 'forward' | 'external',
        style: 'basic',
        pos: this.pos(start),
      };
      return decl;
    }
    if (module !== null) {
      // the code of m::f lives in m.sppi; here it can only be declared
      throw this.fail(
        link,
        `expected 'external' after ${label}: a qualified name is only declared here, its code is in ${module.toLowerCase()}.sppi`,
      );
    }
    const { body, style } = this.parseDeclBody(start, word, label);
    return { kind, name, params, paramPos, body, linkage: 'local', style, pos: this.pos(start) };
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
          'CGPL114',
        );
        this.next();
      }
      this.expectSemicolon(`the end of ${label}`);
    } else {
      this.report(
        e.line,
        e.col,
        `expected 'end;' to close ${label} (line ${start.line}), found ${describeToken(e)}`,
        'CGPL113',
      );
    }
    return { body, style: 'basic' };
  }
}

/**
 * Parse a CG/PL program. Never throws. `program` is null when there is any error; warnings alone
 * keep it. Diagnostics are sorted by position, one per position, at most about 50.
 * @example parseCgpl('entry Main is stop; end;').program?.decls[0].kind // 'Entry'
 */
export function parseCgpl(source: string, file?: string): { program: Program | null; diagnostics: Diagnostic[] } {
  try {
    const parsed = parseTokens(lexCgpl(typeof source === 'string' ? source : String(source)));
    if (file !== undefined) for (const d of parsed.diagnostics) d.file = file;
    return parsed;
  } catch (e) {
    return {
      program: null,
      diagnostics: [
        {
          severity: 'error',
          code: 'CGPL199',
          message: `internal parser error: ${String(e)}`,
          line: 1,
          column: 1,
          ...(file !== undefined ? { file } : {}),
        },
      ],
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
    ? parser.diagnostics.filter((d) => !(d.line === eof.line && d.column === eof.col))
    : parser.diagnostics;
  const diagnostics = tidy([...lexed.diagnostics, ...echoes]);
  if (stopped && diagnostics.length >= MAX_ERRORS) {
    const last = diagnostics[diagnostics.length - 1];
    diagnostics.push({
      severity: 'error',
      code: 'CGPL120',
      message: 'too many errors; stopped here',
      line: last.line,
      column: last.column,
    });
  }
  if (stopped || diagnostics.some((d) => d.severity === 'error')) program = null;
  return { program, diagnostics };
}

/** Sort by position, keep the first problem at each position, cap the count. */
function tidy(diags: Diagnostic[]): Diagnostic[] {
  const sorted = diags
    .map((d, k) => ({ d, k }))
    .sort((a, b) => a.d.line - b.d.line || a.d.column - b.d.column || a.k - b.k);
  const out: Diagnostic[] = [];
  for (const { d } of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.line === d.line && prev.column === d.column) continue;
    if (out.length >= MAX_ERRORS) break;
    out.push(d);
  }
  return out;
}
