// The system's espeak-ng (Debian's espeak-ng package) speaks placeholder prompts in the languages
// mespeak does not ship (russian, ukrainian, japanese…). It is a native program, so it runs as a
// child with an argument array (no shell); the text goes in on stdin, never on the command line.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { HttpError } from './http';
import { voiceFor } from './languages';

/** Two minutes of espeak-ng's 22 kHz 16-bit audio: far more than MAX_TTS_CHARS of text becomes. */
export const ESPEAK_NG_MAX_BYTES = 2 * 60 * 22_050 * 2 + 1024;
export const ESPEAK_NG_TIMEOUT_MS = 30_000;

/** espeak-ng's voices that are not named by the language code (languages.ts). */
const RENAMED: Record<string, string> = { zh: 'cmn', no: 'nb' };

/** @example espeakNgVoice('Russian') // 'ru'; espeakNgVoice('klingon') // null */
export function espeakNgVoice(language: string): string | null {
  return voiceFor(language, RENAMED);
}

/** The espeak-ng program on PATH, or null when it is not installed. */
export function findEspeakNg(path = process.env.PATH ?? ''): string | null {
  const names = process.platform === 'win32' ? ['espeak-ng.exe'] : ['espeak-ng'];
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // not in this folder
      }
    }
  }
  return null;
}

export interface EspeakNgJob {
  binary: string;
  voice: string;
  /** For messages: the language the request asked for. */
  language: string;
  /** One line, already checked by speakableText. */
  text: string;
  timeoutMs?: number;
  maxBytes?: number;
}

/**
 * The WAV espeak-ng speaks for the job (its own rate, mono 16-bit), with the header's sizes made true.
 * A voice espeak-ng lacks → HttpError(400); any other failure → HttpError(500) naming the language.
 * @example toTelephoneWav(await espeakNgSpeak({ binary: '/usr/bin/espeak-ng', voice: 'ru', language: 'russian', text: 'Здравствуйте' }))
 */
export function espeakNgSpeak(job: EspeakNgJob): Promise<Uint8Array> {
  const { binary, voice, language, text, timeoutMs = ESPEAK_NG_TIMEOUT_MS, maxBytes = ESPEAK_NG_MAX_BYTES } = job;
  const failed = (why: string) =>
    new HttpError(500, `text-to-speech for ${language} failed: espeak-ng (${binary}) ${why}`);
  return new Promise((resolve, reject) => {
    // -b 1: the text is UTF-8 whatever the locale says.
    const child = spawn(binary, ['-b', '1', '-v', voice, '--stdin', '--stdout'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let settled = false;
    const finish = (err: HttpError | null, wav?: Uint8Array) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (err) reject(err);
      else resolve(wav!);
    };
    const timer = setTimeout(() => finish(failed(`took longer than ${timeoutMs / 1000} s`)), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return finish(failed(`produced more than ${maxBytes} bytes of audio`));
      chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 2000) stderr += chunk.toString('utf8');
    });
    child.on('error', (err) => finish(failed(`could not start: ${err.message}`)));
    // 'close', not 'exit': stdout may still hold the end of the audio when the process exits.
    child.on('close', (code, signal) => {
      const said = stderr.trim().split('\n')[0]?.slice(0, 300) ?? '';
      if (/voice does not exist/i.test(said))
        return finish(new HttpError(400, `espeak-ng has no "${voice}" voice for ${language}`));
      if (code !== 0) return finish(failed(`stopped (${signal ?? `exit ${code}`})${said ? `: ${said}` : ''}`));
      try {
        finish(null, sealStreamedWav(Buffer.concat(chunks)));
      } catch (err) {
        finish(failed(err instanceof Error ? err.message : String(err)));
      }
    });
    // A child that dies before reading its input makes the write fail; 'close' reports why.
    child.stdin.on('error', () => {});
    child.stdin.end(`${text}\n`);
  });
}

/**
 * A WAV written to a pipe carries placeholder sizes (the writer cannot seek back): set the RIFF and
 * data sizes from the bytes actually there.
 */
export function sealStreamedWav(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('did not write a WAV file');
  const out = new Uint8Array(bytes);
  const outView = new DataView(out.buffer);
  for (let at = 12; at + 8 <= bytes.length; ) {
    const chunkSize = view.getUint32(at + 4, true);
    if (tag(at) === 'data') {
      const dataSize = bytes.length - at - 8;
      if (dataSize < 2) throw new Error('produced no audio');
      outView.setUint32(at + 4, dataSize, true);
      outView.setUint32(4, bytes.length - 8, true);
      return out;
    }
    at += 8 + chunkSize + (chunkSize % 2);
  }
  throw new Error('wrote a WAV file without audio data');
}
