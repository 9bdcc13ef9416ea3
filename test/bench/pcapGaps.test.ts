// The wire-gap reader of bench:sip: gaps per SSRC from a pcap's kernel timestamps.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gapsOf } from './pcapGaps';

/** A pcap (Ethernet link) of RTP packets: [ms since start, ssrc]. */
function pcap(packets: [number, number][], nanos = false): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(nanos ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(64, 16);
  head.writeUInt32LE(1, 20);
  const records = packets.map(([ms, ssrc]) => {
    const frame = Buffer.alloc(14 + 20 + 8 + 12);
    frame[14] = 0x45; // IPv4, 20-byte header
    frame.writeUInt32BE(ssrc, 14 + 20 + 8 + 8);
    const rec = Buffer.alloc(16);
    const t = 1_700_000_000_000 + ms;
    rec.writeUInt32LE(Math.floor(t / 1000), 0);
    rec.writeUInt32LE(Math.round((t % 1000) * (nanos ? 1e6 : 1e3)), 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    return Buffer.concat([rec, frame]);
  });
  return Buffer.concat([head, ...records]);
}

describe('gapsOf', () => {
  it('measures gaps within each SSRC, not between streams', () => {
    const g = gapsOf(
      pcap([
        [0, 1],
        [1, 2],
        [20, 1],
        [21, 2],
        [40, 1],
        [75, 2],
      ]),
    );
    expect(g.packets).toBe(6);
    expect(g.max).toBeCloseTo(54, 1);
    expect(g.p50).toBe(20);
  });

  it('reads nanosecond pcaps too', () => {
    expect(
      gapsOf(
        pcap(
          [
            [0, 7],
            [20.5, 7],
          ],
          true,
        ),
      ).max,
    ).toBeCloseTo(20.5, 2);
  });

  it('refuses a file that is not a pcap', () => {
    expect(() => gapsOf(Buffer.from('not a capture at all, not at all'))).toThrow(/pcap/);
  });

  it('never throws on a truncated or corrupted capture body', () => {
    const good = pcap([
      [0, 1],
      [20, 1],
      [40, 1],
    ]);
    fc.assert(
      fc.property(fc.nat({ max: good.length - 24 }), fc.uint8Array({ maxLength: 64 }), (cut, noise) => {
        const damaged = Buffer.concat([good.subarray(0, 24 + cut), Buffer.from(noise)]);
        const g = gapsOf(damaged);
        expect(g.packets).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
