// RTP on media worker threads: streams opened through MediaWorkerPool exchange real packets over
// 127.0.0.1, play prompts, carry RFC 4733 and in-band digits back to this thread, forward audio
// only while someone listens, and end cleanly when their worker dies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { MediaWorkerPool, type RemoteRtpStream } from '../../runtime/sip/media/remote';
import { encodePcmu } from '../../runtime/sip/media/g711';
import { parseRtp, type RtpPacket } from '../../runtime/sip/media/rtp';
import type { DtmfSource } from '../../runtime/sip/media/stream';
import { vi } from 'vitest';
import { waitFor } from '../helpers/waitFor';

let pool: MediaWorkerPool;
beforeAll(async () => {
  pool = await MediaWorkerPool.start(2);
}, 30_000);
afterAll(async () => {
  await pool.close();
});

async function pair(dtmfPayloadType: number | null = 101): Promise<{ left: RemoteRtpStream; right: RemoteRtpStream }> {
  const left = await pool.open({ remote: null, codec: 'PCMU', dtmfPayloadType });
  const right = await pool.open({ remote: null, codec: 'PCMU', dtmfPayloadType });
  left.remote = { address: '127.0.0.1', port: right.localPort };
  right.remote = { address: '127.0.0.1', port: left.localPort };
  return { left, right };
}

