// Our side of one INVITE dialog (RFC 3261 §12): the tags, our CSeq, the peer's target and route set,
// and the responses we owe. Retransmissions and the 2xx-until-ACK loop are the engine's; requests we
// send (BYE, INFO) go back along the flow the INVITE came on, so TCP and NAT'd phones work.
import { randomBytes } from 'node:crypto';
import type { Flow, IncomingRequest, SipEngine } from './engine';
import { Headers, newRequest, type RequestCore, type ResponseExtra, type SipResponse } from './message';

/** The default T1 (the server's own comes from its timers). */
export const T1 = 500;
export const T2 = 4000;

/** One SIP message of a call, for the ladder view. */
export interface SipLogEntry {
  dir: 'in' | 'out';
  /** ms since the INVITE arrived */
  t: number;
  wall: string;
  /** e.g. "INVITE sip:callback@127.0.0.1:5070 SIP/2.0" or "SIP/2.0 200 OK" */
  firstLine: string;
  /** "udp 127.0.0.1:5061" */
  peer: string;
  text: string;
}

export function newTag(): string {
  return randomBytes(6).toString('hex');
}

export class Dialog {
  readonly callId: string;
  readonly localTag = newTag();
  readonly remoteTag: string;
  readonly flow: Flow;
  private localSeq = Math.floor(Math.random() * 10_000) + 1;
  private finalSent = false;
  /** Our last answer to the initial INVITE was acknowledged. */
  acked = false;

  constructor(
    private readonly engine: SipEngine,
    readonly invite: IncomingRequest,
    /** Our Contact URI. */
    private readonly contact: string,
  ) {
    this.callId = invite.core.callId;
    this.remoteTag = invite.core.fromTag ?? '';
    this.flow = invite.flow;
  }

  get answered(): boolean {
    return this.finalSent;
  }

  /** A response to `request` (the INVITE unless given), with our To tag and, for a 2xx, our Contact. */
  respond(status: number, reason: string, extra: ResponseExtra = {}, request: IncomingRequest = this.invite): void {
    if (request === this.invite && status >= 200) {
      if (this.finalSent) return;
      this.finalSent = true;
    }
    request.respond(status, reason, this.withTag(status, extra, request));
  }

  /** 200 OK with our SDP to an INVITE (the first or a re-INVITE): 'acked', or 'timeout' after 64·T1. */
  accept(request: IncomingRequest, sdp: string): Promise<'acked' | 'timeout'> {
    if (request === this.invite) this.finalSent = true;
    return request.accept('OK', {
      ...this.withTag(200, { headers: [['Content-Type', 'application/sdp']], body: sdp }, request),
    });
  }

  /** Is this in-dialog request ours? (Call-ID and both tags.) */
  matches(core: RequestCore): boolean {
    return core.callId === this.callId && core.toTag === this.localTag && (core.fromTag ?? '') === this.remoteTag;
  }

  /** A request inside the dialog (BYE, INFO…): the final response, or null when none came. */
  request(method: string, extra: { headers?: [string, string][]; body?: string } = {}): Promise<SipResponse | null> {
    const inv = this.invite;
    const target = inv.core.contact[0]?.uri ?? inv.core.from.uri;
    const headers = new Headers([
      ['Max-Forwards', '70'],
      ['From', `${inv.message.headers.get('to')};tag=${this.localTag}`],
      ['To', inv.message.headers.get('from') ?? ''],
      ['Call-ID', this.callId],
      ['CSeq', `${this.localSeq++} ${method}`],
      ['Contact', `<${this.contact}>`],
    ]);
    // §12.1.1: the route set is the INVITE's Record-Route, in order.
    for (const rr of inv.message.headers.all('record-route')) headers.add('Route', rr);
    for (const [name, value] of extra.headers ?? []) headers.add(name, value);
    return this.engine.request(newRequest(method, target, headers, extra.body ?? ''), this.flow);
  }

  private withTag(status: number, extra: ResponseExtra, request: IncomingRequest): ResponseExtra {
    const headers = [...(extra.headers ?? [])];
    if (status >= 200 && status < 300 && request.core.method === 'INVITE') {
      headers.push(['Contact', `<${this.contact}>`]);
      // §12.1.1: a 2xx carries the request's Record-Route back, so proxies stay on the path.
      for (const rr of request.message.headers.all('record-route')) headers.push(['Record-Route', rr]);
    }
    return { ...extra, toTag: this.localTag, headers };
  }
}

/** "udp 127.0.0.1:5061" */
export function describeFlow(flow: Flow): string {
  const host = flow.remote.address.includes(':') ? `[${flow.remote.address}]` : flow.remote.address;
  return `${flow.transport} ${host}:${flow.remote.port}`;
}
