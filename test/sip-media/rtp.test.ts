import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { encodeRtp, parseRtp, type RtpPacket } from '../../runtime/sip/media/rtp';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const packet: fc.Arbitrary<RtpPacket> = fc.record({
  marker: fc.boolean(),
  payloadType: fc.integer({ min: 0, max: 127 }),
  sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
  timestamp: u32,
  ssrc: u32,
  csrc: fc.array(u32, { maxLength: 15 }),
  extension: fc.option(
    fc.record({
      profile: fc.integer({ min: 0, max: 0xffff }),
      data: fc
        .integer({ min: 0, max: 8 })
        .chain((words) => fc.uint8Array({ minLength: 4 * words, maxLength: 4 * words })),
    }),
    { nil: null },
  ),
  payload: fc.uint8Array({ maxLength: 200 }),
  padding: fc.integer({ min: 0, max: 255 }),
});

describe('RTP', () => {
  it('a known packet has the RFC 3550 layout', () => {
    const bytes = encodeRtp({
      marker: true,
      payloadType: 0,
      sequenceNumber: 0x1234,
      timestamp: 0xdeadbeef,
      ssrc: 0x01020304,
      csrc: [],
      extension: null,
      payload: new Uint8Array([0xff, 0xfe]),
      padding: 0,
    });
    expect([...bytes]).toEqual([0x80, 0x80, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 0xff, 0xfe]);
  });

  it('parses CSRC, extension and padding', () => {
    // V=2 P=1 X=1 CC=1, PT 8, then CSRC, extension (1 word), payload [7], padding 3.
    const bytes = new Uint8Array([
      0xb1, 0x08, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 9, 0xbe, 0xde, 0, 1, 1, 2, 3, 4, 7, 0, 0, 3,
    ]);
    expect(parseRtp(bytes)).toEqual({
      marker: false,
      payloadType: 8,
      sequenceNumber: 1,
      timestamp: 2,
      ssrc: 3,
      csrc: [9],
      extension: { profile: 0xbede, data: new Uint8Array([1, 2, 3, 4]) },
      payload: new Uint8Array([7]),
      padding: 3,
    });
  });

  it('rejects malformed packets with null', () => {
    const ok = encodeRtp({
      marker: false,
      payloadType: 0,
      sequenceNumber: 0,
      timestamp: 0,
      ssrc: 0,
      csrc: [1, 2],
      extension: null,
      payload: new Uint8Array(4),
      padding: 0,
    });
    expect(parseRtp(ok)).not.toBeNull();
    expect(parseRtp(ok.subarray(0, 11))).toBeNull(); // shorter than the fixed header
    expect(parseRtp(ok.subarray(0, 16))).toBeNull(); // CSRC list cut
    const v1 = Uint8Array.from(ok);
    v1[0] = 0x40 | (v1[0]! & 0x3f);
    expect(parseRtp(v1)).toBeNull();
    const padZero = Uint8Array.from(ok);
    padZero[0]! |= 0x20;
    padZero[padZero.length - 1] = 0;
    expect(parseRtp(padZero)).toBeNull();
    const padLong = Uint8Array.from(padZero);
    padLong[padLong.length - 1] = 200;
    expect(parseRtp(padLong)).toBeNull();
    const extCut = new Uint8Array([0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 1, 2]);
    expect(parseRtp(extCut)).toBeNull();
  });

  it('encode rejects values RTP cannot carry', () => {
    const base: RtpPacket = {
      marker: false,
      payloadType: 0,
      sequenceNumber: 0,
      timestamp: 0,
      ssrc: 0,
      csrc: [],
      extension: null,
      payload: new Uint8Array(),
      padding: 0,
    };
    expect(() => encodeRtp({ ...base, payloadType: 128 })).toThrow(/payloadType: 128/);
    expect(() => encodeRtp({ ...base, sequenceNumber: 65536 })).toThrow(/sequenceNumber/);
    expect(() => encodeRtp({ ...base, csrc: new Array(16).fill(0) })).toThrow(/at most 15/);
    expect(() => encodeRtp({ ...base, extension: { profile: 0, data: new Uint8Array(3) } })).toThrow(/multiple of 4/);
  });

  it('property: parse(encode(p)) is p', () => {
    fc.assert(
      fc.property(packet, (p) => {
        expect(parseRtp(encodeRtp(p))).toEqual(p);
      }),
      { numRuns: 500 },
    );
  });

  it('property: random bytes never throw, and what parses re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        const p = parseRtp(bytes);
        if (p) {
          // Padding content other than the count byte is not kept; compare everything else.
          const again = encodeRtp(p);
          expect(again.length).toBe(bytes.length);
          expect(again.subarray(0, again.length - p.padding)).toEqual(bytes.subarray(0, bytes.length - p.padding));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('property: packets that look like RTP (version 2 forced) never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), (bytes) => {
        bytes[0] = 0x80 | (bytes[0]! & 0x3f);
        expect(() => parseRtp(bytes)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});
