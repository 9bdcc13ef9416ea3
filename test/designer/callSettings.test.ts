// The Phone panel's start parameter and phone overrides, as call.start sends them.
import { describe, expect, it } from 'vitest';
import { partiesOf, startParameterOf } from '../../designer/call/session';

describe('Phone panel call settings', () => {
  it('a start parameter with commas is an array (app{p1,p2}); one value a string; empty none', () => {
    expect(startParameterOf('russian, 101')).toEqual({ startParameter: ['russian', '101'] });
    expect(startParameterOf(' russian ')).toEqual({ startParameter: 'russian' });
    expect(startParameterOf('  ')).toEqual({});
  });

  it('phones: name=status pairs; unknown statuses are left out', () => {
    expect(partiesOf('ivanov=busy, petrov = noAnswer, sidorov=asleep, =busy')).toEqual({
      parties: { ivanov: { status: 'busy' }, petrov: { status: 'noAnswer' } },
    });
    expect(partiesOf('')).toEqual({});
  });
});