function collectDtmf(s: RemoteRtpStream): [string, DtmfSource][] {
  const got: [string, DtmfSource][] = [];
  s.on('dtmf', (d, src) => got.push([d, src]));
  return got;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loud = (p: Int16Array) => p.some((v) => Math.abs(v) > 1000);

describe('MediaWorkerPool', () => {
  it('spreads streams over its workers (the least-loaded first)', async () => {
    const { left, right } = await pair();
    expect(left.localPort).toBeGreaterThan(0);
    expect(right.localPort).not.toBe(left.localPort);
    expect(pool.load().sort()).toEqual([1, 1]);
    left.stop();
    right.stop();
    await waitFor('both streams to close', () => pool.load().every((n) => n === 0));
  });

  it('plays a prompt as 20 ms RTP packets from the worker, then reports the stream stats', async () => {
    const sink = dgram.createSocket('udp4');
    sink.bind(0, '127.0.0.1');
    await once(sink, 'listening');
    const packets: RtpPacket[] = [];
    sink.on('message', (m) => packets.push(parseRtp(m)!));
    const s = await pool.open({ remote: { address: '127.0.0.1', port: sink.address().port }, codec: 'PCMU' });
    const prompt = encodePcmu(Int16Array.from({ length: 1600 }, (_, i) => Math.round(8000 * Math.sin(i / 3))));
    expect(s.isPlaying).toBe(false);
    const played = s.play(prompt);
    expect(s.isPlaying).toBe(true);
    expect(await played).toBe('finished');
    expect(s.isPlaying).toBe(false);
    const isAudio = (p: RtpPacket) => p.payload.some((b) => b !== 0xff);
    // 1,600 samples = 10 packets of 160, then silence again.
    await waitFor('silence after the prompt', () => packets.findLastIndex(isAudio) < packets.length - 1);
    const audio = packets.filter(isAudio);
    expect(audio.length).toBe(10);
    // In order, 160 samples (one slot) apart; a slot skipped after a stall of a loaded machine adds 160.
    for (let i = 1; i < audio.length; i++) {
      const step = (audio[i]!.timestamp - audio[i - 1]!.timestamp) >>> 0;
      expect(step > 0 && step % 160 === 0, `timestamp step ${step}`).toBe(true);
      expect(audio[i]!.sequenceNumber).toBe((audio[i - 1]!.sequenceNumber + 1) & 0xffff);
    }
    expect(s.stats().packetsSent).toBeGreaterThanOrEqual(10);
    s.stop();
    sink.close();
  });

  it('a second play cuts the first at once; an aborted signal cuts the play in the worker too', async () => {
    const { left, right } = await pair();
    const heard: Int16Array[] = [];
    right.on('audio', (pcm) => heard.push(pcm));
    const long = encodePcmu(Int16Array.from({ length: 8000 * 5 }, (_, i) => Math.round(6000 * Math.sin(i / 4))));
    const first = left.play(long);
    const abort = new AbortController();
    const second = left.play(long, abort.signal);
    expect(await first).toBe('cut');
    await waitFor('the second prompt at the other side', () => heard.some(loud));
    abort.abort();
    expect(await second).toBe('cut');
    expect(left.isPlaying).toBe(false);
    // Packets already on the way still land; then the worker is back to silence for good: five
    // quiet packets in a row, and none of the next ten is the prompt.
    const quietFrom = await waitFor('five quiet packets in a row', () => {
      const i = heard.findLastIndex(loud) + 1;
      return heard.length - i >= 5 && i;
    });
    await waitFor('ten more packets', () => heard.length >= quietFrom + 15);
    expect(heard.slice(quietFrom).some(loud)).toBe(false);
    left.stop();
    right.stop();
  }, 10_000);

  it('RFC 4733 digits sent by one worker stream arrive as dtmf events of the other, in order', async () => {
    const { left, right } = await pair(101);
    const got = collectDtmf(right);
    await left.sendDigits('5551234#');
    await waitFor('eight digits', () => got.length === 8);
    expect(got.map(([d]) => d).join('')).toBe('5551234#');
    expect(got.every(([, src]) => src === 'rfc4733')).toBe(true);
    left.stop();
    right.stop();
  });

  it('in-band tones (no telephone-event) are found by the worker-side Goertzel detector', async () => {
    const { left, right } = await pair(null);
    const got = collectDtmf(right);
    await left.sendDigits('*90');
    await waitFor('three digits', () => got.length === 3);
    expect(got).toEqual([
      ['*', 'inband'],
      ['9', 'inband'],
      ['0', 'inband'],
    ]);
    left.stop();
    right.stop();
  });

  it('received audio crosses to this thread only while an audio listener is attached', async () => {
    const { left, right } = await pair();
    // Every message from the worker that reaches this thread, listened to or not.
    const emit = vi.spyOn(right as unknown as { emit(event: string, ...args: unknown[]): boolean }, 'emit');
    const crossed = () => emit.mock.calls.filter(([e]) => e === 'audio').length;
    // A digit proves packets reach the other side's worker; no audio crossed without a listener.
    const got = collectDtmf(right);
    await left.sendDigits('1');
    await waitFor('the digit', () => got.length === 1);
    expect(crossed()).toBe(0);
    const tone = encodePcmu(Int16Array.from({ length: 8000 * 3 }, (_, i) => Math.round(6000 * Math.sin(i / 5))));
    void left.play(tone);
    const heard: Int16Array[] = [];
    const onAudio = (pcm: Int16Array) => heard.push(pcm);
    right.on('audio', onAudio);
    await waitFor('audio on this thread', () => heard.length > 5 && heard.some(loud));
    right.off('audio', onAudio);
    expect(heard.every((p) => p.length === 160)).toBe(true);
    // Messages already in flight may land; then the flow stops while the tone still plays.
    await waitFor('audio to stop crossing', async () => {
      const n = crossed();
      await pause(100);
      return crossed() === n;
    });
    expect(left.isPlaying).toBe(true);
    left.stop();
    right.stop();
  });

  it('streams opened from the spare sockets a worker binds in advance carry audio, and free their port on stop', async () => {
    const own = await MediaWorkerPool.start(1, { spares: 2 });
    try {
      await waitFor(
        'two spare sockets',
        () => (own as unknown as { slots: { spares: number[] }[] }).slots[0]!.spares.length === 2,
      );
      const spares = [...(own as unknown as { slots: { spares: number[] }[] }).slots[0]!.spares];
      // Two from the spares (no round trip: ready at once), the third binds its own.
      const a = await own.open({ remote: null, codec: 'PCMU', dtmfPayloadType: 101 });
      const b = await own.open({ remote: null, codec: 'PCMU', dtmfPayloadType: 101 });
      const c = await own.open({ remote: null, codec: 'PCMU', dtmfPayloadType: 101 });
      expect([a.localPort, b.localPort]).toEqual(spares);
      expect(new Set([a.localPort, b.localPort, c.localPort]).size).toBe(3);
      a.remote = { address: '127.0.0.1', port: c.localPort };
      const got = collectDtmf(c);
      await a.sendDigits('42');
      await waitFor('two digits', () => got.length === 2);
      expect(got.map(([d]) => d).join('')).toBe('42');
      const freed = a.localPort;
      a.stop();
      // The worker closed the borrowed socket: the port can be bound again.
      const bindable = () =>
        new Promise<boolean>((resolve) => {
          const probe = dgram.createSocket('udp4');
          probe.once('error', () => probe.close(() => resolve(false)));
          probe.bind(freed, '127.0.0.1', () => probe.close(() => resolve(true)));
        });
      await waitFor('the freed port to be bindable', bindable);
      b.stop();
      c.stop();
    } finally {
      await own.close();
    }
  }, 20_000);

  it('a bind failure is an error from open(), not a hang', async () => {
    await expect(pool.open({ remote: null, codec: 'PCMU', bindAddress: '203.0.113.7' })).rejects.toThrow(
      /EADDRNOTAVAIL|address/i,
    );
  });

  it("a worker's death ends its streams with an error, and later streams go to a fresh worker", async () => {
    const own = await MediaWorkerPool.start(1);
    try {
      const s = await own.open({ remote: null, codec: 'PCMA' });
      const errors: string[] = [];
      s.on('error', (e) => errors.push(e.message));
      const closed = s.whenClosed();
      const playing = s.play(new Uint8Array(80_000).fill(0xd5));
      // Kill the thread from outside, as a crash would.
      await (own as unknown as { slots: { worker: { terminate(): Promise<number> } }[] }).slots[0]!.worker.terminate();
      await closed;
      expect(await playing).toBe('cut');
      expect(errors.join()).toMatch(/media worker exited/);
      const next = await own.open({ remote: null, codec: 'PCMU' });
      expect(next.localPort).toBeGreaterThan(0);
      next.stop();
    } finally {
      await own.close();
    }
    await expect(own.open({ remote: null, codec: 'PCMU' })).rejects.toThrow(/closed/);
  }, 30_000);
});
