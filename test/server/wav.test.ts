import fc from 'fast-check';
import wavefile from 'wavefile';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../runtime/server/http';
import { resample } from '../../runtime/server/resample';
import { toTelephoneWav } from '../../runtime/server/wav';

function tone(hz: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  return new Float32Array(Math.round(rate * seconds)).map(
    (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate),
  );
}

const peak = (s: ArrayLike<number>, from = 200, to = s.length - 200) => {
  let m = 0;
  for (let i = from; i < to; i++) m = Math.max(m, Math.abs(s[i]!));
  return m;
};

/** What wavefile (an independent reader) sees in our output. */
function read(bytes: Uint8Array) {
  const wav = new wavefile.WaveFile(bytes);
  const samples = wav.getSamples(false, Float64Array) as unknown as Float64Array;
  return {
    fmt: wav.fmt as { audioFormat: number; numChannels: number; sampleRate: number; bitsPerSample: number },
    samples: Array.from(samples, (v) => v / 32768),
  };
}

describe('resample', () => {
  it('keeps a 440 Hz tone and removes one above the new Nyquist frequency', () => {
    expect(peak(resample(tone(440, 44100, 0.5), 44100, 8000))).toBeCloseTo(0.5, 1);
    expect(peak(resample(tone(6000, 44100, 0.5), 44100, 8000))).toBeLessThan(0.02);
    expect(resample(tone(440, 16000, 1), 16000, 8000).length).toBe(8000);
    expect(peak(resample(tone(440, 6000, 0.5), 6000, 8000))).toBeCloseTo(0.5, 1);
  });
});

describe('toTelephoneWav', () => {
  const cases: [string, (w: InstanceType<typeof wavefile.WaveFile>) => void, number?][] = [
    [
      '8-bit unsigned PCM',
      (w) =>
        w.fromScratch(
          1,
          11025,
          '8',
          Array.from(tone(440, 11025, 0.3), (v) => Math.round(v * 127 + 128)),
        ),
    ],
    [
      '16-bit stereo 48 kHz',
      (w) =>
        w.fromScratch(2, 48000, '16', [
          Array.from(tone(440, 48000, 0.3), (v) => Math.round(v * 32767)),
          Array.from(tone(440, 48000, 0.3), (v) => Math.round(v * 32767)),
        ]),
    ],
    [
      '24-bit PCM',
      (w) =>
        w.fromScratch(
          1,
          22050,
          '24',
          Array.from(tone(440, 22050, 0.3), (v) => Math.round(v * 8388607)),
        ),
    ],
    [
      '32-bit PCM',
      (w) =>
        w.fromScratch(
          1,
          16000,
          '32',
          Array.from(tone(440, 16000, 0.3), (v) => Math.round(v * 2147483647)),
        ),
    ],
    ['64-bit float', (w) => w.fromScratch(1, 8000, '64', tone(440, 8000, 0.3))],
    [
      'A-law',
      (w) => {
        w.fromScratch(
          1,
          8000,
          '16',
          Array.from(tone(440, 8000, 0.3), (v) => Math.round(v * 32767)),
        );
        w.toALaw();
      },
    ],
    [
      'µ-law',
      (w) => {
        w.fromScratch(
          1,
          8000,
          '16',
          Array.from(tone(440, 8000, 0.3), (v) => Math.round(v * 32767)),
        );
        w.toMuLaw();
      },
    ],
    [
      'IMA ADPCM',
      (w) => {
        w.fromScratch(
          1,
          8000,
          '16',
          Array.from(tone(440, 8000, 0.3), (v) => Math.round(v * 32767)),
        );
        w.toIMAADPCM();
      },
      1100 /* padded to whole 505-sample blocks */,
    ],
  ];

  it.each(cases)('reads %s as 8 kHz mono 16-bit at the same level', (_name, make, padding = 0) => {
    const source = new wavefile.WaveFile();
    make(source);
    const { fmt, samples } = read(toTelephoneWav(source.toBuffer()));
    expect(fmt).toMatchObject({ audioFormat: 1, numChannels: 1, sampleRate: 8000, bitsPerSample: 16 });
    expect(samples.length).toBeGreaterThanOrEqual(2400 - 260);
    expect(samples.length).toBeLessThanOrEqual(2400 + 260 + padding);
    expect(peak(samples)).toBeGreaterThan(0.4);
    expect(peak(samples)).toBeLessThan(0.6);
  });

  it('averages the channels', () => {
    const source = new wavefile.WaveFile();
    source.fromScratch(2, 8000, '32f', [tone(440, 8000, 0.2, 0.8), tone(440, 8000, 0.2, 0)]);
    expect(peak(read(toTelephoneWav(source.toBuffer())).samples)).toBeCloseTo(0.4, 1);
  });

  it('refuses what is not a WAV with an HttpError, never anything else (fuzz)', () => {
    const header = new wavefile.WaveFile();
    header.fromScratch(1, 8000, '16', [1, 2, 3, 4]);
    const valid = header.toBuffer();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(60), fc.boolean(), (noise, cut, splice) => {
        const bytes = splice ? Uint8Array.from([...valid.slice(0, cut), ...noise]) : noise;
        try {
          const out = toTelephoneWav(bytes);
          expect(read(out).fmt.sampleRate).toBe(8000);
        } catch (err) {
          expect(err).toBeInstanceOf(HttpError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
