// Which program takes a call, CommuniGate style: the request-URI user names an application
// ("callback": runs for the environment's default account), an account ("ivanov": its rules apply —
// afterhours → #callback when outside its working hours, always → an app), or both in CommuniGate's
// forms ("callback#ivanov", "callback{a,b}#ivanov"). Only the environment's accounts and domain are
// served: the caller can never make up an account (and with it the e-mail address MyEmail() gives).
import type { Program } from '../host/program';
import { PbxEnvironment, type Account, type TimeRange } from '../../compiler/flow/schema';

export type Route =
  | { ok: true; program: Program; account: string | undefined; why: string; startParameter?: string[] }
  | { ok: false; status: 404 | 480; reason: string };

/** The Request-URI's user (decoded once, see message/uri.ts) and host. */
export interface CallTarget {
  user: string;
  /** Checked against the environment's domain and our own addresses when given. */
  host?: string;
}

/** The PBX accounts: from the first program whose environment (pbx.json or a flow's) declares any. */
export function pbxOf(programs: readonly Program[]): PbxEnvironment {
  const withAccounts = programs.find((p) => (p.environment.directory?.pbx.accounts.length ?? 0) > 0);
  return withAccounts?.environment.directory?.pbx ?? PbxEnvironment.parse({});
}

// CommuniGate's application addresses: app#account and app{p1,p2}#account (the braces carry the
// start parameters, Vars().startParameter). Anything else with '#' or braces is not an address.
const APP_ADDRESS = /^([^#{}@]+)(?:\{([^{}]*)\})?#([^#{}@]+)$/;

/**
 * @example
 *   routeCall({ user: 'ivanov', host: 'company.com' }, programs, pbx, new Date('2026-11-29T23:00:00+03:00'))
 *   // → { ok: true, program: callback, account: 'ivanov', why: 'ivanov: afterhours → #callback' }
 */
export function routeCall(
  target: CallTarget,
  programs: readonly Program[],
  pbx: PbxEnvironment,
  now: Date,
  ours: (host: string) => boolean = () => false,
): Route {
  const user = target.user.trim();
  if (target.host !== undefined && target.host.toLowerCase() !== pbx.domain.toLowerCase() && !ours(target.host))
    return { ok: false, status: 404, reason: `${target.host} is not served here (the domain is ${pbx.domain})` };
  const byName = (name: string) => programs.find((p) => p.name.toLowerCase() === name.replace(/^#/, '').toLowerCase());
  const accountNamed = (name: string) => pbx.accounts.find((a) => a.name.toLowerCase() === name.toLowerCase());

  if (user === '' && programs.length === 1)
    return { ok: true, program: programs[0]!, account: undefined, why: 'the only program' };
  if (/[#{}]/.test(user)) {
    const m = APP_ADDRESS.exec(user);
    if (!m) return { ok: false, status: 404, reason: `'${user}' is not app#account or app{parameters}#account` };
    const program = byName(m[1]!);
    if (!program) return { ok: false, status: 404, reason: `no application '${m[1]}'` };
    const account = accountNamed(m[3]!);
    if (!account) return { ok: false, status: 404, reason: `no account '${m[3]}' in ${pbx.domain}` };
    const startParameter = m[2] === undefined ? undefined : m[2] === '' ? [] : m[2].split(',');
    return {
      ok: true,
      program,
      account: account.name,
      why: `${program.name}${startParameter ? `{${startParameter.join(',')}}` : ''} for ${account.name}`,
      ...(startParameter ? { startParameter } : {}),
    };
  }
  const app = byName(user);
  if (app) return { ok: true, program: app, account: undefined, why: `${app.name} for the default account` };
  const account = accountNamed(user);
  if (!account) return { ok: false, status: 404, reason: `no application or account '${user}'` };
  for (const rule of account.rules) {
    if (rule.when === 'afterhours' && withinHours(account, pbx.timeZone, now)) continue;
    const program = byName(rule.to);
    if (!program)
      return {
        ok: false,
        status: 404,
        reason: `${account.name}: rule ${rule.when} → ${rule.to}, but no such application is loaded`,
      };
    return { ok: true, program, account: account.name, why: `${account.name}: ${rule.when} → ${rule.to}` };
  }
  // In CommuniGate the call would ring the account's phones; there are none here.
  return { ok: false, status: 480, reason: `${account.name}: no rule applies now (within working hours)` };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** Inside the account's working hours at `now`, in the PBX time zone (the host's when unset or unknown). */
export function withinHours(account: Account, timeZone: string, now: Date): boolean {
  const ranges = account.workingHours ?? [];
  if (ranges.length === 0) return false;
  const { day, minutes } = localTime(now, timeZone);
  return ranges.some((r) => r.days.includes(day as TimeRange['days'][number]) && inRange(minutes, r));
}

function inRange(minutes: number, r: TimeRange): boolean {
  const from = hhmm(r.from);
  const to = hhmm(r.to);
  if (from === null || to === null) return false;
  return from <= to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
}

function hhmm(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

function localTime(now: Date, timeZone: string): { day: string; minutes: number } {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: timeZone || undefined,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(now);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return { day: get('weekday'), minutes: Number(get('hour')) * 60 + Number(get('minute')) };
  } catch {
    return { day: DAYS[now.getDay()]!, minutes: now.getHours() * 60 + now.getMinutes() };
  }
}
