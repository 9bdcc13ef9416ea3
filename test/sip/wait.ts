// Waiting in the SIP tests: poll for a state with a deadline, never sleep and then look. The one
// exception is proving that something does NOT happen (no RTP after a timeout), which needs a window
// of time by nature; `quietWindow` names that window so it is never mistaken for a wait.

/**
 * Resolves with the first truthy value of probe(); rejects after timeoutMs saying what was awaited.
 * @example const ok = await waitFor(() => peer.responses.find((r) => r.status === 200), '200 OK');
 */
export async function waitFor<T>(
  probe: () => T | null | undefined | false | 0 | '',
  what: string,
  timeoutMs = 10_000,
  everyMs = 10,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** An observation window for asserting that nothing happens during it. */
export function quietWindow(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
