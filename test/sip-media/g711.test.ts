import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  codecForPayloadType,
  decodePcma,
  decodePcmu,
  encodePcma,
  encodePcmu,
  PAYLOAD_TYPE,
  SILENCE_BYTE,
  silenceFrame,
} from '../../runtime/sip/media/g711';

// G.711 is logarithmic: 16 steps per segment, so the error is relative (half a step: ≤ 1/32 of the
// segment base for A-law, a little more for µ-law's biased segments), with a floor near zero.
function withinQuantisation(x: number, y: number, floor: number, relative: number): boolean {
  return Math.abs(x - y) <= Math.max(floor, Math.abs(x) * relative);
}

describe('G.711', () => {
  it('µ-law round trip is within quantisation error for every 16-bit sample', () => {
    const all = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
    const back = decodePcmu(encodePcmu(all));
    const bad = [...all].filter((x, i) => !withinQuantisation(x, back[i]!, 8, 0.045));
    expect(bad).toEqual([]);
  });

  it('A-law round trip is within quantisation error for every 16-bit sample', () => {
    const all = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
    const back = decodePcma(encodePcma(all));
    const bad = [...all].filter((x, i) => !withinQuantisation(x, back[i]!, 8, 0.032));
    expect(bad).toEqual([]);
  });

  it('decode then encode is the identity on codes (except the two zeros of µ-law)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (codes) => {
        expect(encodePcma(decodePcma(codes))).toEqual(codes);
        const mu = encodePcmu(decodePcmu(codes));
        codes.forEach((c, i) => {
          expect(mu[i]).toBe(c === 0x7f ? 0xff : c);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('silence, payload types', () => {
    expect(encodePcmu(new Int16Array([0]))[0]).toBe(SILENCE_BYTE.PCMU);
    expect(encodePcma(new Int16Array([0]))[0]).toBe(SILENCE_BYTE.PCMA);
    expect(decodePcmu(silenceFrame('PCMU')).every((s) => s === 0)).toBe(true);
    expect(decodePcma(silenceFrame('PCMA')).every((s) => Math.abs(s) <= 8)).toBe(true);
    expect(silenceFrame('PCMA')).toHaveLength(160);
    expect(PAYLOAD_TYPE).toEqual({ PCMU: 0, PCMA: 8 });
    expect([0, 8, 101, 3].map(codecForPayloadType)).toEqual(['PCMU', 'PCMA', null, null]);
  });
});
