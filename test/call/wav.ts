// Tiny WAV files for environment tests, written with wavefile (an independent encoder, so the
// duration parser is not checked against itself).
import wavefile from 'wavefile';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** 8 kHz mono 16-bit silence of ms milliseconds. */
export function wavBytes(ms: number, sampleRate = 8000): Uint8Array {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, sampleRate, '16', new Int16Array(Math.round((ms * sampleRate) / 1000)));
  return wav.toBuffer();
}

export async function writeWav(path: string, ms: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, wavBytes(ms));
}
