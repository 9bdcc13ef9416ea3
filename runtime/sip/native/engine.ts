// Our own SIP engine: UDP and TCP transports on one port, the strict parser and request checks of
// ../message, and the transaction layer. What it hands the call layer is an IncomingRequest; what it
// drops (strangers, unreadable datagrams, stray ACKs and responses) never gets that far.
import { randomBytes } from 'node:crypto';
import type { Endpoint, EngineOptions, Flow, IncomingRequest, ListenPoint, OutgoingInvite, SipEngine } from '../engine';
import { timersOf } from '../engine';
import {
  checkRequest,
  hostPort,
  makeResponse,
  parseSipUri,
  parseDatagram,
  parseVia,
  serialize,
  splitList,
  stampVia,
  type Parsed,
  type ResponseExtra,
  type SipRequest,
  type SipResponse,
} from '../message';
import { TcpTransport } from './tcp';
import { Transactions, type ServerTransaction } from './transactions';
import { UdpTransport, type Datagram } from './udp';

/**
 * @example
 *   const engine = await createNativeEngine({ host: '0.0.0.0', port: 5070, transports: ['udp', 'tcp'],
 *     allow: () => true, sentBy: (flow) => flow.local, onRequest: (rq) => rq.respond(486, 'Busy Here') });
 */
