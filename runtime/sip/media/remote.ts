// RTP on worker threads. MediaWorkerPool starts the workers and opens each call's stream on the
// least-loaded one; RemoteRtpStream is that stream as the SIP thread sees it: the same MediaChannel
// as an RtpStream, with plays and key presses as messages. Sending 50 packets a second for a
// thousand calls is the media thread's whole job, so a busy program can't make the audio stutter.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Codec } from './g711';
import { PAYLOAD_TYPE } from './g711';
import type { MediaChannel, MediaOpenOptions } from './channel';
import type { FromWorker, ToWorker } from './protocol';
import type { RtpRemote, RtpStreamEvents, RtpStreamStats } from './stream';

const EMPTY_GAPS = { count: 0, meanMs: 0, minMs: 0, maxMs: 0, stdMs: 0 };

function emptyStats(): RtpStreamStats {
  return {
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
    sendGaps: { ...EMPTY_GAPS },
    receiveGaps: { ...EMPTY_GAPS },
  };
}

/** The built worker next to a bundle (Electron), else the TypeScript source through tsx. */
function workerEntry(): URL {
  const bundled = new URL('./media-worker.mjs', import.meta.url);
  if (bundled.protocol === 'file:' && existsSync(fileURLToPath(bundled))) return bundled;
  return new URL('./worker-boot.mjs', import.meta.url);
}

interface WorkerSlot {
  worker: Worker;
  streams: Map<number, RemoteRtpStream>;
  /** Ports of sockets the worker has bound in advance on spareAddress… */
  spares: number[];
  /** …and on other addresses calls asked for (a server on a wildcard binds RTP where each call arrived). */
  otherSpares: Map<string, number[]>;
  ready: Promise<void>;
  dead: Error | null;
}

export interface MediaWorkerPoolOptions {
  /** Sockets each worker keeps bound in advance, so a call's stream opens at once. Default 16. */
  spares?: number;
  /** Where the spares are bound (a stream asking for another address binds its own). Default 127.0.0.1. */
  spareAddress?: string;
}

export class MediaWorkerPool {
  private readonly slots: WorkerSlot[] = [];
  private nextId = 1;
  private closed = false;

  private constructor(private readonly o: MediaWorkerPoolOptions) {}

  /** Starts `count` workers (at least one); resolves when they all run. @throws when a worker can't start */
  static async start(count: number, options: MediaWorkerPoolOptions = {}): Promise<MediaWorkerPool> {
    const pool = new MediaWorkerPool(options);
    for (let i = 0; i < Math.max(1, count); i++) pool.slots.push(pool.spawn());
    try {
      await Promise.all(pool.slots.map((s) => s.ready));
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Streams open on each worker. */
  load(): number[] {
    return this.slots.map((s) => s.streams.size);
  }

  /** Opens a stream on the worker with the fewest. @throws when binding fails or the pool is closed */
  async open(opts: MediaOpenOptions, near?: MediaChannel): Promise<RemoteRtpStream> {
    if (this.closed) throw new Error('the media workers are closed');
    const live = this.slots.filter((s) => !s.dead);
    if (live.length === 0) throw new Error('no media worker is running');
    // A leg that will be bridged with `near` runs on near's worker (a bridge never crosses threads).
    const slot =
      live.find((s) => near instanceof RemoteRtpStream && s.streams.get(near.id) === near) ??
      live.reduce((a, b) => (b.streams.size < a.streams.size ? b : a));
    const address = opts.bindAddress ?? '127.0.0.1';
    const spare = this.takeSpare(slot, address);
    const stream = new RemoteRtpStream(this.nextId++, opts, (m) => slot.worker.postMessage(m), spare, slot);
    slot.streams.set(stream.id, stream);
    void stream.whenClosed().then(() => slot.streams.delete(stream.id));
    try {
      await stream.ready;
    } catch (e) {
      slot.streams.delete(stream.id);
      throw e;
    }
    return stream;
  }

  private takeSpare(slot: WorkerSlot, address: string): number | undefined {
    if (address === (this.o.spareAddress ?? '127.0.0.1')) return slot.spares.shift();
    const list = slot.otherSpares.get(address);
    if (list) return list.shift();
    // The first call on this address binds its own socket; spares are kept there from now on.
    const count = Math.min(4, this.o.spares ?? 16);
    if (count > 0)
      for (const s of this.slots) {
        s.otherSpares.set(address, []);
        s.worker.postMessage({ t: 'spares', id: 0, count, address } satisfies ToWorker);
      }
    return undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate().catch(() => 0)));
  }

