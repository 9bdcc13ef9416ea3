// The call's clock. Live calls use the wall clock; tests, scenarios and "pretend it is Sunday 23:00"
// use a virtual clock whose time only moves when every party of the call is waiting on it, so a
// 20-second ReadInput timeout takes no real time and the same script gives the same timestamps.

export interface Clock {
  now(): Date;
  /** Waits ms on this clock; resolves early (without error) when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Marks real work (file reads, SMTP) in progress: a virtual clock does not move while it runs,
   * so a timer cannot fire "during" an e-mail that took 30 real milliseconds. Optional.
   */
  busy?<T>(work: Promise<T>): Promise<T>;
}

/** Runs real work under the clock's busy mark when it has one. */
export function whileBusy<T>(clock: Clock, work: Promise<T>): Promise<T> {
  return clock.busy ? clock.busy(work) : work;
}

/** The wall clock. */
export function realClock(): Clock {
  return {
    now: () => new Date(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted || !(ms > 0)) return resolve();
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(ms, 2 ** 31 - 1));
        signal?.addEventListener('abort', done, { once: true });
      }),
  };
}

interface Timer {
  due: number;
  resolve: () => void;
}

export interface VirtualClockOptions {
  /**
   * true (default): time jumps to the next timer by itself once nothing else can run (no pending
   * microtasks, no busy work). false: only advance() / runUntilIdle() move it, for unit tests.
   */
  auto?: boolean;
}

/**
 * Simulated time. Timers fire in due order (ties in the order they were set), so a run is
 * deterministic.
 * @example
 *   const clock = new VirtualClock(new Date('2024-03-03T23:00:00Z'));
 *   await clock.sleep(20_000); // returns at once; clock.now() is 23:00:20
 */
export class VirtualClock implements Clock {
  private time: number;
  private timers: Timer[] = [];
  private busyCount = 0;
  /** Bumped on every clock activity; an idle check that sees it changed waits another turn. */
  private epoch = 0;
  private checkPending = false;
  private readonly auto: boolean;

  constructor(start: Date | number = 0, options: VirtualClockOptions = {}) {
    this.time = typeof start === 'number' ? start : start.getTime();
    this.auto = options.auto ?? true;
  }

  now(): Date {
    return new Date(this.time);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    if (!(ms > 0)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer: Timer = { due: this.time + ms, resolve: () => undefined };
      const onAbort = () => {
        this.remove(timer);
        resolve();
        this.touch();
      };
      timer.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.insert(timer);
      this.touch();
    });
  }

  async busy<T>(work: Promise<T>): Promise<T> {
    this.busyCount++;
    this.touch();
    try {
      return await work;
    } finally {
      this.busyCount--;
      this.touch();
    }
  }

  /** Timers not yet fired. */
  pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by ms, firing the timers that fall due on the way, each at its own time. */
  async advance(ms: number): Promise<void> {
    const target = this.time + Math.max(0, ms);
    await settle();
    for (let next = this.timers[0]; next !== undefined && next.due <= target; next = this.timers[0]) {
      this.fire(next);
      await settle();
    }
    this.time = target;
  }

  /** Fires timers one after another until none is left (at most `limit`, against endless loops). */
  async runUntilIdle(limit = 100_000): Promise<void> {
    await settle();
    for (let i = 0; i < limit; i++) {
      const next = this.timers[0];
      if (next === undefined) return;
      this.fire(next);
      await settle();
    }
    throw new Error(`VirtualClock.runUntilIdle: still busy after ${limit} timers`);
  }

  private fire(timer: Timer): void {
    this.remove(timer);
    this.time = Math.max(this.time, timer.due);
    timer.resolve();
    this.touch();
  }

  private insert(timer: Timer): void {
    let i = this.timers.length;
    while (i > 0 && (this.timers[i - 1] as Timer).due > timer.due) i--;
    this.timers.splice(i, 0, timer);
  }

  private remove(timer: Timer): void {
    const i = this.timers.indexOf(timer);
    if (i >= 0) this.timers.splice(i, 1);
  }

  private touch(): void {
    this.epoch++;
    if (this.auto && !this.checkPending) this.scheduleCheck();
  }

  private scheduleCheck(): void {
    this.checkPending = true;
    const seen = this.epoch;
    // Two macrotask turns: promise chains that hop through setImmediate get to settle first.
    setImmediate(() =>
      setImmediate(() => {
        this.checkPending = false;
        if (this.epoch !== seen) return this.scheduleCheck();
        const next = this.timers[0];
        if (this.busyCount > 0 || next === undefined) return;
        this.fire(next);
      }),
    );
  }
}

/** Lets pending promise callbacks (and one macrotask turn) run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The wall clock moved by offsetMs: a live call "at Sunday 23:00" (ivr-studio run --at) whose time
 * runs on in real time from there; timers are real.
 */
export function offsetClock(offsetMs: number): Clock {
  const real = realClock();
  return { now: () => new Date(Date.now() + offsetMs), sleep: real.sleep };
}
