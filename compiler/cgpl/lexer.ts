// CG/PL lexer: source text → tokens. Never throws; problems become diagnostics and lexing goes on.
import type { DiagnosticCode, SourceDiagnostic as Diagnostic } from '../diagnostics';
import { decodeCgplString } from './strings';
import { KEYWORDS, type Token } from './tokens';

const TWO_CHAR_OPS = new Set(['+=', '-=', '*=', '/=', '%=', '|=', '&=', '==', '!=', '<=', '>=', '&&', '||', '::']);
/** The rest of a name after its first letter (sticky: matches at lastIndex only). */
const NAME_TAIL = /[A-Za-z0-9_]*/y;
const PAIR_SECOND = new Set(['=', '&', '|', ':']);
const ONE_CHAR_OPS = new Set([
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '!',
  '&',
  '|',
  '^',
  '?',
  ':',
  '.',
  ',',
  ';',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
]);
/** Longer than any int64; such literals are flagged without paying for a huge BigInt parse. */
const MAX_DIGITS = 25;
const TOO_BIG = 1n << 64n;

function isLetter(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/**
 * Where a literal's body ends: at a quote or line break, a backslash taking the next character along.
 * A loop, not a regular expression: V8's backtracking over a 10 MB literal overflows the stack.
 */
function stringBodyEnd(source: string, from: number): number {
  let i = from;
  for (;;) {
    const c = source.charCodeAt(i);
    if (Number.isNaN(c) || c === 0x22 || c === 0x0a || c === 0x0d) return i;
    if (c === 0x5c) {
      const next = source.charCodeAt(i + 1);
      if (Number.isNaN(next) || next === 0x0a || next === 0x0d) return i;
      i += 2;
    } else i++;
  }
}

export function lexCgpl(source: string): { tokens: Token[]; diagnostics: Diagnostic[] } {
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  const n = source.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const error = (
    code: DiagnosticCode,
    l: number,
    c: number,
    message: string,
    severity: 'error' | 'warning' = 'error',
  ) => diagnostics.push({ severity, code, message, line: l, column: c });
  const push = (kind: Token['kind'], text: string, l: number, c: number): Token => {
    // one object shape for every token keeps property access monomorphic in the parser
    const t: Token = {
      kind,
      text,
      line: l,
      col: c,
      endLine: line,
      endCol: i - lineStart + 1,
      str: undefined,
      num: undefined,
      bad: undefined,
    };
    tokens.push(t);
    return t;
  };
  /** Advance past a line break at i (\n, \r\n or \r). */
  const newline = () => {
    if (source[i] === '\r' && source[i + 1] === '\n') i++;
    i++;
    line++;
    lineStart = i;
  };

  if (source.charCodeAt(0) === 0xfeff) {
    error('CGPL105', 1, 1, 'remove the byte-order mark: CommuniGate rejects it');
    i = 1;
    lineStart = 1; // the mark is invisible in editors, so columns do not count it
  }

  let junkAt = -1; // index just past the last unexpected character, to report a run of them once
  while (i < n) {
    const code = source.charCodeAt(i);
    if (code === 32 || code === 9 || code === 12 || code === 11) {
      i++;
      continue;
    } // space \t \f \v
    if (code === 10 || code === 13) {
      newline();
      continue;
    }
    const c = source[i];
    const col = i - lineStart + 1;
    if (c === '/' && source[i + 1] === '/') {
      while (i < n && source[i] !== '\n' && source[i] !== '\r') i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const startLine = line;
      i += 2;
      while (i < n && !(source[i] === '*' && source[i + 1] === '/')) {
        if (source[i] === '\n' || source[i] === '\r') newline();
        else i++;
      }
      if (i >= n) error('CGPL103', startLine, col, "unterminated comment: '/*' has no closing '*/'");
      else i += 2;
      continue;
    }
    if (isLetter(c)) {
      NAME_TAIL.lastIndex = i + 1;
      NAME_TAIL.test(source);
      const start = i;
      i = NAME_TAIL.lastIndex;
      const text = source.slice(start, i);
      const lower = text.toLowerCase();
      if (KEYWORDS.has(lower)) push('keyword', lower, line, col);
      else push('name', text, line, col);
      continue;
    }
    if (isDigit(c)) {
      const start = i;
      while (i < n && isDigit(source[i])) i++;
      const text = source.slice(start, i);
      push('number', text, line, col).num = text.length > MAX_DIGITS ? TOO_BIG : BigInt(text);
      continue;
    }
    if (c === '"') {
      const startCol = col;
      i++;
      const bodyStart = i;
      i = stringBodyEnd(source, i);
      if (source[i] === '\\') i++; // a lone '\' before the line break: decoding reports it
      const body = source.slice(bodyStart, i);
      const closed = i < n && source[i] === '"';
      if (closed) i++;
      else
        error(
          'CGPL102',
          line,
          startCol,
          i < n
            ? 'unterminated string: a line break is not allowed inside a literal (write \\n, or join two literals)'
            : 'unterminated string: the file ends inside a literal',
        );
      const { value, problems } = decodeCgplString(body);
      for (const p of problems) error('CGPL104', line, startCol + 1 + p.offset, p.message, p.severity);
      const t = push('string', source.slice(bodyStart - 1, i), line, startCol);
      t.str = value;
      if (!closed) t.bad = true;
      continue;
    }
    const two = i + 1 < n && PAIR_SECOND.has(source[i + 1]) ? source.slice(i, i + 2) : '';
    if (two && TWO_CHAR_OPS.has(two)) {
      i += 2;
      push('op', two, line, col);
      continue;
    }
    if (ONE_CHAR_OPS.has(c)) {
      i++;
      push('op', c, line, col);
      continue;
    }
    const cp = source.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (junkAt !== i) {
      const shown = cp < 0x20 || cp === 0x7f ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
      error(
        cp === 0xfeff ? 'CGPL105' : 'CGPL101',
        line,
        col,
        cp === 0xfeff
          ? 'remove the byte-order mark: CommuniGate rejects it'
          : `unexpected character ${shown}${c === '_' ? ' (a name starts with a letter)' : ''}`,
      );
    }
    i += ch.length;
    junkAt = i;
  }
  // after an unterminated comment or string, "missing end" at the end of file is only an echo
  const bad = diagnostics.some((d) => d.code === 'CGPL102' || d.code === 'CGPL103');
  push('eof', '', line, i - lineStart + 1).bad = bad || undefined;
  return { tokens, diagnostics };
}
