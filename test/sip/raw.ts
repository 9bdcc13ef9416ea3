// A raw SIP peer for tests that must see (or forge) every byte: our own datagrams from a chosen
// local address (127.0.0.2 as "another machine"), every response collected, and an RTP socket
// that counts what the server sends and sends RFC 4733 key presses with a chosen SSRC. The
// message reading here is deliberately shallow (regexes over the text): it checks the server's
// output, it does not re-implement the server's parser.
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { encodeRtp } from '../../runtime/sip/media/rtp';
import { digitToEvent, telephoneEventPackets } from '../../runtime/sip/media/rfc4733';
import { waitFor } from '../helpers/waitFor';

export interface Endpoint {
  address: string;
  port: number;
}

export interface RawMessage {
  text: string;
  bytes: Buffer;
  firstLine: string;
  /** Response status, or null for a request. */
  status: number | null;
  method: string | null;
  from: Endpoint;
  /** Date.now() when it arrived. */
  at: number;
  header(name: string): string | undefined;
  body: string;
}

export function readMessage(bytes: Buffer, from: Endpoint): RawMessage {
  const text = bytes.toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  const lines = head.split('\r\n');
  const firstLine = lines[0] ?? '';
  const status = /^SIP\/2\.0 (\d{3}) /.exec(firstLine);
  return {
    text,
    bytes,
    firstLine,
    status: status ? Number(status[1]) : null,
    method: status ? null : (firstLine.split(' ')[0] ?? null),
    from,
    at: Date.now(),
    header(name) {
      const line = lines.slice(1).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
      return line?.slice(line.indexOf(':') + 1).trim();
    },
    body: split < 0 ? '' : text.slice(split + 4),
  };
}

const sockets = new Set<dgram.Socket>();

/** Closes every socket the raw helpers opened (afterEach). */
export function closeRawSockets(): void {
  for (const s of sockets) {
    try {
      s.close();
    } catch {
      // closed already
    }
  }
  sockets.clear();
}

async function bound(address: string, port = 0): Promise<dgram.Socket> {
  const s = dgram.createSocket(isIPv6(address) ? 'udp6' : 'udp4');
  sockets.add(s);
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.bind(port, address, () => {
      s.off('error', reject);
      resolve();
    });
  });
  return s;
}

/** A SIP endpoint on one UDP socket. */
export class SipPeer {
  readonly received: RawMessage[] = [];
  /** Requests the server sent us (BYE…) are answered 200 unless this is false. */
  answerRequests = true;

  private constructor(private readonly socket: dgram.Socket) {
    socket.on('message', (m, r) => {
      const msg = readMessage(m, { address: r.address, port: r.port });
      this.received.push(msg);
      if (msg.method && msg.method !== 'ACK' && this.answerRequests) this.reply(msg, 200, 'OK');
    });
  }

  static async open(address = '127.0.0.1'): Promise<SipPeer> {
    return new SipPeer(await bound(address));
  }

