import { describe, it, expect, afterEach } from 'vitest';
import dgram from 'node:dgram';
import { once } from 'node:events';
import fc from 'fast-check';
import { RtpStream, type DtmfSource } from '../../runtime/sip/media/stream';
import { encodePcmu, encodePcma } from '../../runtime/sip/media/g711';
import { encodeRtp, parseRtp, type RtpPacket } from '../../runtime/sip/media/rtp';
import { synthesizeDtmf } from '../../runtime/sip/media/tones';

const open: { stop(): void }[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stream(opts: Partial<ConstructorParameters<typeof RtpStream>[0]> = {}): Promise<RtpStream> {
  const s = await RtpStream.open({ remote: null, codec: 'PCMU', ...opts });
  open.push(s);
  return s;
}

/** Two streams sending to each other over 127.0.0.1. */
async function pair(a: Partial<ConstructorParameters<typeof RtpStream>[0]> = {}, b = a) {
  const left = await stream(a);
  const right = await stream(b);
  left.remote = { address: '127.0.0.1', port: right.localPort };
  right.remote = { address: '127.0.0.1', port: left.localPort };
  return { left, right };
}

async function rawSocket() {
  const sock = dgram.createSocket('udp4');
  sock.bind(0, '127.0.0.1');
  await once(sock, 'listening');
  const packets: RtpPacket[] = [];
  sock.on('message', (m) => packets.push(parseRtp(m)!));
  open.push({ stop: () => sock.close() });
  return { sock, packets, port: sock.address().port };
}

function collectDtmf(s: RtpStream): [string, DtmfSource][] {
  const got: [string, DtmfSource][] = [];
  s.on('dtmf', (d, src) => got.push([d, src]));
  return got;
}

describe('RtpStream', () => {
  it('binds its own socket on 127.0.0.1 and reports the port', async () => {
    const s = await stream();
    expect(s.localPort).toBeGreaterThan(0);
    expect(s.payloadType).toBe(0);
  });

  it('sends silence, then the prompt with a marker on its first packet, 160 bytes and +160 per packet', async () => {
    const raw = await rawSocket();
    const s = await stream({ remote: { address: '127.0.0.1', port: raw.port }, codec: 'PCMA', ssrc: 1234 });
    await sleep(70);
    const prompt = encodePcma(Int16Array.from({ length: 400 }, (_, i) => 100 + (i % 50) * 200));
    expect(await s.play(prompt)).toBe('finished');
    await sleep(70);
    const p = raw.packets;
    const start = p.findIndex((x) => x.payload[0] !== 0xd5);
    expect(start).toBeGreaterThan(0);
    expect(p.slice(0, start).every((x) => x.payload.every((b) => b === 0xd5))).toBe(true);
    expect(p[0]!.marker).toBe(true); // first packet of the stream
    expect(p.slice(1, start).some((x) => x.marker)).toBe(false);
    expect(p[start]!.marker).toBe(true);
    expect(p.every((x) => x.payloadType === 8 && x.ssrc === 1234 && x.payload.length === 160)).toBe(true);
    const sent = new Uint8Array(480).fill(0xd5);
    sent.set(prompt);
    expect(Buffer.concat(p.slice(start, start + 3).map((x) => x.payload))).toEqual(Buffer.from(sent));
    expect(p[start + 3]!.marker).toBe(false);
    for (let i = 1; i < p.length; i++) {
      expect(p[i]!.sequenceNumber).toBe((p[i - 1]!.sequenceNumber + 1) & 0xffff);
      expect(p[i]!.timestamp).toBe((p[i - 1]!.timestamp + 160) >>> 0);
    }
  });

  it('play is cut by its signal, by a newer play, and by stop()', async () => {
    const s = await stream({ remote: null });
    const long = new Uint8Array(8000 * 10).fill(0x55);
    const ac = new AbortController();
    const first = s.play(long, ac.signal);
    setTimeout(() => ac.abort(), 50);
    expect(await first).toBe('cut');
    const second = s.play(long);
    const third = s.play(long);
    expect(await second).toBe('cut');
    expect(s.isPlaying).toBe(true);
    s.stop();
    expect(await third).toBe('cut');
    expect(await s.play(long)).toBe('cut');
    expect(await s.play(new Uint8Array(), undefined)).toBe('cut');
  });

  it('in-band: one side plays "5551234#" as tones, the other detects it', async () => {
    const { left, right } = await pair({ record: true });
    const got = collectDtmf(right);
    const tones = encodePcmu(synthesizeDtmf('5551234#', { toneMs: 80, gapMs: 60 }));
    expect(await left.play(tones)).toBe('finished');
    await sleep(100);
    expect(got.map(([d]) => d).join('')).toBe('5551234#');
    expect(got.every(([, src]) => src === 'inband')).toBe(true);
    // What arrived was recorded: at least the tones.
    expect(right.receivedAudio().length).toBeGreaterThanOrEqual(tones.length);
  });

  it('RFC 4733: one side sends telephone-events, the other emits each digit once', async () => {
    const { left, right } = await pair({ dtmfPayloadType: 101 });
    const got = collectDtmf(right);
    await left.sendDigits('19#*D0', { toneMs: 60, gapMs: 40 });
    await sleep(80);
    expect(got).toEqual([...'19#*D0'].map((d) => [d, 'rfc4733']));
  });

  it('without a telephone-event type, sendDigits falls back to in-band tones', async () => {
    const { left, right } = await pair({ dtmfPayloadType: null });
    const got = collectDtmf(right);
    await left.sendDigits('42');
    await sleep(80);
    expect(got).toEqual([
      ['4', 'inband'],
      ['2', 'inband'],
    ]);
  });

  it('follows a re-INVITE: packets go to the new remote', async () => {
    const a = await rawSocket();
    const b = await rawSocket();
    const s = await stream({ remote: { address: '127.0.0.1', port: a.port } });
    await sleep(60);
    s.setRemote({ address: '127.0.0.1', port: b.port });
    const countA = a.packets.length;
    await sleep(80);
    expect(countA).toBeGreaterThan(0);
    expect(a.packets.length).toBeLessThanOrEqual(countA + 1); // one may be in flight
    expect(b.packets.length).toBeGreaterThan(1);
  });

  it('never throws on malformed packets, counts them, and keeps working', async () => {
    const { left, right } = await pair({ dtmfPayloadType: 101 });
    const got = collectDtmf(right);
    const junk = dgram.createSocket('udp4');
    open.push({ stop: () => junk.close() });
    const sends: Promise<void>[] = [];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => {
        sends.push(new Promise((r) => junk.send(bytes, right.localPort, '127.0.0.1', () => r())));
      }),
      { numRuns: 100 },
    );
    // Well-formed RTP with odd payloads: telephone-event too short, unknown payload type, empty audio.
    const rtp = (payloadType: number, payload: Uint8Array) =>
      encodeRtp({
        marker: false,
        payloadType,
        sequenceNumber: 1,
        timestamp: 1,
        ssrc: 9,
        csrc: [],
        extension: null,
        payload,
        padding: 0,
      });
    for (const b of [rtp(101, new Uint8Array(2)), rtp(13, new Uint8Array(1)), rtp(0, new Uint8Array(0))]) {
      sends.push(new Promise((r) => junk.send(b, right.localPort, '127.0.0.1', () => r())));
    }
    await Promise.all(sends);
    await left.sendDigits('7', { toneMs: 40, gapMs: 20 });
    await sleep(80);
    expect(got).toEqual([['7', 'rfc4733']]);
    const stats = right.stats();
    expect(stats.malformed).toBeGreaterThan(0);
    expect(stats.ignored).toBeGreaterThanOrEqual(1);
    expect(stats.packetsReceived).toBeGreaterThan(100);
  });
});
