// ExecuteCLI for what PBX programs ask of the server's CLI: reading groups, accounts and their
// preferences, and changing a group's members. A run's PBX data is a copy: SETGROUP changes it for
// this run only. Any other command answers an error string — never a silent success.
import type { CallSession } from '../../call/api';
import { fromJs, type Dict, type Value } from '../values';
import { objectToString, parseObject } from './textFormat';

export const CLI_COMMANDS = [
  'GETGROUP',
  'SETGROUP',
  'LISTGROUPS',
  'GETACCOUNTPREFS',
  'GETACCOUNTEFFECTIVEPREFS',
  'LISTACCOUNTS',
  'GETACCOUNTALIASES',
  'NOOP',
] as const;

export interface CliAnswer {
  /** null when the command succeeded, else the error string ExecuteCLI returns. */
  error: string | null;
  /** What Vars().executeCLIResult becomes (null: nothing). */
  result: Value;
}

/** Runs one CLI command against the run's PBX data. */
export function executeCli(session: CallSession, command: string): CliAnswer {
  const text = command.trim();
  const space = text.search(/\s/);
  const verb = (space < 0 ? text : text.slice(0, space)).toUpperCase();
  const rest = space < 0 ? '' : text.slice(space + 1).trim();
  const dir = session.directory();
  const fail = (error: string): CliAnswer => ({ error, result: null });
  const ok = (result: Value): CliAnswer => ({ error: null, result });
  const [first = ''] = rest.split(/\s+/).filter((w) => w !== '');
  const name = unquote(first);
  switch (verb) {
    case 'NOOP':
      return ok(null);
    case 'GETGROUP': {
      const group = dir.group(name);
      if (!group) return fail('Unknown group name');
      const d: Dict = new Map<string, Value>([['Members', [...group.members]]]);
      if (group.realName !== undefined) d.set('RealName', group.realName);
      return ok(d);
    }
    case 'SETGROUP': {
      if (!dir.group(name)) return fail('Unknown group name');
      const parsed = parseObject(rest.slice(rest.indexOf(first) + first.length).trim());
      if (!parsed.ok || !(parsed.value instanceof Map)) return fail('SETGROUP: the settings must be a dictionary');
      const members = parsed.value.get('Members');
      if (!Array.isArray(members) || !members.every((m) => typeof m === 'string'))
        return fail('SETGROUP: Members must be an array of names');
      const realName = parsed.value.get('RealName');
      dir.setGroup(name, { members: members as string[], ...(typeof realName === 'string' ? { realName } : {}) });
      session.log(`ExecuteCLI SETGROUP ${name} ${objectToString(parsed.value)} (changed for this run only)`);
      return ok(null);
    }
    case 'LISTGROUPS':
      if (first && name.toLowerCase() !== dir.domain.toLowerCase()) return fail('Unknown domain name');
      return ok(dir.groupNames());
    case 'GETACCOUNTPREFS':
    case 'GETACCOUNTEFFECTIVEPREFS': {
      if (!dir.findAccount(name)) return fail('Unknown user name');
      return ok(fromJs(dir.account(name).preferences));
    }
    case 'LISTACCOUNTS': {
      if (first && name.toLowerCase() !== dir.domain.toLowerCase()) return fail('Unknown domain name');
      return ok(new Map(dir.pbx.accounts.map((a) => [a.name, 'macnt'])));
    }
    case 'GETACCOUNTALIASES': {
      const account = dir.findAccount(name);
      if (!account) return fail('Unknown user name');
      const domainWide = Object.entries(dir.pbx.aliases)
        .filter(([, to]) => to.toLowerCase() === account.name.toLowerCase())
        .map(([alias]) => alias);
      return ok([...(account.aliases ?? []), ...domainWide]);
    }
    default:
      return fail(`${verb || '(empty)'}: not supported by the local runtime (it runs ${CLI_COMMANDS.join(', ')})`);
  }
}

function unquote(word: string): string {
  return word.length >= 2 && word.startsWith('"') && word.endsWith('"') ? word.slice(1, -1) : word;
}
