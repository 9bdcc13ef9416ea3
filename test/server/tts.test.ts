// POST /api/prompt/tts: a placeholder recording spoken by mespeak (espeak-ng for the languages it lacks), stored where an imported one would be.
import fc from 'fast-check';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEspeakNg } from '../../runtime/server/espeakNg';
import { JOBS_PER_CHILD, mespeakChildrenStarted } from '../../runtime/server/mespeakChild';
import { mespeakVoice, speak, speakableText } from '../../runtime/server/tts';
import { startTestServer, type TestServer } from './helpers';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.dispose();
});

const stillUp = async () => expect((await server.api('/api/info')).status).toBe(200);

/** Format, length in seconds and loudness of a WAV, as wavefile (an independent reader) sees it. */
async function inspect(file: string) {
  const wav = new wavefile.WaveFile(await readFile(join(server.workspace, file)));
  const samples = wav.getSamples(false, Float64Array) as unknown as Float64Array;
  let peak = 0;
  let energy = 0;
  for (const s of samples) {
    peak = Math.max(peak, Math.abs(s) / 32768);
    energy += (s / 32768) ** 2;
  }
  return {
    fmt: wav.fmt as { audioFormat: number; numChannels: number; sampleRate: number; bitsPerSample: number },
    seconds: samples.length / 8000,
    peak,
    rms: Math.sqrt(energy / samples.length),
  };
}

describe('POST /api/prompt/tts', () => {
  it('speaks the text into an 8 kHz mono 16-bit WAV at the flow root for the default language', async () => {
    const text = 'Please enter your phone number, then press the hash key.';
    const res = await server.json('/api/prompt/tts', {
      path: 'callback/flow.json',
      prompt: 'Spoken',
      language: 'english',
      text,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ file: 'callback/Spoken.wav', relative: 'Spoken.wav' });
    const long = await inspect('callback/Spoken.wav');
    expect(long.fmt).toMatchObject({ audioFormat: 1, numChannels: 1, sampleRate: 8000, bitsPerSample: 16 });
    // Ten words at eSpeak's 175 words a minute: a few seconds, and audible.
    expect(long.seconds).toBeGreaterThan(2);
    expect(long.seconds).toBeLessThan(8);
    expect(long.peak).toBeGreaterThan(0.1);
    expect(long.rms).toBeGreaterThan(0.02);
    expect((await readdir(join(server.workspace, 'callback'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    await server.json('/api/prompt/tts', {
      path: 'callback/flow.json',
      prompt: 'Short',
      language: 'english',
      text: 'Hello.',
    });
    const short = await inspect('callback/Short.wav');
    expect(short.seconds).toBeGreaterThan(0.2);
    expect(short.seconds).toBeLessThan(long.seconds / 2);
  }, 20_000);

  it('puts another language in its folder, and a text that looks like an option is still spoken', async () => {
    const res = await server.json('/api/prompt/tts', {
      path: 'callback/flow.json',
      prompt: 'Hallo',
      language: 'german',
      text: '--help Guten Tag',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ file: 'callback/german/Hallo.wav', relative: 'german/Hallo.wav' });
    expect((await inspect('callback/german/Hallo.wav')).seconds).toBeGreaterThan(0.5);
  }, 20_000);

  it.skipIf(!findEspeakNg())(
    `speaks a language mespeak lacks (russian) with espeak-ng into its folder${findEspeakNg() ? '' : ' (skipped: espeak-ng is not installed)'}`,
    async () => {
      const res = await server.json('/api/prompt/tts', {
        path: 'callback/flow.json',
        prompt: 'Privet',
        language: 'russian',
        text: 'Здравствуйте! Введите номер телефона.',
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ file: 'callback/russian/Privet.wav', relative: 'russian/Privet.wav' });
      const spoken = await inspect('callback/russian/Privet.wav');
      expect(spoken.fmt).toMatchObject({ audioFormat: 1, numChannels: 1, sampleRate: 8000, bitsPerSample: 16 });
      expect(spoken.seconds).toBeGreaterThan(1);
      expect(spoken.seconds).toBeLessThan(8);
      expect(spoken.peak).toBeGreaterThan(0.1);
    },
    20_000,
  );

  it('refuses a language without a voice, a missing or empty text and paths that leave the workspace', async () => {
    const ok = { path: 'callback/flow.json', prompt: 'Bad', language: 'english', text: 'Hello' };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...ok, language: 'klingon' }, /no text-to-speech voice .*"klingon"/],
      [{ ...ok, language: '../..' }, /cannot be a folder name/],
      [{ ...ok, text: undefined }, /"text" is required/],
      [{ ...ok, text: '' }, /"text" is required/],
      [{ ...ok, text: ' ?! … ' }, /nothing to say/],
      [{ ...ok, text: 'a'.repeat(1001) }, /longer than 1000/],
      [{ ...ok, text: 42 }, /"text" must be a string/],
      [{ ...ok, path: '../outside/flow.json' }, /outside the workspace/],
      [{ ...ok, path: '/etc/flow.json' }, /outside the workspace/],
      [{ ...ok, prompt: '../Bad' }, /cannot be a file name/],
    ];
    for (const [body, message] of cases) {
      const res = await server.json('/api/prompt/tts', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect((await res.json()).error).toMatch(message);
    }
    await expect(stat(join(server.workspace, 'callback/Bad.wav'))).rejects.toThrow();
    await expect(stat(join(server.workspace, '..', 'outside'))).rejects.toThrow();
  });

  it('random bodies get a 200 or a 400 and the server stays up', async () => {
    const body = fc.record(
      {
        path: fc.oneof(
          fc.constantFrom('callback/flow.json', '../x/flow.json', '/etc/passwd', 'new/flow.json'),
          fc.string(),
          fc.integer(),
        ),
        prompt: fc.oneof(fc.constantFrom('Fuzz', '', '..', 'a/b'), fc.string({ maxLength: 8 })),
        language: fc.oneof(
          fc.constantFrom('english', 'russian', 'klingon', '..', 'EN'),
          fc.string({ maxLength: 8 }),
          fc.constant(null),
        ),
        text: fc.oneof(fc.string({ maxLength: 20 }), fc.jsonValue()),
        defaultLanguage: fc.oneof(fc.constantFrom('english', 'german'), fc.integer()),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          body.map((b) => JSON.stringify(b)),
          fc.string({ maxLength: 30 }),
        ),
        async (raw) => {
          const res = await server.api('/api/prompt/tts', {
            method: 'POST',
            body: raw,
            headers: { 'Content-Type': 'application/json' },
          });
          expect([200, 400]).toContain(res.status);
          const answer = await res.json();
          if (res.status === 200) expect(answer.relative).toMatch(/\.wav$/);
          else expect(typeof answer.error).toBe('string');
        },
      ),
      { numRuns: 60 },
    );
    await stillUp();
  }, 30_000);

  it('any text the engine accepts is spoken; the rest is a 400, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), async (text) => {
        const res = await server.json('/api/prompt/tts', {
          path: 'fuzz/flow.json',
          prompt: 'Fuzz',
          language: 'english',
          text,
        });
        const answer = await res.json();
        expect(res.status, answer.error).toBe(/[\p{L}\p{N}]/u.test(text) ? 200 : 400);
      }),
      { numRuns: 6 },
    );
    await stillUp();
  }, 30_000);
});

