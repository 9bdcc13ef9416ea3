// RTP fixed header (RFC 3550 §5.1). Parsing takes bytes off the network, so it returns null on
// anything malformed and never throws; encoding takes our own values and rejects impossible ones.

export interface RtpHeaderExtension {
  /** The 16-bit "defined by profile" field. */
  profile: number;
  /** Extension body; its length is a multiple of 4. */
  data: Uint8Array;
}

export interface RtpPacket {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  /** Contributing sources, at most 15. */
  csrc: number[];
  extension: RtpHeaderExtension | null;
  payload: Uint8Array;
  /** Padding bytes after the payload, counting the final count byte; 0 = no padding. */
  padding: number;
}

const FIXED_HEADER = 12;

/** The packet's bytes. @throws RangeError for field values RTP cannot carry. */
export function encodeRtp(p: RtpPacket): Uint8Array {
  checkField('payloadType', p.payloadType, 0x7f);
  checkField('sequenceNumber', p.sequenceNumber, 0xffff);
  checkField('timestamp', p.timestamp, 0xffffffff);
  checkField('ssrc', p.ssrc, 0xffffffff);
  checkField('padding', p.padding, 0xff);
  if (p.csrc.length > 15) throw new RangeError(`RTP csrc: ${p.csrc.length} entries, at most 15`);
  for (const c of p.csrc) checkField('csrc', c, 0xffffffff);
  const ext = p.extension;
  if (ext) {
    checkField('extension.profile', ext.profile, 0xffff);
    if (ext.data.length % 4 !== 0 || ext.data.length / 4 > 0xffff) {
      throw new RangeError(`RTP extension: ${ext.data.length} bytes is not a multiple of 4 up to 262140`);
    }
  }
  const extLen = ext ? 4 + ext.data.length : 0;
  const size = FIXED_HEADER + 4 * p.csrc.length + extLen + p.payload.length + p.padding;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = 0x80 | (p.padding > 0 ? 0x20 : 0) | (ext ? 0x10 : 0) | p.csrc.length;
  out[1] = (p.marker ? 0x80 : 0) | p.payloadType;
  view.setUint16(2, p.sequenceNumber);
  view.setUint32(4, p.timestamp);
  view.setUint32(8, p.ssrc);
  let at = FIXED_HEADER;
  for (const c of p.csrc) {
    view.setUint32(at, c);
    at += 4;
  }
  if (ext) {
    view.setUint16(at, ext.profile);
    view.setUint16(at + 2, ext.data.length / 4);
    out.set(ext.data, at + 4);
    at += extLen;
  }
  out.set(p.payload, at);
  if (p.padding > 0) out[size - 1] = p.padding;
  return out;
}

/** The packet in bytes, or null when they are not an RTP version 2 packet. */
export function parseRtp(bytes: Uint8Array): RtpPacket | null {
  if (bytes.length < FIXED_HEADER) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const b0 = bytes[0]!;
  if (b0 >> 6 !== 2) return null;
  const csrcCount = b0 & 0x0f;
  let at = FIXED_HEADER + 4 * csrcCount;
  if (at > bytes.length) return null;
  const csrc: number[] = [];
  for (let i = 0; i < csrcCount; i++) csrc.push(view.getUint32(FIXED_HEADER + 4 * i));
  let extension: RtpHeaderExtension | null = null;
  if (b0 & 0x10) {
    if (at + 4 > bytes.length) return null;
    const words = view.getUint16(at + 2);
    const end = at + 4 + 4 * words;
    if (end > bytes.length) return null;
    extension = { profile: view.getUint16(at), data: bytes.slice(at + 4, end) };
    at = end;
  }
  let padding = 0;
  if (b0 & 0x20) {
    padding = bytes[bytes.length - 1]!;
    // RFC 3550: the count includes itself, so 0 is invalid.
    if (padding === 0 || at + padding > bytes.length) return null;
  }
  return {
    marker: (bytes[1]! & 0x80) !== 0,
    payloadType: bytes[1]! & 0x7f,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    csrc,
    extension,
    payload: bytes.slice(at, bytes.length - padding),
    padding,
  };
}

function checkField(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`RTP ${name}: ${value} is not an integer in 0..${max}`);
  }
}