  get address(): string {
    return this.socket.address().address;
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** host:port as it goes in a Via or Contact. */
  get hostport(): string {
    return isIPv6(this.address) ? `[${this.address}]:${this.port}` : `${this.address}:${this.port}`;
  }

  send(text: string | Buffer, to: Endpoint): void {
    this.socket.send(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, to.port, to.address);
  }

  /** The first message (received from now on or before) matching `pick`. */
  waitFor(pick: (m: RawMessage) => boolean, what: string, timeoutMs = 5000): Promise<RawMessage> {
    return waitFor(
      `${what}; got: ${this.received.map((m) => m.firstLine).join(' | ') || 'nothing'}`,
      () => this.received.find(pick),
      { timeoutMs: timeoutMs },
    );
  }

  /** The final response to the request with this Call-ID and CSeq method. */
  finalResponse(callId: string, method: string, timeoutMs = 5000): Promise<RawMessage> {
    return this.waitFor(
      (m) =>
        m.status !== null &&
        m.status >= 200 &&
        m.header('call-id') === callId &&
        new RegExp(`\\s${method}$`).test(m.header('cseq') ?? ''),
      `a final response to ${method} ${callId}`,
      timeoutMs,
    );
  }

  /** Resolves once nothing matching `pick` has arrived for quietMs (retransmissions have stopped). */
  quiet(pick: (m: RawMessage) => boolean, quietMs: number, what: string): Promise<unknown> {
    return waitFor(what, () => {
      const last = this.received.filter(pick).at(-1)?.at ?? 0;
      return Date.now() - last >= quietMs;
    });
  }

  responsesTo(callId: string): RawMessage[] {
    return this.received.filter((m) => m.status !== null && m.header('call-id') === callId);
  }

  reply(rq: RawMessage, status: number, reason: string): void {
    const keep = rq.text
      .split('\r\n\r\n')[0]!
      .split('\r\n')
      .filter((l) => /^(via|from|to|call-id|cseq):/i.test(l));
    this.send(`SIP/2.0 ${status} ${reason}\r\n${keep.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`, rq.from);
  }
}

export interface RequestOptions {
  method: string;
  uri: string;
  /** host:port for Via and Contact. */
  hostport: string;
  callId: string;
  cseq?: number;
  branch?: string;
  fromTag?: string;
  toTag?: string;
  /** The To URI (default the request URI). */
  to?: string;
  /** Extra header lines (without CRLF). */
  headers?: string[];
  contentType?: string;
  body?: string;
  /** Replaces the Content-Length value. */
  contentLength?: string;
}

let branchSeq = 0;

/** One request's text, CRLF line ends, Content-Length from the UTF-8 body unless given. */
export function request(o: RequestOptions): string {
  const body = o.body ?? '';
  const lines = [
    `${o.method} ${o.uri} SIP/2.0`,
    `Via: SIP/2.0/UDP ${o.hostport};branch=${o.branch ?? `z9hG4bK-raw${++branchSeq}-${o.callId}`};rport`,
    `From: <sip:tester@${o.hostport}>;tag=${o.fromTag ?? `f-${o.callId}`}`,
    `To: <${o.to ?? o.uri}>${o.toTag ? `;tag=${o.toTag}` : ''}`,
    `Call-ID: ${o.callId}`,
    `CSeq: ${o.cseq ?? 1} ${o.method}`,
    `Contact: <sip:tester@${o.hostport}>`,
    'Max-Forwards: 70',
    ...(o.headers ?? []),
    ...(o.contentType ? [`Content-Type: ${o.contentType}`] : []),
    `Content-Length: ${o.contentLength ?? Buffer.byteLength(body)}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** An audio offer: PCMU and telephone-event 101 at address:port. */
export function sdpOffer(address: string, port: number, extra = ''): string {
  const ip = isIPv6(address) ? 'IP6' : 'IP4';
  return (
    `v=0\r\no=raw 1 1 IN ${ip} ${address}\r\ns=-\r\nc=IN ${ip} ${address}\r\nt=0 0\r\n` +
    `m=audio ${port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n${extra}`
  );
}

let callSeq = 0;

/** One call (dialog) placed by a SipPeer: INVITE, wait for the answer, ACK, BYE. */
export class RawCall {
  readonly callId: string;
  toTag = '';
  private cseq = 1;
  answer: RawMessage | null = null;

  constructor(
    readonly peer: SipPeer,
    readonly server: Endpoint,
    readonly user: string,
    readonly o: { uriHost?: string; headers?: string[] } = {},
  ) {
    this.callId = `raw-${process.pid}-${++callSeq}-${Math.random().toString(36).slice(2, 8)}`;
  }

  get uri(): string {
    const host = this.o.uriHost ?? (isIPv6(this.server.address) ? `[${this.server.address}]` : this.server.address);
    return `sip:${this.user}@${host}:${this.server.port}`;
  }

  invite(sdp: string, extra: Partial<RequestOptions> = {}): void {
    this.peer.send(
      request({
        method: 'INVITE',
        uri: this.uri,
        hostport: this.peer.hostport,
        callId: this.callId,
        cseq: this.cseq,
        contentType: 'application/sdp',
        body: sdp,
        ...(this.o.headers ? { headers: this.o.headers } : {}),
        ...(this.toTag ? { toTag: this.toTag } : {}),
        ...extra,
      }),
      this.server,
    );
  }

  /** The final response to the current INVITE. */
  async final(timeoutMs = 5000): Promise<RawMessage> {
    const seq = this.cseq;
    return this.peer.waitFor(
      (m) =>
        m.status !== null &&
        m.status >= 200 &&
        m.header('call-id') === this.callId &&
        m.header('cseq') === `${seq} INVITE`,
      `the final response to INVITE ${this.callId}`,
      timeoutMs,
    );
  }

  /** INVITE (or re-INVITE), wait for 200, ACK it. */
  async establish(sdp: string, timeoutMs = 5000): Promise<RawMessage> {
    this.invite(sdp);
    const ok = await this.final(timeoutMs);
    if (ok.status !== 200) throw new Error(`INVITE got ${ok.firstLine}`);
    this.toTag ||= /;tag=([^;\s>]+)/.exec(ok.header('to') ?? '')?.[1] ?? '';
    this.answer = ok;
    this.ack();
    return ok;
  }

  ack(): void {
    this.peer.send(
      request({
        method: 'ACK',
        uri: this.uri,
        hostport: this.peer.hostport,
        callId: this.callId,
        cseq: this.cseq++,
        toTag: this.toTag,
      }),
      this.server,
    );
  }

  async bye(): Promise<RawMessage> {
    const seq = this.cseq++;
    this.peer.send(
      request({
        method: 'BYE',
        uri: this.uri,
        hostport: this.peer.hostport,
        callId: this.callId,
        cseq: seq,
        toTag: this.toTag,
      }),
      this.server,
    );
    return this.peer.waitFor(
      (m) => m.header('call-id') === this.callId && m.header('cseq') === `${seq} BYE` && m.status !== null,
      'the 200 for our BYE',
    );
  }

  /** The server's Contact and SDP connection address from the answer. */
  answerAddresses(): { contact: string; sdpAddress: string; sdpPort: number } {
    const a = this.answer!;
    return {
      contact: a.header('contact') ?? '',
      sdpAddress: /^c=IN IP[46] (\S+)/m.exec(a.body)?.[1] ?? '',
      sdpPort: Number(/^m=audio (\d+)/m.exec(a.body)?.[1] ?? 0),
    };
  }
}

export interface RtpSeen {
  from: Endpoint;
  ssrc: number;
  payloadType: number;
  at: number;
  payload: Buffer;
}

/** The caller's RTP port: records every packet the server sends; sends key presses. */
export class RtpPeer {
  readonly seen: RtpSeen[] = [];
  private seq = 1000;
  private ts = 16000;

  private constructor(readonly socket: dgram.Socket) {
    socket.on('message', (m, r) => {
      if (m.length >= 12 && m[0]! >> 6 === 2)
        this.seen.push({
          from: { address: r.address, port: r.port },
          ssrc: m.readUInt32BE(8),
          payloadType: m[1]! & 0x7f,
          at: Date.now(),
          payload: m.subarray(12),
        });
    });
  }

  static async open(address = '127.0.0.1'): Promise<RtpPeer> {
    return new RtpPeer(await bound(address));
  }

  get port(): number {
    return this.socket.address().port;
  }

  get address(): string {
    return this.socket.address().address;
  }

  /** Sends key presses as RFC 4733 events (payload type 101), 20 ms apart, one key after another. */
  async sendDigits(to: Endpoint, digits: string, ssrc: number): Promise<void> {
    for (const d of digits) {
      const packets = telephoneEventPackets(digitToEvent(d)!, 100);
      const ts = (this.ts += 8000);
      for (const p of packets) {
        const bytes = encodeRtp({
          marker: p.marker,
          payloadType: 101,
          sequenceNumber: this.seq++ & 0xffff,
          timestamp: ts >>> 0,
          ssrc,
          csrc: [],
          extension: null,
          payload: p.payload,
          padding: 0,
        });
        this.socket.send(bytes, to.port, to.address);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  /** G.711 µ-law audio (160 bytes a packet, 20 ms apart) until `signal` aborts. */
  async sendG711(to: Endpoint, ssrc: number, audio: Uint8Array, signal: AbortSignal): Promise<void> {
    for (let at = 0; !signal.aborted; at = (at + 160) % (audio.length - (audio.length % 160))) {
      const bytes = encodeRtp({
        marker: false,
        payloadType: 0,
        sequenceNumber: this.seq++ & 0xffff,
        timestamp: (this.ts += 160) >>> 0,
        ssrc,
        csrc: [],
        extension: null,
        payload: audio.subarray(at, at + 160),
        padding: 0,
      });
      this.socket.send(bytes, to.port, to.address);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** One G.711 silence packet (keeps a latch fresh, or latches it). */
  sendAudio(to: Endpoint, ssrc: number): void {
    const bytes = encodeRtp({
      marker: false,
      payloadType: 0,
      sequenceNumber: this.seq++ & 0xffff,
      timestamp: (this.ts += 160) >>> 0,
      ssrc,
      csrc: [],
      extension: null,
      payload: new Uint8Array(160).fill(0xff),
      padding: 0,
    });
    this.socket.send(bytes, to.port, to.address);
  }
}
