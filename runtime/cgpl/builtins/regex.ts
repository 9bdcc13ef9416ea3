// POSIX extended regular expressions (FindRegEx) translated to JS RegExp. Differences kept on
// purpose: JS picks the leftmost-first alternative where POSIX picks the leftmost-longest match.

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e',
  word: '\\w',
};

const JS_SPECIAL = /[\\^$.*+?()[\]{}|/]/;
const esc = (c: string) => (JS_SPECIAL.test(c) || c === '-' ? '\\' + c : c);

/** Translates a bracket expression starting at `[`; returns the JS class and the index after `]`. */
function bracket(p: string, start: number): [string, number] {
  let i = start + 1;
  let out = '[';
  if (p[i] === '^') {
    out += '^';
    i++;
  }
  let first = true;
  while (i < p.length) {
    const c = p[i]!;
    if (c === ']' && !first) return [out + ']', i + 1];
    first = false;
    if (c === '[' && (p[i + 1] === ':' || p[i + 1] === '.' || p[i + 1] === '=')) {
      const kind = p[i + 1]!;
      const end = p.indexOf(kind + ']', i + 2);
      if (end < 0) throw new Error(`unterminated [${kind}`);
      const name = p.slice(i + 2, end);
      if (kind === ':') {
        const cls = CLASSES[name];
        if (cls === undefined) throw new Error(`unknown character class [:${name}:]`);
        out += cls;
      } else out += [...name].map(esc).join('');
      i = end + 2;
      continue;
    }
    // a '-' between two characters is a range; anywhere else it is literal
    if (c === '-' && out.length > 1 && !out.endsWith('[^') && p[i + 1] !== ']') out += '-';
    else out += esc(c);
    i++;
  }
  throw new Error("unterminated '['");
}

/** Translates a POSIX ERE to JS source; throws Error with a readable message when it is invalid. */
export function translatePosixEre(p: string): string {
  let out = '';
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) throw new Error('trailing backslash');
      out += /[dDwWsSbBntr]/.test(n) || /[1-9]/.test(n) ? '\\' + n : esc(n);
      i += 2;
    } else if (c === '[') {
      const [cls, next] = bracket(p, i);
      out += cls;
      i = next;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
      out += m ? m[0] : '\\{';
      i += m ? m[0].length : 1;
    } else if (c === '}' || c === ']' || c === '/') {
      out += '\\' + c;
      i++;
    } else if (c === '(' && p[i + 1] === '?') {
      throw new Error("'(?' is not POSIX");
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const cache = new Map<string, RegExp | Error>();

export function compilePosixEre(pattern: string): RegExp | Error {
  let re = cache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(translatePosixEre(pattern));
    } catch (e) {
      re = e instanceof Error ? e : new Error(String(e));
    }
    if (cache.size > 500) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}
