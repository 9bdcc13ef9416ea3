// The PBX environment: the domain a program runs in — accounts (e-mail, password, language, time
// zone, working hours, divert rules, any preference, how the account's phone behaves in a simulated
// call), groups, aliases, and other parties a simulated call may dial. One file per workspace folder,
// `pbx.json` (documented in docs/runtime.md); a flow may still carry the same object inline.
import { z } from 'zod';
import { TimeRange } from './hours';
import type { Problem } from './problems';

export const PBX_FORMAT = 'ivr-studio/pbx@1';
/** The environment file of a workspace folder. */
export const PBX_FILE = 'pbx.json';

/** A preference value: what CommuniGate keeps in account settings (strings, arrays, dictionaries). */
const PreferenceValue = z.json();

/**
 * The schemas, lenient (a flow's inline environment: unknown fields are dropped, as elsewhere in a
 * flow) or strict (pbx.json: an unknown field is a mistake worth an error).
 */
function schemas(strict: boolean) {
  const shape = <T extends z.ZodRawShape>(fields: T) => (strict ? z.object(fields).strict() : z.object(fields));
  /**
   * How a party's phone behaves when a simulated call rings it: it answers (after `ringSeconds`,
   * default 3), is busy, never answers, is not registered (no device), or rejects the call (after
   * `ringSeconds`, default 0). `talkSeconds`: after answering it hangs up that much later (absent: it
   * stays until the other side hangs up).
   */
  const PhoneBehaviour = shape({
    status: z.enum(['answers', 'busy', 'noAnswer', 'unregistered', 'rejects']).default('answers'),
    ringSeconds: z.number().min(0).max(3600).optional(),
    talkSeconds: z.number().positive().max(86_400).optional(),
  });

  const DivertRule = shape({
    /** 'always' | 'afterhours' (outside the account's working hours) */
    when: z.enum(['always', 'afterhours']),
    /** The application that takes the call: "#callback" style or an app name. */
    to: z.string(),
  });

  const Account = shape({
    name: z.string(),
    realName: z.string().optional(),
    /** Defaults to name@domain. */
    email: z.string().optional(),
    /** For the SIP registrar (a later issue); never shown by the runtime. */
    password: z.string().optional(),
    language: z.string().optional(),
    /** IANA time zone name; default: the domain's. */
    timeZone: z.string().optional(),
    workingHours: z.array(TimeRange).optional(),
    rules: z.array(DivertRule).default([]),
    /** Any other account preference, as GetAccountPreferences returns it. */
    preferences: z.record(z.string(), PreferenceValue).optional(),
    /** Other names (extensions) that route to this account, e.g. "1001". */
    aliases: z.array(z.string()).optional(),
    /** How this account's phone behaves in a simulated call (default: answers after 3 s). */
    phone: PhoneBehaviour.optional(),
  });

  const Group = shape({
    name: z.string(),
    realName: z.string().optional(),
    /** Account names of this domain, or full e-mail addresses. */
    members: z.array(z.string()).default([]),
  });

  const PbxEnvironment = shape({
    /** `ivr-studio/pbx@1` in a pbx.json file; absent in a flow's inline environment. */
    format: z.literal(PBX_FORMAT).optional(),
    domain: z.string().default('company.com'),
    /** The account a simulated call runs for when none is chosen. */
    defaultAccount: z.string().default(''),
    timeZone: z.string().default(''),
    accounts: z.array(Account).default([]),
    groups: z.array(Group).default([]),
    /** Alias → account name (domain-wide aliases, e.g. "200": "pbx"). */
    aliases: z.record(z.string(), z.string()).default({}),
    /** Addresses outside the accounts a simulated call may dial (a URI or number → its phone). */
    parties: z.record(z.string(), PhoneBehaviour).default({}),
  });

  return { PhoneBehaviour, DivertRule, Account, Group, PbxEnvironment };
}

const lenient = schemas(false);
export const { PhoneBehaviour, DivertRule, Account, Group, PbxEnvironment } = lenient;
/** pbx.json: the same fields, unknown ones refused. */
export const PbxFileSchema = schemas(true).PbxEnvironment;

export type PhoneBehaviour = z.infer<typeof PhoneBehaviour>;
export type Account = z.infer<typeof Account>;
export type Group = z.infer<typeof Group>;
export type PbxEnvironment = z.infer<typeof PbxEnvironment>;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
export const HOSTNAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);
export const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const EMAIL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+$/;

export interface PbxCheckOptions {
  /** Prefix of every problem's path ("environment." inside a flow, "" for pbx.json). */
  at?: string;
  /** The flow's languages: an account speaking another one gets a warning. */
  languages?: readonly string[];
}

