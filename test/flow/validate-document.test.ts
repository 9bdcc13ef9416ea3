import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateFlow, type Problem } from '../../compiler/flow';
import { about, around, errors, flowOf, warnings } from './helpers';

const play = (prompts: string[]) => ({ id: 'p', type: 'play', data: { prompts } });
const docProblems = (extra: Record<string, unknown>, field: string, pick = errors): string[] =>
  about(pick(validateFlow(around({ id: 'n', type: 'hangup' }, extra))), undefined, field).map((p) => p.message);

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('prompts', () => {
  const library = {
    CallbackBusy: { files: { english: 'CallbackBusy.wav', russian: 'russian/CallbackBusy.wav' } },
    Failure: { files: { english: 'Failure.wav', russian: '' } },
  };
  const languages = { languages: ['english', 'russian'] };

  it('reports prompts used by nodes but missing from the library', () => {
    const problems = validateFlow(
      around(play(['CallbackBusy', 'Nope', 'constructor']), { prompts: library, ...languages }),
    );
    expect(about(errors(problems), 'p', 'prompts').map((p) => p.message)).toEqual([
      "prompt 'Nope' is not in the prompt library",
      "prompt 'constructor' is not in the prompt library",
    ]);
  });

  it('checks every prompt list of menus and digit collection', () => {
    const menu = {
      id: 'm',
      type: 'menu',
      data: { options: [{ digit: '1' }], invalidPrompts: ['X'], noInputPrompts: ['Y'] },
    };
    expect(errors(validateFlow(around(menu))).map((p) => p.field)).toEqual(['invalidPrompts', 'noInputPrompts']);
    const collect = { id: 'c', type: 'collectDigits', data: { clearPrompts: ['Z'] } };
    expect(errors(validateFlow(around(collect))).map((p) => p.field)).toEqual(['clearPrompts']);
  });

  it('warns once per language a prompt has no recording for', () => {
    const problems = validateFlow(around(play(['Failure']), { prompts: library, ...languages }));
    expect(warnings(problems)).toEqual([
      {
        severity: 'warning',
        code: 'FLOW320',
        message: 'prompt Failure has no russian recording',
        field: 'prompts.Failure.files.russian',
      },
    ]);
  });

  it('checks files on disk only when given a base folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-flow-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'russian'));
    writeFileSync(join(dir, 'CallbackBusy.wav'), '');
    const flow = around(play(['CallbackBusy']), { prompts: { CallbackBusy: library.CallbackBusy }, ...languages });
    expect(validateFlow(flow)).toEqual([]);
    expect(validateFlow(flow, { baseDir: dir })).toEqual([
      {
        severity: 'error',
        code: 'FLOW320',
        field: 'prompts.CallbackBusy.files.russian',
        message: "prompt CallbackBusy: russian file 'russian/CallbackBusy.wav' does not exist",
      },
    ]);
    writeFileSync(join(dir, 'russian', 'CallbackBusy.wav'), '');
    expect(validateFlow(flow, { baseDir: dir })).toEqual([]);
    const asked: string[] = [];
    validateFlow(flow, { fileExists: (f) => (asked.push(f), true) });
    expect(asked).toEqual(['CallbackBusy.wav', 'russian/CallbackBusy.wav']);
  });
});

describe('variables and languages', () => {
  it('needs valid, unique variable names (case-insensitively, as in CG/PL)', () => {
    const variables = [{ name: 'phone' }, { name: 'Phone' }, { name: '2x' }, { name: 'stop' }];
    expect(docProblems({ variables }, 'variables[1].name')).toEqual(["variable 'Phone' is declared twice"]);
    expect(docProblems({ variables }, 'variables[2].name')).toHaveLength(1);
    expect(docProblems({ variables }, 'variables[3].name')).toEqual([
      "'stop' is a CG/PL keyword: rename it, e.g. 'myStop'",
    ]);
    expect(docProblems({ variables }, 'variables[0].name')).toEqual([]);
  });

  it('needs at least one language and the default among them', () => {
    expect(docProblems({ languages: [] }, 'languages')).toEqual(['the flow needs at least one language']);
    expect(docProblems({ languages: ['english', 'russian'], defaultLanguage: 'french' }, 'defaultLanguage')).toEqual([
      "'french' is not one of the flow's languages (english, russian)",
    ]);
    expect(docProblems({ languages: ['english', 'english'] }, 'languages[1]')).toEqual([
      "language 'english' is listed twice",
    ]);
    expect(docProblems({ languages: ['english', '../etc'] }, 'languages[1]')).toHaveLength(1);
  });
});

