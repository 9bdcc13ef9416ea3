// CG/PL string literals: escaping for the printer, decoding for the lexer.
// A `\nnn` escape is one BYTE (three decimal digits), so consecutive escapes may spell one UTF-8
// character; they are collected and decoded together.

/** What `\e` (end of line) stands for. (unconfirmed) server-dependent; Unix servers use LF. */
export const EOL_ESCAPE = '\n';

export interface StringProblem {
  /** Offset into the literal's body (the text between the quotes). */
  offset: number;
  message: string;
  severity: 'error' | 'warning';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');
const utf8 = new TextEncoder();

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\u009f\ud800-\udfff]/;

function byteEscape(b: number): string {
  return '\\' + String(b).padStart(3, '0');
}

/**
 * The CG/PL source text of a string literal for `s`: `"` and `\` escaped, \r \n \t by name, other
 * control characters (C0, DEL, C1) as `\nnn` UTF-8 bytes; all other text stays as it is.
 * A lone surrogate (not representable in UTF-8) becomes U+FFFD.
 */
export function cgplStringLiteral(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
      for (const b of utf8.encode(ch)) out += byteEscape(b);
    } else if (cp >= 0xd800 && cp <= 0xdfff) out += '\uFFFD';
    else out += ch;
  }
  return out + '"';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Decode the body of a literal (without its quotes). Problems carry offsets into `body`. */
export function decodeCgplString(body: string): { value: string; problems: StringProblem[] } {
  if (!body.includes('\\')) return { value: body, problems: [] };
  const problems: StringProblem[] = [];
  let value = '';
  let bytes: number[] = [];
  let bytesAt = 0;
  const flush = () => {
    if (bytes.length === 0) return;
    const data = Uint8Array.from(bytes);
    try {
      value += strictUtf8.decode(data);
    } catch {
      problems.push({
        offset: bytesAt,
        message: `the bytes ${bytes.map(byteEscape).join('')} are not valid UTF-8; they read as U+FFFD`,
        severity: 'warning',
      });
      value += lenientUtf8.decode(data);
    }
    bytes = [];
  };
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c !== '\\') {
      const start = i;
      while (i < body.length && body[i] !== '\\') i++;
      flush();
      value += body.slice(start, i);
      continue;
    }
    const at = i;
    const e = body[i + 1];
    if (isDigit(e)) {
      if (isDigit(body[i + 2]) && isDigit(body[i + 3])) {
        const b = Number(body.slice(i + 1, i + 4));
        if (b > 255) {
          problems.push({
            offset: at,
            message: `'\\${body.slice(i + 1, i + 4)}' is not a byte: \\nnn takes a decimal code 000-255`,
            severity: 'error',
          });
        } else {
          if (bytes.length === 0) bytesAt = at;
          bytes.push(b);
        }
        i += 4;
      } else {
        problems.push({
          offset: at,
          message: `bad escape '\\${e}': \\nnn takes exactly three decimal digits`,
          severity: 'error',
        });
        i += 2;
      }
      continue;
    }
    flush();
    switch (e) {
      case '"':
        value += '"';
        i += 2;
        break;
      case '\\':
        value += '\\';
        i += 2;
        break;
      case 'r':
        value += '\r';
        i += 2;
        break;
      case 'n':
        value += '\n';
        i += 2;
        break;
      case 't':
        value += '\t';
        i += 2;
        break;
      case 'e':
        value += EOL_ESCAPE;
        i += 2;
        break;
      case 'u': {
        const m = /^'([0-9A-Fa-f]{1,6})'/.exec(body.slice(i + 2, i + 10));
        const cp = m ? parseInt(m[1], 16) : -1;
        if (!m || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
          problems.push({
            offset: at,
            message: `bad escape: \\u'XXXX' takes a Unicode code point in hexadecimal`,
            severity: 'error',
          });
          i += m ? 2 + m[0].length : 2;
        } else {
          value += String.fromCodePoint(cp);
          i += 2 + m[0].length;
        }
        break;
      }
      case undefined:
        problems.push({ offset: at, message: `a string cannot end with a lone '\\'`, severity: 'error' });
        i += 1;
        break;
      default: {
        const shown = String.fromCodePoint(body.codePointAt(i + 1)!);
        problems.push({
          offset: at,
          message: `unknown escape '\\${shown}' in a string (write '\\\\' for a backslash)`,
          severity: 'error',
        });
        i += 1 + shown.length;
      }
    }
  }
  flush();
  return { value, problems };
}
