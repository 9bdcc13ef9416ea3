// The parser's token cursor and error reporting, shared by the expression and statement parsers.
// A syntax error unwinds with SYNTAX to the nearest statement boundary; ABORT stops the whole parse.
import type { Pos } from './ast';
import type { DiagnosticCode, SourceDiagnostic as Diagnostic } from '../diagnostics';
import { describeToken, type Token } from './tokens';

export const MAX_DEPTH = 500;

/** Unwinds to the nearest statement boundary; the diagnostic is already recorded. */
export const SYNTAX = Symbol('syntax error');
/** Stops the whole parse (too deep, too many errors). */
export const ABORT = Symbol('abort');

export function at(t: Token): string {
  return `${t.line}:${t.col}`;
}

export class TokenCursor {
  protected i = 0;
  protected depth = 0;
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    protected readonly toks: Token[],
    private errorBudget: number,
  ) {}

  // ---- token helpers ----
  protected peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)];
  }
  protected next(): Token {
    const t = this.toks[this.i];
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  protected isKw(t: Token, kw: string): boolean {
    return t.kind === 'keyword' && t.text === kw;
  }
  protected isOp(t: Token, op: string): boolean {
    return t.kind === 'op' && t.text === op;
  }
  protected pos(t: Token): Pos {
    return { line: t.line, col: t.col };
  }

  // ---- reporting ----
  report(line: number, col: number, message: string, code: DiagnosticCode = 'CGPL110'): void {
    this.diagnostics.push({ severity: 'error', code, message, line, column: col });
    if (--this.errorBudget <= 0) throw ABORT;
  }
  /** Report at `t` and return the unwinding signal: `throw this.fail(t, ...)`. */
  protected fail(t: Token, message: string, code: DiagnosticCode = 'CGPL110'): symbol {
    this.report(t.line, t.col, message, code);
    return SYNTAX;
  }
  protected expectOp(op: string, what: string): Token {
    const t = this.peek();
    if (this.isOp(t, op)) return this.next();
    throw this.fail(t, `expected '${op}' ${what}, found ${describeToken(t)}`);
  }
  protected expectName(what: string): Token {
    const t = this.peek();
    if (t.kind === 'name') return this.next();
    if (t.kind === 'keyword')
      throw this.fail(t, `expected a name ${what}, found ${describeToken(t)} ('${t.text}' is a keyword)`, 'CGPL111');
    throw this.fail(t, `expected a name ${what}, found ${describeToken(t)}`);
  }
  /** A missing ';' is reported at the end of the statement when the next token is on a later line. */
  protected expectSemicolon(what: string): void {
    const t = this.peek();
    if (this.isOp(t, ';')) {
      this.next();
      return;
    }
    const prev = this.toks[this.i - 1];
    const message = `expected ';' after ${what}, found ${describeToken(t)}`;
    if (prev?.bad) throw SYNTAX;
    if (prev && t.line > prev.endLine) this.report(prev.endLine, prev.endCol, message, 'CGPL112');
    else this.report(t.line, t.col, message, 'CGPL112');
    throw SYNTAX;
  }
  protected enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) {
      this.report(t.line, t.col, `nesting is too deep (more than ${MAX_DEPTH} levels)`, 'CGPL119');
      throw ABORT;
    }
  }
}
