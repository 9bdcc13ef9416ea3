// Checks on a request the library parsed (RFC 3261 §8.2, RFC 4475): what is wrong with it, answered
// 400 (or 483 / 416), so a torture message gets a clear refusal instead of reaching a dialog.
import sip, { type SipRequest } from 'sip';

export interface Refusal {
  status: 400 | 416 | 483 | 505;
  reason: string;
}

const METHOD = /^[A-Za-z0-9.!%*_+`'~-]+$/;

/** null when the request may go on. Never throws. */
export function checkRequest(rq: SipRequest, rawLength?: number): Refusal | null {
  try {
    return check(rq, rawLength);
  } catch (err) {
    return { status: 400, reason: `Bad Request (${err instanceof Error ? err.message : 'unreadable'})` };
  }
}

function check(rq: SipRequest, rawLength: number | undefined): Refusal | null {
  const h = rq.headers;
  if (rq.version !== '2.0') return { status: 505, reason: 'Version Not Supported' };
  if (!METHOD.test(rq.method)) return { status: 400, reason: 'Bad Request (method)' };
  const uri = typeof rq.uri === 'string' ? sip.parseUri(rq.uri) : undefined;
  if (!uri) {
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(String(rq.uri))?.[1]?.toLowerCase();
    if (scheme && scheme !== 'sip' && scheme !== 'sips') return { status: 416, reason: 'Unsupported URI Scheme' };
    return { status: 400, reason: 'Bad Request (Request-URI)' };
  }
  if (typeof h['call-id'] !== 'string' || h['call-id'].trim() === '')
    return { status: 400, reason: 'Bad Request (Call-ID)' };
  const cseq = h.cseq;
  if (!cseq || !Number.isInteger(cseq.seq) || cseq.seq < 0 || cseq.seq > 2 ** 31 - 1)
    return { status: 400, reason: 'Bad Request (CSeq number)' };
  const sameMethod = cseq.method === rq.method || (rq.method === 'ACK' && cseq.method === 'ACK');
  if (!sameMethod) return { status: 400, reason: 'Bad Request (CSeq method does not match)' };
  if (!h.from || !uriOf(h.from.uri) || !h.to || !uriOf(h.to.uri))
    return { status: 400, reason: 'Bad Request (From/To)' };
  const mf = h['max-forwards'];
  if (mf !== undefined) {
    const n = Number(String(mf).trim());
    if (!/^\s*\d+\s*$/.test(String(mf))) return { status: 400, reason: 'Bad Request (Max-Forwards)' };
    if (n === 0 && rq.method !== 'OPTIONS') return { status: 483, reason: 'Too Many Hops' };
  }
  const length = h['content-length'];
  if (length !== undefined && (!Number.isInteger(length) || length < 0))
    return { status: 400, reason: 'Bad Request (Content-Length)' };
  if (length !== undefined && rawLength !== undefined && length > rawLength)
    return { status: 400, reason: 'Bad Request (Content-Length larger than the body)' };
  return null;
}

function uriOf(u: unknown): boolean {
  if (typeof u !== 'string') return typeof u === 'object' && u !== null;
  return /^[A-Za-z][A-Za-z0-9+.-]*:\S+/.test(u.trim());
}
