// Our side of one INVITE dialog (RFC 3261 §12–13): the tags, our CSeq, the peer's target, the final
// response to the INVITE and the 2xx retransmissions the library leaves to us (T1 doubling to T2
// until the ACK; at 64·T1 without one the call is given up with a BYE). In-dialog requests go back
// over the flow the INVITE came on (through the library's flow-token route), so TCP and NAT work.
import { randomBytes } from 'node:crypto';
import sip, { type SipRemote, type SipRequest, type SipResponse, type SipStack } from 'sip';

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
  /** The ACK for our 2xx arrived (or we gave up waiting). */
  acked = false;
  private localSeq = Math.floor(Math.random() * 10_000) + 1;
  private retransmit: NodeJS.Timeout | null = null;
  private finalSent = false;

  constructor(
    private readonly stack: SipStack,
    readonly invite: SipRequest,
    readonly flow: SipRemote,
    private readonly contact: string,
  ) {
    this.callId = invite.headers['call-id'];
    this.remoteTag = String(invite.headers.from.params.tag ?? '');
  }

  get answered(): boolean {
    return this.finalSent;
  }

  /** A provisional or final response to `request` (the INVITE unless given), with our To tag. */
  respond(
    status: number,
    reason: string,
    extra: { headers?: Record<string, unknown>; content?: string } = {},
    request: SipRequest = this.invite,
  ): SipResponse {
    const rs = sip.makeResponse(request, status, reason);
    if (status > 100)
      rs.headers.to = { ...request.headers.to, params: { ...request.headers.to.params, tag: this.localTag } };
    if (status >= 200 && status < 300 && (request.method === 'INVITE' || request.method === 'SUBSCRIBE')) {
      rs.headers.contact = [{ uri: this.contact, params: {} }];
    }
    Object.assign(rs.headers, extra.headers ?? {});
    if (extra.content !== undefined) rs.content = extra.content;
    if (request === this.invite && status >= 200) this.finalSent = true;
    this.stack.send(rs);
    return rs;
  }

  /**
   * Sends a 2xx to an INVITE (the first or a re-INVITE) and keeps sending it until ack() or 64·T1;
   * `onTimeout` runs when no ACK came.
   */
  answer(request: SipRequest, sdp: string, onTimeout: () => void): void {
    this.acked = false;
    const rs = this.respond(200, 'OK', { headers: { 'content-type': 'application/sdp' }, content: sdp }, request);
    this.stopRetransmit();
    const started = Date.now();
    const reliable = this.flow.protocol.toUpperCase() !== 'UDP';
    const next = (interval: number) => {
      this.retransmit = setTimeout(
        () => {
          if (this.acked) return;
          if (Date.now() - started >= 64 * T1) {
            this.retransmit = null;
            onTimeout();
            return;
          }
          if (!reliable) this.stack.send(rs);
          next(Math.min(interval * 2, T2));
        },
        reliable ? 64 * T1 : interval,
      );
    };
    next(T1);
  }

  /** The ACK for our 2xx. */
  ack(): void {
    this.acked = true;
    this.stopRetransmit();
  }

  stopRetransmit(): void {
    if (this.retransmit) clearTimeout(this.retransmit);
    this.retransmit = null;
  }

  /** Is this in-dialog request ours? (Call-ID and both tags.) */
  matches(rq: SipRequest): boolean {
    return (
      rq.headers['call-id'] === this.callId &&
      String(rq.headers.to.params.tag ?? '') === this.localTag &&
      String(rq.headers.from.params.tag ?? '') === this.remoteTag
    );
  }

  /** A request inside the dialog (BYE), sent over the INVITE's flow. */
  request(
    method: string,
    callback?: (rs: SipResponse) => void,
    extra: { headers?: Record<string, unknown>; content?: string } = {},
  ): void {
    const inv = this.invite.headers;
    const target = Array.isArray(inv.contact) && inv.contact[0] ? inv.contact[0].uri : inv.from.uri;
    const flowUri = this.stack.encodeFlowUri(this.flow);
    flowUri.params = { lr: null };
    const rq = {
      method,
      uri: typeof target === 'string' ? target : sip.stringifyUri(target),
      headers: {
        to: inv.from,
        from: { ...inv.to, params: { ...inv.to.params, tag: this.localTag } },
        'call-id': this.callId,
        cseq: { method, seq: this.localSeq++ },
        contact: [{ uri: this.contact, params: {} }],
        'max-forwards': 70,
        route: [{ uri: flowUri, params: {} }],
        ...(extra.headers ?? {}),
      },
      ...(extra.content !== undefined ? { content: extra.content } : {}),
    } as unknown as SipRequest;
    this.stack.send(rq, (rs) => callback?.(rs));
  }
}

/** "udp 127.0.0.1:5061" */
export function describeRemote(r: SipRemote): string {
  return `${r.protocol.toLowerCase()} ${r.address}:${r.port}`;
}
