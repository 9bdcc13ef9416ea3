// One call's RTP session: sends G.711 in 20 ms packets on the shared MediaClock (a prompt when one
// plays, silence otherwise, telephone-events for sendDigits) and turns what arrives into DTMF and
// audio events. Network input never throws: a malformed packet is counted and dropped.
import dgram from 'node:dgram';
import dns from 'node:dns';
import { EventEmitter } from 'node:events';
import { isIP, isIPv6 } from 'node:net';
import { performance } from 'node:perf_hooks';
import { randomInt } from 'node:crypto';
import {
  codecForPayloadType,
  decodeG711,
  encodeG711,
  FRAME_SAMPLES,
  PAYLOAD_TYPE,
  SILENCE_BYTE,
  type Codec,
} from './g711';
import { DtmfDetector } from './goertzel';
import { MediaClock, type MediaClockClient } from './pacer';
import { digitToEvent, TelephoneEventReceiver, telephoneEventPackets } from './rfc4733';
import { parseRtp, type RtpPacket } from './rtp';
import { GapMeter, type GapStats } from './stats';
import { synthesizeDtmf } from './tones';
import { RateLimit, RtpPeerFilter, type RtpPeerOptions } from './peer';
import type { MediaChannel } from './channel';

export interface RtpRemote {
  address: string;
  port: number;
}

export interface RtpStreamOptions {
  /** A bound (or binding) socket to use; by default the stream binds its own on bindAddress, port 0. */
  socket?: dgram.Socket;
  /** Default '127.0.0.1'. */
  bindAddress?: string;
  /** Where packets go; null = not known yet (nothing is sent until set). */
  remote: RtpRemote | null;
  codec: Codec;
  /** Default the codec's static type (0 / 8). */
  payloadType?: number;
  /** Negotiated telephone-event type (e.g. 101), or null when the peer has none. */
  dtmfPayloadType?: number | null;
  ssrc?: number;
  /** Default MediaClock.shared(). */
  clock?: MediaClock;
  /** Received audio is appended here (one array per packet). */
  recordTo?: Int16Array[];
  /** Keep received audio for receivedAudio(); implied by recordTo. */
  record?: boolean;
  /** Run the Goertzel detector on received audio; default true. Off for a stream once RFC 4733 arrives. */
  inbandDtmf?: boolean;
  /**
   * A call's stream: only the peer's RTP is heard (see peer.ts), one SSRC, a rate limit, and at most
   * `earlyPackets` sent before confirm(). Without it the stream hears anyone (tests, tools).
   */
  peer?: RtpPeerOptions;
}

export type DtmfSource = 'rfc4733' | 'inband';

const RTP_HEADER = 12;
const RING_SIZE = 4;
/** Relayed audio kept waiting at most (60 ms): a bridge adds no more latency than that. */
const RELAY_FRAMES = 3;

/**
 * dgram's default lookup runs dns.lookup for every datagram, which defers each send to a later
 * tick even for an IP literal (nearly a fifth of the cost of a send). Remote media addresses are
 * literals from SDP, so answer those at once; anything else still goes to the resolver.
 */
function literalLookup(
  host: string,
  options: dns.LookupOneOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  const family = isIP(host);
  if (family !== 0) callback(null, host, family);
  else dns.lookup(host, options, callback);
}

export interface RtpStreamStats {
  packetsSent: number;
  bytesSent: number;
  sendErrors: number;
  packetsReceived: number;
  bytesReceived: number;
  /** Not RTP version 2, truncated, bad padding... */
  malformed: number;
  /** RTP with a payload type we neither decode nor understand (e.g. comfort noise). */
  ignored: number;
  /** Dropped: from an address that is not the peer's (peer streams only). */
  offPath: number;
  /** Dropped: from the peer's address with another SSRC than the stream's. */
  foreignSsrc: number;
  /** Dropped: our own packets coming back (our SSRC). */
  looped: number;
  /** Dropped: over the inbound rate limit. */
  rateLimited: number;
  /** Not sent: over the early-media bound before confirm(). */
  earlyDropped: number;
  sendGaps: GapStats;
  receiveGaps: GapStats;
}

/** One 20 ms slot queued by sendDigits. */
type DigitSlot =
  | { kind: 'event'; marker: boolean; payload: Uint8Array; first: boolean; done?: () => void }
  | { kind: 'gap'; done?: () => void };

