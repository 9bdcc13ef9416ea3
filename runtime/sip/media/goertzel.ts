// In-band DTMF detection with the Goertzel algorithm: for phones and gateways that send key presses
// as audio. Blocks of 160 samples (20 ms, one G.711 packet) are classified on their own; a key
// press is then a run of blocks showing the same key.
import { DTMF_COLUMNS, DTMF_KEYS, DTMF_ROWS } from './tones';

export interface DtmfDetectorOptions {
  /** Samples per Goertzel block at 8 kHz; default 160 (20 ms). 205 is the classic choice. */
  blockSize?: number;
  /** Consecutive blocks a key must show before it counts; default 2 (≈ 40 ms). */
  minBlocks?: number;
  /** Weakest tone accepted, as peak amplitude of one sinusoid in 16-bit units; default 400 (≈ -38 dBFS). */
  minAmplitude?: number;
  /** Largest level difference between the row and the column tone, dB; default 8. */
  maxTwistDb?: number;
  /** Part of the block's energy that the two tones must carry; default 0.5 (rejects speech, noise). */
  minToneShare?: number;
  /** How far the strongest tone of a group must stand above the others, dB; default 6. */
  minPeakDb?: number;
}

/**
 * Finds DTMF key presses in 8 kHz 16-bit PCM, each press once.
 * A key counts after `minBlocks` consecutive blocks show it; the same key counts again only after a
 * block without it (a gap), so a held key is one digit and two presses are two.
 * @example
 *   const det = new DtmfDetector();
 *   for (const frame of frames) for (const d of det.push(frame)) console.log('key', d);
 */
export class DtmfDetector {
  private readonly n: number;
  private readonly minBlocks: number;
  private readonly minPower: number;
  private readonly maxTwist: number;
  private readonly minShare: number;
  private readonly minPeak: number;
  private readonly rowCoeff: Float64Array;
  private readonly colCoeff: Float64Array;
  private readonly block: Float64Array;
  private fill = 0;
  private candidate: string | null = null;
  private runLength = 0;
  private reported: string | null = null;

  constructor(opts: DtmfDetectorOptions = {}) {
    this.n = opts.blockSize ?? 160;
    this.minBlocks = opts.minBlocks ?? 2;
    const a = opts.minAmplitude ?? 400;
    this.minPower = (a * a) / 2;
    this.maxTwist = 10 ** ((opts.maxTwistDb ?? 8) / 10);
    this.minShare = opts.minToneShare ?? 0.5;
    this.minPeak = 10 ** ((opts.minPeakDb ?? 6) / 10);
    const coeff = (f: number) => 2 * Math.cos((2 * Math.PI * f) / 8000);
    this.rowCoeff = Float64Array.from(DTMF_ROWS, coeff);
    this.colCoeff = Float64Array.from(DTMF_COLUMNS, coeff);
    this.block = new Float64Array(this.n);
  }

  /** Feeds samples (any length); returns the keys whose press was recognised in them. */
  push(pcm: Int16Array): string[] {
    const found: string[] = [];
    for (let i = 0; i < pcm.length; i++) {
      this.block[this.fill++] = pcm[i]!;
      if (this.fill === this.n) {
        this.fill = 0;
        const d = this.advance(this.classify());
        if (d) found.push(d);
      }
    }
    return found;
  }

  /** Forgets partial blocks and the current press (e.g. after a re-INVITE changed the stream). */
  reset(): void {
    this.fill = 0;
    this.candidate = null;
    this.runLength = 0;
    this.reported = null;
  }

  private advance(key: string | null): string | null {
    if (key === null) {
      this.candidate = null;
      this.runLength = 0;
      this.reported = null;
      return null;
    }
    this.runLength = key === this.candidate ? this.runLength + 1 : 1;
    this.candidate = key;
    if (this.runLength >= this.minBlocks && this.reported !== key) {
      this.reported = key;
      return key;
    }
    return null;
  }

  /** The key this block shows, or null. */
  private classify(): string | null {
    const x = this.block;
    const n = this.n;
    let energy = 0;
    for (let i = 0; i < n; i++) energy += x[i]! * x[i]!;
    energy /= n;
    // Quiet blocks (most of a call) cost one pass and no Goertzel.
    if (energy < 2 * this.minPower) return null;
    const row = this.strongest(this.rowCoeff);
    const col = this.strongest(this.colCoeff);
    if (!row || !col) return null;
    if (row.power < this.minPower || col.power < this.minPower) return null;
    if (row.power > col.power * this.maxTwist || col.power > row.power * this.maxTwist) return null;
    if (row.power + col.power < this.minShare * energy) return null;
    return DTMF_KEYS[row.index]![col.index]!;
  }

  /** The group's strongest tone when it stands out from the other three by minPeak. */
  private strongest(coeffs: Float64Array): { index: number; power: number } | null {
    let best = -1;
    let bestPower = 0;
    let second = 0;
    for (let k = 0; k < coeffs.length; k++) {
      const p = this.goertzel(coeffs[k]!);
      if (p > bestPower) {
        second = bestPower;
        bestPower = p;
        best = k;
      } else if (p > second) second = p;
    }
    if (best < 0 || bestPower < second * this.minPeak) return null;
    return { index: best, power: bestPower };
  }

  /** Mean power of the block at one frequency: a full-block sinusoid of amplitude A gives A²/2. */
  private goertzel(coeff: number): number {
    const x = this.block;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < this.n; i++) {
      const s0 = x[i]! + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    return (2 * (s1 * s1 + s2 * s2 - coeff * s1 * s2)) / (this.n * this.n);
  }
}
