// One outgoing leg to one device (RFC 3261 §13 as a user agent client): our INVITE with an SDP offer
// (the RTP socket is bound first), provisional responses, the 2xx and its ACK (§13.2.2.4), the
// dialog's route set and target from the 2xx (§12.1.2), CANCEL before the answer, BYE after it, and
// the callee's in-dialog requests (BYE, INFO keys). Once answered it is a task's Peer (LegPeer).
import { randomBytes } from 'node:crypto';
import type { PeerEvents, PeerMedia, PeerPrompt } from '../call/peer';
import type { Peer } from '../call/peer';
import type { Trace } from '../call/trace';
import { newTag } from './dialog';
import type { Flow, IncomingRequest, OutgoingInvite, SipEngine } from './engine';
import { dtmfFromInfo } from './info';
import { RtpStream, type MediaChannel, type MediaOpener } from './media';
import { Headers, newRequest, parseNameAddr, type SipResponse } from './message';
import { parseOffer, type Codec } from './sdp';
import * as sdpTransform from 'sdp-transform';

export interface LegTarget {
  /** The Request-URI: a device's Contact, or the URI dialled. */
  uri: string;
  /** The To URI: the account's address, or the URI dialled. */
  to: string;
  flow: Flow;
  /** For traces: "ivanov (udp 127.0.0.1:5080)". */
  who: string;
}

export interface LegSetup {
  engine: SipEngine;
  target: LegTarget;
  /** Our From URI (the task's account). */
  from: string;
  /** Our Contact URI on this flow. */
  contact: string;
  rtpBind: string;
  sdpAddress: string;
  /** The codec we would rather get (the other leg's, so that a bridge need not transcode). */
  prefer: Codec;
  openMedia?: MediaOpener;
  /** The media of the call this leg will be bridged with: the leg's RTP runs on the same thread. */
  near?: MediaChannel | null;
  trace: Trace;
  /** Every message of the leg, for the ladder (the server's onMessage knows the Call-ID). */
  onRequestIn?: (leg: OutgoingLeg) => void;
}

export interface LegEvents {
  ringing(): void;
  answered(leg: OutgoingLeg): void;
  /** A final error response (status, reason), or null: no answer at all (Timer B) or a failure of ours. */
  failed(status: number | null, reason: string): void;
  /** The callee ended the answered call (BYE). */
  ended(): void;
}

const STATIC_PT: Record<Codec, number> = { PCMU: 0, PCMA: 8 };
const DTMF_PT = 101;

export class OutgoingLeg {
  readonly callId = `${randomBytes(10).toString('hex')}@ivr-studio`;
  readonly localTag = newTag();
  remoteTag = '';
  state: 'calling' | 'ringing' | 'answered' | 'ended' = 'calling';
  media: MediaChannel | null = null;
  private cseq = 1;
  private remoteTarget: string;
  private routeSet: string[] = [];
  private invite: OutgoingInvite | null = null;
  private peerEvents: PeerEvents | null = null;
  readonly peer: LegPeer;

  constructor(
    private readonly s: LegSetup,
    private readonly events: LegEvents,
  ) {
    this.remoteTarget = s.target.uri;
    this.peer = new LegPeer(this);
  }

  get target(): LegTarget {
    return this.s.target;
  }