interface Playing {
  data: Uint8Array;
  /** The same bytes as a Buffer, made once per play so each packet is a copy, not a new view. */
  source: Buffer;
  pos: number;
  resolve: (how: 'finished' | 'cut') => void;
  detach: () => void;
}

export interface RtpStreamEvents {
  dtmf: [digit: string, source: DtmfSource];
  /** Decoded audio of each received packet. */
  audio: [pcm: Int16Array, packet: RtpPacket];
  error: [error: Error];
  close: [];
}

/**
 * @example
 *   const rtp = await RtpStream.open({ remote: { address: '127.0.0.1', port: 4000 }, codec: 'PCMU', dtmfPayloadType: 101 });
 *   rtp.on('dtmf', (digit) => console.log('pressed', digit));
 *   await rtp.play(await loadPrompt('greeting.wav', 'PCMU'));
 *   rtp.stop();
 */
export class RtpStream extends EventEmitter<RtpStreamEvents> implements MediaClockClient {
  codec: Codec;
  payloadType: number;
  dtmfPayloadType: number | null;
  readonly ssrc: number;
  /** Resolves once the socket is bound (localPort is known). */
  readonly ready: Promise<void>;
  private readonly socket: dgram.Socket;
  private readonly ownSocket: boolean;
  private readonly clock: MediaClock;
  private remoteAddr: RtpRemote | null;
  private silenceByte: number;
  /**
   * Packets are written in place into a few preallocated buffers used in turn (1,000 calls send
   * 50,000 packets a second; a new array each would be garbage). More than one because a datagram
   * the kernel could not take at once stays queued with its buffer until it goes.
   */
  private readonly ring: { audio: Buffer; event: Buffer }[];
  private ringAt = 0;
  private readonly detector: DtmfDetector | null;
  private readonly events = new TelephoneEventReceiver();
  private readonly recording: Int16Array[] | null;
  private sawTelephoneEvent = false;
  private seq: number;
  private readonly tsBase: number;
  private firstSlot: number | null = null;
  private eventTimestamp = 0;
  private talkspurt = false;
  private playing: Playing | null = null;
  private digitSlots: DigitSlot[] = [];
  private stopped = false;
  /** Bridged (StartBridge): the stream whose received audio and keys we send on, and theirs to us. */
  private relay: RtpStream | null = null;
  /** The other leg's audio in our codec, 20 ms frames waiting for our clock (at most RELAY_FRAMES). */
  private relayed: Uint8Array[] = [];
  private relayPartial: Int16Array | null = null;
  private readonly counts = {
    packetsSent: 0,
    bytesSent: 0,
    sendErrors: 0,
    packetsReceived: 0,
    bytesReceived: 0,
    malformed: 0,
    ignored: 0,
    offPath: 0,
    foreignSsrc: 0,
    looped: 0,
    rateLimited: 0,
    earlyDropped: 0,
  };
  private readonly filter: RtpPeerFilter | null;
  private readonly limit: RateLimit | null;
  /** Packets left before confirm(); null = no bound. */
  private earlyLeft: number | null;
  private readonly sendGaps = new GapMeter();
  private readonly receiveGaps = new GapMeter();
  private readonly onMessage = (msg: Buffer, rinfo: dgram.RemoteInfo) => this.receive(msg, rinfo);
  private readonly onError = (e: Error) => {
    this.counts.sendErrors++;
    this.fail(e);
  };

