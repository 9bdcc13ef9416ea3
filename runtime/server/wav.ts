// Prompt import: any WAV wavefile can read (PCM 8–32 bit, float, µ-law, A-law, IMA ADPCM) becomes
// what CommuniGate plays best: 8 kHz, mono, 16-bit PCM. wavefile reads the container and decodes the
// companded formats; the mixing, resampling and 16-bit writing are done here on typed arrays, since
// wavefile's own sample packing takes about a third of a second per second of CD audio.
import wavefile from 'wavefile';
import { HttpError } from './http';
import { resample } from './resample';

/** Longer recordings are refused: a prompt is seconds long. */
const MAX_SECONDS = 5 * 60;
export const TELEPHONE_RATE = 8000;

interface Fmt {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
}

/**
 * @example const wav = toTelephoneWav(readFileSync('studio-recording-44k-stereo.wav')); // 8 kHz mono 16-bit
 */
export function toTelephoneWav(bytes: Uint8Array): Uint8Array {
  const wav = new wavefile.WaveFile();
  try {
    wav.fromBuffer(bytes);
  } catch (err) {
    throw new HttpError(400, `not a WAV file that can be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Copied: decoding rebuilds the header in place, zeroing the object wavefile keeps.
  const fmt = { ...(wav.fmt as Fmt) };
  if (!(fmt.numChannels >= 1 && fmt.numChannels <= 32))
    throw new HttpError(400, `the WAV file has ${fmt.numChannels} channels`);
  if (!(fmt.sampleRate >= 1000 && fmt.sampleRate <= 768_000))
    throw new HttpError(400, `the WAV file's sample rate ${fmt.sampleRate} Hz is not usable`);
  try {
    if (fmt.audioFormat === 6) wav.fromALaw('16');
    else if (fmt.audioFormat === 7) wav.fromMuLaw('16');
    else if (fmt.audioFormat === 17) wav.fromIMAADPCM('16');
  } catch (err) {
    throw new HttpError(
      400,
      `cannot decode the WAV file (format ${fmt.audioFormat}): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const data = (wav as unknown as { data: { samples: Uint8Array } }).data.samples;
  const mono = mixDown(data, wav.bitDepth, fmt.numChannels, wav.container !== 'RIFX');
  if (mono.length === 0) throw new HttpError(400, 'the WAV file has no audio');
  if (mono.length / fmt.sampleRate > MAX_SECONDS)
    throw new HttpError(400, `the recording is longer than ${MAX_SECONDS / 60} minutes`);
  return pcm16Wav(resample(mono, fmt.sampleRate, TELEPHONE_RATE), TELEPHONE_RATE);
}

/** Interleaved samples → one channel in [-1, 1], the average of all. */
function mixDown(bytes: Uint8Array, bitDepth: string, channels: number, little: boolean): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = reader(view, bitDepth, little);
  const frames = Math.floor(bytes.byteLength / (read.size * channels));
  const out = new Float32Array(frames);
  for (let f = 0, at = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, at += read.size) sum += read.at(at);
    const v = sum / channels;
    out[f] = Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0;
  }
  return out;
}

function reader(view: DataView, bitDepth: string, little: boolean): { size: number; at: (offset: number) => number } {
  switch (bitDepth) {
    case '8':
      return { size: 1, at: (o) => (view.getUint8(o) - 128) / 128 };
    case '16':
      return { size: 2, at: (o) => view.getInt16(o, little) / 32768 };
    case '24':
      return {
        size: 3,
        at: (o) => {
          const b0 = view.getUint8(o),
            b1 = view.getUint8(o + 1),
            b2 = view.getUint8(o + 2);
          const v = little ? b0 | (b1 << 8) | (b2 << 16) : b2 | (b1 << 8) | (b0 << 16);
          return ((v << 8) >> 8) / 8388608;
        },
      };
    case '32':
      return { size: 4, at: (o) => view.getInt32(o, little) / 2147483648 };
    case '32f':
      return { size: 4, at: (o) => view.getFloat32(o, little) };
    case '64':
      return { size: 8, at: (o) => view.getFloat64(o, little) };
    default:
      throw new HttpError(
        400,
        `WAV files of ${bitDepth}-bit samples are not supported (use 8, 16, 24 or 32-bit PCM, or float)`,
      );
  }
}

/** A canonical 44-byte-header WAV: PCM, mono, 16-bit. */
export function pcm16Wav(samples: Float32Array, rate: number): Uint8Array {
  const bytes = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) bytes[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    view.setInt16(
      44 + i * 2,
      s < 0 ? Math.max(-32768, Math.round(s * 32768)) : Math.min(32767, Math.round(s * 32767)),
      true,
    );
  }
  return bytes;
}
