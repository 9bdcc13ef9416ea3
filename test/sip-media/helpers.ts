// Test signals for the media tests: tones, noise with a fixed seed, clamping to 16 bits.

/** Deterministic uniform [0, 1) generator (mulberry32), so noisy tests fail the same way twice. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gaussian noise of standard deviation sigma. */
export function gaussianNoise(n: number, sigma: number, seed: number): Float64Array {
  const rnd = seededRandom(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rnd() || 1e-12;
    out[i] = sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  }
  return out;
}

export function toInt16(x: ArrayLike<number>): Int16Array {
  return Int16Array.from({ length: x.length }, (_, i) => Math.max(-32768, Math.min(32767, Math.round(x[i]!))));
}

/** Sum of sinusoids (frequency Hz, peak amplitude) at 8 kHz. */
export function tones(ms: number, parts: [number, number][], rate = 8000): Float64Array {
  const n = Math.round((ms * rate) / 1000);
  const out = new Float64Array(n);
  for (const [f, a] of parts) for (let i = 0; i < n; i++) out[i]! += a * Math.sin((2 * Math.PI * f * i) / rate);
  return out;
}

export function meanPower(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return x.length ? s / x.length : 0;
}
