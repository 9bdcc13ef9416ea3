// Time. A timestamp from LocalTime() holds the task's wall-clock time in its UTC fields, so WeekDay,
// TimeOfDay and the rest read UTC fields and never depend on the machine's own time zone.
import { fail } from '../errors';
import type { Task } from '../task';
import { typeName, type Value } from '../values';
import { fn, num, proc, type Builtin } from './builtin';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `tz` at instant `d`, as a Date whose UTC fields are that wall time. */
export function wallTime(d: Date, tz: string): Date {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(d)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const ms = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return new Date(ms + (((d.getTime() % 1000) + 1000) % 1000));
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function date(name: string, v: Value | undefined): Date {
  if (!(v instanceof Date)) return fail(`${name}: argument 1 must be a timestamp, got ${typeName(v ?? null)}`);
  return v;
}

const field = (name: string, get: (d: Date) => number) => fn(name, (_t, [v]) => BigInt(get(date(name, v))));

/** As documented: an unknown zone name, or a value that is not a string, sets "no zone" (the server's). */
function setTimeZone(t: Task, v: Value | undefined): void {
  t.timeZone = typeof v === 'string' && isTimeZone(v) ? v : t.defaultTimeZone;
}

export const timeBuiltins: Builtin[] = [
  fn('GMTTime', (t) => new Date(t.session.now().getTime())),
  fn('LocalTime', (t) => wallTime(t.session.now(), t.timeZone)),
  fn('WeekDay', (_t, [v]) => DAYS[date('WeekDay', v).getUTCDay()]!),
  field('TimeOfDay', (d) => d.getUTCHours() * 3600 + d.getUTCMinutes() * 60 + d.getUTCSeconds()),
  field('MonthDay', (d) => d.getUTCDate()),
  field('MonthNum', (d) => d.getUTCMonth() + 1),
  field('Year', (d) => d.getUTCFullYear()),
  proc('SetTimeZone', (t, [v]) => setTimeZone(t, v)),
  fn('DateByMonthDay', (_t, [y, m, d]) => {
    const dt = new Date(0); // setUTCFullYear, unlike Date.UTC, keeps years 0-99 as they are
    dt.setUTCFullYear(
      Number(num('DateByMonthDay', y!, 1)),
      Number(num('DateByMonthDay', m!, 2)) - 1,
      Number(num('DateByMonthDay', d!, 3)),
    );
    return Number.isNaN(dt.getTime()) ? null : dt;
  }),
];
