import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FlowDocument } from '../../compiler/flow/schema';
import { selectProblems } from '../../designer/store/derived';
import {
  accountProblems,
  addAccount,
  addHours,
  addRule,
  removeAccount,
  removeHours,
  removeRule,
  renameAccount,
  toggleHoursDay,
  updateAccount,
  updateHours,
  updateRule,
} from '../../designer/panels/accountOps';
import { callbackFlow, testContext } from './helpers';

const accounts = (doc: FlowDocument) => doc.environment.accounts;

describe('account edits', () => {
  it('adds an account with a fresh valid name and no problems', () => {
    const doc = callbackFlow();
    const n = accounts(doc).length;
    const { doc: next, index } = addAccount(doc);
    expect(index).toBe(n);
    expect(accounts(next)[index]).toEqual({ name: 'user1', rules: [] });
    expect(accounts(addAccount(next).doc).map((a) => a.name)).toContain('user2');
    expect(accountProblems(selectProblems(next), index)).toEqual([]);
    expect(accounts(doc)).toHaveLength(n);
  });

  it('rename carries the default account along; remove clears it', () => {
    const doc = callbackFlow();
    expect(doc.environment.defaultAccount).toBe('ivanov');
    const renamed = renameAccount(doc, 0, 'sidorov');
    expect(accounts(renamed)[0]!.name).toBe('sidorov');
    expect(renamed.environment.defaultAccount).toBe('sidorov');
    const removed = removeAccount(renamed, 0);
    expect(accounts(removed).some((a) => a.name === 'sidorov')).toBe(false);
    expect(removed.environment.defaultAccount).toBe('');
    expect(selectProblems(removed).filter((p) => p.field === 'environment.defaultAccount')).toEqual([]);
    expect(removeAccount(doc, 99)).toBe(doc);
  });

  it('drops emptied optional fields instead of storing empty strings', () => {
    const doc = updateAccount(callbackFlow(), 0, { email: 'x@company.com', language: '' });
    expect(accounts(doc)[0]!.email).toBe('x@company.com');
    expect('language' in accounts(doc)[0]!).toBe(false);
    expect('email' in accounts(updateAccount(doc, 0, { email: '' }))[0]!).toBe(false);
  });

  it('edits working hours rows: add, change times, toggle days in week order, remove', () => {
    let doc = addAccount(callbackFlow()).doc;
    const i = accounts(doc).length - 1;
    doc = addHours(doc, i);
    expect(accounts(doc)[i]!.workingHours).toEqual([
      { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], from: '09:00', to: '18:00' },
    ]);
    doc = updateHours(doc, i, 0, { from: '10:00' });
    doc = toggleHoursDay(doc, i, 0, 'Wed');
    doc = toggleHoursDay(doc, i, 0, 'Sun');
    doc = toggleHoursDay(doc, i, 0, 'Wed');
    expect(accounts(doc)[i]!.workingHours![0]).toEqual({
      days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sun'],
      from: '10:00',
      to: '18:00',
    });
    doc = removeHours(doc, i, 0);
    expect(accounts(doc)[i]!.workingHours).toBeUndefined();
  });

  it('edits divert rules: add, change, remove', () => {
    let doc = addAccount(callbackFlow()).doc;
    const i = accounts(doc).length - 1;
    doc = addRule(doc, i);
    doc = addRule(doc, i, { when: 'always', to: '#voicemail' });
    doc = updateRule(doc, i, 0, { when: 'always', to: '#operator' });
    expect(accounts(doc)[i]!.rules).toEqual([
      { when: 'always', to: '#operator' },
      { when: 'always', to: '#voicemail' },
    ]);
    doc = removeRule(doc, i, 0);
    expect(accounts(doc)[i]!.rules).toEqual([{ when: 'always', to: '#voicemail' }]);
  });

  it('keeps every edit a valid flow document', () => {
    const op = fc.oneof(
      fc.constant((d: FlowDocument) => addAccount(d).doc),
      fc.nat(4).map((i) => (d: FlowDocument) => removeAccount(d, i)),
      fc.tuple(fc.nat(4), fc.string({ maxLength: 8 })).map(
        ([i, s]) =>
          (d: FlowDocument) =>
            renameAccount(d, i, s),
      ),
      fc.nat(4).map((i) => (d: FlowDocument) => addHours(d, i)),
      fc.tuple(fc.nat(4), fc.nat(2), fc.constantFrom('Mon', 'Sat', 'Sun' as const)).map(
        ([i, j, day]) =>
          (d: FlowDocument) =>
            toggleHoursDay(d, i, j, day),
      ),
      fc.tuple(fc.nat(4), fc.nat(2)).map(
        ([i, j]) =>
          (d: FlowDocument) =>
            removeHours(d, i, j),
      ),
      fc.nat(4).map((i) => (d: FlowDocument) => addRule(d, i)),
      fc.tuple(fc.nat(4), fc.nat(2), fc.string({ maxLength: 8 })).map(
        ([i, j, to]) =>
          (d: FlowDocument) =>
            updateRule(d, i, j, { to }),
      ),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        const doc = ops.reduce((d, f) => f(d), callbackFlow());
        expect(FlowDocument.safeParse(doc).success).toBe(true);
        expect(() => selectProblems(doc)).not.toThrow();
      }),
      { numRuns: 60 },
    );
  });
});

