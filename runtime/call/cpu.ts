// CPU time of the calling thread, where the system tells it (Linux: /proc/thread-self/stat). A program's
// budget counts the CPU it used, not the wall-clock time that passed: on a loaded machine a thread gets
// the processor only now and then, and a legitimate computation must not look like a runaway.
import { readFileSync } from 'node:fs';

/** Clock ticks per second of the stat file (USER_HZ; 100 on every Linux Node supports). */
const TICKS_PER_SECOND = 100;
let unavailable = process.platform !== 'linux';

/** Milliseconds of CPU this thread has used (10 ms resolution), or null where that is not known. */
export function threadCpuMs(): number | null {
  if (unavailable) return null;
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'latin1');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    if (!Number.isFinite(ticks)) throw new Error('unreadable');
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    unavailable = true;
    return null;
  }
}
