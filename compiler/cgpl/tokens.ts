// Tokens shared by the CG/PL lexer and parser.

export type TokenKind = 'name' | 'keyword' | 'number' | 'string' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source spelling; keywords are lower-cased because CG/PL keywords are case-insensitive. */
  text: string;
  line: number;
  col: number;
  /** Position just past the token's last character (for "expected ';' after ..." reports). */
  endLine: number;
  endCol: number;
  /** Decoded text of a string literal. */
  str?: string;
  /** Magnitude of a number literal; range is checked by the parser because `-9223372036854775808` is legal. */
  num?: bigint;
  /** The lexer already reported this token (an unterminated string); the parser stays quiet about what follows. */
  bad?: boolean;
}

export const KEYWORDS: ReadonlySet<string> = new Set([
  'and',
  'by',
  'const',
  'elif',
  'else',
  'end',
  'entry',
  'exitif',
  'external',
  'false',
  'for',
  'forward',
  'function',
  'if',
  'is',
  'loop',
  'not',
  'null',
  'or',
  'procedure',
  'return',
  'spawn',
  'stop',
  'then',
  'true',
  'var',
  'xor',
  'while',
]);

export const MAX_INT64 = (1n << 63n) - 1n;

/** How a token reads in a message: 'PlayFile', "abc", end of file. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of file';
    case 'string': {
      const s = t.str ?? '';
      return `string ${JSON.stringify(s.length > 24 ? s.slice(0, 24) + '…' : s)}`;
    }
    default:
      return `'${t.text.length > 40 ? t.text.slice(0, 40) + '…' : t.text}'`;
  }
}
