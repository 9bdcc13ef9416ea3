// SIP over UDP on one port. Bound to one address it is one socket. Bound to a wildcard it must still
// know which of our addresses each datagram was sent to (the answer's Contact and SDP name it), and
// Node has no IP_PKTINFO: so it binds one socket per local address (from the interfaces, at start)
// plus a wildcard "catch-all" beside them (SO_REUSEADDR; the kernel delivers to the most specific
// socket). A datagram on the catch-all went to an address not in the interface list (a 127.x alias,
// an address added later): that address is taken from the Request-URI when it is an IP literal we
// can bind, else from the route back to the sender, and a socket is bound on it so that the answer
// leaves from the address the caller sent to. docs/sip.md ("running on a LAN") explains the choice.
import dgram from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';
import os from 'node:os';
import type { Endpoint } from '../engine';
import { listenError } from './errors';

export interface Datagram {
  bytes: Buffer;
  remote: Endpoint;
  /** Our address it arrived at; null on the catch-all (resolveLocal finds it). */
  local: string | null;
}

export interface UdpOptions {
  host: string;
  port: number;
  onDatagram(d: Datagram): void;
  onError(text: string): void;
}

export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** Our interface addresses of one family, link-local IPv6 left out (they need a scope). */
export function interfaceAddresses(family: 4 | 6): string[] {
  const out: string[] = [];
  for (const list of Object.values(os.networkInterfaces()))
    for (const a of list ?? []) {
      if ((family === 4) !== (a.family === 'IPv4')) continue;
      if (family === 6 && /^fe80:/i.test(a.address)) continue;
      out.push(a.address);
    }
  return [...new Set(out)];
}

export class UdpTransport {
  private readonly sockets = new Map<string, dgram.Socket>();
  private catchAll: dgram.Socket | null = null;
  private readonly family: 4 | 6;
  private readonly localCache = new Map<string, Promise<boolean>>();
  private readonly routeCache = new Map<string, { at: number; address: Promise<string> }>();
  private closed = false;
  port = 0;

  private constructor(private readonly o: UdpOptions) {
    this.family = isIPv6(o.host.replace(/^\[|\]$/g, '')) ? 6 : 4;
  }

  /** Binds; rejects with a one-line reason ("cannot listen on UDP 0.0.0.0:5070: the port is in use"). */
  static async open(o: UdpOptions): Promise<UdpTransport> {
    const t = new UdpTransport(o);
    try {
      await t.bindAll();
    } catch (err) {
      t.close();
      throw err;
    }
    return t;
  }

  get wildcard(): boolean {
    return isWildcard(this.o.host);
  }

  /** The addresses with a socket of their own. */
  boundAddresses(): string[] {
    return [...this.sockets.keys()];
  }

  private async bindAll(): Promise<void> {
    const host = this.o.host.replace(/^\[|\]$/g, '');
    if (!this.wildcard) {
      const s = await this.bind(host, this.o.port, false);
      this.port = s.address().port;
      this.sockets.set(host, s);
      return;
    }
    // SO_REUSEADDR would let us share the port with another server that set it too (a second
    // instance): a plain bind first proves the port is ours, then the shared sockets take it.
    const probe = await this.bind(host, this.o.port, false, true);
    const port = probe.address().port;
    await new Promise<void>((r) => probe.close(() => r()));
    this.catchAll = await this.bind(host, port, true, true);
    this.port = port;
    for (const address of interfaceAddresses(this.family)) {
      try {
        this.sockets.set(address, await this.bind(address, this.port, true));
      } catch (err) {
        // e.g. an IPv6 address still tentative: the catch-all serves it.
        this.o.onError(`UDP ${address}:${this.port} not bound separately: ${(err as Error).message}`);
      }
    }
  }

  private bind(address: string, port: number, reuse: boolean, catchAll = false): Promise<dgram.Socket> {
    return new Promise((resolve, reject) => {
      const s = dgram.createSocket({
        type: this.family === 6 ? 'udp6' : 'udp4',
        reuseAddr: reuse,
        ...(this.family === 6 && catchAll ? { ipv6Only: true } : {}),
      });
      const fail = (e: NodeJS.ErrnoException) => reject(listenError('UDP', address, port, e));
      s.once('error', fail);
      s.bind({ port, address }, () => {
        s.off('error', fail);
        s.on('error', (e) => this.o.onError(`UDP ${address}: ${e.message}`));
        s.on('message', (bytes, r) =>
          this.o.onDatagram({ bytes, remote: { address: r.address, port: r.port }, local: catchAll ? null : address }),
        );
        resolve(s);
      });
    });
  }

  /**
   * Our address a catch-all datagram was sent to: the Request-URI host when it is an IP literal of
   * ours, else the source address the route back to the sender uses. Binds a socket there.
   */
  async resolveLocal(remote: Endpoint, uriHost: string | null): Promise<string> {
    let address: string | null = null;
    if (uriHost && (this.family === 4 ? isIPv4(uriHost) : isIPv6(uriHost)) && (await this.isLocal(uriHost)))
      address = uriHost;
    address ??= await this.routeSource(remote);
    if (!this.sockets.has(address) && !this.closed) {
      try {
        this.sockets.set(address, await this.bind(address, this.port, true));
      } catch (err) {
        this.o.onError(`UDP ${address}:${this.port}: ${(err as Error).message}`);
      }
    }
    return address;
  }

  /** Sends from our socket on `local` (the catch-all when there is none). */
  send(bytes: Buffer, local: string, remote: Endpoint): void {
    const s = this.sockets.get(local) ?? this.catchAll ?? [...this.sockets.values()][0];
    if (!s || this.closed) return;
    s.send(bytes, remote.port, remote.address, (err) => {
      if (err) this.o.onError(`UDP send to ${remote.address}:${remote.port}: ${err.message}`);
    });
  }

  close(): void {
    this.closed = true;
    for (const s of [...this.sockets.values(), ...(this.catchAll ? [this.catchAll] : [])]) {
      try {
        s.close();
      } catch {
        // closed already
      }
    }
    this.sockets.clear();
    this.catchAll = null;
  }

  /** An address is ours when a socket can be bound on it. */
  private isLocal(address: string): Promise<boolean> {
    let known = this.localCache.get(address);
    if (!known) {
      known = new Promise<boolean>((resolve) => {
        const s = dgram.createSocket(this.family === 6 ? 'udp6' : 'udp4');
        s.once('error', () => resolve(false));
        s.bind(0, address, () => s.close(() => resolve(true)));
      });
      this.localCache.set(address, known);
    }
    return known;
  }

  /** The source address the kernel picks for sending to remote (a connected socket's local end). */
  private routeSource(remote: Endpoint): Promise<string> {
    const cached = this.routeCache.get(remote.address);
    if (cached && Date.now() - cached.at < 60_000) return cached.address;
    const address = new Promise<string>((resolve) => {
      const s = dgram.createSocket(this.family === 6 ? 'udp6' : 'udp4');
      const fallback = this.family === 6 ? '::1' : '127.0.0.1';
      s.once('error', () => {
        s.close();
        resolve(fallback);
      });
      s.connect(remote.port || 9, remote.address, () => {
        const local = s.address().address;
        s.close();
        resolve(local);
      });
    });
    this.routeCache.set(remote.address, { at: Date.now(), address });
    return address;
  }
}
