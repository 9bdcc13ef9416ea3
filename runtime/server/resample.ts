// Band-limited resampling for prompt import: a windowed-sinc low-pass at the new Nyquist frequency,
// read from a precomputed kernel table so a minute of 44.1 kHz audio takes milliseconds, not the
// seconds that would stall live test calls on the same event loop.

const ZERO_CROSSINGS = 12;
const TABLE_STEPS = 512;

/** Blackman-windowed sinc, sampled TABLE_STEPS times per zero crossing, for |x| in [0, ZERO_CROSSINGS]. */
const KERNEL = (() => {
  const n = ZERO_CROSSINGS * TABLE_STEPS + 2;
  const table = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = i / TABLE_STEPS;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const w =
      x >= ZERO_CROSSINGS
        ? 0
        : 0.42 + 0.5 * Math.cos((Math.PI * x) / ZERO_CROSSINGS) + 0.08 * Math.cos((2 * Math.PI * x) / ZERO_CROSSINGS);
    table[i] = sinc * w;
  }
  return table;
})();

function kernel(x: number): number {
  const at = Math.abs(x) * TABLE_STEPS;
  const i = Math.floor(at);
  if (i >= KERNEL.length - 1) return 0;
  const f = at - i;
  return KERNEL[i]! * (1 - f) + KERNEL[i + 1]! * f;
}

/**
 * @example resample(samples44k, 44100, 8000) // → Float32Array of samples44k.length * 8000 / 44100
 */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return input.slice();
  const ratio = toRate / fromRate;
  // Downsampling: the kernel is stretched so it also cuts everything above the new Nyquist frequency.
  const scale = Math.min(1, ratio * 0.95);
  const half = ZERO_CROSSINGS / scale;
  const out = new Float32Array(Math.max(1, Math.round(input.length * ratio)));
  for (let j = 0; j < out.length; j++) {
    const t = j / ratio;
    const first = Math.max(0, Math.ceil(t - half));
    const last = Math.min(input.length - 1, Math.floor(t + half));
    let sum = 0;
    let weight = 0;
    for (let k = first; k <= last; k++) {
      const h = kernel((t - k) * scale);
      sum += input[k]! * h;
      weight += h;
    }
    // Normalising by the taps used keeps the level right at the edges, where the kernel is cut.
    out[j] = weight === 0 ? 0 : sum / weight;
  }
  return out;
}
