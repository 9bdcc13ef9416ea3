// What a user agent server checks before a request reaches a transaction (RFC 3261 §8.2, §18.3,
// §20, RFC 4475's advice): the refusal it gets (400, 416, 420, 483, 505, 415, 406) or the request's
// core fields, read once. A request with no readable Via cannot be answered at all and is dropped.
import { parseCSeq, parseNameAddr, parseVia, splitList, isToken, type CSeq, type NameAddr, type Via } from './fields';
import type { SipRequest } from './message';
import { parseSipUri, uriScheme, type SipUri } from './uri';

export interface RequestCore {
  method: string;
  uri: SipUri;
  callId: string;
  cseq: CSeq;
  from: NameAddr;
  fromTag: string | null;
  to: NameAddr;
  toTag: string | null;
  /** Every Via, top first. */
  via: Via[];
  maxForwards: number | null;
  /** The Contact name-addrs (empty for none or '*'). */
  contact: NameAddr[];
}

export interface Refusal {
  ok: false;
  status: number;
  reason: string;
  /** Detail for the Warning header. */
  warning?: string;
  headers?: [string, string][];
}

export type Checked = { ok: true; core: RequestCore } | Refusal | { ok: false; drop: string };

/** Option tags we implement (Require: anything else gets 420). */
export const SUPPORTED: readonly string[] = [];

/** Headers that appear once at most (§20: not a comma list). */
const SINGLE = ['call-id', 'cseq', 'from', 'to', 'max-forwards', 'content-length', 'content-type'];

const bad = (warning: string): Refusal => ({ ok: false, status: 400, reason: 'Bad Request', warning });

/**
 * @example
 *   const checked = checkRequest(parsed.message, parsed.error);
 *   if (!checked.ok && 'status' in checked) reply(checked.status, checked.reason);
 */
export function checkRequest(rq: SipRequest, parseError?: string): Checked {
  const h = rq.headers;
  const via: Via[] = [];
  for (const field of h.all('via'))
    for (const v of splitList(field)) {
      const parsed = parseVia(v);
      if (!parsed) {
        if (via.length === 0) return { ok: false, drop: `unreadable Via: ${v.slice(0, 60)}` };
        return refuse(rq, bad(`unreadable Via: ${v.slice(0, 60)}`));
      }
      via.push(parsed);
    }
  if (via.length === 0) return { ok: false, drop: 'no Via' };
  if (parseError) return refuse(rq, bad(parseError));
  if (rq.version !== '2.0')
    return refuse(rq, { ok: false, status: 505, reason: 'Version Not Supported', warning: `SIP/${rq.version}` });
  if (!isToken(rq.method)) return refuse(rq, bad('the method is not a token'));
  for (const name of SINGLE) if (h.count(name) > 1) return refuse(rq, bad(`more than one ${name} header`));
  const callId = h.get('call-id');
  if (!callId || !/^\S+$/.test(callId)) return refuse(rq, bad('no Call-ID'));
  const cseq = parseCSeq(h.get('cseq') ?? '');
  if (!cseq) return refuse(rq, bad('CSeq is missing or not "number method" (number below 2^31)'));
  if (cseq.method !== rq.method) return refuse(rq, bad(`CSeq method ${cseq.method} does not match ${rq.method}`));
  const from = parseNameAddr(h.get('from') ?? '');
  const to = parseNameAddr(h.get('to') ?? '');
  if (!from || !to) return refuse(rq, bad(!from ? 'From is missing or unreadable' : 'To is missing or unreadable'));
  const scheme = uriScheme(rq.uri);
  if (scheme !== 'sip' && scheme !== 'sips')
    return refuse(
      rq,
      scheme === null
        ? bad('the Request-URI is not a URI')
        : { ok: false, status: 416, reason: 'Unsupported URI Scheme', warning: `${scheme}: URIs are not served` },
    );
  const uri = parseSipUri(rq.uri);
  if (!uri) return refuse(rq, bad('the Request-URI is not a valid SIP URI (RFC 3261 §25.1)'));
  const mfText = h.get('max-forwards');
  let maxForwards: number | null = null;
  if (mfText !== undefined) {
    if (!/^\d{1,3}$/.test(mfText) || Number(mfText) > 255) return refuse(rq, bad('Max-Forwards is not 0-255'));
    maxForwards = Number(mfText);
    if (maxForwards === 0 && rq.method !== 'OPTIONS')
      return refuse(rq, { ok: false, status: 483, reason: 'Too Many Hops' });
  }
  const contact: NameAddr[] = [];
  for (const field of h.all('contact')) {
    if (field.trim() === '*') continue;
    for (const c of splitList(field)) {
      const parsed = parseNameAddr(c);
      if (!parsed) return refuse(rq, bad('Contact is unreadable'));
      contact.push(parsed);
    }
  }
  if (rq.method !== 'ACK' && rq.method !== 'CANCEL') {
    const unsupported = h
      .all('require')
      .flatMap(splitList)
      .filter((tag) => !SUPPORTED.includes(tag.toLowerCase()));
    if (unsupported.length > 0)
      return refuse(rq, {
        ok: false,
        status: 420,
        reason: 'Bad Extension',
        headers: [['Unsupported', unsupported.join(', ')]],
      });
  }
  if (rq.method === 'INVITE') {
    const refusal = checkInviteBody(rq);
    if (refusal) return refuse(rq, refusal);
  }
  const core: RequestCore = {
    method: rq.method,
    uri,
    callId,
    cseq,
    from,
    fromTag: tagOf(from),
    to,
    toTag: tagOf(to),
    via,
    maxForwards,
    contact,
  };
  return { ok: true, core };
}

/** §8.2.3 and §21.4.7: an INVITE body we cannot read, or an answer the caller would not accept. */
function checkInviteBody(rq: SipRequest): Refusal | null {
  const h = rq.headers;
  const encodings = h
    .all('content-encoding')
    .flatMap(splitList)
    .map((e) => e.toLowerCase());
  if (encodings.some((e) => e !== 'identity'))
    return {
      ok: false,
      status: 415,
      reason: 'Unsupported Media Type',
      warning: `Content-Encoding ${encodings.join(', ')}`,
      headers: [['Accept-Encoding', 'identity']],
    };
  const type = (h.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (rq.body.length > 0 && type !== 'application/sdp')
    return {
      ok: false,
      status: 415,
      reason: 'Unsupported Media Type',
      warning: `a ${type || 'untyped'} body; we read application/sdp`,
      headers: [['Accept', 'application/sdp']],
    };
  const accept = h.all('accept').flatMap(splitList);
  if (h.has('accept') && accept.length > 0) {
    const ranges = accept.map((a) => a.split(';')[0]!.trim().toLowerCase());
    if (!ranges.some((r) => r === 'application/sdp' || r === 'application/*' || r === '*/*'))
      return { ok: false, status: 406, reason: 'Not Acceptable', warning: 'our answer is application/sdp' };
  }
  return null;
}

function refuse(rq: SipRequest, refusal: Refusal): Checked {
  // An ACK is never answered (§17.2.1): a bad one is only dropped.
  return rq.method === 'ACK' ? { ok: false, drop: `bad ACK: ${refusal.warning ?? refusal.reason}` } : refusal;
}

function tagOf(a: NameAddr): string | null {
  const tag = a.params.get('tag');
  return tag === undefined || tag === null || tag === '' ? null : tag;
}
