// One 20 ms clock for every RTP stream of the process. Slot k is due at t0 + k·20 ms on the
// monotonic clock, so lateness of one wake-up never accumulates (no drift); a single timer serves
// 1,000 calls where one timer per call would cost 1,000 wake-ups per tick.
import { performance } from 'node:perf_hooks';

/** A stream driven by the clock: called once per slot, in slot order. */
export interface MediaClockClient {
  /** `slot` is the clock's global slot number; the first call gets the slot given by schedule(). */
  tick(slot: number): void;
}

export interface MediaClockOptions {
  /** Default 20 ms (one G.711 packet). */
  intervalMs?: number;
  /**
   * After an event-loop stall, at most this many overdue slots are sent at once; older ones are
   * skipped (a receiver's jitter buffer absorbs a short burst, not a second of packets). Default 3.
   */
  maxCatchUp?: number;
  /** Monotonic milliseconds; default performance.now. For tests. */
  now?: () => number;
  /** true: no timer; runDue() moves the clock. For tests. */
  manual?: boolean;
}

export interface MediaClockStats {
  /** Slots run. */
  slots: number;
  /** Slots dropped after stalls longer than maxCatchUp. */
  skipped: number;
  /** Largest number of slots run by one wake-up. */
  maxBurst: number;
  /** Longest time one wake-up spent running its slots (ms): the lateness it adds to the last stream. */
  maxRunMs: number;
}

export class MediaClock {
  readonly intervalMs: number;
  private readonly maxCatchUp: number;
  private readonly now: () => number;
  private readonly manual: boolean;
  private readonly clients = new Set<MediaClockClient>();
  private readonly t0: number;
  private nextSlot = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly counters: MediaClockStats = { slots: 0, skipped: 0, maxBurst: 0, maxRunMs: 0 };

  constructor(opts: MediaClockOptions = {}) {
    this.intervalMs = opts.intervalMs ?? 20;
    this.maxCatchUp = Math.max(1, opts.maxCatchUp ?? 3);
    this.now = opts.now ?? (() => performance.now());
    this.manual = opts.manual ?? false;
    this.t0 = this.now();
  }

  /** The process-wide clock streams use unless given another. */
  static shared(): MediaClock {
    sharedClock ??= new MediaClock();
    return sharedClock;
  }

  /** Monotonic time (ms) at which a slot is due. */
  slotTime(slot: number): number {
    return this.t0 + slot * this.intervalMs;
  }

  /**
   * Adds a client until unschedule(); its first tick is the returned slot (the next one on the
   * clock's grid), so its slot k is sent at slotTime(first + k).
   */
  schedule(client: MediaClockClient): number {
    if (this.clients.size === 0) {
      // The grid stays, but slots that passed while nobody listened are not owed to anyone.
      this.nextSlot = Math.max(this.nextSlot, this.slotAt(this.now()) + 1);
    }
    this.clients.add(client);
    this.arm();
    return this.nextSlot;
  }

  unschedule(client: MediaClockClient): void {
    this.clients.delete(client);
    if (this.clients.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  get size(): number {
    return this.clients.size;
  }

  stats(): MediaClockStats {
    return { ...this.counters };
  }

  /** Runs every slot due at `now` (bounded by maxCatchUp); returns how many ran. */
  runDue(now = this.now()): number {
    const due = this.slotAt(now);
    if (due < this.nextSlot) return 0;
    const started = this.now();
    const first = Math.max(this.nextSlot, due - this.maxCatchUp + 1);
    this.counters.skipped += first - this.nextSlot;
    for (let slot = first; slot <= due; slot++) {
      for (const c of [...this.clients]) {
        try {
          c.tick(slot);
        } catch {
          // A faulty stream must not stop the others' media; it reports its own errors.
        }
      }
    }
    const ran = due - first + 1;
    this.nextSlot = due + 1;
    this.counters.slots += ran;
    this.counters.maxBurst = Math.max(this.counters.maxBurst, ran);
    this.counters.maxRunMs = Math.max(this.counters.maxRunMs, this.now() - started);
    return ran;
  }

  private slotAt(now: number): number {
    return Math.floor((now - this.t0) / this.intervalMs);
  }

  private arm(): void {
    if (this.manual || this.timer || this.clients.size === 0) return;
    const wait = Math.max(0, this.slotTime(this.nextSlot) - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.runDue();
      this.arm();
    }, wait);
    // Sockets keep a live call's process running; the clock alone should not.
    this.timer.unref();
  }
}

let sharedClock: MediaClock | undefined;