  private spawn(): WorkerSlot {
    const worker = new Worker(workerEntry());
    worker.unref();
    const slot: WorkerSlot = {
      worker,
      streams: new Map(),
      spares: [],
      otherSpares: new Map(),
      ready: Promise.resolve(),
      dead: null,
    };
    const spares = this.o.spares ?? 16;
    if (spares > 0)
      worker.postMessage({
        t: 'spares',
        id: 0,
        count: spares,
        address: this.o.spareAddress ?? '127.0.0.1',
      } satisfies ToWorker);
    slot.ready = new Promise<void>((resolve, reject) => {
      worker.once('online', () => resolve());
      worker.once('error', reject);
    });
    slot.ready.catch(() => undefined);
    worker.on('message', (m: FromWorker) => {
      if (m.t === 'spare') {
        if (m.address === (this.o.spareAddress ?? '127.0.0.1')) slot.spares.push(m.port);
        else slot.otherSpares.get(m.address)?.push(m.port);
      } else slot.streams.get(m.id)?.deliver(m);
    });
    const die = (why: Error) => {
      if (slot.dead) return;
      slot.dead = why;
      for (const s of [...slot.streams.values()]) s.lost(why);
      // Later calls go to a fresh worker (unless the pool is closing).
      const at = this.slots.indexOf(slot);
      if (!this.closed && at >= 0) this.slots[at] = this.spawn();
    };
    worker.on('error', (e) => die(e));
    worker.on('exit', (code) => die(new Error(`the media worker exited (code ${code})`)));
    return slot;
  }
}

/** A stream that lives in a media worker; see MediaChannel. */
export class RemoteRtpStream extends EventEmitter<RtpStreamEvents> implements MediaChannel {
  codec: Codec;
  payloadType: number;
  dtmfPayloadType: number | null;
  readonly ready: Promise<void>;
  ssrc = 0;
  private port = 0;
  private remoteAddr: RtpRemote | null;
  private stopped = false;
  private lastStats = emptyStats();
  private nextPlay = 1;
  private current: { play: number; resolve: (how: 'finished' | 'cut') => void; detach: () => void } | null = null;
  private nextReq = 1;
  private readonly digitWaiters = new Map<number, () => void>();
  private settleOpen: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private closedResolve!: () => void;
  private readonly closed = new Promise<void>((r) => (this.closedResolve = r));

  constructor(
    readonly id: number,
    opts: MediaOpenOptions,
    private readonly send: (m: ToWorker) => void,
    spare?: number,
    /** The worker it runs on: only streams of one worker can be bridged. */
    readonly thread: object = {},
  ) {
    super();
    this.codec = opts.codec;
    this.payloadType = opts.payloadType ?? PAYLOAD_TYPE[opts.codec];
    this.dtmfPayloadType = opts.dtmfPayloadType ?? null;
    this.remoteAddr = opts.remote;
    this.ready = new Promise<void>((resolve, reject) => (this.settleOpen = { resolve, reject }));
    this.ready.catch(() => undefined);
    // Received audio crosses threads only while someone listens (a Record in progress).
    const untyped = this as EventEmitter;
    untyped.on('newListener', (event: string | symbol) => {
      if (event === 'audio' && this.listenerCount('audio') === 0 && !this.stopped)
        this.send({ t: 'audio', id, on: true });
    });
    untyped.on('removeListener', (event: string | symbol) => {
      if (event === 'audio' && this.listenerCount('audio') === 0 && !this.stopped)
        this.send({ t: 'audio', id, on: false });
    });
    if (spare === undefined) {
      send({ t: 'open', id, opts });
    } else {
      // The worker bound this socket in advance: the port is known now, no round trip.
      send({ t: 'open', id, opts, spare });
      this.port = spare;
      this.settleOpen?.resolve();
      this.settleOpen = null;
    }
  }

  get localPort(): number {
    return this.port;
  }

  get remote(): RtpRemote | null {
    return this.remoteAddr;
  }

  set remote(r: RtpRemote | null) {
    this.remoteAddr = r;
    if (!this.stopped) this.send({ t: 'remote', id: this.id, remote: r });
  }