  constructor(opts: RtpStreamOptions) {
    super();
    this.codec = opts.codec;
    this.payloadType = opts.payloadType ?? PAYLOAD_TYPE[opts.codec];
    this.dtmfPayloadType = opts.dtmfPayloadType ?? null;
    this.ssrc = opts.ssrc ?? randomInt(0, 2 ** 32 - 1);
    this.seq = randomInt(0, 0x10000);
    this.tsBase = randomInt(0, 2 ** 32 - 1);
    this.clock = opts.clock ?? MediaClock.shared();
    this.remoteAddr = opts.remote;
    this.filter = opts.peer ? new RtpPeerFilter(opts.peer.signalling) : null;
    this.filter?.setNegotiated(opts.remote);
    this.limit = opts.peer ? new RateLimit(opts.peer.maxInboundRate ?? 150, performance.now()) : null;
    this.earlyLeft = opts.peer?.earlyPackets ?? null;
    this.silenceByte = SILENCE_BYTE[opts.codec];
    this.ring = Array.from({ length: RING_SIZE }, () => {
      const audio = Buffer.alloc(RTP_HEADER + FRAME_SAMPLES);
      return { audio, event: audio.subarray(0, RTP_HEADER + 4) };
    });
    this.detector = opts.inbandDtmf === false ? null : new DtmfDetector();
    this.recording = opts.recordTo ?? (opts.record ? [] : null);
    this.ownSocket = !opts.socket;
    const bindAddress = opts.bindAddress ?? '127.0.0.1';
    this.socket =
      opts.socket ?? dgram.createSocket({ type: isIPv6(bindAddress) ? 'udp6' : 'udp4', lookup: literalLookup });
    this.socket.on('message', this.onMessage);
    this.socket.on('error', this.onError);
    this.ready = this.bind(bindAddress);
    this.ready.catch(() => undefined); // reported through 'error' too; callers may await ready
    this.ready.then(
      () => {
        if (!this.stopped) this.clock.schedule(this);
      },
      () => undefined,
    );
  }

  /** A stream whose socket is bound. @throws when binding fails */
  static async open(opts: RtpStreamOptions): Promise<RtpStream> {
    const s = new RtpStream(opts);
    try {
      await s.ready;
    } catch (e) {
      s.stop();
      throw e;
    }
    return s;
  }

  /** The bound UDP port (0 before `ready`). */
  get localPort(): number {
    try {
      return this.socket.address().port;
    } catch {
      return 0;
    }
  }

  get remote(): RtpRemote | null {
    return this.remoteAddr;
  }

  /** A re-INVITE moved the peer's media (later packets go there), or null: send nothing (hold). */
  set remote(r: RtpRemote | null) {
    this.setRemote(r);
  }

  setRemote(r: RtpRemote | null): void {
    this.remoteAddr = r;
    if (r !== null) this.filter?.setNegotiated(r);
  }

  /** The answer to our offer chose this format (an outgoing leg opens its stream before it knows). */
  setFormat(codec: Codec, payloadType: number, dtmfPayloadType: number | null): void {
    this.codec = codec;
    this.payloadType = payloadType;
    this.dtmfPayloadType = dtmfPayloadType;
    this.silenceByte = SILENCE_BYTE[codec];
  }

  /** The peer acknowledged the answer: the early-media bound no longer applies. */
  confirm(): void {
    this.earlyLeft = null;
  }

  get isPlaying(): boolean {
    return this.playing !== null;
  }

  /**
   * Plays G.711 in this stream's codec; a prompt already playing is cut. Resolves 'finished' when
   * the last packet went out, 'cut' when the signal aborted, another play started, or stop().
   */
  play(g711: Uint8Array, signal?: AbortSignal): Promise<'finished' | 'cut'> {
    this.cutPlay();
    if (this.stopped || signal?.aborted) return Promise.resolve('cut');
    if (g711.length === 0) return Promise.resolve('finished');
    return new Promise((resolve) => {
      const onAbort = () => {
        if (this.playing === entry) this.cutPlay();
      };
      const entry: Playing = {
        data: g711,
        source: Buffer.from(g711.buffer, g711.byteOffset, g711.byteLength),
        pos: 0,
        resolve,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.playing = entry;
    });
  }

  /**
   * Sends key presses: as RFC 4733 telephone-events when a dtmfPayloadType was negotiated, else
   * as in-band tones. Prompt playback pauses meanwhile. Resolves after the last gap.
   */
  sendDigits(digits: string, opts: { toneMs?: number; gapMs?: number } = {}): Promise<void> {
    const toneMs = opts.toneMs ?? 100;
    const gapMs = opts.gapMs ?? 60;
    if (this.stopped) return Promise.resolve();
    if (this.dtmfPayloadType === null) {
      const pcm = synthesizeDtmf(digits, { toneMs, gapMs });
      return this.play(encodeG711(pcm, this.codec)).then(() => undefined);
    }
    const slots: DigitSlot[] = [];
    for (const d of digits) {
      const event = digitToEvent(d);
      if (event === null) continue;
      telephoneEventPackets(event, toneMs).forEach((p, i) => {
        slots.push({ kind: 'event', ...p, first: i === 0 });
      });
      for (let g = 0; g < Math.max(1, Math.round(gapMs / 20)); g++) slots.push({ kind: 'gap' });
    }
    if (slots.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      slots[slots.length - 1]!.done = resolve;
      this.digitSlots.push(...slots);
    });
  }

