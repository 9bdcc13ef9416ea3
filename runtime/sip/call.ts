// One incoming call: its dialog, its RTP stream, its Call API session and its logs. The server hands
// it the requests of its dialog; the program (run by the host) drives it through the session.
import type { Program } from '../host/program';
import type { HostResult } from '../host/common';
import type { AccountInfo } from '../call/environment';
import { realClock, type Clock } from '../call/clock';
import { Trace } from '../call/trace';
import type { MailSender } from '../call/simulated';
import { RtpStream, type MediaChannel, type MediaOpener } from './media';
import { Dialog, describeFlow, type SipLogEntry } from './dialog';
import type { Flow, IncomingRequest, SipEngine } from './engine';
import { firstLine, messageText, type SipMessage } from './message';
import { SipCallSession, type CallControl } from './session';
import { answerDirection, buildAnswer, parseOffer, type MediaOffer } from './sdp';
import { dtmfFromInfo } from './info';
import type { Dialer } from '../call/parties';
import { legError } from './dialer';

/** What we may send before the caller's ACK proves it asked for this call: one second of audio. */
export const EARLY_MEDIA_PACKETS = 50;

export interface SipCallOptions {
  engine: SipEngine;
  invite: IncomingRequest;
  offer: MediaOffer;
  program: Program;
  account: AccountInfo;
  /** How the call was routed, for the trace. */
  why: string;
  /** Vars().startParameter (app{p1,p2} in the request-URI). */
  startParameter?: string[];
  /** Our Contact URI. */
  contact: string;
  /** Where RTP is bound. */
  mediaBind: string;
  /** What our SDP says (c= and o=). */
  sdpAddress: string;
  /** 64·T1, for the trace when no ACK comes. */
  ackTimeoutMs: number;
  clock?: Clock;
  mailer?: MailSender;
  /** Where the call's RTP runs; default an RtpStream on this thread. */
  openMedia?: MediaOpener;
  /** Where TransferCall sends the caller (an account's registered phone), as a URI. */
  referTarget?: (target: string) => string;
  /** The dialer of this call's tasks (outgoing legs on the wire). */
  dialer?: (call: SipCall) => Dialer;
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
  readonly trace: Trace;
  readonly messages: SipLogEntry[] = [];
  readonly session: SipCallSession;
  readonly dialog: Dialog;
  /** The INVITE's source address (per-source limits). */
  readonly source: string;
  media: MediaChannel | null = null;
  /** Resolves once our BYE (if we sent one) was answered or given up. */
  hungUp: Promise<unknown> = Promise.resolve();
  private offer: MediaOffer;
  private readonly started = Date.now();
  private readonly sessionId = Math.floor(Math.random() * 2 ** 31);
  private sdpVersion = 0;
  private ackWaiter: ((error: string | null) => void) | null = null;
  private notifyWaiter: ((error: string | null) => void) | null = null;

  constructor(private readonly o: SipCallOptions) {
    this.callId = o.invite.core.callId;
    this.id = `sip-${this.callId}`;
    this.program = o.program;
    this.offer = o.offer;
    this.source = o.invite.flow.remote.address;
    const clock = o.clock ?? realClock();
    this.trace = new Trace(clock);
    this.dialog = new Dialog(o.engine, o.invite, o.contact);
    this.log('in', o.invite.message, o.invite.flow);
    this.session = new SipCallSession({
      id: this.id,
      control: this.control(),
      clock,
      trace: this.trace,
      environment: o.program.environment,
      account: o.account,
      remoteUri: o.invite.core.from.uri,
      ...(o.startParameter ? { startParameter: o.startParameter } : {}),
      requestUri: o.invite.message.uri,
      localUri: o.invite.core.to.uri,
      ...(o.mailer ? { mailer: o.mailer } : {}),
      ...(o.dialer ? { dialer: o.dialer(this) } : {}),
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
      text: `SIP ${describeFlow(o.invite.flow)} → ${o.invite.flow.local.address}; routed: ${o.why}; ${o.offer.codec}/${o.offer.payloadType}${o.offer.dtmfPayloadType !== null ? `, telephone-event/${o.offer.dtmfPayloadType}` : ''}`,
    });
    o.invite.onCancel(() => this.onCancel());
    void this.session.whenEnded().then(() => this.media?.stop());
  }

