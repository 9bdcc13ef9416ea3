import { describe, it, expect } from 'vitest';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { MediaClock } from '../../runtime/sip/media/pacer';
import { RtpStream } from '../../runtime/sip/media/stream';
import { parseRtp } from '../../runtime/sip/media/rtp';

function manualClock() {
  let now = 1000;
  const clock = new MediaClock({ manual: true, now: () => now });
  return { clock, set: (t: number) => (now = t) };
}

describe('MediaClock', () => {
  it('runs each slot once, in order, for every client, at t0 + k·20 ms', () => {
    const { clock, set } = manualClock();
    const a: number[] = [];
    const b: number[] = [];
    const firstA = clock.schedule({ tick: (s) => a.push(s) });
    expect(firstA).toBe(1);
    expect(clock.slotTime(1)).toBe(1020);
    set(1019.9);
    expect(clock.runDue()).toBe(0);
    set(1020);
    expect(clock.runDue()).toBe(1);
    clock.schedule({ tick: (s) => b.push(s) });
    set(1065); // slots 2 and 3 are due
    expect(clock.runDue()).toBe(2);
    expect(a).toEqual([1, 2, 3]);
    expect(b).toEqual([2, 3]);
  });

  it('after a stall sends at most maxCatchUp slots and skips the rest', () => {
    const { clock, set } = manualClock();
    const got: number[] = [];
    clock.schedule({ tick: (s) => got.push(s) });
    set(1000 + 20 * 50 + 5); // a 1-second stall: slots 1..50 due
    expect(clock.runDue()).toBe(3);
    expect(got).toEqual([48, 49, 50]);
    expect(clock.stats()).toMatchObject({ skipped: 47, maxBurst: 3 });
  });

  it('a client that throws does not stop the others; unschedule removes a client', () => {
    const { clock, set } = manualClock();
    const got: number[] = [];
    const bad = {
      tick: () => {
        throw new Error('boom');
      },
    };
    clock.schedule(bad);
    const good = { tick: (s: number) => got.push(s) };
    clock.schedule(good);
    set(1040);
    clock.runDue();
    clock.unschedule(good);
    set(1100);
    clock.runDue();
    expect(got).toEqual([1, 2]);
    expect(clock.size).toBe(1);
  });

  it('paces real packets every 20 ms over 2 s without drift', async () => {
    const receiver = dgram.createSocket('udp4');
    receiver.bind(0, '127.0.0.1');
    await once(receiver, 'listening');
    const arrivals: number[] = [];
    const seqs: number[] = [];
    receiver.on('message', (msg) => {
      arrivals.push(performance.now());
      seqs.push(parseRtp(msg)!.sequenceNumber);
    });
    const stream = await RtpStream.open({
      remote: { address: '127.0.0.1', port: receiver.address().port },
      codec: 'PCMU',
      clock: new MediaClock(),
    });
    await new Promise((r) => setTimeout(r, 2100));
    stream.stop();
    receiver.close();

    const n = arrivals.length - 1;
    expect(n).toBeGreaterThanOrEqual(95);
    // Drift-free: each packet's offset from its 20 ms slot stays put from the first packets to the
    // last (medians, so one stall of a loaded machine doesn't decide it); setInterval would drift.
    const offsets = arrivals.map((t, k) => t - 20 * k);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    expect(Math.abs(median(offsets.slice(-20)) - median(offsets.slice(0, 20)))).toBeLessThan(10);
    // Nothing lost or reordered on loopback: consecutive sequence numbers.
    expect(seqs.every((s, i) => i === 0 || s === ((seqs[i - 1]! + 1) & 0xffff))).toBe(true);
    expect(stream.stats().sendGaps.count).toBeGreaterThanOrEqual(95);
  });
});
