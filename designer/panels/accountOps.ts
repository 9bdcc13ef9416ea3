// Pure edits of the PBX environment's accounts. The accounts editor passes these to the store's
// change(), so an edit made from the form, a test or a script is the same undoable step.
import type { Account, FlowDocument, TimeRange } from '../../compiler/flow/schema';
import type { Problem } from '../../compiler/flow/problems';
import { freshId } from '../store/docOps';

/** The schema exports DivertRule only as a zod value; this is its type. */
export type DivertRule = Account['rules'][number];

export const NEW_HOURS: TimeRange = { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], from: '09:00', to: '18:00' };
export const NEW_RULE: DivertRule = { when: 'afterhours', to: '#callback' };

function withAccounts(doc: FlowDocument, accounts: Account[]): FlowDocument {
  return { ...doc, environment: { ...doc.environment, accounts } };
}

/** Adds an account with a fresh name (user1, user2 …); returns its index. */
export function addAccount(doc: FlowDocument, name?: string): { doc: FlowDocument; index: number } {
  const taken = new Set(doc.environment.accounts.map((a) => a.name.toLowerCase()));
  const account: Account = { name: name ?? freshId('user', taken), rules: [] };
  const accounts = [...doc.environment.accounts, account];
  return { doc: withAccounts(doc, accounts), index: accounts.length - 1 };
}

/** Removes an account; the default account is cleared when it was this one, so it names no ghost. */
export function removeAccount(doc: FlowDocument, index: number): FlowDocument {
  const gone = doc.environment.accounts[index];
  if (!gone) return doc;
  const next = withAccounts(
    doc,
    doc.environment.accounts.filter((_, i) => i !== index),
  );
  const wasDefault =
    doc.environment.defaultAccount !== '' && doc.environment.defaultAccount.toLowerCase() === gone.name.toLowerCase();
  return wasDefault ? { ...next, environment: { ...next.environment, defaultAccount: '' } } : next;
}

/**
 * Merges a patch into one account. Optional fields set to '' (or an empty hours list) are dropped,
 * so "no e-mail" means name@domain as the schema says, not an empty address.
 */
export function updateAccount(doc: FlowDocument, index: number, patch: Partial<Account>): FlowDocument {
  const old = doc.environment.accounts[index];
  if (!old) return doc;
  const merged: Account = { ...old, ...patch };
  for (const key of ['realName', 'email', 'language'] as const) {
    if (merged[key] === '' || merged[key] === undefined) delete merged[key];
  }
  if (merged.workingHours !== undefined && merged.workingHours.length === 0) delete merged.workingHours;
  const accounts = doc.environment.accounts.map((a, i) => (i === index ? merged : a));
  const next = withAccounts(doc, accounts);
  // The default account follows a rename rather than pointing at a name that no longer exists.
  if (patch.name !== undefined && old.name !== '' && doc.environment.defaultAccount === old.name) {
    return { ...next, environment: { ...next.environment, defaultAccount: patch.name } };
  }
  return next;
}

export function renameAccount(doc: FlowDocument, index: number, name: string): FlowDocument {
  return updateAccount(doc, index, { name });
}

function hoursOf(doc: FlowDocument, index: number): TimeRange[] {
  return doc.environment.accounts[index]?.workingHours ?? [];
}

export function addHours(doc: FlowDocument, index: number, range: TimeRange = NEW_HOURS): FlowDocument {
  return updateAccount(doc, index, { workingHours: [...hoursOf(doc, index), { ...range, days: [...range.days] }] });
}

export function updateHours(doc: FlowDocument, index: number, row: number, patch: Partial<TimeRange>): FlowDocument {
  const hours = hoursOf(doc, index);
  if (!hours[row]) return doc;
  return updateAccount(doc, index, { workingHours: hours.map((r, j) => (j === row ? { ...r, ...patch } : r)) });
}

export function removeHours(doc: FlowDocument, index: number, row: number): FlowDocument {
  const hours = hoursOf(doc, index);
  if (!hours[row]) return doc;
  return updateAccount(doc, index, { workingHours: hours.filter((_, j) => j !== row) });
}

/** Switches one day of a working-hours row on or off, keeping the days in week order. */
export function toggleHoursDay(
  doc: FlowDocument,
  index: number,
  row: number,
  day: TimeRange['days'][number],
): FlowDocument {
  const range = hoursOf(doc, index)[row];
  if (!range) return doc;
  const week: TimeRange['days'] = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const on = range.days.includes(day);
  return updateHours(doc, index, row, { days: week.filter((d) => (d === day ? !on : range.days.includes(d))) });
}

function rulesOf(doc: FlowDocument, index: number): DivertRule[] {
  return doc.environment.accounts[index]?.rules ?? [];
}

export function addRule(doc: FlowDocument, index: number, rule: DivertRule = NEW_RULE): FlowDocument {
  if (!doc.environment.accounts[index]) return doc;
  return updateAccount(doc, index, { rules: [...rulesOf(doc, index), { ...rule }] });
}

export function updateRule(doc: FlowDocument, index: number, row: number, patch: Partial<DivertRule>): FlowDocument {
  const rules = rulesOf(doc, index);
  if (!rules[row]) return doc;
  return updateAccount(doc, index, { rules: rules.map((r, j) => (j === row ? { ...r, ...patch } : r)) });
}

export function removeRule(doc: FlowDocument, index: number, row: number): FlowDocument {
  const rules = rulesOf(doc, index);
  if (!rules[row]) return doc;
  return updateAccount(doc, index, { rules: rules.filter((_, j) => j !== row) });
}

/**
 * The environment problems about one account, or one of its fields: `field` is relative to the
 * account, e.g. "name", "workingHours[0]" or "rules[1].to".
 */
export function accountProblems(problems: readonly Problem[], index: number, field?: string): Problem[] {
  const base = `environment.accounts[${index}]`;
  const path = field === undefined ? base : `${base}.${field}`;
  return problems.filter(
    (p) =>
      p.nodeId === undefined &&
      p.field !== undefined &&
      (p.field === path || p.field.startsWith(`${path}.`) || p.field.startsWith(`${path}[`)),
  );
}
