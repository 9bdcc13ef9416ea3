// withinHours (runtime/sip/routing.ts), which decides a divert rule's "afterhours": `from` is inclusive
// and `to` exclusive (compiler/flow/schema.ts TimeRange), in the PBX time zone; a range may pass midnight.
import { describe, expect, it } from 'vitest';
import { withinHours } from '../../runtime/sip';

const account = (from: string, to: string) => ({
  name: 'ivanov',
  rules: [],
  workingHours: [{ days: ['Mon' as const], from, to }],
});
// Monday 2 March 2026, in Moscow (UTC+3, no DST).
const at = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00+03:00`);

describe('withinHours', () => {
  it('counts the first minute of the range and not the minute it ends', () => {
    const a = account('09:00', '18:00');
    expect(withinHours(a, 'Europe/Moscow', at('08:59'))).toBe(false);
    expect(withinHours(a, 'Europe/Moscow', at('09:00'))).toBe(true);
    expect(withinHours(a, 'Europe/Moscow', at('17:59'))).toBe(true);
    expect(withinHours(a, 'Europe/Moscow', at('18:00'))).toBe(false);
  });

  it('reads the time in the PBX time zone, and on the listed days only', () => {
    const a = account('09:00', '18:00');
    // 10:00 in Moscow is 07:00 UTC: outside when the zone is UTC.
    expect(withinHours(a, 'UTC', at('10:00'))).toBe(false);
    expect(withinHours(a, 'Europe/Moscow', new Date('2026-03-03T10:00:00+03:00'))).toBe(false); // Tuesday
  });

  it('takes a range past midnight as two pieces: the evening and the early morning', () => {
    const a = account('22:00', '02:00');
    expect(withinHours(a, 'Europe/Moscow', at('23:30'))).toBe(true);
    expect(withinHours(a, 'Europe/Moscow', at('01:59'))).toBe(true);
    expect(withinHours(a, 'Europe/Moscow', at('02:00'))).toBe(false);
    expect(withinHours(a, 'Europe/Moscow', at('12:00'))).toBe(false);
  });
});
