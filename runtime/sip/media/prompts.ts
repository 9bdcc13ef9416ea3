// Prompts for RTP: a WAV of any common format becomes 8 kHz mono G.711 once, at first use, and is
// then served from memory, so 1,000 calls playing the same greeting cost one conversion.
import wavefile from 'wavefile';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { encodeG711, SAMPLE_RATE, type Codec } from './g711';

/** A prompt that cannot be played; `path` names the file. */
export class PromptError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`prompt ${path}: ${reason}`);
    this.name = 'PromptError';
  }
}

interface WavFormat {
  numChannels: number;
  sampleRate: number;
  audioFormat: number;
  subformat: number[];
}

/** 16-bit PCM, 8 kHz mono, of a WAV file's bytes. @throws PromptError */
export function wavToPcm8k(bytes: Uint8Array, path = '<buffer>'): Int16Array {
  const { mono, rate } = decodeWav(bytes, path);
  return toInt16(resample(mono, rate, SAMPLE_RATE));
}

/** As wavToPcm8k, yielding to the event loop between slices so live calls' media keeps its pace. */
export async function wavToPcm8kAsync(bytes: Uint8Array, path = '<buffer>'): Promise<Int16Array> {
  const { mono, rate } = decodeWav(bytes, path);
  const r = new Resampler(mono, rate, SAMPLE_RATE);
  for (let at = 0; at < r.out.length; at += SLICE) {
    r.run(at, Math.min(r.out.length, at + SLICE));
    await new Promise((done) => setImmediate(done));
  }
  return toInt16(r.out);
}

/** Output samples per slice: about 10 ms of CPU at 44.1 kHz. */
const SLICE = 4000;

function toInt16(x: Float64Array): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(x[i]! * 32768)));
  return out;
}

/** The file's audio as mono floats in [-1, 1], and its sample rate. */
function decodeWav(bytes: Uint8Array, path: string): { mono: Float64Array; rate: number } {
  let wav: InstanceType<typeof wavefile.WaveFile>;
  try {
    wav = new wavefile.WaveFile(bytes);
  } catch (e) {
    throw new PromptError(path, `not a readable WAV file (${(e as Error).message})`);
  }
  const fmt = wav.fmt as WavFormat;
  if (!(fmt.sampleRate > 0) || !(fmt.numChannels > 0)) {
    throw new PromptError(path, `bad format (${fmt.sampleRate} Hz, ${fmt.numChannels} channels)`);
  }
  const rate = fmt.sampleRate;
  try {
    return { mono: readMono(wav), rate };
  } catch (e) {
    throw new PromptError(path, `unsupported WAV encoding (${(e as Error).message})`);
  }
}

/** Sample readers for raw little-endian data: [bytes per sample, read one as a float in [-1, 1]]. */
const READERS: Record<string, [number, (v: DataView, at: number, le: boolean) => number]> = {
  '8': [1, (v, at) => (v.getUint8(at) - 128) / 128], // 8-bit WAV is unsigned
  '16': [2, (v, at, le) => v.getInt16(at, le) / 32768],
  '24': [
    3,
    (v, at, le) =>
      (le ? (v.getInt8(at + 2) << 16) | v.getUint16(at, true) : (v.getInt8(at) << 16) | v.getUint16(at + 1, false)) /
      8388608,
  ],
  '32': [4, (v, at, le) => v.getInt32(at, le) / 2147483648],
  '32f': [4, (v, at, le) => v.getFloat32(at, le)],
  '64': [8, (v, at, le) => v.getFloat64(at, le)],
};

function readMono(wav: InstanceType<typeof wavefile.WaveFile>): Float64Array {
  const codes: Record<string, () => void> = {
    '8a': () => wav.fromALaw('16'),
    '8m': () => wav.fromMuLaw('16'),
    '4': () => wav.fromIMAADPCM('16'),
  };
  codes[wav.bitDepth]?.();
  // Decompressing rebuilds the header, so read the format only now.
  const fmt = wav.fmt as WavFormat;
  const n = fmt.numChannels;
  if (!(n > 0)) throw new Error(`${n} channels`);
  let depth = wav.bitDepth;
  // wavefile takes WAVE_FORMAT_EXTENSIBLE float for integers; the sub-format says IEEE float (3).
  if (fmt.audioFormat === 0xfffe && fmt.subformat[0] === 3) depth = depth === '64' ? '64' : '32f';
  const reader = READERS[depth];
  const raw = (wav.data as { samples: Uint8Array }).samples;
  if (!reader) {
    // Odd depths (12, 20 bit...): wavefile's own unpacker, slower but rare.
    const all = wav.getSamples(true, Float64Array) as Float64Array;
    const scale = 2 ** (Number.parseInt(depth, 10) - 1);
    if (!(scale > 0)) throw new Error(`bit depth ${depth}`);
    return mix(Math.floor(all.length / n), n, (i) => all[i]! / scale);
  }
  const [size, read] = reader;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const le = wav.container !== 'RIFX';
  return mix(Math.floor(raw.length / (size * n)), n, (i) => read(view, i * size, le));
}

/** Mono mix of interleaved samples: the channels' mean. */
function mix(frames: number, channels: number, sample: (i: number) => number): Float64Array {
  const out = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += sample(f * channels + c);
    out[f] = sum / channels;
  }
  return out;
}