describe('account edits through the store', () => {
  it('typing a name is one undo step, and undo restores the accounts', () => {
    let t = 0;
    const ctx = testContext({ doc: callbackFlow(), now: () => t });
    const original = ctx.flow.getState().doc;
    const { change } = ctx.flow.getState();
    change((d) => addAccount(d).doc);
    const i = accounts(ctx.flow.getState().doc).length - 1;
    for (const name of ['p', 'pe', 'pet', 'petr']) {
      t += 100;
      change((d) => renameAccount(d, i, name), `account.${i}.name`);
    }
    expect(accounts(ctx.flow.getState().doc)[i]!.name).toBe('petr');
    ctx.flow.getState().undo();
    expect(accounts(ctx.flow.getState().doc)[i]!.name).toBe('user1');
    ctx.flow.getState().undo();
    expect(ctx.flow.getState().doc).toBe(original);
  });

  it('undo of a removal brings the account and the default back', () => {
    const ctx = testContext({ doc: callbackFlow() });
    const original = ctx.flow.getState().doc;
    ctx.flow.getState().change((d) => removeAccount(d, 0));
    expect(ctx.flow.getState().doc.environment.defaultAccount).toBe('');
    ctx.flow.getState().undo();
    expect(ctx.flow.getState().doc).toEqual(original);
  });
});

describe('validator problems for accounts', () => {
  it('an empty name reports the validator problem at that account', () => {
    const doc = addAccount(callbackFlow(), '').doc;
    const i = accounts(doc).length - 1;
    const problems = accountProblems(selectProblems(doc), i, 'name');
    expect(problems.map((p) => p.message)).toEqual(["'' is not an account name"]);
    expect(accountProblems(selectProblems(doc), 0, 'name')).toEqual([]);
  });

  it('a duplicate name, a bad e-mail, bad hours and an empty divert target are matched to their fields', () => {
    let doc = addAccount(callbackFlow(), 'IVANOV').doc;
    const i = accounts(doc).length - 1;
    doc = updateAccount(doc, i, { email: 'not an address' });
    doc = addHours(doc, i, { days: [], from: '18:00', to: '09:00' });
    doc = addRule(doc, i, { when: 'always', to: ' ' });
    const problems = selectProblems(doc);
    expect(accountProblems(problems, i, 'name')[0]!.message).toMatch(/listed twice/);
    expect(accountProblems(problems, i, 'email')).toHaveLength(1);
    expect(accountProblems(problems, i, 'workingHours[0]').map((p) => p.field)).toEqual([
      `environment.accounts[${i}].workingHours[0].days`,
      `environment.accounts[${i}].workingHours[0].to`,
    ]);
    expect(accountProblems(problems, i, 'rules[0]')[0]!.message).toMatch(/empty/);
    expect(accountProblems(problems, 0)).toEqual([]);
  });
});
