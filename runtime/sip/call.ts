// One incoming call: its dialog, its RTP stream, its Call API session and its logs. The server hands
// it the requests of its dialog; the program (run by the host) drives it through the session.
import sip, { type SipMessage, type SipRemote, type SipRequest, type SipStack } from 'sip';
import type { Program } from '../host/program';
import type { HostResult } from '../host/common';
import type { AccountInfo } from '../call/environment';
import { realClock } from '../call/clock';
import { Trace } from '../call/trace';
import type { MailSender } from '../call/simulated';
import { RtpStream, type MediaChannel, type MediaOpener } from './media';
import { Dialog, T1, describeRemote, type SipLogEntry } from './dialog';
import { SipCallSession, type CallControl } from './session';
import { answerDirection, buildAnswer, parseOffer, type MediaOffer } from './sdp';
import { dtmfFromInfo } from './info';

export interface SipCallOptions {
  stack: SipStack;
  invite: SipRequest;
  remote: SipRemote;
  offer: MediaOffer;
  program: Program;
  account: AccountInfo;
  /** How the call was routed, for the trace. */
  why: string;
  /** Vars().startParameter (app{p1,p2} in the request-URI). */
  startParameter?: string[];
  contact: string;
  mediaAddress: string;
  mailer?: MailSender;
  /** Where the call's RTP runs; default an RtpStream on this thread. */
  openMedia?: MediaOpener;
}

export interface SipCallResult {
  endedBy: SipCallSession['endedBy'];
  transfer: string | null;
  host: HostResult | null;
  digits: string;
}

export class SipCall {
  readonly id: string;
  readonly callId: string;
  readonly program: Program;
  readonly trace = new Trace(realClock());
  readonly messages: SipLogEntry[] = [];
  readonly session: SipCallSession;
  readonly dialog: Dialog;
  media: MediaChannel | null = null;
  private offer: MediaOffer;
  private readonly started = Date.now();
  private readonly sessionId = Math.floor(Math.random() * 2 ** 31);
  private sdpVersion = 0;
  private ackWaiter: ((error: string | null) => void) | null = null;

  constructor(private readonly o: SipCallOptions) {
    this.callId = o.invite.headers['call-id'];
    this.id = `sip-${this.callId}`;
    this.program = o.program;
    this.offer = o.offer;
    this.dialog = new Dialog(o.stack, o.invite, o.remote, o.contact);
    this.log('in', o.invite, o.remote);
    const call = this;
    const control: CallControl = {
      answer: () => this.answer(),
      hangup: (status, reason) => this.hangup(status, reason),
      transfer: (target) => this.transfer(target),
      get media() {
        return call.media;
      },
      get codec() {
        return call.offer.codec;
      },
    };
    this.session = new SipCallSession({
      id: this.id,
      control,
      clock: realClock(),
      trace: this.trace,
      environment: o.program.environment,
      account: o.account,
      remoteUri: uriText(o.invite.headers.from.uri),
      ...(o.startParameter ? { startParameter: o.startParameter } : {}),
      requestUri: uriText(o.invite.uri),
      localUri: uriText(o.invite.headers.to.uri),
      ...(o.mailer ? { mailer: o.mailer } : {}),
    });
    this.trace.add({
      kind: 'call-started',
      account: o.account.email,
      language: o.account.language,
      from: this.session.remoteUri() ?? '',
      to: this.session.localUri(),
    });
    this.trace.add({
      kind: 'log',
      text: `SIP ${describeRemote(o.remote)}; routed: ${o.why}; ${o.offer.codec}/${o.offer.payloadType}${o.offer.dtmfPayloadType !== null ? `, telephone-event/${o.offer.dtmfPayloadType}` : ''}`,
    });
    void this.session.whenEnded().then(() => this.media?.stop());
  }

  /** Binds the RTP socket (before 180/200, so the answer can name its port). */
  async openMedia(): Promise<void> {
    const media = await (this.o.openMedia ?? RtpStream.open)({
      remote: null,
      bindAddress: this.o.mediaAddress,
      codec: this.offer.codec,
      payloadType: this.offer.payloadType,
      dtmfPayloadType: this.offer.dtmfPayloadType,
    });
    media.on('dtmf', (digit, source) => this.session.pressDigit(digit, source));
    media.on('error', (e) => this.trace.add({ kind: 'log', text: `RTP: ${e.message}` }));
    this.media = media;
    if (this.session.state === 'ended') media.stop();
  }

  /** A message of this call for the ladder. */
  log(dir: 'in' | 'out', m: SipMessage, peer: SipRemote): void {
    let text: string;
    try {
      text = sip.stringify(m);
    } catch {
      text = '(unprintable)';
    }
    const now = new Date();
    this.messages.push({
      dir,
      t: now.getTime() - this.started,
      wall: now.toISOString(),
      firstLine: text.slice(0, text.indexOf('\r\n')),
      peer: describeRemote(peer),
      text,
    });
  }

  // ── requests of the dialog ───────────────────────────────────────────────────────────────

  onAck(): void {
    if (this.dialog.acked) return;
    this.dialog.ack();
    this.ackWaiter?.(null);
    this.ackWaiter = null;
  }

  onBye(rq: SipRequest): void {
    this.dialog.respond(200, 'OK', {}, rq);
    this.dialog.stopRetransmit();
    this.ackWaiter?.('the caller hung up before the ACK');
    this.session.remoteEnded();
  }