describe('tts helpers', () => {
  it('maps CommuniGate language names to mespeak voices', () => {
    expect(mespeakVoice('english')).toBe('en/en');
    expect(mespeakVoice('German')).toBe('de');
    expect(() => mespeakVoice('russian')).toThrow(/"ru" voice/);
    expect(() => mespeakVoice('toString')).toThrow(/no text-to-speech voice/);
  });

  it('keeps the text on one line and never lets it start like an option', () => {
    expect(speakableText('  Hello\n\tworld\u0000! ')).toBe('Hello world !');
    expect(speakableText('-v xx')).toBe(' -v xx');
  });
});

describe('mespeak children', () => {
  it('a child kept for several sentences speaks each as a fresh one does, across voices and its replacement', async () => {
    const english: string[] = [];
    const german: string[] = [];
    const before = mespeakChildrenStarted();
    for (let i = 0; i < JOBS_PER_CHILD + 2; i++) {
      english.push(Buffer.from(await speak('Press one for sales.', 'english')).toString('base64'));
      if (i % 5 === 0) german.push(Buffer.from(await speak('Guten Tag.', 'german')).toString('base64'));
    }
    // mespeak is deterministic: a kept child that drifted (a voice left loaded, a corrupted dictionary) would differ.
    expect(new Set(english).size).toBe(1);
    expect(new Set(german).size).toBe(1);
    expect(english[0]).not.toBe(german[0]);
    // Kept (not one child per sentence) and replaced (never past JOBS_PER_CHILD sentences).
    const children = mespeakChildrenStarted() - before;
    expect(children).toBeGreaterThanOrEqual(1);
    expect(children).toBeLessThanOrEqual(2);
  }, 60_000);
});
