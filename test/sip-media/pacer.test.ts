import { describe, it, expect, vi } from 'vitest';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { MediaClock } from '../../runtime/sip/media/pacer';
import { RtpStream } from '../../runtime/sip/media/stream';
import { parseRtp, type RtpPacket } from '../../runtime/sip/media/rtp';
import { waitFor } from '../helpers/waitFor';

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

  it('arms its timer for the next slot on the grid, so a late wake-up is not carried forward (no drift)', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let now = 1000;
      const clock = new MediaClock({ now: () => now });
      const ticks: [number, number][] = [];
      clock.schedule({ tick: (s) => ticks.push([s, now]) });
      // Slot 1 is due at 1020; the wake-up comes 7 ms late.
      now = 1027;
      vi.advanceTimersByTime(20);
      expect(ticks).toEqual([[1, 1027]]);
      // Slot 2 stays due at 1040: the timer waits 13 ms, not another 20.
      now = 1039;
      vi.advanceTimersByTime(12);
      expect(ticks).toHaveLength(1);
      now = 1040;
      vi.advanceTimersByTime(1);
      expect(ticks).toEqual([
        [1, 1027],
        [2, 1040],
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('paces real packets: one per 20 ms slot, never ahead of its slot, consecutive and in order', async () => {
    const receiver = dgram.createSocket('udp4');
    receiver.bind(0, '127.0.0.1');
    await once(receiver, 'listening');
    const arrivals: number[] = [];
    const packets: RtpPacket[] = [];
    receiver.on('message', (msg) => {
      arrivals.push(performance.now());
      packets.push(parseRtp(msg)!);
    });
    const clock = new MediaClock();
    const opened = performance.now();
    const stream = await RtpStream.open({
      remote: { address: '127.0.0.1', port: receiver.address().port },
      codec: 'PCMU',
      clock,
    });
    await waitFor('50 packets', () => packets.length >= 50);
    stream.stop();
    receiver.close();

    // A loaded machine may make packets late (and the clock then skips slots), never early: the
    // k-th packet cannot arrive before the k-th slot after the stream opened.
    arrivals.forEach((t, k) => {
      expect(t, `packet ${k}`).toBeGreaterThanOrEqual(opened + 20 * k);
    });
    // Nothing lost or reordered on loopback: consecutive sequence numbers; the timestamp moves
    // 160 samples per slot, skipped slots included.
    let skipped = 0;
    for (let i = 1; i < packets.length; i++) {
      expect(packets[i]!.sequenceNumber).toBe((packets[i - 1]!.sequenceNumber + 1) & 0xffff);
      const step = (packets[i]!.timestamp - packets[i - 1]!.timestamp) >>> 0;
      expect(step > 0 && step % 160 === 0, `timestamp step ${step}`).toBe(true);
      skipped += step / 160 - 1;
    }
    expect(skipped).toBeLessThanOrEqual(clock.stats().skipped);
    expect(stream.stats().sendGaps.count).toBeGreaterThanOrEqual(49);
  });
});
