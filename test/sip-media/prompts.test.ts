import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { decodePcma, decodePcmu } from '../../runtime/sip/media/g711';
import { PromptCache, PromptError, resample } from '../../runtime/sip/media/prompts';
import { DtmfDetector } from '../../runtime/sip/media/goertzel';
import { dtmfFrequencies } from '../../runtime/sip/media/tones';
import { tones } from './helpers';

let dir: string;

/** Writes a WAV with wavefile (an independent encoder) and returns its path. */
async function writeWav(
  name: string,
  channels: number,
  rate: number,
  depth: string,
  samples: ArrayLike<number>[],
): Promise<string> {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(channels, rate, depth, channels === 1 ? samples[0]! : samples);
  const path = join(dir, name);
  await writeFile(path, wav.toBuffer());
  return path;
}

/** Power of x at frequency f (Goertzel over the whole signal), as a share of x's total power. */
function toneShare(x: Int16Array, f: number, rate = 8000): number {
  let re = 0;
  let im = 0;
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    re += x[i]! * Math.cos((2 * Math.PI * f * i) / rate);
    im += x[i]! * Math.sin((2 * Math.PI * f * i) / rate);
    total += x[i]! * x[i]!;
  }
  return (2 * (re * re + im * im)) / x.length / total;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ivr-prompts-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loadPrompt', () => {
  it('converts 44.1 kHz stereo float to 8 kHz mono G.711 of the same length and pitch', async () => {
    const left = Float64Array.from(tones(1000, [[440, 0.5]], 44100));
    const right = Float64Array.from(left, (v) => v * 0.5);
    const path = await writeWav('stereo-float.wav', 2, 44100, '32f', [left, right]);
    const cache = new PromptCache();
    const g711 = await cache.load(path, 'PCMU');
    expect(g711.length).toBe(8000);
    const pcm = decodePcmu(g711);
    expect(toneShare(pcm.subarray(400, 7600), 440)).toBeGreaterThan(0.95);
    // Mean of the channels: 0.375 of full scale.
    const peak = Math.max(...pcm.subarray(400, 7600));
    expect(peak / 32768).toBeCloseTo(0.375, 1);
  });

  it('converts 8 kHz µ-law and 16 kHz 24-bit PCM, and 8-bit unsigned PCM', async () => {
    const mu = new wavefile.WaveFile();
    mu.fromScratch(1, 8000, '16', tones(500, [[1000, 10000]]));
    mu.toMuLaw();
    const muPath = join(dir, 'mulaw.wav');
    await writeFile(muPath, mu.toBuffer());
    const cache = new PromptCache();
    const pcma = await cache.load(muPath, 'PCMA');
    expect(pcma.length).toBe(4000);
    expect(toneShare(decodePcma(pcma), 1000)).toBeGreaterThan(0.95);

    const hi = await writeWav('24bit.wav', 1, 16000, '24', [tones(750, [[600, 2 ** 22]], 16000)]);
    const g = await cache.load(hi, 'PCMU');
    expect(g.length).toBe(6000);
    expect(toneShare(decodePcmu(g).subarray(200, 5800), 600)).toBeGreaterThan(0.95);

    const u8 = await writeWav('8bit.wav', 1, 11025, '8', [
      Array.from(tones(400, [[300, 60]], 11025), (v) => Math.round(v + 128)),
    ]);
    const g8 = await cache.load(u8, 'PCMU');
    expect(g8.length).toBe(3200);
    expect(toneShare(decodePcmu(g8).subarray(100, 3100), 300)).toBeGreaterThan(0.9);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE float (4 channels, 22.05 kHz)', async () => {
    const ch = Float64Array.from(tones(500, [[700, 0.4]], 22050));
    const wav = new wavefile.WaveFile();
    wav.fromScratch(4, 22050, '32f', [ch, ch, ch, ch]);
    const bytes = wav.toBuffer();
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(view.getUint32(16, true)).toBe(40); // the extensible 'fmt ' chunk
    view.setUint16(20, 0xfffe, true); // wFormatTag: extensible
    view.setUint32(44, 3, true); // SubFormat: IEEE float
    const path = join(dir, 'extensible.wav');
    await writeFile(path, bytes);
    const pcm = decodePcmu(await new PromptCache().load(path, 'PCMU'));
    expect(pcm.length).toBe(4000);
    expect(toneShare(pcm.subarray(200, 3800), 700)).toBeGreaterThan(0.95);
    expect(Math.max(...pcm.subarray(200, 3800)) / 32768).toBeCloseTo(0.4, 1);
  });

  it('keeps DTMF in a 48 kHz prompt detectable (no aliasing, no pitch error)', async () => {
    const [r, c] = dtmfFrequencies('#')!;
    const path = await writeWav('dtmf48.wav', 1, 48000, '16', [
      tones(
        300,
        [
          [r, 8000],
          [c, 8000],
        ],
        48000,
      ),
    ]);
    const pcm = decodePcmu(await new PromptCache().load(path, 'PCMU'));
    expect(new DtmfDetector().push(pcm)).toEqual(['#']);
  });

  it('serves the second load from the cache, and reconverts when the file changes', async () => {
    const path = await writeWav('cached.wav', 1, 8000, '16', [tones(200, [[500, 3000]])]);
    const cache = new PromptCache();
    const [a, b] = await Promise.all([cache.load(path, 'PCMU'), cache.load(path, 'PCMU')]);
    const c = await cache.load(path, 'PCMU');
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 1, entries: 1 });
    const alaw = await cache.load(path, 'PCMA');
    expect(alaw).not.toBe(a);
    expect(cache.stats()).toMatchObject({ misses: 2, entries: 2 });

    await writeWav('cached.wav', 1, 8000, '16', [tones(400, [[500, 3000]])]);
    const later = new Date(Date.now() + 5000);
    await utimes(path, later, later);
    const d = await cache.load(path, 'PCMU');
    expect(d.length).toBe(3200);
    // The old PCMU version was replaced, not kept beside the new one.
    expect(cache.stats()).toMatchObject({ misses: 3, entries: 2 });
  });

  it('bounds the cache by entries and bytes, dropping the least recently used', async () => {
    const paths = await Promise.all(
      [0, 1, 2].map((i) => writeWav(`lru${i}.wav`, 1, 8000, '16', [new Int16Array(800)])),
    );
    const cache = new PromptCache({ maxEntries: 2 });
    const first = await cache.load(paths[0]!, 'PCMU');
    await cache.load(paths[1]!, 'PCMU');
    await cache.load(paths[0]!, 'PCMU'); // 0 is now the most recent
    await cache.load(paths[2]!, 'PCMU'); // evicts 1
    expect(cache.stats()).toMatchObject({ entries: 2, bytes: 1600 });
    expect(await cache.load(paths[0]!, 'PCMU')).toBe(first);
    const misses = cache.stats().misses;
    await cache.load(paths[1]!, 'PCMU');
    expect(cache.stats().misses).toBe(misses + 1);

    const small = new PromptCache({ maxBytes: 1000 });
    await small.load(paths[0]!, 'PCMU');
    await small.load(paths[1]!, 'PCMU');
    expect(small.stats()).toMatchObject({ entries: 1, bytes: 800 });
  });

  it('names the file when it is missing or not a WAV', async () => {
    const cache = new PromptCache();
    const missing = join(dir, 'nope.wav');
    await expect(cache.load(missing, 'PCMU')).rejects.toThrow(`prompt ${missing}: file not found`);
    const broken = join(dir, 'broken.wav');
    await writeFile(broken, 'RIFF....WAVEjunk');
    const err = await cache.load(broken, 'PCMU').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PromptError);
    expect((err as PromptError).path).toBe(broken);
    expect((err as Error).message).toMatch(/broken\.wav: not a readable WAV file/);
    await expect(cache.load(dir, 'PCMU')).rejects.toThrow(/not a file/);
  });
});

describe('resample', () => {
  it('removes content above the new Nyquist rate instead of folding it back', () => {
    // 5 kHz at 44.1 kHz would alias to 3 kHz at 8 kHz without the low-pass.
    const x = Float64Array.from(tones(500, [[5000, 0.5]], 44100));
    const y = resample(x, 44100, 8000);
    let power = 0;
    for (let i = 200; i < y.length - 200; i++) power += y[i]! * y[i]!;
    expect(power / (y.length - 400)).toBeLessThan(0.125 * 0.01); // < -20 dB of the input power
  });
});
