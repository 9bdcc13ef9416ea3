// One writer at a time per file: the version check and the write of a save happen together, so two
// saves of the same base version cannot both pass the check.
const queues = new Map<string, Promise<unknown>>();

export async function serialised<T>(key: string, work: () => Promise<T>): Promise<T> {
  const before = queues.get(key) ?? Promise.resolve();
  const run = before.then(work, work);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  try {
    return await run;
  } finally {
    if (queues.get(key) === tail) queues.delete(key);
  }
}