export async function createNativeEngine(o: EngineOptions): Promise<SipEngine> {
  // Port 0: UDP picks one, TCP must get the same; another process may hold it for TCP, so retry.
  for (let attempt = 0; ; attempt++) {
    try {
      return await NativeEngine.start(o);
    } catch (err) {
      if (o.port !== 0 || attempt >= 9 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
}

class NativeEngine implements SipEngine {
  readonly name = 'native';
  readonly listening: ListenPoint[] = [];
  private udp: UdpTransport | null = null;
  private tcp: TcpTransport | null = null;
  private readonly tx: Transactions;
  private readonly onError: (text: string) => void;

  private constructor(private readonly o: EngineOptions) {
    this.onError = o.onError ?? (() => undefined);
    this.tx = new Transactions(timersOf(o.timers), {
      sendResponse: (rs, flow) => this.sendResponse(rs, flow),
      sendRequest: (rq, flow) => this.sendRequest(rq, flow),
    });
  }

  static async start(o: EngineOptions): Promise<NativeEngine> {
    const e = new NativeEngine(o);
    const host = o.host.replace(/^\[|\]$/g, '');
    try {
      let port = o.port;
      if (o.transports.includes('udp')) {
        e.udp = await UdpTransport.open({
          host,
          port,
          onDatagram: (d) => e.datagram(d),
          onError: e.onError,
        });
        port = e.udp.port;
        e.listening.push({ transport: 'udp', address: host, port });
      }
      if (o.transports.includes('tcp')) {
        e.tcp = await TcpTransport.listen({
          host,
          port,
          allow: o.allow,
          onMessage: (parsed, local, remote, connection) =>
            e.message(parsed, { transport: 'tcp', local, remote, connection }),
          onError: e.onError,
        });
        e.listening.push({ transport: 'tcp', address: host, port: e.tcp.port });
      }
    } catch (err) {
      await e.close();
      throw err;
    }
    return e;
  }

  get port(): number {
    return this.listening[0]?.port ?? 0;
  }

  request(rq: SipRequest, flow: Flow): Promise<SipResponse | null> {
    return this.tx.request(rq, flow, hostPort(this.o.sentBy(flow).address, this.o.sentBy(flow).port));
  }

  invite(rq: SipRequest, flow: Flow, onProvisional: (rs: SipResponse) => void): OutgoingInvite {
    const at = this.o.sentBy(flow);
    const client = this.tx.invite(rq, flow, hostPort(at.address, at.port), onProvisional);
    return {
      final: client.final,
      cancel: () => client.cancel(),
      acked: (ack) => {
        client.ack = ack;
      },
    };
  }

  send(rq: SipRequest, flow: Flow): void {
    const at = this.o.sentBy(flow);
    if (!rq.headers.get('via'))
      rq.headers.fields.unshift({
        key: 'via',
        value: `SIP/2.0/${flow.transport.toUpperCase()} ${hostPort(at.address, at.port)};branch=z9hG4bK${randomBytes(8).toString('hex')};rport`,
      });
    this.sendRequest(rq, flow);
  }

  async close(): Promise<void> {
    this.tx.close();
    this.udp?.close();
    this.tcp?.close();
  }

  // ── receiving ─────────────────────────────────────────────────────────────────────────────

  private datagram(d: Datagram): void {
    if (!this.o.allow(d.remote.address)) return;
    const parsed = parseDatagram(d.bytes);
    if (!parsed) return;
    if (d.local !== null) {
      this.message(parsed, { transport: 'udp', local: { address: d.local, port: this.udp!.port }, remote: d.remote });
      return;
    }
    const uriHost = parsed.message.kind === 'request' ? hostOfUri(parsed.message.uri) : null;
    this.udp!.resolveLocal(d.remote, uriHost).then(
      (local) =>
        this.message(parsed, { transport: 'udp', local: { address: local, port: this.udp!.port }, remote: d.remote }),
      (err) => this.onError(`UDP: ${String(err)}`),
    );
  }

  private message(parsed: Parsed, flow: Flow): void {
    try {
      const m = parsed.message;
      if (m.kind === 'response') {
        this.o.onMessage?.('in', m, flow);
        if (!parsed.error) this.tx.response(m);
        return;
      }
      this.onRequestMessage(m, parsed.error, flow);
    } catch (err) {
      this.onError(`a message from ${flow.remote.address}:${flow.remote.port} broke the engine: ${String(err)}`);
    }
  }

  private onRequestMessage(rq: SipRequest, parseError: string | undefined, flow: Flow): void {
    const top = splitList(rq.headers.get('via') ?? '')[0];
    const via = top ? parseVia(top) : null;
    if (via) stampVia(rq, flow.remote, via.host);
    this.o.onMessage?.('in', rq, flow);
    const checked = checkRequest(rq, parseError);
    if (!checked.ok) {
      if ('status' in checked) {
        const extra: ResponseExtra = {
          ...(checked.warning ? { warning: checked.warning } : {}),
          ...(checked.headers ? { headers: checked.headers } : {}),
          toTag: randomBytes(6).toString('hex'),
        };
        // Stateless: a retransmission is simply refused again.
        this.sendResponse(makeResponse(rq, checked.status, checked.reason, extra), flow);
      }
      return;
    }
    const r = this.tx.receive(rq, checked.core, flow);
    if (r.kind !== 'new') return;
    // The call layer sees the INVITE first, so that 100 Trying is already part of its call's log.
    this.o.onRequest(this.incoming(r.tx));
    this.tx.trying(r.tx);
  }

  private incoming(tx: ServerTransaction): IncomingRequest {
    const engine = this;
    return {
      message: tx.request,
      core: tx.core,
      flow: tx.flow,
      respond(status, reason, extra = {}) {
        const rs = makeResponse(tx.request, status, reason, extra);
        if (tx.isInvite && status >= 200 && status < 300) void engine.tx.accept(tx, rs, extra.toTag ?? '');
        else engine.tx.respond(tx, rs);
      },
      accept(reason, extra) {
        if (!tx.isInvite) throw new Error('accept() answers an INVITE');
        return engine.tx.accept(tx, makeResponse(tx.request, 200, reason, extra), extra.toTag ?? '');
      },
      onCancel(handler) {
        tx.onCancel(handler);
      },
    };
  }

  // ── sending ───────────────────────────────────────────────────────────────────────────────

  /** §18.2.2: over UDP to the top Via's received/rport (else its port); over TCP on the connection. */
  private sendResponse(rs: SipResponse, flow: Flow): void {
    const top = splitList(rs.headers.get('via') ?? '')[0];
    const via = top ? parseVia(top) : null;
    const received = via?.params.get('received') ?? flow.remote.address;
    const rport = Number(via?.params.get('rport'));
    const port = Number.isInteger(rport) && rport > 0 ? rport : (via?.port ?? 5060);
    const bytes = serialize(rs);
    this.o.onMessage?.('out', rs, flow);
    if (flow.transport === 'udp') {
      this.udp?.send(bytes, flow.local.address, { address: received, port });
      return;
    }
    this.tcp
      ?.send(bytes, flow.connection, flow.remote, { address: received, port })
      .catch((err) => this.onError(`TCP response to ${received}:${port}: ${String(err)}`));
  }

  private sendRequest(rq: SipRequest, flow: Flow): void {
    const bytes = serialize(rq);
    this.o.onMessage?.('out', rq, flow);
    if (flow.transport === 'udp') {
      this.udp?.send(bytes, flow.local.address, flow.remote);
      return;
    }
    const target = targetOf(rq.uri) ?? flow.remote;
    this.tcp
      ?.send(bytes, flow.connection, flow.remote, target)
      .catch((err) => this.onError(`TCP ${rq.method} to ${target.address}:${target.port}: ${String(err)}`));
  }
}

function hostOfUri(uri: string): string | null {
  return parseSipUri(uri)?.host ?? null;
}

/** Where a request to this URI goes when no connection is open (no DNS SRV: an address or a name). */
function targetOf(uri: string): Endpoint | null {
  const u = parseSipUri(uri);
  return u ? { address: u.host, port: u.port ?? 5060 } : null;
}