  /** Binds the RTP socket (before 180/200, so the answer can name its port). */
  async openMedia(): Promise<void> {
    const media = await (this.o.openMedia ?? RtpStream.open)({
      remote: null,
      bindAddress: this.o.mediaBind,
      codec: this.offer.codec,
      payloadType: this.offer.payloadType,
      dtmfPayloadType: this.offer.dtmfPayloadType,
      peer: { signalling: this.source, earlyPackets: EARLY_MEDIA_PACKETS },
    });
    media.on('dtmf', (digit, source) => this.session.pressDigit(digit, source));
    media.on('error', (e) => this.trace.add({ kind: 'log', text: `RTP: ${e.message}` }));
    this.media = media;
    if (this.session.state === 'ended') media.stop();
  }

  /** A message of this call for the ladder. */
  log(dir: 'in' | 'out', m: SipMessage, flow: Flow): void {
    const now = new Date();
    this.messages.push({
      dir,
      t: now.getTime() - this.started,
      wall: now.toISOString(),
      firstLine: firstLine(m),
      peer: describeFlow(flow),
      text: messageText(m),
    });
  }

  // ── requests of the dialog ───────────────────────────────────────────────────────────────

  onBye(rq: IncomingRequest): void {
    this.dialog.respond(200, 'OK', {}, rq);
    this.ackWaiter?.('the caller hung up before the ACK');
    this.ackWaiter = null;
    this.session.remoteEnded();
  }

  onInfo(rq: IncomingRequest): void {
    const type = rq.message.headers.get('content-type');
    const body = rq.message.body.toString('utf8');
    const digit = dtmfFromInfo(type, body);
    if (digit === null && body.trim() !== '' && !/dtmf/i.test(type ?? '')) {
      this.dialog.respond(
        415,
        'Unsupported Media Type',
        { headers: [['Accept', 'application/dtmf-relay, application/dtmf']] },
        rq,
      );
      return;
    }
    this.dialog.respond(200, 'OK', {}, rq);
    if (digit !== null) this.session.pressDigit(digit, 'info');
  }

  /** Hold / unhold / media moved: answer from our side and follow the peer's new address. */
  onReInvite(rq: IncomingRequest): void {
    const body = rq.message.body.toString('utf8');
    if (body.trim() !== '') {
      const parsed = parseOffer(body);
      if (!parsed.ok)
        return this.dialog.respond(
          parsed.status,
          parsed.status === 488 ? 'Not Acceptable Here' : 'Bad Request',
          { warning: parsed.reason },
          rq,
        );
      if (parsed.offer.codec !== this.offer.codec)
        return this.dialog.respond(
          488,
          'Not Acceptable Here',
          { warning: `the codec cannot change mid-call (${this.offer.codec})` },
          rq,
        );
      this.offer = parsed.offer;
    }
    const direction = answerDirection(this.offer.direction);
    this.trace.add({
      kind: 'log',
      text: `re-INVITE: peer ${this.offer.direction}${this.offer.remote ? ` at ${this.offer.remote.address}:${this.offer.remote.port}` : ' (no address: hold)'}; we answer ${direction}`,
    });
    void this.dialog.accept(rq, this.answerSdp(direction)).then((how) => {
      if (how === 'timeout') this.trace.add({ kind: 'log', text: 'no ACK for the re-INVITE answer' });
    });
    this.followRemote(direction);
  }

  /** CANCEL before our final response (the engine answered the CANCEL 200): 487 to the INVITE. */
  private onCancel(): void {
    if (this.dialog.answered) return;
    this.dialog.respond(487, 'Request Terminated');
    this.trace.add({ kind: 'log', text: 'CANCEL before the answer' });
    this.session.remoteEnded();
  }

  // ── the program's side ───────────────────────────────────────────────────────────────────

  private control(): CallControl {
    const call = this;
    return {
      answer: () => this.answer(),
      hangup: (status, reason) => this.hangup(status, reason),
      transfer: (target) => this.transfer(target),
      refer: (target) => this.refer(target),
      get media() {
        return call.media;
      },
      get codec() {
        return call.offer.codec;
      },
    };
  }

