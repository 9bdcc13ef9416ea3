// DTMF tone synthesis: in-band key presses for sendDigits on streams without telephone-event, and
// test signals for the detector.

export const DTMF_ROWS = [697, 770, 852, 941] as const;
export const DTMF_COLUMNS = [1209, 1336, 1477, 1633] as const;
export const DTMF_KEYS = ['123A', '456B', '789C', '*0#D'] as const;

/** [row Hz, column Hz] of a key, or null when it is not a DTMF key. */
export function dtmfFrequencies(digit: string): [number, number] | null {
  const d = digit.toUpperCase();
  for (let r = 0; r < 4; r++) {
    const c = DTMF_KEYS[r]!.indexOf(d);
    if (d.length === 1 && c >= 0) return [DTMF_ROWS[r]!, DTMF_COLUMNS[c]!];
  }
  return null;
}

export interface ToneOptions {
  /** Tone length per key; default 100 ms. */
  toneMs?: number;
  /** Silence after each key; default 60 ms. */
  gapMs?: number;
  /** Peak amplitude of each of the two tones; default 8000 (about -12 dBFS). */
  amplitude?: number;
  sampleRate?: number;
}

/** 16-bit PCM of the keys in digits, each a tone then a gap; unknown symbols give silence. */
export function synthesizeDtmf(digits: string, opts: ToneOptions = {}): Int16Array {
  const rate = opts.sampleRate ?? 8000;
  const tone = Math.round(((opts.toneMs ?? 100) * rate) / 1000);
  const gap = Math.round(((opts.gapMs ?? 60) * rate) / 1000);
  const amp = opts.amplitude ?? 8000;
  const out = new Int16Array(digits.length * (tone + gap));
  [...digits].forEach((digit, i) => {
    const f = dtmfFrequencies(digit);
    if (!f) return;
    const base = i * (tone + gap);
    for (let n = 0; n < tone; n++) {
      const t = n / rate;
      const v = amp * (Math.sin(2 * Math.PI * f[0] * t) + Math.sin(2 * Math.PI * f[1] * t));
      out[base + n] = Math.max(-32768, Math.min(32767, Math.round(v)));
    }
  });
  return out;
}
