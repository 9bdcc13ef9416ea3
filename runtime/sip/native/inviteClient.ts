// RFC 3261 §17.1.1 — the INVITE client transaction of an outgoing leg: the INVITE resent (Timer A)
// until a response, given up at 64·T1 (Timer B); a non-2xx final acknowledged here, with the same
// branch, and again for each retransmission of it (Timer D); CANCEL (§9.1) only once a provisional
// response came. A 2xx ends the transaction: its ACK is the dialog's (the TU's), and a retransmitted
// 2xx gets that ACK again.
import type { Flow, Timers } from '../engine';
import { Headers, newRequest, type SipRequest, type SipResponse } from '../message';

export interface InviteClientOutput {
  sendRequest(rq: SipRequest, flow: Flow): void;
}

export class InviteClient {
  private readonly timers: NodeJS.Timeout[] = [];
  private provisional = false;
  private done = false;
  private cancelWanted = false;
  private settle: (rs: SipResponse | null) => void = () => undefined;
  /** The ACK sent for a final response (resent when the final is), and the 2xx's ACK once the TU sent it. */
  ack: SipRequest | null = null;
  readonly final: Promise<SipResponse | null>;

  constructor(
    readonly invite: SipRequest,
    readonly flow: Flow,
    private readonly t: Timers,
    private readonly out: InviteClientOutput,
    private readonly onProvisional: (rs: SipResponse) => void,
    private readonly forget: () => void,
  ) {
    this.final = new Promise((resolve) => (this.settle = resolve));
    out.sendRequest(invite, flow);
    if (flow.transport === 'udp') {
      const again = (interval: number) =>
        this.timers.push(
          setTimeout(() => {
            if (this.provisional || this.done) return;
            out.sendRequest(invite, flow);
            again(interval * 2);
          }, interval),
        );
      again(t.t1);
    }
    this.timers.push(setTimeout(() => this.finish(null), 64 * t.t1)); // Timer B
  }

  response(rs: SipResponse): void {
    if (this.done) {
      // A retransmitted final: the same ACK again (ours for a non-2xx, the TU's for a 2xx).
      if (rs.status >= 200 && this.ack) this.out.sendRequest(this.ack, this.flow);
      return;
    }
    if (rs.status < 200) {
      this.provisional = true;
      this.onProvisional(rs);
      if (this.cancelWanted) this.sendCancel();
      return;
    }
    if (rs.status >= 300) {
      this.ack = this.nonSuccessAck(rs);
      this.out.sendRequest(this.ack, this.flow);
    }
    this.finish(rs);
  }

  /** CANCEL now if a provisional response came, else as soon as one does (§9.1). */
  cancel(): void {
    if (this.done) return;
    this.cancelWanted = true;
    if (this.provisional) this.sendCancel();
  }

  close(): void {
    this.finish(null);
  }

  private finish(rs: SipResponse | null): void {
    if (this.done) return;
    this.done = true;
    for (const timer of this.timers.splice(0)) clearTimeout(timer);
    this.settle(rs);
    // Timer D (32 s on UDP): retransmitted finals still find us and get their ACK.
    const linger = setTimeout(this.forget, this.flow.transport === 'udp' ? 32_000 : 0);
    linger.unref();
  }

  private sendCancel(): void {
    this.cancelWanted = false;
    const h = this.invite.headers;
    const headers = new Headers([
      ['Via', h.get('via') ?? ''],
      ['Max-Forwards', '70'],
      ['From', h.get('from') ?? ''],
      ['To', h.get('to') ?? ''],
      ['Call-ID', h.get('call-id') ?? ''],
      ['CSeq', `${cseqNumber(this.invite)} CANCEL`],
    ]);
    for (const route of h.all('route')) headers.add('Route', route);
    const cancel = newRequest('CANCEL', this.invite.uri, headers);
    this.out.sendRequest(cancel, this.flow);
    // Its 200 is of no interest (the INVITE's 487 is what counts); resent once in case it was lost.
    if (this.flow.transport === 'udp')
      this.timers.push(
        setTimeout(() => {
          if (!this.done) this.out.sendRequest(cancel, this.flow);
        }, 4 * this.t.t1),
      );
  }

  /** §17.1.1.3: the ACK of a non-2xx has the INVITE's Via and the response's To (with its tag). */
  private nonSuccessAck(rs: SipResponse): SipRequest {
    const h = this.invite.headers;
    const headers = new Headers([
      ['Via', h.get('via') ?? ''],
      ['Max-Forwards', '70'],
      ['From', h.get('from') ?? ''],
      ['To', rs.headers.get('to') ?? h.get('to') ?? ''],
      ['Call-ID', h.get('call-id') ?? ''],
      ['CSeq', `${cseqNumber(this.invite)} ACK`],
    ]);
    for (const route of h.all('route')) headers.add('Route', route);
    return newRequest('ACK', this.invite.uri, headers);
  }
}

function cseqNumber(rq: SipRequest): string {
  return (rq.headers.get('cseq') ?? '1').trim().split(/\s+/)[0] ?? '1';
}
