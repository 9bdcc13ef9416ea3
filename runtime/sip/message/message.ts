// SIP messages as the rest of the runtime sees them, whatever engine carried them: the start line,
// the header fields in order (names folded to their long lower-case form, values unfolded and
// trimmed, otherwise as received) and the body as bytes. Serializing writes UTF-8 and computes
// Content-Length from the body, so a response can never announce a length it does not carry.

/** RFC 3261 §7.3.3 compact forms (and the RFC 3265/3515/4028 ones phones send). */
const COMPACT: Record<string, string> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  l: 'content-length',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  v: 'via',
  o: 'event',
  r: 'refer-to',
  b: 'referred-by',
  u: 'allow-events',
  x: 'session-expires',
  a: 'accept-contact',
  j: 'reject-contact',
  d: 'request-disposition',
  y: 'identity',
};

const SPELLING: Record<string, string> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  'mime-version': 'MIME-Version',
};

/** A header name as we store it: lower case, long form. */
export function headerKey(name: string): string {
  const lower = name.trim().toLowerCase();
  return COMPACT[lower] ?? lower;
}

/** The usual spelling for output (Call-ID, CSeq, Content-Length…). */
export function headerSpelling(key: string): string {
  return SPELLING[key] ?? key.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

export interface HeaderField {
  /** headerKey() of the name. */
  key: string;
  value: string;
}

/** An ordered header list; several fields of one name stay separate, as received. */
export class Headers {
  readonly fields: HeaderField[];

  constructor(fields: Iterable<HeaderField | [string, string]> = []) {
    this.fields = [...fields].map((f) => (Array.isArray(f) ? { key: headerKey(f[0]), value: f[1] } : f));
  }

  /** The first value of a header, or undefined. */
  get(name: string): string | undefined {
    const key = headerKey(name);
    return this.fields.find((f) => f.key === key)?.value;
  }

  /** Every field's value of a header, in order (not split at commas). */
  all(name: string): string[] {
    const key = headerKey(name);
    return this.fields.filter((f) => f.key === key).map((f) => f.value);
  }

  count(name: string): number {
    const key = headerKey(name);
    return this.fields.reduce((n, f) => n + (f.key === key ? 1 : 0), 0);
  }

  has(name: string): boolean {
    return this.count(name) > 0;
  }

  add(name: string, value: string): this {
    this.fields.push({ key: headerKey(name), value });
    return this;
  }

  /** Replaces every field of the name with one (or removes them for undefined). */
  set(name: string, value: string | undefined): this {
    const key = headerKey(name);
    const at = this.fields.findIndex((f) => f.key === key);
    for (let i = this.fields.length - 1; i >= 0; i--) if (this.fields[i]!.key === key) this.fields.splice(i, 1);
    if (value !== undefined) this.fields.splice(at >= 0 ? at : this.fields.length, 0, { key, value });
    return this;
  }

  clone(): Headers {
    return new Headers(this.fields.map((f) => ({ ...f })));
  }
}

export interface SipRequest {
  kind: 'request';
  method: string;
  uri: string;
  /** "2.0" for SIP/2.0. */
  version: string;
  headers: Headers;
  body: Buffer;
}

export interface SipResponse {
  kind: 'response';
  status: number;
  reason: string;
  version: string;
  headers: Headers;
  body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

export function newRequest(method: string, uri: string, headers: Headers, body: Buffer | string = ''): SipRequest {
  return { kind: 'request', method, uri, version: '2.0', headers, body: toBytes(body) };
}

export function newResponse(status: number, reason: string, headers: Headers, body: Buffer | string = ''): SipResponse {
  return { kind: 'response', status, reason, version: '2.0', headers, body: toBytes(body) };
}

function toBytes(body: Buffer | string): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** The message's first line, e.g. "INVITE sip:callback@127.0.0.1 SIP/2.0" or "SIP/2.0 200 OK". */
export function firstLine(m: SipMessage): string {
  // We only speak SIP/2.0: a 505 to SIP/7.0 still says SIP/2.0 (§21.5.6 reply in our version).
  return m.kind === 'request' ? `${m.method} ${m.uri} SIP/2.0` : `SIP/2.0 ${m.status} ${m.reason}`;
}

/** The bytes on the wire: CRLF line ends, UTF-8, Content-Length from the body. */
export function serialize(m: SipMessage): Buffer {
  const lines = [firstLine(m)];
  for (const f of m.headers.fields) {
    if (f.key === 'content-length') continue;
    lines.push(`${headerSpelling(f.key)}: ${f.value.replace(/[\r\n]+/g, ' ')}`);
  }
  lines.push(`Content-Length: ${m.body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8'), m.body]);
}

/** The message as text (the ladder view). */
export function messageText(m: SipMessage): string {
  return serialize(m).toString('utf8');
}