  /**
   * TransferCall (RFC 3515 REFER, RFC 5589 blind transfer): the caller is asked to call the target;
   * its NOTIFYs (sipfrag) say how that call went. A 2xx in them is success (the task then hangs up,
   * BYE); a final error, a refused REFER or no final NOTIFY in 64·T1 is the error string.
   */
  private async refer(target: string): Promise<string | null> {
    const referTo = this.o.referTarget?.(target) ?? target;
    this.trace.add({ kind: 'log', text: `REFER ${referTo}` });
    const done = new Promise<string | null>((resolve) => (this.notifyWaiter = resolve));
    const rs = await this.dialog.request('REFER', {
      headers: [
        ['Refer-To', `<${referTo}>`],
        ['Referred-By', `<${this.session.localUri()}>`],
      ],
    });
    if (rs === null) return this.referDone('transfer failed: no answer to REFER');
    if (rs.status >= 300) return this.referDone(`transfer refused: ${rs.status} ${rs.reason}`);
    const timer = setTimeout(() => this.referDone('transfer failed: no final NOTIFY'), this.o.ackTimeoutMs);
    const result = await done;
    clearTimeout(timer);
    return result;
  }

  private referDone(result: string | null): string | null {
    const waiter = this.notifyWaiter;
    this.notifyWaiter = null;
    waiter?.(result);
    return result;
  }

  /** The REFER's progress (message/sipfrag, RFC 3420): its status line. */
  onNotify(rq: IncomingRequest): void {
    this.dialog.respond(200, 'OK', {}, rq);
    const frag = /^SIP\/2\.0 (\d{3}) ?(.*)$/m.exec(rq.message.body.toString('utf8'));
    if (!frag) return;
    const status = Number(frag[1]);
    this.trace.add({
      kind: 'log',
      text: `NOTIFY: the transfer ${status < 200 ? 'is in progress' : 'ended'} (${frag[1]} ${frag[2]})`,
    });
    if (status < 200) return;
    this.referDone(status < 300 ? null : legError(status, frag[2] ?? ''));
  }

  private answer(): Promise<string | null> {
    if (this.session.state === 'ended' || this.dialog.answered) return Promise.resolve('call is already disconnected');
    const direction = answerDirection(this.offer.direction);
    return new Promise((resolve) => {
      this.ackWaiter = resolve;
      void this.dialog.accept(this.o.invite, this.answerSdp(direction)).then((how) => {
        if (how === 'acked') {
          this.dialog.acked = true;
          this.media?.confirm();
          this.ackWaiter?.(null);
          this.ackWaiter = null;
          return;
        }
        if (this.session.state === 'ended') return;
        this.trace.add({ kind: 'log', text: `no ACK for our 200 OK in ${this.o.ackTimeoutMs / 1000} s: hanging up` });
        this.bye();
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
    this.bye();
  }

  private bye(): void {
    this.hungUp = this.dialog.request('BYE');
  }

  private transfer(target: string): string {
    const uri = sipUri(target, this.o.account.domain);
    if (!this.dialog.answered) {
      this.ackWaiter?.('redirected');
      this.ackWaiter = null;
      this.dialog.respond(302, 'Moved Temporarily', { headers: [['Contact', `<${uri}>`]] });
      return `302 Moved Temporarily → ${uri}`;
    }
    this.bye();
    return `RedirectCall to ${uri} after the answer: the call ends with BYE (TransferCall sends REFER)`;
  }

  private answerSdp(direction: ReturnType<typeof answerDirection>): string {
    return buildAnswer({
      offer: this.offer,
      address: this.o.sdpAddress,
      port: this.media?.localPort ?? 9,
      sessionId: this.sessionId,
      version: this.sdpVersion++,
      direction,
    });
  }

  /** We send only when our answer says we do, to where the peer's SDP says (or its RTP comes from). */
  private followRemote(direction: string): void {
    if (!this.media) return;
    this.media.remote = direction === 'sendrecv' || direction === 'sendonly' ? this.offer.remote : null;
  }
}

/** "ivanov" → sip:ivanov@company.com; "1001@pbx" → sip:1001@pbx; SIP/tel URIs stay. */
export function sipUri(target: string, domain: string): string {
  const t = target.trim().replace(/^<|>$/g, '');
  if (/^(sips?|tel):/i.test(t)) return t;
  return t.includes('@') ? `sip:${t}` : `sip:${t}@${domain}`;
}
