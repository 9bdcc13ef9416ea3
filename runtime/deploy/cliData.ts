// CommuniGate's textual data format as the CLI speaks it: what a command's parameters are written in
// and what its answers come back in. Strings (atoms or "quoted"), #numbers, [base64] datablocks,
// #Tdd-mm-yyyy_hh:mm:ss timestamps, #I[address]:port, #NULL#, (arrays) and {key=value;} dictionaries.
// Separate from the interpreter's ToObject (runtime/cgpl/builtins/textFormat.ts): this one reads
// what a server sends on the wire — answers split over lines, datablocks and strings in parts — and
// says where a bad answer goes wrong.

/** An IP address value (`#I[10.0.0.1]:25`), kept as written. */
export class IpAddress {
  constructor(
    readonly address: string,
    readonly port?: number,
  ) {}
}

export type CliValue = null | string | bigint | Uint8Array | Date | IpAddress | CliValue[] | CliDict;
/** Keys keep the server's spelling and order. */
export type CliDict = Map<string, CliValue>;

export type Decoded = { ok: true; value: CliValue } | { ok: false; error: string; at: number };

/** Deep enough for any settings dictionary; a deeper answer is refused, not a stack overflow. */
const MAX_DEPTH = 64;
const ATOM = /^[A-Za-z0-9]+$/;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A string as a command parameter: an atom when only letters and digits, else a quoted string. */
export function quoteString(s: string): string {
  if (ATOM.test(s)) return s;
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\r') out += '\\r';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\${pad(code, 3)}`;
    else out += ch;
  }
  return `${out}"`;
}

/** One value on one line (CLI parameters must fit on the command line). */
export function encodeCli(v: CliValue, depth = 0): string {
  if (depth > MAX_DEPTH) throw new RangeError('value nested too deep to encode');
  if (v === null) return '#NULL#';
  if (typeof v === 'string') return quoteString(v);
  if (typeof v === 'bigint') return `#${v}`;
  if (v instanceof Uint8Array) return `[${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}]`;
  if (v instanceof Date) return formatTimestamp(v);
  if (v instanceof IpAddress) return `#I[${v.address}]${v.port === undefined ? '' : `:${v.port}`}`;
  if (Array.isArray(v)) return `(${v.map((e) => encodeCli(e, depth + 1)).join(',')})`;
  let out = '{';
  for (const [k, e] of v) out += `${quoteString(k)}=${encodeCli(e, depth + 1)};`;
  return `${out}}`;
}

