// Condition-based waiting for tests: poll for the state, with a deadline, instead of sleeping and
// hoping. A loaded machine makes things slower, never wrong, so the deadline is generous and the
// poll is short (a fast machine pays only the time the state really takes).

export interface WaitOptions {
  /** Deadline in ms (default 10,000: far beyond any healthy wait, short of vitest's test timeout). */
  timeoutMs?: number;
  /** Poll interval in ms (default 5). */
  intervalMs?: number;
}

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `check` until it returns a truthy value (or a promise of one) and returns that value; a
 * throw counts as "not yet". After the deadline it throws an error naming `what`.
 *
 * @example const call = await waitFor('the call to end', () => calls.find((c) => c.ended));
 */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 5 }: WaitOptions = {},
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as Truthy<T>;
      last = undefined;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) {
      const why = last instanceof Error ? ` (last: ${last.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`, { cause: last });
    }
    await pause(intervalMs);
  }
}

/**
 * Runs `assert` (a block of expects) until it passes; after the deadline rethrows its last failure,
 * so the report is the assertion's own diff.
 *
 * @example await eventually(() => expect(got).toEqual(['4', '2']));
 */
export async function eventually(
  assert: () => void | Promise<void>,
  { timeoutMs = 10_000, intervalMs = 5 }: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assert();
      return;
    } catch (e) {
      if (Date.now() >= deadline) throw e;
    }
    await pause(intervalMs);
  }
}

/**
 * For "this must NOT happen": checks `check` (which must stay true) every `intervalMs` for
 * `forMs`, and throws at the first time it is false. A loaded machine can only make the unwanted
 * thing later (a weaker check), never fail a correct program.
 */
export async function holdsFor(
  what: string,
  check: () => boolean,
  forMs: number,
  { intervalMs = 5 }: Pick<WaitOptions, 'intervalMs'> = {},
): Promise<void> {
  const end = Date.now() + forMs;
  for (;;) {
    if (!check()) throw new Error(`${what} stopped holding`);
    if (Date.now() >= end) return;
    await pause(intervalMs);
  }
}

/**
 * Lets every pending promise chain and immediate run (one turn of the event loop past them): for
 * asserting that code with no I/O and no timers did not do something. Deterministic, unlike a
 * short sleep.
 */
export function settled(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
