// DTMF as RTP telephone-events (RFC 4733, formerly RFC 2833): the "dtmf rfc2833" mode of phones
// and of CommuniGate Pro. A key press is one event: a start packet (marker bit), updates with a
// growing duration, and an end packet repeated three times, all with the event's start timestamp.

/** One telephone-event payload (4 bytes). */
export interface TelephoneEvent {
  /** 0-15 for DTMF (see eventToDigit). */
  event: number;
  end: boolean;
  /** Power level in -dBm0, 0-63. */
  volume: number;
  /** In RTP timestamp units (1/8000 s for G.711 streams), 0-65535. */
  duration: number;
}

const DIGITS = '0123456789*#ABCD';

/** '0'..'9', '*', '#', 'A'..'D' for events 0-15; null for other events (e.g. 16 flash). */
export function eventToDigit(event: number): string | null {
  return Number.isInteger(event) && event >= 0 && event < 16 ? DIGITS[event]! : null;
}

/** The event code of a DTMF symbol (case-insensitive), or null. */
export function digitToEvent(digit: string): number | null {
  const i = digit.length === 1 ? DIGITS.indexOf(digit.toUpperCase()) : -1;
  return i < 0 ? null : i;
}

export function encodeTelephoneEvent(e: TelephoneEvent): Uint8Array {
  const out = new Uint8Array(4);
  out[0] = e.event & 0xff;
  out[1] = (e.end ? 0x80 : 0) | (e.volume & 0x3f);
  out[2] = (e.duration >> 8) & 0xff;
  out[3] = e.duration & 0xff;
  return out;
}

/** The first event of a payload, or null when it is shorter than 4 bytes. Never throws. */
export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent | null {
  if (payload.length < 4) return null;
  return {
    event: payload[0]!,
    end: (payload[1]! & 0x80) !== 0,
    volume: payload[1]! & 0x3f,
    duration: (payload[2]! << 8) | payload[3]!,
  };
}

/** The packets (marker, payload) a sender emits for one key press, one per 20 ms slot. */
export function telephoneEventPackets(
  event: number,
  durationMs: number,
  opts: { volume?: number; samplesPerPacket?: number; endRepeats?: number } = {},
): { marker: boolean; payload: Uint8Array }[] {
  const step = opts.samplesPerPacket ?? 160;
  const volume = opts.volume ?? 10;
  const updates = Math.max(1, Math.round((durationMs * 8) / step));
  const out: { marker: boolean; payload: Uint8Array }[] = [];
  for (let i = 1; i <= updates; i++) {
    const duration = Math.min(0xffff, i * step);
    out.push({ marker: i === 1, payload: encodeTelephoneEvent({ event, end: false, volume, duration }) });
  }
  const total = Math.min(0xffff, updates * step);
  for (let i = 0; i < (opts.endRepeats ?? 3); i++) {
    out.push({ marker: false, payload: encodeTelephoneEvent({ event, end: true, volume, duration: total }) });
  }
  return out;
}

/**
 * Turns received telephone-event packets into digits, each key press once.
 *
 * A press is identified by (RTP timestamp, event), never by sequence number: the three end
 * packets and every update share that pair, while a second press of the same key has a new
 * timestamp. The digit is reported on the FIRST packet seen of a press (start, update or end),
 * so the press still counts when its start or all of its end packets were lost. A late or
 * duplicated packet of a press already seen is ignored.
 *
 * Not handled: an event longer than 8 s split into segments (RFC 4733 §2.5.1.3) reads as two.
 */
export class TelephoneEventReceiver {
  private readonly seen: string[] = [];

  /** @param remember how many recent presses to keep for de-duplication */
  constructor(private readonly remember = 32) {}

  /** The digit this packet starts, or null (duplicate, not DTMF, or malformed). */
  push(packet: { timestamp: number; payload: Uint8Array; ssrc?: number }): string | null {
    const ev = parseTelephoneEvent(packet.payload);
    if (!ev) return null;
    const digit = eventToDigit(ev.event);
    if (digit === null) return null;
    const key = `${packet.ssrc ?? 0}:${packet.timestamp}:${ev.event}`;
    if (this.seen.includes(key)) return null;
    this.seen.push(key);
    if (this.seen.length > this.remember) this.seen.shift();
    return digit;
  }
}