  /** Ends the stream: playback is cut, the clock forgets it, its own socket closes. Idempotent. */
  /**
   * Joins this stream with another (both ways): what each receives, audio (transcoded to the other's
   * codec) and keys (as RFC 4733 or tones), the other sends. null ends the bridge. Prompts still play
   * over the relayed audio while they last.
   */
  bridge(other: MediaChannel | null): string | null {
    if (other !== null && !(other instanceof RtpStream)) return 'the two calls run their media on different threads';
    const old = this.relay;
    if (old === other) return null;
    this.relay = other;
    this.relayed = [];
    this.relayPartial = null;
    if (old && old.relay === this) old.bridge(null);
    if (other && other.relay !== this) other.bridge(this);
    return null;
  }

  /** The other leg's audio: cut into 20 ms frames of our codec. */
  private feed(pcm: Int16Array): void {
    let samples = pcm;
    if (this.relayPartial) {
      samples = new Int16Array(this.relayPartial.length + pcm.length);
      samples.set(this.relayPartial);
      samples.set(pcm, this.relayPartial.length);
      this.relayPartial = null;
    }
    let at = 0;
    for (; at + FRAME_SAMPLES <= samples.length; at += FRAME_SAMPLES)
      this.relayed.push(encodeG711(samples.subarray(at, at + FRAME_SAMPLES), this.codec));
    if (at < samples.length) this.relayPartial = samples.slice(at);
    // A sender faster than our clock must not grow a backlog (latency): the oldest frames go.
    if (this.relayed.length > RELAY_FRAMES) this.relayed.splice(0, this.relayed.length - RELAY_FRAMES);
  }

  stop(): void {
    if (this.stopped) return;
    this.bridge(null);
    this.stopped = true;
    this.clock.unschedule(this);
    this.cutPlay();
    for (const s of this.digitSlots) s.done?.();
    this.digitSlots = [];
    this.socket.off('message', this.onMessage);
    if (this.ownSocket) {
      try {
        this.socket.close();
      } catch {
        // already closed
      }
    } else {
      this.socket.off('error', this.onError);
    }
    this.emit('close');
  }

