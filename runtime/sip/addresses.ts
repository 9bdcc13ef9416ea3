// Which of our addresses a call names: bound to one address it is that one; bound to a wildcard it is
// the address the INVITE arrived on (the engine's Flow.local, never a wildcard); with --advertise it
// is the advertised one (a NAT's public address, a DNS name), and RTP is then bound on the wildcard
// because the traffic for the advertised address reaches us on whichever interface the NAT forwards to.
import os from 'node:os';
import { isIPv6 } from 'node:net';
import type { Endpoint, Flow } from './engine';

export interface Advertised {
  address: string;
  /** Default: the port we listen on. */
  port?: number;
}

export interface AddressOptions {
  /** The bind address as given (may be a wildcard). */
  host: string;
  port: number;
  advertise?: Advertised;
  /** Overrides where RTP is bound and what the SDP says (the old `mediaAddress` option). */
  mediaAddress?: string;
}

/** '203.0.113.5', 'pbx.example.com:5080', '[2001:db8::1]:5070' → address and port. @throws on bad text */
export function parseAdvertise(text: string): Advertised {
  const t = text.trim();
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(t) ?? /^([^:\s]+)(?::(\d+))?$/.exec(t);
  const v6 = !m && isIPv6(t) ? t : null;
  if (!m && !v6) throw new Error(`expected ADDRESS or ADDRESS:PORT (IPv6 in brackets), got '${text}'`);
  const address = v6 ?? m![1]!;
  const port = m?.[2] !== undefined ? Number(m[2]) : undefined;
  if (port !== undefined && !(port > 0 && port <= 65535)) throw new Error(`port ${port} is not 1-65535`);
  return port === undefined ? { address } : { address, port };
}

export class Addresses {
  constructor(private readonly o: AddressOptions) {}

  /** The host:port of our Contact (and our Via sent-by) on this flow. */
  contact(flow: Flow): Endpoint {
    if (this.o.advertise) return { address: this.o.advertise.address, port: this.o.advertise.port ?? this.o.port };
    return { address: flow.local.address, port: this.o.port };
  }

  /** The address in our SDP's c= line. */
  sdp(flow: Flow): string {
    return this.o.mediaAddress ?? this.o.advertise?.address ?? flow.local.address;
  }

  /** Where the call's RTP socket is bound. */
  rtpBind(flow: Flow): string {
    if (this.o.mediaAddress) return this.o.mediaAddress;
    if (this.o.advertise) return isIPv6(flow.local.address) ? '::' : '0.0.0.0';
    return flow.local.address;
  }

  /** Is `host` (a Request-URI host) one of our names for this flow? */
  ours(host: string, flow: Flow): boolean {
    const h = host.toLowerCase();
    const names = [flow.local.address, this.o.host, 'localhost', os.hostname()];
    if (this.o.advertise) names.push(this.o.advertise.address);
    return names.some((n) => n.toLowerCase().replace(/^\[|\]$/g, '') === h);
  }
}
