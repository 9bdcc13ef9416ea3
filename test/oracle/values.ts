// The flow's variables, its {{templates}} and the clock readings of businessHours, as the flow format
// describes them — independent of the compiler's lowering.
import type { CallSession } from '../../runtime/call/api';

/** A variable's value: text, a recording (WAV bytes), or nothing yet. */
export type Value = string | Uint8Array | null;

/** Flow variables are CG/PL names: one variable, whatever the letter case. */
export class Variables {
  private readonly values = new Map<string, Value>();

  /** A variable nothing has set yet reads as "". */
  get(name: string): Value {
    const key = name.toLowerCase();
    return this.values.has(key) ? this.values.get(key)! : '';
  }

  set(name: string, value: Value): void {
    this.values.set(name.toLowerCase(), value);
  }
}

/** Runtime errors of a flow (the compiled targets stop with an error in the same places). */
export class FlowRuntimeError extends Error {}

const BUILTINS: Record<string, (call: CallSession) => Value> = {
  account: (call) => call.myEmail(),
  domain: (call) => call.myDomain(),
  caller: (call) => call.remoteUri(),
};

/** A variable's value; the built-ins (account, domain, caller, spelled so) come from the call. */
export function readVariable(name: string, vars: Variables, call: CallSession): Value {
  return Object.hasOwn(BUILTINS, name) ? BUILTINS[name]!(call) : vars.get(name);
}

/**
 * A template's text: `{{name}}` is the variable (or a built-in: account, domain, caller, spelled
 * so), spaces inside the braces do not count, `{{{{` is a literal `{{`, an unclosed `{{` is text.
 * A template that is one placeholder alone is that variable's value as it is (a recording stays bytes).
 */
export function fillTemplate(template: string, vars: Variables, call: CallSession): Value {
  const parts: Value[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('{{{{', i)) {
      text += '{{';
      i += 4;
      continue;
    }
    const close = template.startsWith('{{', i) ? template.indexOf('}}', i + 2) : -1;
    if (close < 0) {
      text += template[i];
      i++;
      continue;
    }
    if (text !== '') parts.push(text);
    text = '';
    parts.push(readVariable(template.slice(i + 2, close).trim(), vars, call));
    i = close + 2;
  }
  if (text !== '') parts.push(text);
  if (parts.length === 0) return '';
  if (parts.length === 1) return parts[0]!;
  // CG/PL's '+' joins texts only: a recording, or nothing recorded (null), in a text is an error
  if (parts.some((p) => typeof p !== 'string')) throw new FlowRuntimeError('a recording cannot be joined to text');
  return parts.join('');
}

/** CG/PL's Length: bytes of a text or a recording; 0 for nothing. */
export function lengthOf(v: Value): number {
  if (typeof v === 'string') return new TextEncoder().encode(v).length;
  return v === null ? 0 : v.length;
}

export interface WallClock {
  weekDay: string;
  /** Seconds since midnight. */
  seconds: number;
  year: number;
  month: number;
  day: number;
}

/** The call's time as read on a wall clock in `zone` (an IANA name; '' = the server's zone). */
export function wallClock(at: Date, zone: string | undefined): WallClock {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone || undefined,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const part = (type: string) => f.formatToParts(at).find((p) => p.type === type)?.value ?? '';
  return {
    weekDay: part('weekday'),
    seconds: Number(part('hour')) * 3600 + Number(part('minute')) * 60 + Number(part('second')),
    year: Number(part('year')),
    month: Number(part('month')),
    day: Number(part('day')),
  };
}

/** "HH:MM" as seconds since midnight ("24:00" is the end of the day); null when it is no time. */
export function clockTime(text: string): number | null {
  const m = /^(\d{1,2}):(\d\d)$/.exec(text.trim());
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 : null;
}