/** Semantic checks of an environment zod accepted: names, references, times. Never throws. */
export function pbxProblems(env: PbxEnvironment, options: PbxCheckOptions = {}): Problem[] {
  const out: Problem[] = [];
  const base = options.at ?? '';
  const error = (path: string, message: string) => {
    out.push({ severity: 'error', code: 'FLOW350', message, field: base + path, path: base + path });
  };
  const warning = (path: string, message: string) => {
    out.push({ severity: 'warning', code: 'FLOW350', message, field: base + path, path: base + path });
  };

  if (!HOSTNAME.test(env.domain)) error('domain', `'${env.domain}' is not a domain name`);
  if (env.timeZone !== '' && !isTimeZone(env.timeZone)) error('timeZone', `'${env.timeZone}' is not a time zone name`);
  const names = new Map<string, string>();
  env.accounts.forEach((account, i) => {
    const at = `accounts[${i}]`;
    if (!ACCOUNT_NAME.test(account.name)) error(`${at}.name`, `'${account.name}' is not an account name`);
    if (names.has(account.name.toLowerCase())) error(`${at}.name`, `account '${account.name}' is listed twice`);
    names.set(account.name.toLowerCase(), account.name);
    if (account.email !== undefined && !EMAIL.test(account.email))
      error(`${at}.email`, `'${account.email}' is not an e-mail address (name@domain)`);
    if (account.timeZone !== undefined && !isTimeZone(account.timeZone))
      error(`${at}.timeZone`, `'${account.timeZone}' is not a time zone name`);
    if (account.language !== undefined && options.languages && !options.languages.includes(account.language)) {
      warning(
        `${at}.language`,
        `account ${account.name} uses ${account.language}, which is not one of the flow's languages`,
      );
    }
    (account.workingHours ?? []).forEach((range, j) => {
      for (const [field, message] of timeRangeProblems(range)) error(`${at}.workingHours[${j}].${field}`, message);
    });
    account.rules.forEach((rule, j) => {
      if (rule.to.trim() === '') error(`${at}.rules[${j}].to`, 'the application to divert to is empty');
      if (rule.when === 'afterhours' && !account.workingHours?.length) {
        warning(
          `${at}.rules[${j}].when`,
          `account ${account.name} has no working hours, so 'afterhours' never applies`,
        );
      }
    });
  });
  const aliasOwners = new Map<string, string>();
  const alias = (path: string, name: string, owner: string) => {
    const key = name.toLowerCase();
    if (!ACCOUNT_NAME.test(name)) error(path, `'${name}' is not an alias name`);
    else if (names.has(key)) error(path, `alias '${name}' is also an account name`);
    else if (aliasOwners.has(key) && aliasOwners.get(key) !== owner)
      error(path, `alias '${name}' already names account ${aliasOwners.get(key)}`);
    aliasOwners.set(key, owner);
  };
  env.accounts.forEach((account, i) => {
    for (const [j, a] of (account.aliases ?? []).entries()) alias(`accounts[${i}].aliases[${j}]`, a, account.name);
  });
  for (const [name, target] of Object.entries(env.aliases)) {
    const path = `aliases[${JSON.stringify(name)}]`;
    if (!names.has(target.toLowerCase())) error(path, `alias '${name}' names '${target}', which is not an account`);
    else alias(path, name, names.get(target.toLowerCase())!);
  }
  const groups = new Set<string>();
  env.groups.forEach((group, i) => {
    const at = `groups[${i}]`;
    if (!ACCOUNT_NAME.test(group.name)) error(`${at}.name`, `'${group.name}' is not a group name`);
    if (groups.has(group.name.toLowerCase())) error(`${at}.name`, `group '${group.name}' is listed twice`);
    if (names.has(group.name.toLowerCase())) error(`${at}.name`, `group '${group.name}' is also an account name`);
    groups.add(group.name.toLowerCase());
    group.members.forEach((m, j) => {
      const local = !m.includes('@') || m.toLowerCase().endsWith(`@${env.domain.toLowerCase()}`);
      const name = m.includes('@') ? m.slice(0, m.indexOf('@')) : m;
      if (m.includes('@') && !EMAIL.test(m)) error(`${at}.members[${j}]`, `'${m}' is not an e-mail address`);
      else if (local && !names.has(name.toLowerCase()))
        error(`${at}.members[${j}]`, `'${m}' is not an account of ${env.domain}`);
    });
  });
  if (env.defaultAccount !== '' && env.accounts.length > 0 && !names.has(env.defaultAccount.toLowerCase())) {
    error('defaultAccount', `'${env.defaultAccount}' is not one of the environment's accounts`);
  }
  return out;
}

export function timeRangeProblems(range: TimeRange): [string, string][] {
  const found: [string, string][] = [];
  if (range.days.length === 0) found.push(['days', 'pick at least one day']);
  const fromOk = TIME.test(range.from);
  // `to` is exclusive, so 24:00 is how a range runs to midnight.
  const toOk = TIME.test(range.to) || range.to === '24:00';
  if (!fromOk) found.push(['from', `'${range.from}' is not a time written HH:MM`]);
  if (!toOk) found.push(['to', `'${range.to}' is not a time written HH:MM`]);
  if (fromOk && toOk && range.from >= range.to)
    found.push(['to', `ends (${range.to}) before it starts (${range.from})`]);
  return found;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