  /** Binds RTP, sends the INVITE; events follow. */
  async start(): Promise<void> {
    try {
      const open = this.s.openMedia ?? ((o) => RtpStream.open(o));
      this.media = await open(
        {
          remote: null,
          bindAddress: this.s.rtpBind,
          codec: this.s.prefer,
          payloadType: STATIC_PT[this.s.prefer],
          dtmfPayloadType: DTMF_PT,
          peer: { signalling: this.s.target.flow.remote.address, earlyPackets: 0 },
        },
        this.s.near ?? undefined,
      );
    } catch (err) {
      this.state = 'ended';
      this.events.failed(null, `no RTP port: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.media.on('dtmf', (digit, source) => this.peerEvents?.key(digit, source));
    if (this.state === 'ended') return this.media.stop(); // cancelled while binding
    const headers = this.headers('INVITE', this.cseq);
    headers.add('Content-Type', 'application/sdp');
    const rq = newRequest('INVITE', this.s.target.uri, headers, this.offer());
    this.invite = this.s.engine.invite(rq, this.s.target.flow, (rs) => this.provisional(rs));
    this.s.trace.add({ kind: 'log', text: `INVITE ${this.s.target.uri} (${this.s.target.who})` });
    const final = await this.invite.final;
    this.invite = null;
    if (final === null) return this.fail(null, 'no response');
    if (final.status >= 300) return this.fail(final.status, final.reason);
    this.answered(final);
  }

  /** CANCEL before the answer (the INVITE then ends 487), BYE after it. */
  hangup(): void {
    if (this.state === 'ended') return;
    const answered = this.state === 'answered';
    this.state = 'ended';
    if (answered) void this.request('BYE');
    else this.invite?.cancel();
    this.media?.stop();
  }

  /** A request of the callee in this dialog (BYE, INFO, re-INVITE). */
  onRequest(rq: IncomingRequest): void {
    const ok = () => rq.respond(200, 'OK', { toTag: this.localTag });
    switch (rq.core.method) {
      case 'BYE':
        ok();
        if (this.state !== 'answered') return;
        this.state = 'ended';
        this.media?.stop();
        this.s.trace.add({ kind: 'log', text: `BYE from ${this.s.target.who}` });
        this.peerEvents?.ended();
        this.events.ended();
        return;
      case 'INFO': {
        ok();
        const digit = dtmfFromInfo(rq.message.headers.get('content-type'), rq.message.body.toString('utf8'));
        if (digit !== null) this.peerEvents?.key(digit, 'info');
        return;
      }
      default:
        rq.respond(488, 'Not Acceptable Here', { toTag: this.localTag, warning: 're-INVITE of an outgoing leg' });
    }
  }

  matches(rq: IncomingRequest): boolean {
    return rq.core.callId === this.callId && rq.core.toTag === this.localTag && rq.core.fromTag === this.remoteTag;
  }

  attach(events: PeerEvents): void {
    this.peerEvents = events;
  }

  private provisional(rs: SipResponse): void {
    if (rs.status === 100 || this.state !== 'calling') return;
    this.state = 'ringing';
    this.events.ringing();
  }

  private fail(status: number | null, reason: string): void {
    const was = this.state;
    this.state = 'ended';
    this.media?.stop();
    if (was === 'ended' && status === 487) return; // our CANCEL
    this.events.failed(status, reason);
  }

  private answered(rs: SipResponse): void {
    const to = parseNameAddr(rs.headers.get('to') ?? '');
    this.remoteTag = (to?.params.get('tag') as string | undefined) ?? '';
    const contact = parseNameAddr(rs.headers.get('contact') ?? '');
    if (contact) this.remoteTarget = contact.uri;
    this.routeSet = rs.headers.all('record-route').reverse();
    const ack = newRequest('ACK', this.remoteTarget, this.headers('ACK', this.cseq));
    this.s.engine.send(ack, this.s.target.flow);
    this.invite?.acked(ack);
    if (this.state === 'ended') {
      // Cancelled, but the 2xx crossed our CANCEL: the call exists, so it is ended at once.
      this.state = 'answered';
      this.hangup();
      return;
    }
    const answer = parseOffer(rs.body.toString('utf8'));
    if (!answer.ok || !this.media) {
      this.state = 'answered';
      this.hangup();
      return this.events.failed(488, answer.ok ? 'no media' : answer.reason);
    }
    const a = answer.offer;
    this.media.setFormat(a.codec, a.payloadType, a.dtmfPayloadType);
    this.media.remote = a.remote;
    this.media.confirm();
    this.state = 'answered';
    this.s.trace.add({
      kind: 'log',
      text: `${this.s.target.who} answered: ${a.codec}/${a.payloadType}${a.dtmfPayloadType !== null ? `, telephone-event/${a.dtmfPayloadType}` : ''}, RTP ${a.remote ? `${a.remote.address}:${a.remote.port}` : 'on hold'}`,
    });
    this.events.answered(this);
  }

  private request(method: string): Promise<SipResponse | null> {
    const rq = newRequest(method, this.remoteTarget, this.headers(method, ++this.cseq));
    return this.s.engine.request(rq, this.s.target.flow);
  }

  private headers(method: string, cseq: number): Headers {
    const h = new Headers([
      ['Max-Forwards', '70'],
      ['From', `<${this.s.from}>;tag=${this.localTag}`],
      ['To', `<${this.s.target.to}>${this.remoteTag ? `;tag=${this.remoteTag}` : ''}`],
      ['Call-ID', this.callId],
      ['CSeq', `${cseq} ${method}`],
      ['Contact', `<${this.s.contact}>`],
      ['User-Agent', 'ivr-studio'],
    ]);
    for (const route of this.routeSet) h.add('Route', route);
    return h;
  }

  private offer(): string {
    const ip = this.s.sdpAddress.includes(':') ? 6 : 4;
    const other: Codec = this.s.prefer === 'PCMU' ? 'PCMA' : 'PCMU';
    const pts = [STATIC_PT[this.s.prefer], STATIC_PT[other], DTMF_PT];
    return sdpTransform.write({
      version: 0,
      origin: {
        username: 'ivr-studio',
        sessionId: Math.floor(Math.random() * 2 ** 31),
        sessionVersion: 0,
        netType: 'IN',
        ipVer: ip,
        address: this.s.sdpAddress,
      },
      name: 'IVR Studio',
      connection: { version: ip, ip: this.s.sdpAddress },
      timing: { start: 0, stop: 0 },
      media: [
        {
          type: 'audio',
          port: this.media!.localPort,
          protocol: 'RTP/AVP',
          payloads: pts.join(' '),
          rtp: [
            { payload: STATIC_PT[this.s.prefer], codec: this.s.prefer, rate: 8000 },
            { payload: STATIC_PT[other], codec: other, rate: 8000 },
            { payload: DTMF_PT, codec: 'telephone-event', rate: 8000 },
          ],
          fmtp: [{ payload: DTMF_PT, config: '0-16' }],
          ptime: 20,
          direction: 'sendrecv',
        },
      ],
    });
  }
}

/** The answered leg as the task's peer: prompts and keys on its RTP, bridges through the media layer. */
export class LegPeer implements Peer {
  readonly authenticated = null;
  readonly incoming = null;
  readonly canTransfer = false;
  readonly media: PeerMedia;

  constructor(private readonly leg: OutgoingLeg) {
    this.media = new LegMedia(leg);
  }

  get uri(): string {
    return this.leg.target.to;
  }

  get localUri(): string {
    return this.leg.target.uri;
  }

  get name(): string {
    return this.leg.target.who;
  }

  /** The RTP a bridge joins. */
  get channel(): MediaChannel | null {
    return this.leg.media;
  }

  attach(events: PeerEvents): void {
    this.leg.attach(events);
  }

  async transfer(): Promise<string | null> {
    return 'an outgoing leg cannot be transferred';
  }

  hangup(): void {
    this.leg.hangup();
  }

  async bridge(other: Peer): Promise<string | null> {
    return bridgeChannels(this.channel, other);
  }

  unbridge(): void {
    this.leg.media?.bridge(null);
  }
}

/** Joins our media with another peer's (a SIP call's or another leg's). */
export function bridgeChannels(mine: MediaChannel | null, other: Peer): string | null {
  const theirs = (other as Partial<{ channel: MediaChannel | null }>).channel ?? null;
  if (!mine || !theirs) return 'there is no media to bridge';
  return mine.bridge(theirs);
}

class LegMedia implements PeerMedia {
  constructor(private readonly leg: OutgoingLeg) {}

  async find(_name: string, language: string): Promise<PeerPrompt> {
    return { language, path: null, problem: 'prompts are not played to an outgoing leg here' };
  }

  async play(_prompt: PeerPrompt, msec: number | undefined, signal: AbortSignal): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, msec && msec > 0 ? msec : 0);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }

  async record(): Promise<Uint8Array | null> {
    return null;
  }

  async sendDigit(digit: string): Promise<string | null> {
    if (!this.leg.media) return 'call is not connected';
    await this.leg.media.sendDigits(digit);
    return null;
  }
}
