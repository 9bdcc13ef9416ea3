// Building responses and stamping the received request (RFC 3261 §8.2.6, §18.2.1, RFC 3581): a
// response copies Via, From, To, Call-ID and CSeq as they came, the To gets our tag, and a Warning
// carries the detail (UTF-8 in a quoted string).
import { parseParams, quote } from './fields';
import { Headers, newResponse, type SipRequest, type SipResponse } from './message';

export interface ResponseExtra {
  /** Our dialog tag for the To (ignored for 100, or when the To has one). */
  toTag?: string;
  headers?: [string, string][];
  body?: Buffer | string;
  /** Detail for a `Warning: 399 ivr-studio "…"` header. */
  warning?: string;
}

const COPIED = ['via', 'from', 'to', 'call-id', 'cseq'];

export function makeResponse(rq: SipRequest, status: number, reason: string, extra: ResponseExtra = {}): SipResponse {
  const headers = new Headers();
  for (const f of rq.headers.fields) if (COPIED.includes(f.key)) headers.fields.push({ ...f });
  if (status > 100 && extra.toTag) {
    const to = headers.get('to');
    if (to !== undefined && !hasTag(to)) headers.set('to', `${to};tag=${extra.toTag}`);
  }
  if (extra.warning) headers.add('warning', warningValue(extra.warning));
  for (const [name, value] of extra.headers ?? []) headers.add(name, value);
  return newResponse(status, reason, headers, extra.body ?? '');
}

/** `399 ivr-studio "text"` (399: miscellaneous warning). */
export function warningValue(text: string): string {
  return `399 ivr-studio ${quote(text.slice(0, 300))}`;
}

function hasTag(to: string): boolean {
  const gt = to.lastIndexOf('>');
  const params = parseParams(gt >= 0 ? to.slice(gt + 1) : to.slice(Math.max(0, to.indexOf(';'))));
  return !!params?.get('tag');
}

/**
 * §18.2.1 and RFC 3581: the top Via records where the request really came from, so the response
 * goes back there (and through the caller's NAT).
 */
export function stampVia(rq: SipRequest, source: { address: string; port: number }, sentByHost: string): void {
  const field = rq.headers.fields.find((f) => f.key === 'via');
  if (!field) return;
  // The top Via is the first value of the first Via field.
  const comma = topValueEnd(field.value);
  let top = field.value.slice(0, comma);
  const rest = field.value.slice(comma);
  if (/;\s*rport\s*(?=;|$)/i.test(top)) top = top.replace(/;\s*rport\s*(?=;|$)/i, `;rport=${source.port}`);
  if (sentByHost.toLowerCase() !== source.address.toLowerCase() && !/;\s*received=/i.test(top))
    top = `${top};received=${source.address}`;
  else if (/;\s*rport=/i.test(top) && !/;\s*received=/i.test(top)) top = `${top};received=${source.address}`;
  field.value = top + rest;
}

function topValueEnd(value: string): number {
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) return i;
  }
  return value.length;
}