function formatTimestamp(d: Date): string {
  const t = d.getTime();
  if (!Number.isFinite(t) || t <= PAST) return '#TPAST';
  if (t >= FUTURE) return '#TFUTURE';
  return `#T${pad(d.getUTCDate())}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCFullYear(), 4)}_${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The "always in the past/future" timestamps, as the earliest and latest dates JS has. */
const PAST = -8.64e15;
const FUTURE = 8.64e15;

class Bad {
  constructor(
    readonly error: string,
    readonly at: number,
  ) {}
}

// Letters and digits are atoms; the server's own output also puts these in unquoted words.
const isAtomChar = (c: string) => /[A-Za-z0-9\-_.@!%:]/.test(c) || c.charCodeAt(0) >= 0x80;
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/** Parses the whole text as one value (white space, line breaks included, around and inside); never throws. */
export function decodeCli(text: string): Decoded {
  const r = new Reader(text);
  try {
    const value = r.value(0);
    r.skip();
    if (r.i < text.length) r.bad('extra text after the value');
    return { ok: true, value };
  } catch (e) {
    if (e instanceof Bad) return { ok: false, error: e.error, at: e.at };
    throw e;
  }
}

class Reader {
  i = 0;
  constructor(readonly text: string) {}

  bad(error: string, at = this.i): never {
    throw new Bad(error, at);
  }

  skip(): void {
    while (isSpace(this.text[this.i])) this.i++;
  }

  value(depth: number): CliValue {
    if (depth > MAX_DEPTH) this.bad('nested too deep');
    this.skip();
    const c = this.text[this.i];
    if (c === undefined) return this.bad('unexpected end of the text');
    if (c === '"') return this.quoted();
    if (c === '[') return this.datablock();
    if (c === '(') return this.array(depth);
    if (c === '{') return this.dict(depth);
    if (c === '#') return this.hashed();
    if (c === '<') return this.bad('XML values are not supported');
    return this.atom();
  }

  atom(): string {
    const start = this.i;
    while (this.i < this.text.length && isAtomChar(this.text[this.i]!)) this.i++;
    if (this.i === start) this.bad(`unexpected '${this.text[this.i]}'`);
    return this.text.slice(start, this.i);
  }

  /** "a" "b" reads as "ab": long strings come in parts. */
  quoted(): string {
    let out = this.quotedPart();
    for (;;) {
      const save = this.i;
      this.skip();
      if (this.text[this.i] !== '"') {
        this.i = save;
        return out;
      }
      out += this.quotedPart();
    }
  }

  private quotedPart(): string {
    const start = this.i++;
    const bytes: number[] = [];
    let run = this.i;
    const flush = () => {
      bytes.push(...Buffer.from(this.text.slice(run, this.i), 'utf8'));
    };
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) return this.bad('unterminated string', start);
      if (c === '"') break;
      if (c === '\r' || c === '\n') return this.bad('a line break inside a string', this.i);
      if (c !== '\\') {
        this.i++;
        continue;
      }
      flush();
      const e = this.text[this.i + 1];
      const simple: Record<string, number[]> = { '"': [34], '\\': [92], r: [13], n: [10], t: [9], e: [10] };
      if (e !== undefined && simple[e]) {
        bytes.push(...simple[e]!);
        this.i += 2;
      } else if (e !== undefined && /[0-9]/.test(e)) {
        const digits = this.text.slice(this.i + 1, this.i + 4);
        if (!/^[0-9]{3}$/.test(digits) || Number(digits) > 255)
          this.bad('bad \\nnn escape (three decimal digits, 000-255)');
        bytes.push(Number(digits));
        this.i += 4;
      } else {
        this.bad(`unknown escape '\\${e ?? ''}'`);
      }
      run = this.i;
    }
    flush();
    this.i++;
    return Buffer.from(bytes).toString('utf8');
  }

  /** [part][part] reads as one datablock: long data comes in parts. */
  datablock(): Uint8Array {
    const parts: Buffer[] = [];
    for (;;) {
      const start = this.i;
      const end = this.text.indexOf(']', start);
      if (end < 0) this.bad("a datablock without its closing ']'", start);
      const b64 = this.text.slice(start + 1, end).replace(/[ \t\r\n]+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) this.bad('bad base64 in a datablock', start);
      parts.push(Buffer.from(b64, 'base64'));
      this.i = end + 1;
      const save = this.i;
      this.skip();
      if (this.text[this.i] !== '[') {
        this.i = save;
        return new Uint8Array(Buffer.concat(parts));
      }
    }
  }

  array(depth: number): CliValue[] {
    this.i++;
    const out: CliValue[] = [];
    this.skip();
    if (this.text[this.i] === ')') return (this.i++, out);
    for (;;) {
      out.push(this.value(depth + 1));
      this.skip();
      const c = this.text[this.i];
      if (c === ',') this.i++;
      else if (c === ')') return (this.i++, out);
      else this.bad(c === undefined ? "an array without its closing ')'" : "expected ',' or ')'");
    }
  }

  dict(depth: number): CliDict {
    this.i++;
    const out: CliDict = new Map();
    for (;;) {
      this.skip();
      const c = this.text[this.i];
      if (c === '}') return (this.i++, out);
      if (c === undefined) this.bad("a dictionary without its closing '}'");
      const key = c === '"' ? this.quoted() : this.atom();
      this.skip();
      if (this.text[this.i] !== '=') this.bad(`expected '=' after the key '${key}'`);
      this.i++;
      const v = this.value(depth + 1);
      this.skip();
      if (this.text[this.i] !== ';') this.bad(`expected ';' after the value of '${key}'`);
      this.i++;
      out.set(key, v);
    }
  }

  hashed(): CliValue {
    const rest = this.text.slice(this.i, this.i + 64);
    if (rest.startsWith('#NULL#')) return ((this.i += 6), null);
    if (rest.startsWith('#TPAST')) return ((this.i += 6), new Date(PAST));
    if (rest.startsWith('#TFUTURE')) return ((this.i += 8), new Date(FUTURE));
    const t = /^#T(\d\d)-(\d\d)-(\d{4})(?:_(\d\d):(\d\d):(\d\d))?/.exec(rest);
    if (t) {
      const [d, m, y, hh, mm, ss] = t.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, ...number[]];
      const date = new Date(Date.UTC(y, m - 1, d, hh, mm, ss));
      if (m < 1 || m > 12 || d < 1 || d > 31 || date.getUTCDate() !== d || hh! > 23 || mm! > 59 || ss! > 59)
        this.bad(`bad timestamp '${t[0]}'`);
      this.i += t[0].length;
      return date;
    }
    const ip = /^#I\[([0-9A-Fa-f.:]+)\](?::(\d{1,5}))?/.exec(rest);
    if (ip) {
      this.i += ip[0].length;
      return new IpAddress(ip[1]!, ip[2] === undefined ? undefined : Number(ip[2]));
    }
    const n = /^#(-?\d{1,19})(?![0-9])/.exec(rest);
    if (!n) return this.bad("bad '#' value");
    const value = BigInt(n[1]!);
    if (value !== BigInt.asIntN(64, value)) this.bad('a number outside 64 bits');
    this.i += n[0].length;
    return value;
  }
}

/** Structural equality of two values (for diffs of settings and rules). */
export function cliEqual(a: CliValue, b: CliValue): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof IpAddress) return b instanceof IpAddress && a.address === b.address && a.port === b.port;
  if (a instanceof Uint8Array) return b instanceof Uint8Array && Buffer.compare(a, b) === 0;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => cliEqual(x, b[i]!));
  if (!(b instanceof Map) || !(a instanceof Map) || a.size !== b.size) return false;
  for (const [k, v] of a) if (!b.has(k) || !cliEqual(v, b.get(k)!)) return false;
  return true;
}

/** A value as text for people: datablocks shortened to their size. */
export function describeCli(v: CliValue): string {
  if (v instanceof Uint8Array) return `[${v.length} bytes]`;
  if (Array.isArray(v)) return `(${v.map(describeCli).join(',')})`;
  if (v instanceof Map) return `{${[...v].map(([k, e]) => `${quoteString(k)}=${describeCli(e)};`).join('')}}`;
  return encodeCli(v);
}
