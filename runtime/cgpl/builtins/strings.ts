// Strings and type tests. CG/PL strings are UTF-8 byte strings: lengths and offsets count bytes.
import { fail } from '../errors';
import { byteLength, int64, isAscii, truth, type Value } from '../values';
import { fn, num, str, type Builtin } from './builtin';
import { findRegEx as posixFindRegEx, RegexLimitError } from '../../../compiler/regex';
import { objectToString } from './textFormat';

const decoder = new TextDecoder();

function byteSlice(s: string, from: number, to: number): string {
  if (isAscii(s)) return s.slice(from, to);
  return decoder.decode(Buffer.from(s, 'utf8').subarray(from, to));
}

/** Substring(s, from, len): 0-based; a negative `from` counts from the end; clamped to the string. */
export function substring(s: string, from: bigint, len: bigint | null): string {
  const size = BigInt(byteLength(s));
  let start = from < 0n ? size + from : from;
  if (start < 0n) start = 0n;
  if (start > size) return '';
  let end = len === null ? size : start + len;
  if (end > size) end = size;
  return end <= start ? '' : byteSlice(s, Number(start), Number(end));
}

export function findSubstring(s: string, sub: string, offset: bigint): bigint {
  if (offset < 0n) offset = 0n;
  if (offset > BigInt(byteLength(s))) return -1n;
  if (isAscii(s) && isAscii(sub)) return BigInt(s.indexOf(sub, Number(offset)));
  return BigInt(Buffer.from(s, 'utf8').indexOf(Buffer.from(sub, 'utf8'), Number(offset)));
}

/** String(x): strings as they are, numbers in decimal, a datablock as UTF-8 text, else the text format. */
export function toCgString(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return decoder.decode(v);
  return objectToString(v);
}

/** Number(x): the leading decimal number of a string ("123#" → 123), 0 when there is none. */
export function toCgNumber(v: Value): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string') {
    const m = /^\s*([+-]?\d+)/.exec(v);
    return m ? int64(BigInt(m[1]!)) : 0n;
  }
  if (v instanceof Date) return BigInt(Math.floor(v.getTime() / 1000));
  return 0n;
}

/**
 * FindRegEx as documented: null for a non-string argument, a picture that is no POSIX extended
 * expression, or no match; else [whole, groups…]. Work is bounded; past the bound it is an error.
 */
export function findRegEx(s: Value, pattern: Value): Value {
  try {
    return posixFindRegEx(s, pattern);
  } catch (e) {
    if (e instanceof RegexLimitError) return fail(`FindRegEx: ${e.message}`);
    throw e;
  }
}

const is = (name: string, test: (v: Value) => boolean) => fn(name, (_t, [v]) => truth(test(v!)));

export const stringBuiltins: Builtin[] = [
  is('IsString', (v) => typeof v === 'string'),
  is('IsNumber', (v) => typeof v === 'bigint'),
  is('IsArray', (v) => Array.isArray(v)),
  is('IsDictionary', (v) => v instanceof Map),
  is('IsDate', (v) => v instanceof Date),
  is('IsData', (v) => v instanceof Uint8Array),
  is('IsDigit', (v) => typeof v === 'string' && v.length > 0 && v[0]! >= '0' && v[0]! <= '9'),
  fn('Length', (_t, [v]) => {
    if (typeof v === 'string') return BigInt(byteLength(v));
    if (Array.isArray(v)) return BigInt(v.length);
    if (v instanceof Map) return BigInt(v.size);
    if (v instanceof Uint8Array) return BigInt(v.length);
    return 0n;
  }),
  fn('Substring', (_t, [s, from, len]) =>
    substring(
      str('Substring', s!, 1),
      num('Substring', from!, 2),
      len === undefined || len === null ? null : num('Substring', len, 3),
    ),
  ),
  fn('FindSubstring', (_t, [s, sub, off]) =>
    findSubstring(
      str('FindSubstring', s!, 1),
      str('FindSubstring', sub!, 2),
      off === undefined || off === null ? 0n : num('FindSubstring', off, 3),
    ),
  ),
  fn('String', (_t, [v]) => toCgString(v!)),
  fn('Number', (_t, [v]) => toCgNumber(v!)),
  fn('ToUpperCase', (_t, [s]) => str('ToUpperCase', s!, 1).toUpperCase()),
  fn('ToLowerCase', (_t, [s]) => str('ToLowerCase', s!, 1).toLowerCase()),
  fn('FindRegEx', (_t, [s, p]) => findRegEx(s!, p!)),
  fn('EOL', () => '\n'),
];
