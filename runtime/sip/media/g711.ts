// G.711 µ-law (PCMU) and A-law (PCMA), the two codecs every SIP phone offers. The sample maps come
// from alawmulaw once; per-packet work is then a table look-up (1,000 calls decode 8M samples/s).
import alawmulaw from 'alawmulaw';

const { alaw, mulaw } = alawmulaw;

export type Codec = 'PCMU' | 'PCMA';

/** Static RTP payload types (RFC 3551). */
export const PAYLOAD_TYPE: Readonly<Record<Codec, number>> = { PCMU: 0, PCMA: 8 };

/** The code for digital silence (encoded 0). */
export const SILENCE_BYTE: Readonly<Record<Codec, number>> = { PCMU: 0xff, PCMA: 0xd5 };

/** 8 kHz, 20 ms: samples (and bytes) per packet. */
export const SAMPLE_RATE = 8000;
export const FRAME_SAMPLES = 160;

interface Tables {
  encode: Uint8Array; // indexed by sample + 32768
  decode: Int16Array; // indexed by code
}

const tables = new Map<Codec, Tables>();

function tablesFor(codec: Codec): Tables {
  let t = tables.get(codec);
  if (!t) {
    const lib = codec === 'PCMU' ? mulaw : alaw;
    const all = new Int16Array(65536);
    for (let i = 0; i < 65536; i++) all[i] = i - 32768;
    const codes = new Uint8Array(256);
    for (let i = 0; i < 256; i++) codes[i] = i;
    t = { encode: lib.encode(all), decode: lib.decode(codes) };
    tables.set(codec, t);
  }
  return t;
}

export function encodeG711(pcm: Int16Array, codec: Codec): Uint8Array {
  const { encode } = tablesFor(codec);
  const out = new Uint8Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = encode[pcm[i]! + 32768]!;
  return out;
}

export function decodeG711(g711: Uint8Array, codec: Codec): Int16Array {
  const { decode } = tablesFor(codec);
  const out = new Int16Array(g711.length);
  for (let i = 0; i < g711.length; i++) out[i] = decode[g711[i]!]!;
  return out;
}

export const encodePcmu = (pcm: Int16Array): Uint8Array => encodeG711(pcm, 'PCMU');
export const decodePcmu = (g711: Uint8Array): Int16Array => decodeG711(g711, 'PCMU');
export const encodePcma = (pcm: Int16Array): Uint8Array => encodeG711(pcm, 'PCMA');
export const decodePcma = (g711: Uint8Array): Int16Array => decodeG711(g711, 'PCMA');

/** The codec of a static payload type, or null (dynamic or not G.711). */
export function codecForPayloadType(pt: number): Codec | null {
  return pt === 0 ? 'PCMU' : pt === 8 ? 'PCMA' : null;
}

/** A frame of silence in the codec, e.g. while no prompt plays. */
export function silenceFrame(codec: Codec, samples = FRAME_SAMPLES): Uint8Array {
  return new Uint8Array(samples).fill(SILENCE_BYTE[codec]);
}
