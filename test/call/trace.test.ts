import { describe, it, expect } from 'vitest';
import { Trace, formatOffset } from '../../runtime/call/trace';
import { VirtualClock } from '../../runtime/call/clock';

describe('Trace', () => {
  it('stamps events with ms since the call started and the wall time, and tells subscribers', async () => {
    const clock = new VirtualClock(new Date('2024-03-03T23:00:00Z'));
    const trace = new Trace(clock);
    const live: string[] = [];
    const off = trace.subscribe((e) => live.push(e.kind));
    trace.add({ kind: 'answered' });
    await clock.sleep(1234);
    trace.add({
      kind: 'prompt-started',
      name: 'CallbackBusy',
      language: 'english',
      path: 'samples/callback/CallbackBusy.wav',
    });
    off();
    trace.add({ kind: 'hangup', by: 'caller' });
    expect(live).toEqual(['answered', 'prompt-started']);
    expect(trace.list()[1]).toMatchObject({ t: 1234, wall: '2024-03-03T23:00:01.234Z' });
  });

  it('a throwing subscriber does not break the call', () => {
    const trace = new Trace(new VirtualClock(0));
    trace.subscribe(() => {
      throw new Error('broken view');
    });
    expect(() => trace.add({ kind: 'answered' })).not.toThrow();
    expect(trace.list()).toHaveLength(1);
  });

  it('reads as text, one line per event', async () => {
    const clock = new VirtualClock(0);
    const trace = new Trace(clock);
    trace.add({ kind: 'node', id: 'intro' });
    trace.add({
      kind: 'prompt-started',
      name: 'CallbackBusy',
      language: 'english',
      path: 'samples/callback/CallbackBusy.wav',
    });
    await clock.sleep(2500);
    trace.add({ kind: 'digit', digit: '5', source: 'caller' });
    trace.add({ kind: 'prompt-cut', name: 'CallbackBusy', reason: 'dtmf', afterMs: 2500 });
    trace.add({ kind: 'prompt-skipped', name: 'CallbackLater', reason: 'dtmf' });
    await clock.sleep(62_000);
    trace.add({
      kind: 'email-failed',
      to: 'ivanov@company.com',
      subject: 'Contact phone:5',
      error: 'connection refused',
    });
    trace.add({
      kind: 'error',
      severity: 'error',
      code: 'CGPL201',
      file: 'x.sppr',
      line: 3,
      column: 7,
      message: 'unknown procedure Foo',
    });
    trace.add({ kind: 'hangup', by: 'program' });
    expect(trace.toText()).toBe(
      [
        '00:00.000  prompt  CallbackBusy (english: samples/callback/CallbackBusy.wav)',
        '00:02.500  digit   5 (caller)',
        '00:02.500  cut     CallbackBusy after 2.500 s (dtmf)',
        '00:02.500  skipped CallbackLater (dtmf)',
        '01:04.500  email   to ivanov@company.com: "Contact phone:5" FAILED: connection refused',
        '01:04.500  error   x.sppr:3:7: error CGPL201: unknown procedure Foo',
        '01:04.500  hangup  by program',
        '',
      ].join('\n'),
    );
    expect(trace.toText({ verbose: true }).split('\n')[0]).toBe('00:00.000  node    intro');
  });

  it('writes JSON lines that read back as the events', () => {
    const trace = new Trace(new VirtualClock(new Date('2024-01-01T00:00:00Z')));
    trace.add({
      kind: 'call-started',
      account: 'ivanov@company.com',
      language: 'russian',
      from: 'sip:a@b',
      to: 'sip:ivanov@company.com',
    });
    trace.add({ kind: 'log', text: 'line one\nline two' });
    const lines = trace.toJSONLines().trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => JSON.parse(l))).toEqual(trace.list());
    expect(JSON.parse(lines[0] as string)).toEqual({
      kind: 'call-started',
      account: 'ivanov@company.com',
      language: 'russian',
      from: 'sip:a@b',
      to: 'sip:ivanov@company.com',
      t: 0,
      wall: '2024-01-01T00:00:00.000Z',
    });
  });

  it('formats offsets as mm:ss.mmm, minutes past an hour keep counting', () => {
    expect(formatOffset(0)).toBe('00:00.000');
    expect(formatOffset(61_001)).toBe('01:01.001');
    expect(formatOffset(3_725_000)).toBe('62:05.000');
  });
});
