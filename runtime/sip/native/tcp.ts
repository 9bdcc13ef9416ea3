// SIP over TCP: one listening socket (its connections know their local address, wildcard or not),
// messages framed by Content-Length (§18.3), connections reused both ways, limited per source and
// closed when idle or when framing is lost.
import net from 'node:net';
import type { Endpoint } from '../engine';
import { parseStream, type Parsed } from '../message';
import { listenError } from './errors';

export interface TcpOptions {
  host: string;
  port: number;
  allow(address: string): boolean;
  onMessage(parsed: Parsed, local: Endpoint, remote: Endpoint, connection: string): void;
  onError(text: string): void;
  /** Default 5 minutes. */
  idleMs?: number;
  /** Default 32. */
  perSource?: number;
}

interface Connection {
  id: string;
  socket: net.Socket;
  remote: Endpoint;
  local: Endpoint;
  buffer: Buffer;
}

let nextId = 1;

export class TcpTransport {
  private readonly byId = new Map<string, Connection>();
  private readonly byRemote = new Map<string, Connection>();
  private closed = false;

  private constructor(
    private readonly server: net.Server,
    private readonly o: TcpOptions,
  ) {}

  static listen(o: TcpOptions): Promise<TcpTransport> {
    return new Promise((resolve, reject) => {
      const server = net.createServer();
      const t = new TcpTransport(server, o);
      const host = o.host.replace(/^\[|\]$/g, '');
      server.once('error', (e: NodeJS.ErrnoException) => reject(listenError('TCP', host, o.port, e)));
      server.on('connection', (s) => t.accept(s));
      server.listen({ port: o.port, host, ...(host === '::' ? { ipv6Only: true } : {}) }, () => {
        server.removeAllListeners('error');
        server.on('error', (e) => o.onError(`TCP: ${e.message}`));
        resolve(t);
      });
    });
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Sends on the connection (or any open one to `remote`); else connects to `fallback`. */
  async send(bytes: Buffer, connection: string | undefined, remote: Endpoint, fallback?: Endpoint): Promise<void> {
    const open = (connection !== undefined ? this.byId.get(connection) : undefined) ?? this.byRemote.get(key(remote));
    if (open && !open.socket.destroyed) {
      open.socket.write(bytes);
      return;
    }
    const target = fallback ?? remote;
    const c = await this.connect(target);
    c.socket.write(bytes);
  }

  close(): void {
    this.closed = true;
    for (const c of this.byId.values()) c.socket.destroy();
    this.byId.clear();
    this.byRemote.clear();
    this.server.close();
  }

  private connect(target: Endpoint): Promise<Connection> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('closed'));
      const socket = net.connect({ port: target.port, host: target.address });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(this.track(socket));
      });
    });
  }

  private accept(socket: net.Socket): void {
    const address = socket.remoteAddress ?? '';
    const perSource = this.o.perSource ?? 32;
    if (this.closed || !this.o.allow(address)) return void socket.destroy();
    let fromSource = 0;
    for (const c of this.byId.values()) if (c.remote.address === address) fromSource++;
    if (fromSource >= perSource) {
      this.o.onError(`TCP: ${address} has ${fromSource} connections; one more refused`);
      return void socket.destroy();
    }
    this.track(socket);
  }

  private track(socket: net.Socket): Connection {
    const c: Connection = {
      id: `tcp-${nextId++}`,
      socket,
      remote: { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
      local: { address: socket.localAddress ?? '', port: socket.localPort ?? 0 },
      buffer: Buffer.alloc(0),
    };
    this.byId.set(c.id, c);
    this.byRemote.set(key(c.remote), c);
    socket.setNoDelay(true);
    socket.setTimeout(this.o.idleMs ?? 300_000, () => socket.destroy());
    socket.on('data', (chunk) => this.receive(c, chunk));
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => {
      this.byId.delete(c.id);
      if (this.byRemote.get(key(c.remote)) === c) this.byRemote.delete(key(c.remote));
    });
    return c;
  }

  private receive(c: Connection, chunk: Buffer): void {
    c.buffer = c.buffer.length === 0 ? chunk : Buffer.concat([c.buffer, chunk]);
    for (;;) {
      const r = parseStream(c.buffer);
      if (r.kind === 'more') return;
      if (r.kind === 'broken') {
        this.o.onError(`TCP ${c.remote.address}:${c.remote.port}: ${r.reason}; connection closed`);
        c.socket.destroy();
        return;
      }
      c.buffer = c.buffer.subarray(r.used);
      this.o.onMessage(r.parsed, c.local, c.remote, c.id);
    }
  }
}

function key(e: Endpoint): string {
  return `${e.address}|${e.port}`;
}
