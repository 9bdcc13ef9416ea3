// CallInput: what ReadInput returns and what cuts a prompt, the rules every channel shares
// (runtime/call/api.ts): a buffered key first, then a queued event, then Disconnect once the call has ended.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../runtime/call/clock';
import { CallInput } from '../../runtime/call/input';
import { Trace } from '../../runtime/call/trace';

const input = () => new CallInput(new Trace(new VirtualClock(0)));

describe('CallInput', () => {
  it('takes buffered keys before queued events, in order, whatever arrived first', () => {
    const i = input();
    i.event('Wake', 1, 'other-task');
    i.press('5', 'caller');
    i.press('#', 'caller');
    expect(i.take()).toBe('5');
    expect(i.take()).toBe('#');
    expect(i.take()).toEqual({ what: 'Wake', parameter: 1, sender: 'other-task' });
    expect(i.take()).toBeUndefined();
  });

  it('accepts the 16 DTMF symbols (letters in either case) and nothing else', () => {
    const i = input();
    for (const key of '0123456789*#ABCDabcd') expect(i.press(key, 'caller'), key).toBe(true);
    expect(i.dtmf()).toBe('0123456789*#ABCDABCD');
    for (const key of ['E', 'e', 'Z', '+', ' ', '', '12']) expect(i.press(key, 'caller'), key).toBe(false);
    expect(i.dtmf()).toBe('0123456789*#ABCDABCD');
  });

  it('after the hang-up: keys are refused, events still arrive (other tasks), then Disconnect every time', () => {
    const i = input();
    i.press('1', 'caller');
    i.hangup();
    expect(i.press('2', 'caller')).toBe(false);
    i.event('Late', undefined, 'other-task');
    expect(i.take()).toBe('1');
    expect(i.take()).toEqual({ what: 'Late', sender: 'other-task' });
    expect(i.take()).toEqual({ what: 'Disconnect' });
    expect(i.take()).toEqual({ what: 'Disconnect' });
  });

  it('says why a prompt may not play: hang-up, then typed-ahead keys (when they interrupt), then an event', () => {
    const i = input();
    expect(i.interruption()).toBeNull();
    i.event('E');
    expect(i.interruption()).toBe('event');
    i.press('7', 'caller');
    expect(i.interruption()).toBe('dtmf');
    i.interruptOnDtmf = false;
    expect(i.interruption()).toBe('event');
    expect(i.cutsPrompt('dtmf')).toBe(false);
    expect(i.cutsPrompt('event')).toBe(true);
    i.hangup();
    expect(i.interruption()).toBe('hangup');
  });
});
