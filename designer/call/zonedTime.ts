// Wall-clock times in a flow's time zone: "Pretend the time is" is typed as the flow's local time, and
// the trace says when a business-hours node decided, in that zone. (Intl does the zone rules.)
import type { FlowDocument } from '../../compiler/flow/schema';

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * The zone the call's LocalTime uses when no node sets its own: the PBX environment's (the account's
 * TimeZone), else this computer's — the local server runs here.
 */
export function flowTimeZone(doc: FlowDocument): { zone: string; from: 'flow' | 'computer' } {
  const zone = doc.environment.timeZone.trim();
  if (zone && isZone(zone)) return { zone, from: 'flow' };
  return { zone: browserTimeZone(), from: 'computer' };
}

export function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: string;
}

export function wallTime(ms: number, zone: string): Wall {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    weekday: 'short',
  }).formatToParts(ms);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '0';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')) % 24,
    minute: Number(get('minute')),
    second: Number(get('second')),
    weekday: get('weekday'),
  };
}

/** "2026-11-29T23:00" read as a wall-clock time in `zone` → the instant; null when it is not one. */
export function zonedToInstant(local: string, zone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as number[];
  const target = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  // The zone's offset depends on the instant: two rounds settle it (three near a DST change).
  let guess = target;
  for (let i = 0; i < 3; i++) {
    const w = wallTime(guess, zone);
    const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    const next = guess + (target - asUtc);
    if (next === guess) break;
    guess = next;
  }
  return new Date(guess);
}

const DAY_NAMES: Record<string, string> = {
  Mon: 'Monday',
  Tue: 'Tuesday',
  Wed: 'Wednesday',
  Thu: 'Thursday',
  Fri: 'Friday',
  Sat: 'Saturday',
  Sun: 'Sunday',
};

/** "Sunday 2026-11-29 23:00" in the zone. */
export function describeWall(ms: number, zone: string): string {
  const w = wallTime(ms, zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${DAY_NAMES[w.weekday] ?? w.weekday} ${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}