  /** Everything received so far as one PCM array (needs record or recordTo). */
  receivedAudio(): Int16Array {
    const parts = this.recording ?? [];
    const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  stats(): RtpStreamStats {
    return { ...this.counts, sendGaps: this.sendGaps.stats(), receiveGaps: this.receiveGaps.stats() };
  }

  /** MediaClock slot: exactly one packet per 20 ms. */
  tick(slot: number): void {
    if (this.stopped) return;
    this.firstSlot ??= slot;
    const ts = (this.tsBase + (slot - this.firstSlot) * FRAME_SAMPLES) >>> 0;
    const first = this.counts.packetsSent === 0;
    const digit = this.digitSlots.length > 0 ? this.digitSlots.shift() : undefined;
    if (digit) {
      this.talkspurt = false;
      if (digit.kind === 'event') {
        if (digit.first) this.eventTimestamp = ts;
        const packet = this.packet(this.dtmfPayloadType!, digit.marker, this.eventTimestamp).event;
        packet.set(digit.payload, RTP_HEADER);
        this.send(packet);
      } else {
        this.sendSilence(first, ts);
      }
      digit.done?.();
      return;
    }
    const p = this.playing;
    const relayed = this.relayed.shift();
    if (!p && relayed) {
      const packet = this.packet(this.payloadType, first || !this.talkspurt, ts).audio;
      packet.set(relayed, RTP_HEADER);
      this.send(packet);
      this.talkspurt = true;
      return;
    }
    if (!p) {
      this.talkspurt = false;
      this.sendSilence(first, ts);
      return;
    }
    const packet = this.packet(this.payloadType, first || !this.talkspurt, ts).audio;
    const copied = p.source.copy(packet, RTP_HEADER, p.pos, p.pos + FRAME_SAMPLES);
    if (copied < FRAME_SAMPLES) packet.fill(this.silenceByte, RTP_HEADER + copied);
    p.pos += FRAME_SAMPLES;
    this.send(packet);
    this.talkspurt = true;
    if (p.pos >= p.data.length) {
      this.playing = null;
      p.detach();
      p.resolve('finished');
    }
  }

  private sendSilence(marker: boolean, timestamp: number): void {
    const packet = this.packet(this.payloadType, marker, timestamp).audio;
    packet.fill(this.silenceByte, RTP_HEADER);
    this.send(packet);
  }

  /** The next ring buffer with the RTP fixed header written (RFC 3550 §5.1; no CSRC, extension, padding). */
  private packet(payloadType: number, marker: boolean, timestamp: number): { audio: Buffer; event: Buffer } {
    const slot = this.ring[this.ringAt]!;
    this.ringAt = (this.ringAt + 1) % RING_SIZE;
    const b = slot.audio;
    b[0] = 0x80;
    b[1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
    b.writeUInt16BE(this.seq, 2);
    b.writeUInt32BE(timestamp, 4);
    b.writeUInt32BE(this.ssrc, 8);
    return slot;
  }

  private send(bytes: Buffer): void {
    if (!this.remoteAddr) return;
    const remote = this.filter?.target() ?? this.remoteAddr;
    if (this.earlyLeft !== null) {
      // Unconfirmed (no ACK yet): the SDP address may be a victim's, so only a little goes there.
      if (this.earlyLeft <= 0) {
        this.counts.earlyDropped++;
        return;
      }
      this.earlyLeft--;
    }
    this.seq = (this.seq + 1) & 0xffff;
    this.counts.packetsSent++;
    this.counts.bytesSent += bytes.length;
    this.sendGaps.mark(performance.now());
    // No per-packet callback (50,000 packets/s at 1,000 calls): send errors arrive as socket 'error'.
    this.socket.send(bytes, remote.port, remote.address);
  }

  private receive(msg: Buffer, from: RtpRemote): void {
    this.counts.packetsReceived++;
    this.counts.bytesReceived += msg.length;
    const now = performance.now();
    if (this.filter && !this.filter.fromPeer(from)) {
      this.counts.offPath++;
      return;
    }
    if (this.limit && !this.limit.take(now)) {
      this.counts.rateLimited++;
      return;
    }
    this.receiveGaps.mark(now);
    const packet = parseRtp(msg);
    if (!packet) {
      this.counts.malformed++;
      return;
    }
    if (this.filter) {
      if (packet.ssrc === this.ssrc) {
        this.counts.looped++;
        return;
      }
      if (!this.filter.accept(from, packet.ssrc)) {
        this.counts.foreignSsrc++;
        return;
      }
    }
    if (this.dtmfPayloadType !== null && packet.payloadType === this.dtmfPayloadType) {
      this.sawTelephoneEvent = true;
      const digit = this.events.push(packet);
      if (digit) {
        this.emit('dtmf', digit, 'rfc4733');
        if (this.relay) void this.relay.sendDigits(digit);
      }
      return;
    }
    const codec = packet.payloadType === this.payloadType ? this.codec : codecForPayloadType(packet.payloadType);
    if (!codec) {
      this.counts.ignored++;
      return;
    }
    const pcm = decodeG711(packet.payload, codec);
    this.recording?.push(pcm);
    this.relay?.feed(pcm);
    this.emit('audio', pcm, packet);
    // A peer that sends telephone-events may leave the tones in the audio as well: count them once.
    if (this.detector && !this.sawTelephoneEvent) {
      for (const digit of this.detector.push(pcm)) this.emit('dtmf', digit, 'inband');
    }
  }

  private cutPlay(): void {
    const p = this.playing;
    if (!p) return;
    this.playing = null;
    p.detach();
    p.resolve('cut');
  }

  private bind(address: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.localPort > 0) return resolve();
      const onListening = () => {
        this.socket.off('error', onFail);
        resolve();
      };
      const onFail = (e: Error) => {
        this.socket.off('listening', onListening);
        reject(e);
      };
      this.socket.once('listening', onListening);
      this.socket.once('error', onFail);
      if (this.ownSocket) this.socket.bind(0, address);
    });
  }

  private fail(e: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', e);
  }
}
