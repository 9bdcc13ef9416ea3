import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DtmfDetector } from '../../runtime/sip/media/goertzel';
import { decodePcmu, encodePcmu } from '../../runtime/sip/media/g711';
import { dtmfFrequencies, synthesizeDtmf } from '../../runtime/sip/media/tones';
import { gaussianNoise, toInt16, tones } from './helpers';

const KEYS = '123A456B789C*0#D';

function detect(pcm: Int16Array, chunk = 160, det = new DtmfDetector()): string {
  const out: string[] = [];
  for (let i = 0; i < pcm.length; i += chunk) out.push(...det.push(pcm.subarray(i, i + chunk)));
  return out.join('');
}

/** pcm with Gaussian noise at the given signal-to-noise ratio (over the tone parts). */
function withNoise(pcm: Int16Array, snrDb: number, seed: number, signalPower: number): Int16Array {
  const sigma = Math.sqrt(signalPower / 10 ** (snrDb / 10));
  const noise = gaussianNoise(pcm.length, sigma, seed);
  return toInt16(Array.from(pcm, (v, i) => v + noise[i]!));
}

describe('DtmfDetector (Goertzel)', () => {
  it('detects each of the 16 keys', () => {
    for (const key of KEYS) expect(detect(synthesizeDtmf(key)), key).toBe(key);
    expect(detect(synthesizeDtmf(KEYS))).toBe(KEYS);
  });

  it('detects all keys with noise at 15 dB SNR, after G.711, at a low level', () => {
    const amplitude = 4000;
    const clean = synthesizeDtmf(KEYS, { amplitude });
    for (let seed = 1; seed <= 5; seed++) {
      const noisy = withNoise(clean, 15, seed, amplitude * amplitude); // two tones of A²/2 each
      expect(detect(decodePcmu(encodePcmu(noisy)))).toBe(KEYS);
    }
    expect(detect(synthesizeDtmf(KEYS, { amplitude: 800 }))).toBe(KEYS);
  });

  it('reads the input in any chunking the same way', () => {
    const pcm = synthesizeDtmf('9#0*', { toneMs: 60, gapMs: 50 });
    expect(detect(pcm, 37)).toBe('9#0*');
    expect(detect(pcm, 1000)).toBe('9#0*');
  });

  it('a held key is one digit; two presses separated by silence are two', () => {
    expect(detect(synthesizeDtmf('5', { toneMs: 2000 }))).toBe('5');
    expect(detect(synthesizeDtmf('55', { toneMs: 80, gapMs: 60 }))).toBe('55');
  });

  it('ignores tones shorter than two blocks', () => {
    expect(detect(synthesizeDtmf('8', { toneMs: 15 }))).toBe('');
  });

  it('speech-like signals are not keys: one tone, white noise, a chord of wrong frequencies', () => {
    expect(detect(toInt16(tones(2000, [[1000, 12000]])))).toBe('');
    expect(detect(toInt16(tones(2000, [[697, 12000]])))).toBe(''); // a row tone alone
    expect(detect(toInt16(gaussianNoise(16000, 6000, 42)))).toBe('');
    expect(
      detect(
        toInt16(
          tones(2000, [
            [440, 6000],
            [554, 6000],
            [659, 6000],
          ]),
        ),
      ),
    ).toBe('');
    expect(
      detect(
        toInt16(
          tones(2000, [
            [800, 8000],
            [1400, 8000],
          ]),
        ),
      ),
    ).toBe(''); // between rows and columns
    // A key with a loud third tone on top: the two DTMF tones no longer carry the block's energy.
    const [r, c] = dtmfFrequencies('5')!;
    expect(
      detect(
        toInt16(
          tones(1000, [
            [r, 4000],
            [c, 4000],
            [400, 16000],
          ]),
        ),
      ),
    ).toBe('');
  });

  it('rejects a key whose two tones differ by more than the twist limit', () => {
    const [r, c] = dtmfFrequencies('2')!;
    expect(
      detect(
        toInt16(
          tones(200, [
            [r, 8000],
            [c, 8000 / 4],
          ]),
        ),
      ),
    ).toBe(''); // 12 dB
    expect(
      detect(
        toInt16(
          tones(200, [
            [r, 8000],
            [c, 8000 / 1.6],
          ]),
        ),
      ),
    ).toBe('2'); // 4 dB
  });

  it('property: random keys as 50 ms tones with 50 ms gaps are detected exactly, at any alignment', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 12 }).map((a) => a.join('')),
        fc.integer({ min: 0, max: 159 }),
        fc.integer({ min: 0, max: 100 }),
        (keys, offset, seed) => {
          const body = synthesizeDtmf(keys, { toneMs: 50, gapMs: 50 });
          const pcm = new Int16Array(offset + body.length + 160);
          pcm.set(body, offset);
          const noisy = withNoise(pcm, 25, seed, 8000 * 8000);
          expect(detect(noisy)).toBe(keys);
        },
      ),
      { numRuns: 150 },
    );
  });
});
