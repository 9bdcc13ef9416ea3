// Placeholder prompts spoken from their text with mespeak (eSpeak compiled to JS), or, for the
// languages it does not ship (russian…), with the system's espeak-ng when installed (espeakNg.ts).
// mespeak stays first where it has the voice, so a prompt sounds the same on every machine.
// mespeak runs in child processes kept for a few sentences each (mespeakChild.ts), never in the server.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { espeakNgSpeak, espeakNgVoice, findEspeakNg } from './espeakNg';
import { HttpError } from './http';
import { languageCodes, voiceFor } from './languages';
import { mespeakSpeak } from './mespeakChild';

/** A prompt is a sentence or two; this also bounds the time one synthesis can take (about a minute of speech). */
export const MAX_TTS_CHARS = 1000;
/** Children at once; more requests wait their turn. */
const MAX_PARALLEL = 2;

/**
 * mespeak's voice ids that are not the language code (languages.ts). Languages eSpeak knows but this
 * mespeak release does not ship (russian…) keep their code, so the error can name the missing voice.
 */
const RENAMED: Record<string, string> = { en: 'en/en', 'en-us': 'en/en-us', pt: 'pt-pt', 'pt-br': 'pt', yue: 'zh-yue' };

interface Engine {
  module: string;
  config: string;
  voicesDir: string;
}

let engine: Engine | null = null;

/** Paths only: mespeak itself (5 MB of JS plus half a megabyte of data) loads in the child. */
function locateEngine(): Engine {
  if (engine) return engine;
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    root = dirname(require.resolve('mespeak/package.json'));
  } catch {
    throw new HttpError(500, 'text-to-speech is not available: the mespeak package is not installed');
  }
  engine = {
    module: join(root, 'src', 'index.js'),
    config: join(root, 'src', 'mespeak_config.json'),
    voicesDir: join(root, 'voices'),
  };
  return engine;
}

/** The voice files mespeak ships, as voice ids (`en/en-us`, `de`, …). */
export function installedVoices(): string[] {
  const { voicesDir } = locateEngine();
  return [...new Set(languageCodes().map((code) => RENAMED[code] ?? code))]
    .filter((id) => existsSync(join(voicesDir, `${id}.json`)))
    .sort();
}

/**
 * @example mespeakVoice('english') // 'en/en'
 * @example mespeakVoice('russian') // throws HttpError(400): no "ru" voice in mespeak
 */
export function mespeakVoice(language: string): string {
  const id = voiceFor(language, RENAMED);
  if (id === null) {
    throw new HttpError(
      400,
      `no text-to-speech voice is known for the language ${JSON.stringify(language)} (voices: ${installedVoices().join(', ')})`,
    );
  }
  if (!existsSync(join(locateEngine().voicesDir, `${id}.json`))) {
    throw new HttpError(
      400,
      `mespeak has no "${id}" voice for ${language} (it ships: ${installedVoices().join(', ')})`,
    );
  }
  return id;
}

/** The text as eSpeak will read it: one line, no control characters, never taken for a command-line option. */
export function speakableText(text: string): string {
  const line = text
    .replace(/[\p{Cc}\p{Cs}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!/[\p{L}\p{N}]/u.test(line))
    throw new HttpError(400, '"text" has nothing to say: it needs at least one letter or digit');
  if (line.length > MAX_TTS_CHARS) throw new HttpError(400, `"text" is longer than ${MAX_TTS_CHARS} characters`);
  // eSpeak parses its arguments with getopt: a leading "-" would be read as an option.
  return line.startsWith('-') ? ` ${line}` : line;
}

let running = 0;
const waiting: (() => void)[] = [];

async function turn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export interface TtsEngines {
  /** The espeak-ng program; null: treat it as not installed. Default: `espeak-ng` on PATH. */
  espeakNg?: string | null;
  timeoutMs?: number;
  /** Largest WAV espeak-ng may write, in bytes. */
  maxBytes?: number;
}

export type TtsEngine = { engine: 'mespeak'; voice: string } | { engine: 'espeak-ng'; voice: string; binary: string };

function hasMespeakVoice(id: string): boolean {
  try {
    return existsSync(join(locateEngine().voicesDir, `${id}.json`));
  } catch {
    return false; // mespeak not installed
  }
}

/**
 * Who speaks `language`: mespeak when it ships the voice, else espeak-ng when installed and it knows the
 * language; else HttpError(400) saying which language and why neither can.
 * @example ttsEngineFor('russian') // { engine: 'espeak-ng', voice: 'ru', binary: '/usr/bin/espeak-ng' }
 */
export function ttsEngineFor(language: string, engines: TtsEngines = {}): TtsEngine {
  const mespeakId = voiceFor(language, RENAMED);
  if (mespeakId !== null && hasMespeakVoice(mespeakId)) return { engine: 'mespeak', voice: mespeakId };
  const espeakId = espeakNgVoice(language);
  const binary = engines.espeakNg === undefined ? findEspeakNg() : engines.espeakNg;
  if (espeakId !== null && binary !== null) return { engine: 'espeak-ng', voice: espeakId, binary };
  const shipped = (() => {
    try {
      return installedVoices().join(', ');
    } catch {
      return 'none: the mespeak package is not installed';
    }
  })();
  const espeak =
    binary === null
      ? 'espeak-ng is not installed (install the espeak-ng package to speak it)'
      : `espeak-ng does not know it either`;
  if (mespeakId === null && espeakId === null) {
    throw new HttpError(
      400,
      `no text-to-speech voice is known for the language ${JSON.stringify(language)} (mespeak voices: ${shipped})`,
    );
  }
  if (mespeakId === null)
    throw new HttpError(
      400,
      `no text-to-speech voice for ${language}: mespeak has none (it ships: ${shipped}) and ${espeak}`,
    );
  throw new HttpError(
    400,
    `no text-to-speech voice for ${language}: mespeak has no "${mespeakId}" voice for ${language} (it ships: ${shipped}) and ${espeak}`,
  );
}

/**
 * The WAV the engine makes (22050 Hz mono 16-bit) for `text` in `language`; bad input or no voice →
 * HttpError(400), an engine failure → HttpError(500) naming the language.
 * @example const wav = toTelephoneWav(await speak('Please enter your number', 'english'));
 */
export function speak(text: string, language: string, engines: TtsEngines = {}): Promise<Uint8Array> {
  const engine = ttsEngineFor(language, engines);
  const line = speakableText(text);
  if (engine.engine === 'espeak-ng') {
    const { binary, voice } = engine;
    return turn(() =>
      espeakNgSpeak({ binary, voice, language, text: line, timeoutMs: engines.timeoutMs, maxBytes: engines.maxBytes }),
    );
  }
  const { module, config, voicesDir } = locateEngine();
  const job = { module, config, voiceFile: join(voicesDir, `${engine.voice}.json`), voice: engine.voice, text: line };
  return turn(() => mespeakSpeak(job, language));
}
