// The PBX data of one run, read from the environment (pbx.json or a flow's inline environment):
// accounts and their effective preferences, aliases, groups, routing of local addresses, and the
// phone each party has in a simulated call. Groups can change during a run (ExecuteCLI SETGROUP);
// the change stays in this run's copy, never in the file.
import type { Account, PbxEnvironment, PhoneBehaviour } from '../../compiler/flow/pbx';
import { PbxEnvironment as PbxSchema } from '../../compiler/flow/pbx';

export interface AccountInfo {
  name: string;
  email: string;
  domain: string;
  realName?: string;
  language: string;
  /** GetAccountPreferences: Language, RealName, TimeZone, then the account's own preferences. */
  preferences: Record<string, unknown>;
}

/** A phone that answers after 3 s: what an account without a `phone` does in a simulated call. */
export const DEFAULT_PHONE: PhoneBehaviour = { status: 'answers', ringSeconds: 3 };

export class Directory {
  readonly pbx: PbxEnvironment;
  private readonly groups: Map<string, { name: string; realName?: string; members: string[] }>;

  constructor(
    pbx: PbxEnvironment | undefined,
    readonly defaultLanguage = 'english',
  ) {
    this.pbx = pbx ?? PbxSchema.parse({});
    this.groups = new Map(this.pbx.groups.map((g) => [g.name.toLowerCase(), { ...g, members: [...g.members] }]));
  }

  get domain(): string {
    return this.pbx.domain;
  }

  /** Account name or e-mail → the account; unknown names become name@domain with default settings. */
  account(nameOrEmail?: string): AccountInfo {
    const wanted = (nameOrEmail ?? '').trim() || this.pbx.defaultAccount || 'pbx';
    const found = this.findAccount(wanted);
    const at = wanted.indexOf('@');
    const localPart = at >= 0 ? wanted.slice(0, at) : wanted;
    const domain = at >= 0 ? wanted.slice(at + 1) : this.pbx.domain;
    const email = found ? this.emailOf(found) : `${localPart}@${domain}`;
    const language = found?.language ?? this.defaultLanguage;
    const preferences: Record<string, unknown> = { Language: language };
    if (found?.realName !== undefined) preferences.RealName = found.realName;
    const zone = found?.timeZone || this.pbx.timeZone;
    if (zone) preferences.TimeZone = zone;
    Object.assign(preferences, found?.preferences ?? {});
    const info: AccountInfo = {
      name: found?.name ?? localPart,
      email,
      domain: email.slice(email.indexOf('@') + 1),
      language,
      preferences,
    };
    if (found?.realName !== undefined) info.realName = found.realName;
    return info;
  }

  /** The environment's account for a name, an alias or an e-mail address of this domain. */
  findAccount(nameOrEmail: string): Account | undefined {
    const wanted = nameOrEmail.trim().toLowerCase();
    const at = wanted.indexOf('@');
    if (at >= 0) {
      const byEmail = this.pbx.accounts.find((a) => this.emailOf(a).toLowerCase() === wanted);
      if (byEmail || wanted.slice(at + 1) !== this.pbx.domain.toLowerCase()) return byEmail;
      return this.findAccount(wanted.slice(0, at));
    }
    const direct = this.pbx.accounts.find((a) => a.name.toLowerCase() === wanted);
    if (direct) return direct;
    const aliased = Object.entries(this.pbx.aliases).find(([alias]) => alias.toLowerCase() === wanted)?.[1];
    if (aliased !== undefined) return this.pbx.accounts.find((a) => a.name.toLowerCase() === aliased.toLowerCase());
    return this.pbx.accounts.find((a) => (a.aliases ?? []).some((x) => x.toLowerCase() === wanted));
  }

  emailOf(account: Account): string {
    return account.email ?? `${account.name}@${this.pbx.domain}`;
  }

  /**
   * RouteLocalURI: "sip:1001@company.com", "<sip:ivanov@company.com>", "ivanov" → the account's
   * e-mail, following aliases; null for an address that is not an account here.
   */
  route(uri: string): string | null {
    const address = addressOf(uri);
    if (address === null) return null;
    const found = this.findAccount(address.includes('@') ? address : `${address}@${this.pbx.domain}`);
    return found ? this.emailOf(found) : null;
  }

  /** The members of a group as e-mail addresses, null when there is no such group. */
  groupMembers(name: string): string[] | null {
    const group = this.group(name);
    if (!group) return null;
    return group.members.map((m) => (m.includes('@') ? m : `${m}@${this.pbx.domain}`));
  }

  group(name: string): { name: string; realName?: string; members: string[] } | undefined {
    const wanted = name.trim().toLowerCase();
    const at = wanted.indexOf('@');
    if (at >= 0 && wanted.slice(at + 1) !== this.pbx.domain.toLowerCase()) return undefined;
    return this.groups.get(at >= 0 ? wanted.slice(0, at) : wanted);
  }

  groupNames(): string[] {
    return [...this.groups.values()].map((g) => g.name);
  }

  /** SETGROUP in this run: the members and real name as given. */
  setGroup(name: string, settings: { realName?: string; members: string[] }): boolean {
    const group = this.group(name);
    if (!group) return false;
    group.members = [...settings.members];
    if (settings.realName !== undefined) group.realName = settings.realName;
    return true;
  }

  /** How the phone at an address behaves: the account's, a listed party's, or null (nobody there). */
  phoneAt(target: string): { who: string; phone: PhoneBehaviour } | null {
    const listed = Object.entries(this.pbx.parties).find(
      ([key]) =>
        key.toLowerCase() === target.trim().toLowerCase() || key.toLowerCase() === addressOf(target)?.toLowerCase(),
    );
    if (listed) return { who: listed[0], phone: listed[1] };
    const email = this.route(target);
    if (email === null) return null;
    const account = this.findAccount(email)!;
    return { who: account.name, phone: account.phone ?? DEFAULT_PHONE };
  }
}

/** "sip:user@host;tag" / "<sip:user@host>" / "tel:+1555" / "user@host" / "user" → "user@host" or "user". */
export function addressOf(uri: string): string | null {
  let t = uri.trim();
  const angle = /<([^>]*)>/.exec(t);
  if (angle) t = angle[1] as string;
  t = t.replace(/^(sips?|tel):/i, '');
  t = t.split(/[;?]/)[0] as string;
  if (t === '' || /\s/.test(t)) return null;
  return t;
}
