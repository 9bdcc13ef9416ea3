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

let pool: MediaWorkerPool;
beforeAll(async () => {
  pool = await MediaWorkerPool.start(2);
}, 30_000);
afterAll(async () => {
  await pool.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(20);
  }
}

describe('MediaWorkerPool', () => {
  it('spreads streams over its workers (the least-loaded first)', async () => {
    const { left, right } = await pair();
    expect(left.localPort).toBeGreaterThan(0);
    expect(right.localPort).not.toBe(left.localPort);
    expect(pool.load().sort()).toEqual([1, 1]);
    left.stop();
    right.stop();
    await waitFor(() => pool.load().every((n) => n === 0));
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
    await sleep(60);
    const audio = packets.filter((p) => p.payload.some((b) => b !== 0xff));
    // 1,600 samples = 10 packets of 160, in order, timestamps 160 apart.
    expect(audio.length).toBe(10);
    for (let i = 1; i < audio.length; i++) expect((audio[i]!.timestamp - audio[i - 1]!.timestamp) >>> 0).toBe(160);
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
    await sleep(300);
    abort.abort();
    expect(await second).toBe('cut');
    expect(left.isPlaying).toBe(false);
    const loud = (p: Int16Array) => p.some((v) => Math.abs(v) > 1000);
    expect(heard.some(loud)).toBe(true);
    await sleep(100); // packets already on the way
    const after = heard.length;
    await sleep(300);
    // The worker went back to silence: ~15 packets arrived, none of them the prompt.
    expect(heard.length - after).toBeGreaterThan(5);
    expect(heard.slice(after).some(loud)).toBe(false);
    left.stop();
    right.stop();
  }, 10_000);

  it('RFC 4733 digits sent by one worker stream arrive as dtmf events of the other, in order', async () => {
    const { left, right } = await pair(101);
    const got = collectDtmf(right);
    await left.sendDigits('5551234#');
    await waitFor(() => got.length === 8);
    expect(got.map(([d]) => d).join('')).toBe('5551234#');
    expect(got.every(([, src]) => src === 'rfc4733')).toBe(true);
    left.stop();
    right.stop();
  });

  it('in-band tones (no telephone-event) are found by the worker-side Goertzel detector', async () => {
    const { left, right } = await pair(null);
    const got = collectDtmf(right);
    await left.sendDigits('*90');
    await waitFor(() => got.length === 3);
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
    const tone = encodePcmu(Int16Array.from({ length: 8000 }, (_, i) => Math.round(6000 * Math.sin(i / 5))));
    void left.play(tone);
    await sleep(200);
    const heard: Int16Array[] = [];
    const onAudio = (pcm: Int16Array) => heard.push(pcm);
    right.on('audio', onAudio);
    await sleep(300);
    right.off('audio', onAudio);
    const whileListening = heard.length;
    expect(whileListening).toBeGreaterThan(5);
    expect(heard.every((p) => p.length === 160)).toBe(true);
    expect(heard.some((p) => p.some((v) => Math.abs(v) > 1000))).toBe(true);
    await sleep(200);
    // A message already in flight may land; the flow stops.
    expect(heard.length).toBeLessThanOrEqual(whileListening + 2);
    left.stop();
    right.stop();
  });

  it('streams opened from the spare sockets a worker binds in advance carry audio, and free their port on stop', async () => {
    const own = await MediaWorkerPool.start(1, { spares: 2 });
    try {
      await waitFor(() => (own as unknown as { slots: { spares: number[] }[] }).slots[0]!.spares.length === 2);
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
      await waitFor(() => got.length === 2);
      expect(got.map(([d]) => d).join('')).toBe('42');
      const freed = a.localPort;
      a.stop();
      // The worker closed the borrowed socket: the port can be bound again.
      await sleep(200);
      const probe = dgram.createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        probe.once('error', reject);
        probe.bind(freed, '127.0.0.1', () => resolve());
      });
      probe.close();
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
