// CommuniGate's textual object format (ObjectToString / ToObject): atoms and "strings", #numbers,
// [base64] datablocks, #Tdd-mm-yyyy_hh:mm:ss timestamps, #NULL#, (arrays), {key=value;} dictionaries.
import { int64, TaskHandle, type Dict, type Value } from '../values';

const ATOM_OUT = /^[A-Za-z0-9._@-]+$/;

function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ') out += '\\' + ch.charCodeAt(0).toString().padStart(3, '0');
    else out += ch;
  }
  return out + '"';
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Timestamps are kept as "wall time read in UTC fields" (see time.ts), so print the UTC fields. */
export function formatTimestamp(d: Date): string {
  if (Number.isNaN(d.getTime())) return '#TPAST';
  return `#T${pad(d.getUTCDate())}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCFullYear(), 4)}_${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function objectToString(v: Value, depth = 0): string {
  if (depth > 100) return '#NULL#';
  if (v === null) return '#NULL#';
  if (typeof v === 'string') return ATOM_OUT.test(v) ? v : quote(v);
  if (typeof v === 'bigint') return '#' + v.toString();
  if (v instanceof Uint8Array) return '[' + Buffer.from(v).toString('base64') + ']';
  if (v instanceof Date) return formatTimestamp(v);
  if (Array.isArray(v)) return '(' + v.map((e) => objectToString(e, depth + 1)).join(',') + ')';
  if (v instanceof Map) {
    let out = '{';
    for (const [k, e] of v) out += `${objectToString(k)}=${objectToString(e, depth + 1)};`;
    return out + '}';
  }
  if (v instanceof TaskHandle) return `#TASK${v.id}`;
  return '#NULL#';
}

export type Parsed = { ok: true; value: Value } | { ok: false; error: string; at: number };

const DELIMS = new Set([...'(){}[]=;,"#'].concat([' ', '\t', '\r', '\n']));

class BadText {
  constructor(
    readonly error: string,
    readonly at: number,
  ) {}
}

/** Parses the whole text as one object; never throws. */
export function parseObject(text: string): Parsed {
  let i = 0;
  const bad = (msg: string): never => {
    throw new BadText(msg, i);
  };
  const skip = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const stringLit = (): string => {
    i++;
    let out = '';
    while (i < text.length && text[i] !== '"') {
      const c = text[i++]!;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[i++];
      if (e === undefined) bad('unfinished escape');
      else if (e === 'n' || e === 'e') out += '\n';
      else if (e === 'r') out += '\r';
      else if (e === 't') out += '\t';
      else if (/[0-9]/.test(e)) {
        const code = text.slice(i - 1, i + 2);
        if (!/^[0-9]{3}$/.test(code)) bad('bad \\nnn escape');
        out += String.fromCharCode(Number(code) & 255);
        i += 2;
      } else out += e;
    }
    if (i >= text.length) bad('unterminated string');
    i++;
    return out;
  };
  const atom = (): string => {
    const start = i;
    while (i < text.length && !DELIMS.has(text[i]!)) i++;
    if (i === start) bad(`unexpected '${text[i] ?? 'end of text'}'`);
    return text.slice(start, i);
  };
  const key = (): string => (text[i] === '"' ? stringLit() : atom());
  const value = (depth: number): Value => {
    if (depth > 100) bad('nested too deep');
    skip();
    const c = text[i];
    if (c === undefined) return bad('unexpected end of text');
    if (c === '"') return stringLit();
    if (c === '(') {
      i++;
      const arr: Value[] = [];
      skip();
      if (text[i] === ')') return (i++, arr);
      for (;;) {
        arr.push(value(depth + 1));
        skip();
        if (text[i] === ',') i++;
        else if (text[i] === ')') return (i++, arr);
        else bad("expected ',' or ')'");
      }
    }
    if (c === '{') {
      i++;
      const d: Dict = new Map();
      for (;;) {
        skip();
        if (text[i] === '}') return (i++, d);
        const k = key();
        skip();
        if (text[i] !== '=') bad("expected '='");
        i++;
        const v = value(depth + 1);
        skip();
        if (text[i] !== ';') bad("expected ';'");
        i++;
        if (v !== null) d.set(k, v);
      }
    }
    if (c === '[') {
      const end = text.indexOf(']', i);
      if (end < 0) bad("expected ']'");
      const b64 = text.slice(i + 1, end).replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) bad('bad base64 data');
      i = end + 1;
      return new Uint8Array(Buffer.from(b64, 'base64'));
    }
    if (c === '#') {
      if (text.startsWith('#NULL#', i)) return ((i += 6), null);
      const t = /^#T(\d\d)-(\d\d)-(\d{4})(?:_(\d\d):(\d\d):(\d\d))?/.exec(text.slice(i, i + 30));
      if (t) {
        i += t[0].length;
        const [d, m, y, hh, mm, ss] = t.slice(1).map((x) => Number(x ?? 0));
        return new Date(Date.UTC(y!, m! - 1, d!, hh!, mm!, ss!));
      }
      const n = /^#(-?\d+)/.exec(text.slice(i, i + 30));
      if (!n) bad("bad '#' value");
      i += n![0].length;
      return int64(BigInt(n![1]!));
    }
    return atom();
  };
  try {
    const v = value(0);
    skip();
    if (i < text.length) bad('extra text after the object');
    return { ok: true, value: v };
  } catch (e) {
    if (e instanceof BadText) return { ok: false, error: e.error, at: e.at };
    return { ok: false, error: String(e), at: i };
  }
}