/**
 * Band-limited resampling: each output sample is a Blackman-windowed sinc sum of the input around
 * it, with the cut-off below the lower of the two Nyquist rates (no aliasing when going down).
 */
export function resample(x: Float64Array, from: number, to: number): Float64Array {
  if (from === to) return x;
  const r = new Resampler(x, from, to);
  r.run(0, r.out.length);
  return r.out;
}

class Resampler {
  readonly out: Float64Array;
  private readonly ratio: number;
  private readonly identity: boolean;
  private readonly half: number;
  private readonly table: Float64Array;
  private static readonly STEPS = 256;

  constructor(
    private readonly x: Float64Array,
    from: number,
    to: number,
  ) {
    this.ratio = to / from;
    this.identity = from === to;
    this.out = this.identity ? Float64Array.from(x) : new Float64Array(Math.round(x.length * this.ratio));
    const fc = 0.5 * Math.min(1, this.ratio) * 0.9; // cycles per input sample
    this.half = Math.ceil(10 / (2 * fc)); // 10 zero crossings each side
    // The kernel sampled at 1/STEPS of an input sample: a look-up instead of three trig calls per tap.
    const steps = Resampler.STEPS;
    this.table = new Float64Array(this.half * steps + 2);
    for (let i = 0; i < this.table.length; i++) {
      const d = Math.min(i / steps, this.half);
      const a = 2 * Math.PI * fc * d;
      const sinc = d === 0 ? 1 : Math.sin(a) / a;
      const w = 0.42 + 0.5 * Math.cos((Math.PI * d) / this.half) + 0.08 * Math.cos((2 * Math.PI * d) / this.half);
      this.table[i] = sinc * w;
    }
  }

  /** Computes out[start..end). */
  run(start: number, end: number): void {
    if (this.identity) return;
    const { x, out, half, table } = this;
    const steps = Resampler.STEPS;
    for (let n = start; n < end; n++) {
      const t = n / this.ratio;
      const lo = Math.max(0, Math.ceil(t - half));
      const hi = Math.min(x.length - 1, Math.floor(t + half));
      let acc = 0;
      let wsum = 0;
      for (let k = lo; k <= hi; k++) {
        const pos = Math.abs(k - t) * steps;
        const i = Math.floor(pos);
        const h = table[i]! + (pos - i) * (table[i + 1]! - table[i]!);
        acc += x[k]! * h;
        wsum += h;
      }
      out[n] = wsum > 0 ? acc / wsum : 0;
    }
  }
}

export interface PromptCacheOptions {
  /** Default 256 prompts. */
  maxEntries?: number;
  /** Default 64 MiB of G.711 (about 2.3 hours of audio). */
  maxBytes?: number;
}

interface Entry {
  mtimeMs: number;
  size: number;
  data: Uint8Array;
}

/** Converted prompts by (path, codec), checked against the file's mtime and size; least recently used go first. */
export class PromptCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Uint8Array>>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;

  constructor(opts: PromptCacheOptions = {}) {
    this.maxEntries = opts.maxEntries ?? 256;
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  }

  /** G.711 bytes of the WAV file at path. @throws PromptError (missing, unreadable, not a WAV) */
  async load(path: string, codec: Codec): Promise<Uint8Array> {
    const full = resolve(path);
    let info: { mtimeMs: number; size: number; isFile(): boolean };
    try {
      info = await stat(full);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new PromptError(path, code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(e)})`);
    }
    if (!info.isFile()) throw new PromptError(path, 'not a file');
    const key = `${codec}\u0000${info.mtimeMs}\u0000${info.size}\u0000${full}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.hits++;
      this.entries.delete(key); // re-insert: Map order is our LRU order
      this.entries.set(key, hit);
      return hit.data;
    }
    const inFlight = this.pending.get(key);
    if (inFlight) {
      this.hits++;
      return inFlight;
    }
    this.misses++;
    const work = this.convert(path, full, codec).then((data) => {
      this.store(key, full, codec, { mtimeMs: info.mtimeMs, size: info.size, data });
      return data;
    });
    this.pending.set(key, work);
    try {
      return await work;
    } finally {
      this.pending.delete(key);
    }
  }

  stats(): { hits: number; misses: number; entries: number; bytes: number } {
    return { hits: this.hits, misses: this.misses, entries: this.entries.size, bytes: this.bytes };
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private async convert(path: string, full: string, codec: Codec): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(full);
    } catch (e) {
      throw new PromptError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    return encodeG711(await wavToPcm8kAsync(bytes, path), codec);
  }

  private store(key: string, full: string, codec: Codec, entry: Entry): void {
    // An older version of the same file is dead weight once the new one is in.
    const suffix = `\u0000${full}`;
    for (const [k, old] of this.entries) {
      if (k.startsWith(`${codec}\u0000`) && k.endsWith(suffix)) this.drop(k, old);
    }
    this.entries.set(key, entry);
    this.bytes += entry.data.length;
    for (const [k, old] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      if (k !== key) this.drop(k, old);
      else if (this.entries.size === 1) break;
    }
  }

  private drop(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.data.length;
  }
}

/** The process-wide prompt cache. */
export const promptCache = new PromptCache();

/**
 * G.711 of a prompt file, converted once and cached (path + mtime + codec).
 * @example const greeting = await loadPrompt('/var/ivr/en/greeting.wav', 'PCMU');
 */
export function loadPrompt(path: string, codec: Codec): Promise<Uint8Array> {
  return promptCache.load(path, codec);
}
