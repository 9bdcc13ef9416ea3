import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  digitToEvent,
  encodeTelephoneEvent,
  eventToDigit,
  parseTelephoneEvent,
  TelephoneEventReceiver,
  telephoneEventPackets,
} from '../../runtime/sip/media/rfc4733';

interface Sent {
  sequenceNumber: number;
  timestamp: number;
  payload: Uint8Array;
}

/** The packets a phone sends for one press: start, updates, three end packets; one timestamp. */
function press(digit: string, timestamp: number, firstSeq: number, ms = 100): Sent[] {
  return telephoneEventPackets(digitToEvent(digit)!, ms).map((p, i) => ({
    sequenceNumber: (firstSeq + i) & 0xffff,
    timestamp,
    payload: p.payload,
  }));
}

function receiveAll(packets: Sent[]): string {
  const r = new TelephoneEventReceiver();
  return packets.map((p) => r.push(p) ?? '').join('');
}

describe('RFC 4733 telephone-event', () => {
  it('maps events 0-15 to the 16 keys', () => {
    expect(Array.from({ length: 17 }, (_, i) => eventToDigit(i) ?? '-').join('')).toBe('0123456789*#ABCD-');
    expect(['0', '9', '*', '#', 'a', 'D', 'x', '12'].map(digitToEvent)).toEqual([0, 9, 10, 11, 12, 15, null, null]);
  });

  it('encodes the payload fields (event, E bit, volume, duration)', () => {
    const bytes = encodeTelephoneEvent({ event: 11, end: true, volume: 10, duration: 800 });
    expect([...bytes]).toEqual([11, 0x8a, 0x03, 0x20]);
    expect(parseTelephoneEvent(bytes)).toEqual({ event: 11, end: true, volume: 10, duration: 800 });
    expect(parseTelephoneEvent(new Uint8Array(3))).toBeNull();
  });

  it('a sender press: marker on the first packet, growing duration, three identical end packets', () => {
    const packets = telephoneEventPackets(5, 100);
    expect(packets.map((p) => p.marker)).toEqual([true, false, false, false, false, false, false, false]);
    const parsed = packets.map((p) => parseTelephoneEvent(p.payload)!);
    expect(parsed.map((e) => e.duration)).toEqual([160, 320, 480, 640, 800, 800, 800, 800]);
    expect(parsed.map((e) => e.end)).toEqual([false, false, false, false, false, true, true, true]);
  });

  it('three end packets of one press give one digit', () => {
    expect(receiveAll(press('7', 1000, 10))).toBe('7');
    // Only the end packets arrived (start and updates lost): still one digit.
    expect(receiveAll(press('7', 1000, 10).slice(-3))).toBe('7');
  });

  it('two presses of the same key (new timestamp) give two digits', () => {
    expect(receiveAll([...press('3', 8000, 1), ...press('3', 9600, 9)])).toBe('33');
  });

  it('duplicated and reordered packets (sequence numbers) add no digits', () => {
    const a = press('1', 160, 100);
    const b = press('1', 2400, 108);
    const shuffled = [a[0]!, a[2]!, a[1]!, a[5]!, b[0]!, a[7]!, a[6]!, b[1]!, b[7]!, a[7]!, b[6]!, b[5]!, a[0]!];
    expect(receiveAll(shuffled)).toBe('11');
    // The same end packet with new sequence numbers is still the same press.
    const end = a[7]!;
    expect(receiveAll([end, { ...end, sequenceNumber: 5000 }, { ...end, sequenceNumber: 5001 }])).toBe('1');
  });

  it('keeps presses of different keys with the same timestamp apart', () => {
    expect(receiveAll([...press('4', 500, 1), ...press('6', 500, 20)])).toBe('46');
  });

  it('ignores non-DTMF events and short payloads', () => {
    const r = new TelephoneEventReceiver();
    expect(
      r.push({ timestamp: 1, payload: encodeTelephoneEvent({ event: 16, end: true, volume: 0, duration: 1 }) }),
    ).toBeNull();
    expect(r.push({ timestamp: 1, payload: new Uint8Array([1]) })).toBeNull();
  });

  it('property: any key sequence survives duplication and local reordering', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...'0123456789*#ABCD'), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (keys, noise) => {
          let ts = 0;
          let seq = 0;
          const stream = keys.flatMap((k) => {
            ts += 1600;
            const p = press(k, ts, seq);
            seq += p.length;
            return p;
          });
          // Duplicate some packets and swap neighbours: the receiver sees a messy network.
          const messy = [...stream];
          for (const n of noise) {
            const i = n % messy.length;
            if (n % 2) messy.splice(i, 0, messy[i]!);
            else if (i + 1 < messy.length) [messy[i], messy[i + 1]] = [messy[i + 1]!, messy[i]!];
          }
          // Swaps at a border may let the next press be seen first: compare as multisets.
          expect([...receiveAll(messy)].sort()).toEqual([...keys].sort());
        },
      ),
      { numRuns: 200 },
    );
  });
});