describe('environment', () => {
  const hours = [{ days: ['Mon'], from: '09:00', to: '18:00' }];
  const env = (environment: Record<string, unknown>, field: string, pick = errors) =>
    docProblems({ environment }, field, pick);

  it('needs a host name for the domain', () => {
    expect(env({ domain: 'company.com' }, 'environment.domain')).toEqual([]);
    expect(env({ domain: 'mail.company-2.co.uk' }, 'environment.domain')).toEqual([]);
    expect(env({ domain: 'company .com' }, 'environment.domain')).toEqual(["'company .com' is not a domain name"]);
    expect(env({ domain: '' }, 'environment.domain')).toHaveLength(1);
    expect(env({ domain: '-x.com' }, 'environment.domain')).toHaveLength(1);
  });

  it('needs unique account names and the default account among them', () => {
    const accounts = [{ name: 'ivanov' }, { name: 'petrov' }, { name: 'ivanov' }];
    expect(env({ accounts }, 'environment.accounts[2].name')).toEqual(["account 'ivanov' is listed twice"]);
    expect(env({ accounts, defaultAccount: 'sidorov' }, 'environment.defaultAccount')).toEqual([
      "'sidorov' is not one of the environment's accounts",
    ]);
    expect(env({ accounts, defaultAccount: 'petrov' }, 'environment.defaultAccount')).toEqual([]);
    expect(env({ accounts: [], defaultAccount: 'anyone' }, 'environment.defaultAccount')).toEqual([]);
    expect(env({ accounts: [{ name: '' }] }, 'environment.accounts[0].name')).toHaveLength(1);
  });

  it('needs a target for every divert rule', () => {
    const accounts = [
      {
        name: 'ivanov',
        workingHours: hours,
        rules: [
          { when: 'afterhours', to: '' },
          { when: 'always', to: '#callback' },
        ],
      },
    ];
    expect(env({ accounts }, 'environment.accounts[0].rules[0].to')).toEqual(['the application to divert to is empty']);
    expect(env({ accounts }, 'environment.accounts[0].rules[1].to')).toEqual([]);
  });

  it('checks working hours, e-mail and language of accounts', () => {
    const accounts = [
      {
        name: 'ivanov',
        email: 'ivanov at company',
        language: 'german',
        workingHours: [{ days: ['Mon'], from: '18:00', to: '09:00' }],
      },
    ];
    expect(env({ accounts }, 'environment.accounts[0].workingHours[0].to')).toEqual([
      'ends (09:00) before it starts (18:00)',
    ]);
    expect(env({ accounts }, 'environment.accounts[0].email')).toHaveLength(1);
    expect(env({ accounts }, 'environment.accounts[0].language', warnings)).toEqual([
      "account ivanov uses german, which is not one of the flow's languages",
    ]);
  });

  it("warns when an 'afterhours' rule has no working hours to be after", () => {
    const accounts = [{ name: 'ivanov', rules: [{ when: 'afterhours', to: '#callback' }] }];
    expect(env({ accounts }, 'environment.accounts[0].rules[0].when', warnings)).toHaveLength(1);
  });
});

describe('never throws', () => {
  it('reports a node type it does not know instead of crashing', () => {
    const flow = flowOf([{ id: 's', type: 'start' }]);
    (flow.nodes as unknown[]).push({ id: 'x', type: 'gosub', data: {} });
    let problems: Problem[] = [];
    expect(() => {
      problems = validateFlow(flow);
    }).not.toThrow();
    expect(errors(problems).length).toBeGreaterThan(0);
  });
});
