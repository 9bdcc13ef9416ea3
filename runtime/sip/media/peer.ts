// Whose RTP a call's stream believes. Before the first packet: only the address:port the peer's SDP
// named, or, when that address is not the one its SIP came from (a phone behind NAT writes its
// private address), any port at the SIP source's address. The first packet accepted "latches" the
// stream to its address:port and SSRC: from then on everything else is dropped, and we send to the
// latched address (symmetric RTP). A new SDP address (re-INVITE) starts over. An off-path sender
// would have to spoof the caller's own address to be heard; then the per-stream rate limit caps it.
// One relaxation: the SDP's port from another address of this machine counts as the SDP address (a
// softphone on this machine may name its LAN address and send from 127.0.0.1).
import os from 'node:os';
import type { RtpRemote } from './stream';

export interface RtpPeerOptions {
  /** The SIP peer's address (the INVITE's source). */
  signalling: string | null;
  /** Packets we may send before confirm() (the ACK arrived); default: no bound. */
  earlyPackets?: number;
  /** Inbound packets per second accepted from the peer (a burst of as many); default 150. */
  maxInboundRate?: number;
}

function plain(address: string): string {
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').toLowerCase();
}

let own: { at: number; addresses: Set<string> } | null = null;

/** This machine's addresses (refreshed every 10 s). */
function isOwn(address: string): boolean {
  if (/^127\./.test(address) || address === '::1') return true;
  if (!own || Date.now() - own.at > 10_000) {
    const list = Object.values(os.networkInterfaces()).flatMap((l) => l ?? []);
    own = { at: Date.now(), addresses: new Set(list.map((a) => plain(a.address.replace(/%.*$/, '')))) };
  }
  return own.addresses.has(address);
}

/**
 * The same host: the same address, or two addresses of this machine (a peer on this machine may send
 * RTP from 127.0.0.1 while its SDP names its LAN address; the kernel drops packets from outside that
 * claim one of our addresses as their source, so such a packet did come from here).
 */
export function sameHost(a: string, b: string): boolean {
  const x = plain(a);
  const y = plain(b);
  return x === y || (isOwn(x) && isOwn(y));
}

const same = (a: RtpRemote | null, b: RtpRemote): boolean =>
  a !== null && a.port === b.port && sameHost(a.address, b.address);

export class RtpPeerFilter {
  private negotiated: RtpRemote | null = null;
  private latched: RtpRemote | null = null;
  private ssrc: number | null = null;

  constructor(private readonly signalling: string | null) {}

  /** The SDP's address; a different one forgets the latch. */
  setNegotiated(remote: RtpRemote | null): void {
    if (remote !== null && same(this.negotiated, remote)) return;
    this.negotiated = remote;
    this.latched = null;
    this.ssrc = null;
  }

  /** May a packet from `from` be looked at? (Before parsing: address only.) */
  fromPeer(from: RtpRemote): boolean {
    if (this.latched) return this.latched.port === from.port && plain(this.latched.address) === plain(from.address);
    if (same(this.negotiated, from)) return true;
    // Any port, but only the SIP peer's own address: an off-path sender would have to spoof it.
    return this.behindNat() && this.signalling !== null && plain(from.address) === plain(this.signalling);
  }

  /** After parsing: is this the stream's SSRC? The first accepted packet latches address and SSRC. */
  accept(from: RtpRemote, ssrc: number): boolean {
    if (this.ssrc !== null && ssrc !== this.ssrc) return false;
    this.ssrc = ssrc;
    this.latched ??= { address: from.address, port: from.port };
    return true;
  }

  /** Where to send: the latched address once there is one, else the SDP's. */
  target(): RtpRemote | null {
    return this.latched ?? this.negotiated;
  }

  get isLatched(): boolean {
    return this.latched !== null;
  }

  private behindNat(): boolean {
    return this.negotiated === null || this.signalling === null || !sameHost(this.negotiated.address, this.signalling);
  }
}

/** A token bucket: `rate` per second, bursts of `rate`. */
export class RateLimit {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    now: number,
  ) {
    this.tokens = rate;
    this.last = now;
  }

  take(now: number): boolean {
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
