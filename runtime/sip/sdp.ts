// SDP offer/answer for one audio stream: G.711 (PCMU 0, PCMA 8 — static types need no rtpmap) and
// telephone-event at whatever payload type the offer chose. Network input: never throws.
import * as sdpTransform from 'sdp-transform';

export type Codec = 'PCMU' | 'PCMA';
export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** What we take from an offer. `remote` is null when the peer holds with c=0.0.0.0 or port 0. */
export interface MediaOffer {
  codec: Codec;
  payloadType: number;
  /** The offer's telephone-event payload type, or null. */
  dtmfPayloadType: number | null;
  remote: { address: string; port: number } | null;
  /** The offer's direction (sendrecv when not stated). */
  direction: Direction;
}

export type OfferResult = { ok: true; offer: MediaOffer } | { ok: false; status: 400 | 488; reason: string };

const STATIC: Record<number, Codec> = { 0: 'PCMU', 8: 'PCMA' };

/** The first G.711 format of the first audio stream, in the offerer's order of preference. */
export function parseOffer(text: string): OfferResult {
  let session: sdpTransform.SessionDescription;
  try {
    session = sdpTransform.parse(text);
  } catch (err) {
    return {
      ok: false,
      status: 400,
      reason: `SDP does not parse: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  const audio = (session.media ?? []).find((m) => m.type === 'audio');
  if (!audio) return { ok: false, status: 488, reason: 'no audio stream in the offer' };
  const payloads = String(audio.payloads ?? '')
    .trim()
    .split(/\s+/)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 0 && n < 128);
  const names = new Map<number, string>();
  for (const r of audio.rtp ?? []) names.set(r.payload, `${r.codec}/${r.rate ?? 8000}`.toLowerCase());
  let chosen: { codec: Codec; pt: number } | null = null;
  for (const pt of payloads) {
    const name = names.get(pt);
    const codec =
      name === 'pcmu/8000' ? 'PCMU' : name === 'pcma/8000' ? 'PCMA' : name === undefined ? STATIC[pt] : undefined;
    if (codec) {
      chosen = { codec, pt };
      break;
    }
  }
  if (!chosen)
    return {
      ok: false,
      status: 488,
      reason: `no common codec (offered ${payloads.join(' ') || 'nothing'}; we take PCMU 0, PCMA 8)`,
    };
  const dtmf = payloads.find((pt) => names.get(pt) === 'telephone-event/8000');
  const address = audio.connection?.ip ?? session.connection?.ip ?? '';
  const port = Number(audio.port);
  const holding = address === '' || address === '0.0.0.0' || !(port > 0 && port < 65536);
  return {
    ok: true,
    offer: {
      codec: chosen.codec,
      payloadType: chosen.pt,
      dtmfPayloadType: dtmf ?? null,
      remote: holding ? null : { address, port },
      direction: directionOf(audio.direction ?? session.direction),
    },
  };
}

/** RFC 3264: sendonly is answered recvonly and vice versa. */
export function answerDirection(offered: Direction): Direction {
  return offered === 'sendonly' ? 'recvonly' : offered === 'recvonly' ? 'sendonly' : offered;
}

export interface AnswerOptions {
  offer: MediaOffer;
  /** Our media address (default 127.0.0.1). */
  address: string;
  port: number;
  sessionId: number;
  /** Bumped on every new answer in the dialog (re-INVITE). */
  version: number;
  direction?: Direction;
}

export function buildAnswer(o: AnswerOptions): string {
  const { offer } = o;
  const ip = o.address.includes(':') ? 6 : 4;
  const rtp: { payload: number; codec: string; rate: number }[] = [
    { payload: offer.payloadType, codec: offer.codec, rate: 8000 },
  ];
  const payloads = [offer.payloadType];
  const fmtp: { payload: number; config: string }[] = [];
  if (offer.dtmfPayloadType !== null) {
    rtp.push({ payload: offer.dtmfPayloadType, codec: 'telephone-event', rate: 8000 });
    payloads.push(offer.dtmfPayloadType);
    fmtp.push({ payload: offer.dtmfPayloadType, config: '0-16' });
  }
  return sdpTransform.write({
    version: 0,
    origin: {
      username: 'ivr-studio',
      sessionId: o.sessionId,
      sessionVersion: o.version,
      netType: 'IN',
      ipVer: ip,
      address: o.address,
    },
    name: 'IVR Studio',
    connection: { version: ip, ip: o.address },
    timing: { start: 0, stop: 0 },
    media: [
      {
        type: 'audio',
        port: o.port,
        protocol: 'RTP/AVP',
        payloads: payloads.join(' '),
        rtp,
        fmtp,
        ptime: 20,
        direction: o.direction ?? answerDirection(offer.direction),
      },
    ],
  });
}

function directionOf(value: unknown): Direction {
  return value === 'sendonly' || value === 'recvonly' || value === 'inactive' ? value : 'sendrecv';
}
