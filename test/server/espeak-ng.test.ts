// Placeholder prompts in languages mespeak lacks, spoken by the system's espeak-ng; engine failures are
// played by small shell scripts standing in for espeak-ng.
import fc from 'fast-check';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEspeakNg, sealStreamedWav } from '../../runtime/server/espeakNg';
import { HttpError } from '../../runtime/server/http';
import { speak, ttsEngineFor } from '../../runtime/server/tts';
import { toTelephoneWav } from '../../runtime/server/wav';

const espeakNg = findEspeakNg();
const posix = process.platform !== 'win32';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ivr-espeak-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An executable shell script standing in for espeak-ng. */
async function fakeEngine(name: string, body: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

async function failure(p: Promise<unknown>): Promise<HttpError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

function inspect(bytes: Uint8Array) {
  const wav = new wavefile.WaveFile(bytes);
  const samples = wav.getSamples(false, Float64Array) as unknown as Float64Array;
  let peak = 0;
  for (const s of samples) peak = Math.max(peak, Math.abs(s) / 32768);
  const fmt = wav.fmt as { sampleRate: number; numChannels: number; bitsPerSample: number };
  return { fmt, seconds: samples.length / fmt.sampleRate, peak };
}

describe('which engine speaks a language', () => {
  it('mespeak where it ships the voice, espeak-ng for the others, whatever espeak-ng is', () => {
    expect(ttsEngineFor('english', { espeakNg: '/usr/bin/espeak-ng' })).toEqual({ engine: 'mespeak', voice: 'en/en' });
    expect(ttsEngineFor('Russian', { espeakNg: '/opt/espeak-ng' })).toEqual({
      engine: 'espeak-ng',
      voice: 'ru',
      binary: '/opt/espeak-ng',
    });
    expect(ttsEngineFor('norwegian', { espeakNg: '/opt/espeak-ng' })).toMatchObject({
      engine: 'espeak-ng',
      voice: 'nb',
    });
  });

  it('says which language and why when neither engine can speak it', () => {
    expect(() => ttsEngineFor('russian', { espeakNg: null })).toThrow(
      /no text-to-speech voice for russian: mespeak has no "ru" voice for russian \(it ships: .*en\/en.*\) and espeak-ng is not installed \(install the espeak-ng package/,
    );
    expect(() => ttsEngineFor('klingon', { espeakNg: '/opt/espeak-ng' })).toThrow(
      /no text-to-speech voice is known for the language "klingon"/,
    );
    expect(() => ttsEngineFor('constructor', { espeakNg: '/opt/espeak-ng' })).toThrow(
      /no text-to-speech voice is known/,
    );
    try {
      ttsEngineFor('russian', { espeakNg: null });
    } catch (e) {
      expect((e as HttpError).status).toBe(400);
    }
  });
});

describe('espeak-ng', () => {
  it.skipIf(!espeakNg)(
    `speaks Russian into a non-silent WAV of plausible length${espeakNg ? '' : ' (skipped: espeak-ng is not installed)'}`,
    async () => {
      const text = 'Пожалуйста, введите номер телефона и нажмите решётку.';
      const raw = await speak(text, 'russian');
      const native = inspect(raw);
      expect(native.fmt).toMatchObject({ numChannels: 1, bitsPerSample: 16 });
      const phone = inspect(toTelephoneWav(raw));
      expect(phone.fmt).toMatchObject({ sampleRate: 8000, numChannels: 1, bitsPerSample: 16 });
      // Eight words at espeak-ng's 175 words a minute: a few seconds, and audible.
      expect(phone.seconds).toBeGreaterThan(1.5);
      expect(phone.seconds).toBeLessThan(10);
      expect(phone.peak).toBeGreaterThan(0.1);
      expect(Math.abs(phone.seconds - native.seconds)).toBeLessThan(0.05);
      const short = inspect(toTelephoneWav(await speak('Да.', 'russian')));
      expect(short.seconds).toBeGreaterThan(0.1);
      expect(short.seconds).toBeLessThan(phone.seconds / 2);
    },
    20_000,
  );

  it.skipIf(!posix)(
    'gets the text on stdin and fixed arguments, so no text is ever an option or a shell word',
    async () => {
      const seen = join(dir, 'seen.txt');
      const engine = await fakeEngine('echo-args', `printf '%s|' "$@" > '${seen}'; cat >> '${seen}'; exit 7`);
      const text = '--help; rm -rf / $(reboot) `id`';
      await failure(speak(text, 'russian', { espeakNg: engine }));
      // (speakableText's leading space is what keeps mespeak from taking the text for an option.)
      expect(await readFile(seen, 'utf8')).toBe(`-b|1|-v|ru|--stdin|--stdout| ${text}\n`);
    },
  );

  it.skipIf(!posix)('a failing engine is a 500 naming the language, the program and what it said', async () => {
    const broken = await fakeEngine('broken', 'echo "espeak-ng: cannot open phoneme data" >&2; exit 3');
    const err = await failure(speak('Привет', 'russian', { espeakNg: broken }));
    expect(err.status).toBe(500);
    expect(err.message).toBe(
      `text-to-speech for russian failed: espeak-ng (${broken}) stopped (exit 3): espeak-ng: cannot open phoneme data`,
    );

    const missing = await failure(speak('Привет', 'ukrainian', { espeakNg: join(dir, 'no-such-espeak-ng') }));
    expect(missing.message).toMatch(
      /^text-to-speech for ukrainian failed: espeak-ng \(.*no-such-espeak-ng\) could not start: .*ENOENT/,
    );

    const noVoice = await fakeEngine(
      'no-voice',
      'echo "Error: The specified espeak-ng voice does not exist." >&2; exit 1',
    );
    const voice = await failure(speak('Привет', 'russian', { espeakNg: noVoice }));
    expect([voice.status, voice.message]).toEqual([400, 'espeak-ng has no "ru" voice for russian']);

    const chatty = await fakeEngine('chatty', 'echo hello');
    expect((await failure(speak('Привет', 'russian', { espeakNg: chatty }))).message).toMatch(
      /russian failed: .*did not write a WAV file/,
    );
  });

  it.skipIf(!posix)('a stuck engine is stopped at the timeout, an endless one at the size limit', async () => {
    const stuck = await fakeEngine('stuck', 'exec sleep 30');
    const started = Date.now();
    expect((await failure(speak('Привет', 'russian', { espeakNg: stuck, timeoutMs: 300 }))).message).toMatch(
      /russian failed: .* took longer than 0\.3 s/,
    );
    expect(Date.now() - started).toBeLessThan(5000);

    const endless = await fakeEngine('endless', 'exec cat /dev/zero');
    expect((await failure(speak('Привет', 'russian', { espeakNg: endless, maxBytes: 100_000 }))).message).toMatch(
      /produced more than 100000 bytes of audio/,
    );
  });
});

describe('sealStreamedWav', () => {
  /** A WAV as espeak-ng writes it to a pipe: placeholder sizes. */
  const streamed = (data: Uint8Array) => {
    const head = new Uint8Array(44);
    const v = new DataView(head.buffer);
    head.set(new TextEncoder().encode('RIFF'), 0);
    v.setUint32(4, 0x7ffff024, true);
    head.set(new TextEncoder().encode('WAVEfmt '), 8);
    v.setUint32(16, 16, true);
    v.setUint16(20, 1, true);
    v.setUint16(22, 1, true);
    v.setUint32(24, 22050, true);
    v.setUint32(28, 44100, true);
    v.setUint16(32, 2, true);
    v.setUint16(34, 16, true);
    head.set(new TextEncoder().encode('data'), 36);
    v.setUint32(40, 0x7ffff000, true);
    const out = new Uint8Array(44 + data.length);
    out.set(head);
    out.set(data, 44);
    return out;
  };

  it('sets the sizes from the bytes there, so any reader gets every sample', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4000 }), (frames) => {
        const data = new Uint8Array(frames * 2).map((_, i) => (i * 37) & 0xff);
        const sealed = sealStreamedWav(streamed(data));
        const view = new DataView(sealed.buffer);
        expect([view.getUint32(4, true), view.getUint32(40, true)]).toEqual([36 + data.length, data.length]);
        expect(inspect(sealed).seconds).toBeCloseTo(frames / 22050, 6);
        expect(toTelephoneWav(sealed).length).toBeGreaterThan(44);
      }),
      { numRuns: 50 },
    );
  });

  it('random bytes are a clear Error, never a crash or a hang', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, riffHead) => {
        const input = riffHead ? new Uint8Array([...new TextEncoder().encode('RIFF\0\0\0\0WAVE'), ...bytes]) : bytes;
        try {
          const out = sealStreamedWav(input);
          expect(out.length).toBe(input.length);
        } catch (e) {
          expect((e as Error).message).toMatch(/did not write a WAV file|no audio|without audio data/);
        }
      }),
      { numRuns: 300 },
    );
  });
});