  get isPlaying(): boolean {
    return this.current !== null;
  }

  confirm(): void {
    if (!this.stopped) this.send({ t: 'confirm', id: this.id });
  }

  play(g711: Uint8Array, signal?: AbortSignal): Promise<'finished' | 'cut'> {
    this.cutLocal();
    if (this.stopped || signal?.aborted) return Promise.resolve('cut');
    if (g711.length === 0) return Promise.resolve('finished');
    const play = this.nextPlay++;
    return new Promise((resolve) => {
      const onAbort = () => {
        if (this.current?.play !== play) return;
        this.cutLocal();
        this.send({ t: 'cut', id: this.id, play });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.current = { play, resolve, detach: () => signal?.removeEventListener('abort', onAbort) };
      this.send({ t: 'play', id: this.id, play, bytes: g711 });
    });
  }

  sendDigits(digits: string, opts: { toneMs?: number; gapMs?: number } = {}): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const req = this.nextReq++;
    return new Promise((resolve) => {
      this.digitWaiters.set(req, resolve);
      this.send({ t: 'digits', id: this.id, req, digits, ...opts });
    });
  }

  setFormat(codec: Codec, payloadType: number, dtmfPayloadType: number | null): void {
    this.codec = codec;
    this.payloadType = payloadType;
    this.dtmfPayloadType = dtmfPayloadType;
    if (!this.stopped) this.send({ t: 'format', id: this.id, codec, payloadType, dtmfPayloadType });
  }

  bridge(other: MediaChannel | null): string | null {
    if (this.stopped) return 'the media has stopped';
    if (other === null) {
      this.send({ t: 'bridge', id: this.id, with: null });
      return null;
    }
    if (!(other instanceof RemoteRtpStream) || other.thread !== this.thread)
      return 'the two calls run their media on different threads';
    this.send({ t: 'bridge', id: this.id, with: other.id });
    return null;
  }

  stop(): void {
    if (this.stopped) return;
    this.send({ t: 'stop', id: this.id });
    this.finish();
  }

  stats(): RtpStreamStats {
    return this.lastStats;
  }

  /** Resolves after stop() or the worker's loss. */
  whenClosed(): Promise<void> {
    return this.closed;
  }

  /** A message from the worker about this stream. */
  deliver(m: FromWorker): void {
    switch (m.t) {
      case 'opened':
        this.port = m.port;
        this.ssrc = m.ssrc;
        this.settleOpen?.resolve();
        this.settleOpen = null;
        break;
      case 'open-failed':
        this.settleOpen?.reject(new Error(m.message));
        this.settleOpen = null;
        this.finish();
        break;
      case 'played':
        this.lastStats = m.stats;
        if (this.current?.play === m.play) {
          const c = this.current;
          this.current = null;
          c.detach();
          c.resolve(m.how);
        }
        break;
      case 'digits-done':
        this.digitWaiters.get(m.req)?.();
        this.digitWaiters.delete(m.req);
        break;
      case 'dtmf':
        if (!this.stopped) this.emit('dtmf', m.digit, m.source);
        break;
      case 'audio':
        if (!this.stopped)
          this.emit('audio', m.pcm, {
            marker: false,
            payloadType: this.payloadType,
            sequenceNumber: 0,
            timestamp: 0,
            ssrc: 0,
            csrc: [],
            extension: null,
            payload: new Uint8Array(0),
            padding: 0,
          });
        break;
      case 'error':
        if (this.listenerCount('error') > 0) this.emit('error', new Error(m.message));
        break;
      case 'stopped':
        this.lastStats = m.stats;
        break;
    }
  }

  /** The worker died: the stream ends as if stopped, with an error first. */
  lost(why: Error): void {
    if (this.stopped) return;
    this.settleOpen?.reject(why);
    this.settleOpen = null;
    if (this.listenerCount('error') > 0) this.emit('error', why);
    this.finish();
  }

  private cutLocal(): void {
    const c = this.current;
    if (!c) return;
    this.current = null;
    c.detach();
    c.resolve('cut');
  }

  private finish(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.cutLocal();
    for (const done of this.digitWaiters.values()) done();
    this.digitWaiters.clear();
    this.emit('close');
    this.closedResolve();
  }
}