  /** CANCEL before our final response: 200 to the CANCEL, 487 to the INVITE. */
  onCancel(rq: SipRequest): void {
    this.dialog.respond(200, 'OK', {}, rq);
    if (this.dialog.answered) return;
    this.dialog.respond(487, 'Request Terminated');
    this.trace.add({ kind: 'log', text: 'CANCEL before the answer' });
    this.session.remoteEnded();
  }

  onInfo(rq: SipRequest): void {
    const digit = dtmfFromInfo(rq.headers['content-type'], rq.content);
    const hasBody = (rq.content ?? '').trim() !== '';
    if (digit === null && hasBody && !/dtmf/i.test(rq.headers['content-type'] ?? '')) {
      this.dialog.respond(
        415,
        'Unsupported Media Type',
        { headers: { accept: 'application/dtmf-relay, application/dtmf' } },
        rq,
      );
      return;
    }
    this.dialog.respond(200, 'OK', {}, rq);
    if (digit !== null) this.session.pressDigit(digit, 'info');
  }

  /** Hold / unhold / media moved: answer from our side and follow the peer's new address. */
  onReInvite(rq: SipRequest): void {
    const body = rq.content ?? '';
    if (body.trim() !== '') {
      const parsed = parseOffer(body);
      if (!parsed.ok) {
        this.dialog.respond(
          parsed.status,
          parsed.status === 488 ? 'Not Acceptable Here' : 'Bad Request',
          { headers: { warning: `399 ivr-studio "${parsed.reason}"` } },
          rq,
        );
        return;
      }
      if (parsed.offer.codec !== this.offer.codec) {
        this.dialog.respond(
          488,
          'Not Acceptable Here',
          { headers: { warning: `399 ivr-studio "the codec cannot change mid-call (${this.offer.codec})"` } },
          rq,
        );
        return;
      }
      this.offer = parsed.offer;
    }
    const direction = answerDirection(this.offer.direction);
    this.trace.add({
      kind: 'log',
      text: `re-INVITE: peer ${this.offer.direction}${this.offer.remote ? ` at ${this.offer.remote.address}:${this.offer.remote.port}` : ' (no address: hold)'}; we answer ${direction}`,
    });
    this.dialog.answer(rq, this.answerSdp(direction), () =>
      this.trace.add({ kind: 'log', text: 'no ACK for the re-INVITE answer' }),
    );
    this.followRemote(direction);
  }

  // ── the program's side ───────────────────────────────────────────────────────────────────

  private answer(): Promise<string | null> {
    if (this.session.state === 'ended' || this.dialog.answered) return Promise.resolve('call is already disconnected');
    const direction = answerDirection(this.offer.direction);
    return new Promise((resolve) => {
      this.ackWaiter = resolve;
      this.dialog.answer(this.o.invite, this.answerSdp(direction), () => {
        this.trace.add({ kind: 'log', text: `no ACK for our 200 OK in ${(64 * T1) / 1000} s: hanging up` });
        this.dialog.request('BYE');
        this.ackWaiter?.('no ACK from the caller');
        this.ackWaiter = null;
        this.session.remoteEnded();
      });
      this.followRemote(direction);
    });
  }

  private hangup(status?: number, reason?: string): void {
    this.ackWaiter?.('the program hung up');
    this.ackWaiter = null;
    if (!this.dialog.answered) {
      const code = status !== undefined && status >= 300 && status < 700 ? status : 480;
      this.dialog.respond(code, reason || (code === 480 ? 'Temporarily Unavailable' : 'Call Rejected'));
      return;
    }
    this.dialog.stopRetransmit();
    this.dialog.request('BYE');
  }

  private transfer(target: string): string {
    const uri = sipUri(target, this.o.account.domain);
    if (!this.dialog.answered) {
      this.ackWaiter?.('redirected');
      this.ackWaiter = null;
      this.dialog.respond(302, 'Moved Temporarily', { headers: { contact: [{ uri, params: {} }] } });
      return `302 Moved Temporarily → ${uri}`;
    }
    this.dialog.stopRetransmit();
    this.dialog.request('BYE');
    return `transfer to ${uri}: the local runtime has no REFER, so the call ends with BYE (CommuniGate would connect the caller)`;
  }

  private answerSdp(direction: ReturnType<typeof answerDirection>): string {
    return buildAnswer({
      offer: this.offer,
      address: this.o.mediaAddress,
      port: this.media?.localPort ?? 9,
      sessionId: this.sessionId,
      version: this.sdpVersion++,
      direction,
    });
  }

  /** We send only when our answer says we do, to where the peer's SDP says. */
  private followRemote(direction: string): void {
    if (!this.media) return;
    this.media.remote = direction === 'sendrecv' || direction === 'sendonly' ? this.offer.remote : null;
  }
}

function uriText(u: unknown): string {
  return typeof u === 'string' ? u : u && typeof u === 'object' ? sip.stringifyUri(u as never) : '';
}

/** "ivanov" → sip:ivanov@company.com; "1001@pbx" → sip:1001@pbx; SIP/tel URIs stay. */
export function sipUri(target: string, domain: string): string {
  const t = target.trim().replace(/^<|>$/g, '');
  if (/^(sips?|tel):/i.test(t)) return t;
  return t.includes('@') ? `sip:${t}` : `sip:${t}@${domain}`;
}
