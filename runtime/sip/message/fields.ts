// The structured header fields a user agent reads (RFC 3261 §20, grammar §25.1): From/To/Contact/
// Route name-addrs, Via, CSeq, generic parameters and comma lists. Each parser returns null on text
// the grammar does not allow; callers answer 400 or drop, never throw.
import { parseHostPort } from './uri';

export type Params = Map<string, string | null>;

export interface NameAddr {
  /** The display name, unquoted, or null. */
  display: string | null;
  /** The URI as written (inside <> when it had them). */
  uri: string;
  /** Header parameters (tag, expires, q…), names lower case. */
  params: Params;
}

export interface Via {
  /** SIP/2.0/UDP → 'UDP' */
  transport: string;
  host: string;
  port: number | null;
  params: Params;
}

export interface CSeq {
  seq: number;
  method: string;
}

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

/** Splits at commas that are not inside a quoted string or <…> (a header's list of values). */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') depth++;
    else if (c === '>') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter((v) => v !== '');
}

/** `;name=value;flag` (the leading ';' included) → params; values may be quoted strings. */
export function parseParams(text: string): Params | null {
  const params: Params = new Map();
  let rest = text.trim();
  while (rest !== '') {
    if (!rest.startsWith(';')) return null;
    rest = rest.slice(1).trimStart();
    const name = /^[A-Za-z0-9\-.!%*_+`'~]+/.exec(rest)?.[0];
    if (!name) return null;
    rest = rest.slice(name.length).trimStart();
    let value: string | null = null;
    if (rest.startsWith('=')) {
      rest = rest.slice(1).trimStart();
      if (rest.startsWith('"')) {
        const q = readQuoted(rest);
        if (!q) return null;
        value = q.text;
        rest = rest.slice(q.length).trimStart();
      } else {
        // token / host (an IPv6 reference keeps its brackets)
        const v = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-.!%*_+`'~:]+)/.exec(rest)?.[0];
        if (!v) return null;
        value = v;
        rest = rest.slice(v.length).trimStart();
      }
    }
    params.set(name.toLowerCase(), value);
  }
  return params;
}

/** A quoted-string at the start of text: its unescaped content and how many characters it took. */
export function readQuoted(text: string): { text: string; length: number } | null {
  if (!text.startsWith('"')) return null;
  let out = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined || next === '\r' || next === '\n') return null;
      out += next;
      i++;
    } else if (c === '"') return { text: out, length: i + 1 };
    else out += c;
  }
  return null;
}

/** A quoted-string for our own output (RFC 3261 quoted-pair for '"' and '\'). */
export function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ')}"`;
}

/**
 * From, To, Contact, Route, Record-Route: `"Name" <uri>;params`, `Name <uri>` or `uri;params` (in the
 * bare form the URI ends at the first ';').
 */
export function parseNameAddr(value: string): NameAddr | null {
  let rest = value.trim();
  let display: string | null = null;
  if (rest.startsWith('"')) {
    const q = readQuoted(rest);
    if (!q) return null;
    display = q.text;
    rest = rest.slice(q.length).trimStart();
    if (!rest.startsWith('<')) return null;
  }
  let uri: string;
  const lt = rest.indexOf('<');
  if (lt >= 0) {
    const before = rest.slice(0, lt).trim();
    if (before !== '') {
      // *(token LWS): an unquoted display name of tokens
      if (!before.split(/\s+/).every(isToken)) return null;
      display = before;
    }
    const gt = rest.indexOf('>', lt);
    if (gt < 0) return null;
    uri = rest.slice(lt + 1, gt).trim();
    rest = rest.slice(gt + 1);
  } else {
    const semi = rest.indexOf(';');
    uri = (semi >= 0 ? rest.slice(0, semi) : rest).trim();
    rest = semi >= 0 ? rest.slice(semi) : '';
    if (/[\s,?]/.test(uri)) return null;
  }
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(uri)) return null;
  const params = parseParams(rest);
  if (!params) return null;
  return { display, uri, params };
}

/** One Via value: `SIP/2.0/UDP host[:port];branch=…` */
export function parseVia(value: string): Via | null {
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z0-9\-.!%*_+`'~]+)\s+([^;\s]+)\s*(;.*)?$/i.exec(value.trim());
  if (!m) return null;
  const hp = parseHostPort(m[2]!);
  if (!hp) return null;
  const params = parseParams(m[3] ?? '');
  if (!params) return null;
  return { transport: m[1]!.toUpperCase(), host: hp.host, port: hp.port, params };
}

/** `CSeq: 4711 INVITE` — the number is 0 … 2^31 - 1 (§8.1.1.5). */
export function parseCSeq(value: string): CSeq | null {
  const m = /^(\d{1,10})\s+(\S+)$/.exec(value.trim());
  if (!m || !isToken(m[2]!)) return null;
  const seq = Number(m[1]);
  if (seq > 2 ** 31 - 1) return null;
  return { seq, method: m[2]! };
}

/** Our own name-addr for output. */
export function formatNameAddr(a: NameAddr): string {
  let out = a.display !== null ? `${quote(a.display)} <${a.uri}>` : `<${a.uri}>`;
  for (const [k, v] of a.params) out += v === null ? `;${k}` : `;${k}=${isToken(v) ? v : quote(v)}`;
  return out;
}
