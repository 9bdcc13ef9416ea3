import { describe, it, expect, afterEach } from 'vitest';
import dgram from 'node:dgram';
import { once } from 'node:events';
import fc from 'fast-check';
import { MediaClock } from '../../runtime/sip/media/pacer';
import { RtpStream, type DtmfSource } from '../../runtime/sip/media/stream';
import { encodePcmu, encodePcma } from '../../runtime/sip/media/g711';
import { encodeRtp, parseRtp, type RtpPacket } from '../../runtime/sip/media/rtp';
import { synthesizeDtmf } from '../../runtime/sip/media/tones';
import { eventually, waitFor } from '../helpers/waitFor';

const open: { stop(): void }[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.stop();
});

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

  it('sends silence, then the prompt with a marker on its first packet, 160 bytes and +160 per slot', async () => {
    const raw = await rawSocket();
    const clock = new MediaClock();
    const s = await stream({ remote: { address: '127.0.0.1', port: raw.port }, codec: 'PCMA', ssrc: 1234, clock });
    await waitFor('silence before the prompt', () => raw.packets.length >= 2);
    const prompt = encodePcma(Int16Array.from({ length: 400 }, (_, i) => 100 + (i % 50) * 200));
    expect(await s.play(prompt)).toBe('finished');
    const isPrompt = (x: RtpPacket) => x.payload[0] !== 0xd5;
    // The prompt's three packets and the silence after them (play() ends when they are sent; they may
    // not have arrived yet, and then findIndex is -1).
    await waitFor('the packet after the prompt', () => {
      const first = raw.packets.findIndex(isPrompt);
      return first >= 0 && raw.packets.length > first + 3;
    });
    s.stop();
    const p = raw.packets;
    const start = p.findIndex(isPrompt);
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
    // One packet per slot: the sequence number counts packets; the timestamp counts slots, so a
    // slot the clock skipped after a stall (a loaded machine) shows as one more step of 160.
    let skippedSlots = 0;
    for (let i = 1; i < p.length; i++) {
      expect(p[i]!.sequenceNumber).toBe((p[i - 1]!.sequenceNumber + 1) & 0xffff);
      const step = (p[i]!.timestamp - p[i - 1]!.timestamp) >>> 0;
      expect(step > 0 && step % 160 === 0, `timestamp step ${step}`).toBe(true);
      skippedSlots += step / 160 - 1;
    }
    expect(skippedSlots).toBeLessThanOrEqual(clock.stats().skipped);
  });

  it('play is cut by its signal, by a newer play, and by stop()', async () => {
    const s = await stream({ remote: null });
    const long = new Uint8Array(8000 * 10).fill(0x55);
    const ac = new AbortController();
    const first = s.play(long, ac.signal);
    queueMicrotask(() => ac.abort());
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
    await eventually(() => {
      expect(got.map(([d]) => d).join('')).toBe('5551234#');
      // What arrived was recorded: at least the tones.
      expect(right.receivedAudio().length).toBeGreaterThanOrEqual(tones.length);
    });
    expect(got.every(([, src]) => src === 'inband')).toBe(true);
  });

  it('RFC 4733: one side sends telephone-events, the other emits each digit once', async () => {
    const { left, right } = await pair({ dtmfPayloadType: 101 });
    const got = collectDtmf(right);
    await left.sendDigits('19#*D0', { toneMs: 60, gapMs: 40 });
    await eventually(() => expect(got).toEqual([...'19#*D0'].map((d) => [d, 'rfc4733'])));
  });

  it('without a telephone-event type, sendDigits falls back to in-band tones', async () => {
    const { left, right } = await pair({ dtmfPayloadType: null });
    const got = collectDtmf(right);
    await left.sendDigits('42');
    await eventually(() =>
      expect(got).toEqual([
        ['4', 'inband'],
        ['2', 'inband'],
      ]),
    );
  });

  it('follows a re-INVITE: packets go to the new remote', async () => {
    const a = await rawSocket();
    const b = await rawSocket();
    const s = await stream({ remote: { address: '127.0.0.1', port: a.port } });
    await waitFor('packets at the first remote', () => a.packets.length > 0);
    s.setRemote({ address: '127.0.0.1', port: b.port });
    await waitFor('packets at the new remote', () => b.packets.length > 3);
    // Every packet the old remote got was sent before the switch (some may still have been on the
    // way when it happened): its sequence numbers all come before the new remote's first.
    const firstAtB = b.packets[0]!.sequenceNumber;
    const before = (seq: number) => ((firstAtB - seq) & 0xffff) > 0 && ((firstAtB - seq) & 0xffff) < 0x8000;
    expect(a.packets.every((x) => before(x.sequenceNumber))).toBe(true);
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
    await eventually(() => {
      expect(got).toEqual([['7', 'rfc4733']]);
      const stats = right.stats();
      expect(stats.malformed).toBeGreaterThan(0);
      expect(stats.ignored).toBeGreaterThanOrEqual(1);
      expect(stats.packetsReceived).toBeGreaterThan(100);
    });
  });
});
