// The environment's account settings on the server: each account's Language preference, and its
// divert rules as Signal Rules. Only what the environment says is changed: other preferences stay,
// other rules stay; our rules carry the "IVR Studio:" name prefix so a re-deploy replaces them (and
// removes those the environment no longer has).
//
// Rule texts: a Rule is (priority, name, conditions, actions, comment). "always" is one rule with no
// condition, redirecting to the application. "afterhours" needs "not in any working-hours range",
// which conditions (all must hold) cannot say in one rule; so each range is a higher-priority rule
// that stops rule processing while it holds (the call then rings the account as usual), and the
// redirect rule below it catches the rest. The condition names ("Current Day", "Current Time") are
// CommuniGate's universal Rule conditions as we understood them; no server was at hand to confirm
// their spelling — docs/deploy.md says so, and this is the one place to change it.
import type { Account, PbxEnvironment, TimeRange } from '../../compiler/flow/schema';
import { cliEqual, describeCli, type CliDict, type CliValue } from './cliData';
import { deleteAccountSignalRule, updateAccountPrefs, updateAccountSignalRule, type Command } from './commands';

export const RULE_PREFIX = 'IVR Studio: ';
// Priorities go as plain words ("5"), the way WebAdmin and the Perl CLI module write them.
const REDIRECT_PRIORITY = 5;
const HOURS_PRIORITY = 6;

export type Rule = CliValue[];

export interface AccountWanted {
  /** name@domain */
  account: string;
  prefs: CliDict;
  rules: Rule[];
}

export interface AccountChange {
  account: string;
  /** "Language: english → russian" style lines, for the diff shown before applying. */
  lines: string[];
  commands: Command[];
}

/** What the environment wants each account to have. */
export function wantedAccounts(pbx: PbxEnvironment, domain: string): AccountWanted[] {
  return pbx.accounts.map((a) => ({
    account: a.email && !a.email.endsWith(`@${pbx.domain}`) ? a.email : `${a.name}@${domain}`,
    prefs: new Map(a.language ? [['Language', a.language]] : []),
    rules: rulesOf(a),
  }));
}

function rulesOf(account: Account): Rule[] {
  const rules: Rule[] = [];
  account.rules.forEach((r, i) => {
    const target = r.to.startsWith('#') || r.to.includes('@') ? r.to : `#${r.to}`;
    // earlier rules of the environment win, as they do in the local runtime
    const redirect = String(REDIRECT_PRIORITY - Math.min(i, 4));
    if (r.when === 'afterhours') {
      (account.workingHours ?? []).forEach((range, n) => {
        rules.push([
          String(HOURS_PRIORITY + Math.min(i, 3)),
          `${RULE_PREFIX}${account.name} working hours ${n + 1}${i > 0 ? ` (rule ${i + 1})` : ''}`,
          hoursConditions(range),
          [['Stop Processing']],
          'Inside working hours the call rings as usual (made by IVR Studio deploy)',
        ]);
      });
    }
    rules.push([
      redirect,
      `${RULE_PREFIX}${r.when} → ${target}`,
      [],
      [['Redirect to', target]],
      `Divert ${r.when === 'always' ? 'every call' : 'calls outside working hours'} to ${target} (made by IVR Studio deploy)`,
    ]);
  });
  return rules;
}

function hoursConditions(range: TimeRange): CliValue[] {
  return [
    ['Current Day', 'in', range.days.join(',')],
    ['Current Time', 'in', `${range.from}-${range.to}`],
  ];
}

/** The commands and the diff lines that bring one account from what the server has to what is wanted. */
export function accountChange(
  wanted: AccountWanted,
  prefs: CliValue | undefined,
  rules: CliValue | undefined,
): AccountChange {
  const lines: string[] = [];
  const commands: Command[] = [];
  const have = prefs instanceof Map ? prefs : new Map<string, CliValue>();
  const changedPrefs: CliDict = new Map();
  for (const [key, value] of wanted.prefs) {
    const now = have.get(key);
    if (now !== undefined && cliEqual(now, value)) continue;
    changedPrefs.set(key, value);
    lines.push(`${key}: ${now === undefined ? '(default)' : describeCli(now)} → ${describeCli(value)}`);
  }
  if (changedPrefs.size > 0) commands.push(updateAccountPrefs(wanted.account, changedPrefs));

  const ours = new Map<string, Rule>();
  for (const r of Array.isArray(rules) ? rules : []) {
    if (Array.isArray(r) && typeof r[1] === 'string' && r[1].startsWith(RULE_PREFIX)) ours.set(r[1], r);
  }
  for (const rule of wanted.rules) {
    const name = rule[1] as string;
    const before = ours.get(name);
    ours.delete(name);
    if (before && cliEqual(before, rule)) continue;
    lines.push(`${before ? 'replace' : 'add'} rule ${describeCli(rule)}`);
    commands.push(updateAccountSignalRule(wanted.account, rule));
  }
  for (const name of ours.keys()) {
    lines.push(`remove rule "${name}"`);
    commands.push(deleteAccountSignalRule(wanted.account, name));
  }
  return { account: wanted.account, lines, commands };
}
