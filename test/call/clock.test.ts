import { describe, it, expect } from 'vitest';
import { VirtualClock, realClock } from '../../runtime/call/clock';

const START = new Date('2024-03-03T23:00:00Z');

describe('VirtualClock', () => {
  it('jumps to the next timer by itself, taking no real time', async () => {
    const clock = new VirtualClock(START);
    const real = Date.now();
    await clock.sleep(20_000);
    expect(clock.now().toISOString()).toBe('2024-03-03T23:00:20.000Z');
    expect(Date.now() - real).toBeLessThan(1000);
  });

  it('fires concurrent timers in due order, ties in the order they were set', async () => {
    const clock = new VirtualClock(START);
    const order: string[] = [];
    const at = (name: string, ms: number) =>
      clock.sleep(ms).then(() => order.push(`${name}@${clock.now().getTime() - START.getTime()}`));
    await Promise.all([at('b', 300), at('a', 100), at('c', 300), at('d', 0)]);
    expect(order).toEqual(['d@0', 'a@100', 'b@300', 'c@300']);
  });

  it('an abort resolves the sleep early without moving time', async () => {
    const clock = new VirtualClock(START, { auto: false });
    const ac = new AbortController();
    const done = clock.sleep(5000, ac.signal);
    ac.abort();
    await done;
    expect(clock.now().getTime()).toBe(START.getTime());
    expect(clock.pending()).toBe(0);
  });

  it('does not move while busy work runs', async () => {
    const clock = new VirtualClock(START);
    let timerFiredAt = -1;
    const timer = clock.sleep(1000).then(() => {
      timerFiredAt = clock.now().getTime() - START.getTime();
    });
    let sawTime = -1;
    await clock.busy(
      new Promise<void>((resolve) =>
        setTimeout(() => {
          sawTime = clock.now().getTime() - START.getTime();
          resolve();
        }, 30),
      ),
    );
    expect(sawTime).toBe(0);
    await timer;
    expect(timerFiredAt).toBe(1000);
  });

  it('manual mode: advance fires what falls due, runUntilIdle the rest', async () => {
    const clock = new VirtualClock(0, { auto: false });
    const fired: number[] = [];
    void clock.sleep(100).then(() => fired.push(clock.now().getTime()));
    void clock.sleep(250).then(() => fired.push(clock.now().getTime()));
    await clock.advance(200);
    expect(fired).toEqual([100]);
    expect(clock.now().getTime()).toBe(200);
    await clock.runUntilIdle();
    expect(fired).toEqual([100, 250]);
  });

  it('runUntilIdle stops an endless timer loop', async () => {
    const clock = new VirtualClock(0, { auto: false });
    const loop = async () => {
      for (;;) await clock.sleep(10);
    };
    void loop();
    await expect(clock.runUntilIdle(50)).rejects.toThrow(/still busy after 50 timers/);
  });
});

describe('realClock', () => {
  it('sleeps for real and resolves early on abort', async () => {
    const clock = realClock();
    const t0 = Date.now();
    await clock.sleep(20);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(15);
    const ac = new AbortController();
    const t1 = Date.now();
    const p = clock.sleep(10_000, ac.signal);
    ac.abort();
    await p;
    expect(Date.now() - t1).toBeLessThan(1000);
  });
});
