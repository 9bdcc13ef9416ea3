import { describe, expect, it } from 'vitest';
import { validateFlow } from '../../compiler/flow';
import { about, around, errors, flowOf } from './helpers';

/** The error messages validation gives for one field of a node n with this type and data. */
function fieldErrors(
  type: string,
  data: Record<string, unknown>,
  field: string,
  extra: Record<string, unknown> = {},
): string[] {
  return about(errors(validateFlow(around({ id: 'n', type, data }, extra))), 'n', field).map((p) => p.message);
}
function allErrors(type: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return errors(validateFlow(around({ id: 'n', type, data }, extra)));
}

describe('menu', () => {
  const ok = { options: [{ digit: '1' }, { digit: '*' }, { digit: '#' }, { digit: '0' }] };

  it('accepts a menu with valid options', () => {
    expect(validateFlow(around({ id: 'n', type: 'menu', data: ok }))).toEqual([]);
  });

  it('needs at least one option', () => {
    expect(fieldErrors('menu', {}, 'options')).toEqual(['a menu needs at least one option']);
  });

  it('rejects duplicate digits, digits outside 0-9*# and several characters', () => {
    const data = { options: [{ digit: '1' }, { digit: '1' }, { digit: 'a' }, { digit: '12' }, { digit: '' }] };
    expect(fieldErrors('menu', data, 'options[1].digit')).toEqual(["digit '1' is used by another option"]);
    expect(fieldErrors('menu', data, 'options[2].digit')).toEqual(["must be one key of 0-9, * or # (found 'a')"]);
    expect(fieldErrors('menu', data, 'options[3].digit')).toHaveLength(1);
    expect(fieldErrors('menu', data, 'options[4].digit')).toHaveLength(1);
  });

  it('keeps timeout in 1..600 and retries in 1..10, whole numbers', () => {
    for (const timeout of [0, 601, 2.5, -1])
      expect(fieldErrors('menu', { ...ok, timeout }, 'timeout'), String(timeout)).toHaveLength(1);
    for (const timeout of [1, 600]) expect(fieldErrors('menu', { ...ok, timeout }, 'timeout')).toEqual([]);
    expect(fieldErrors('menu', { ...ok, retries: 0 }, 'retries')).toEqual([
      'must be a whole number from 1 to 10 (found 0)',
    ]);
    expect(fieldErrors('menu', { ...ok, retries: 11 }, 'retries')).toHaveLength(1);
    expect(fieldErrors('menu', { ...ok, retries: 10 }, 'retries')).toEqual([]);
  });
});

describe('collectDigits', () => {
  it('accepts the defaults', () => {
    expect(allErrors('collectDigits', {})).toEqual([]);
  });

  it('needs an end key of one of 0-9*#', () => {
    expect(fieldErrors('collectDigits', { endKey: '' }, 'endKey')).toEqual([
      "must be one key of 0-9, * or # (found '')",
    ]);
    expect(fieldErrors('collectDigits', { endKey: 'x' }, 'endKey')).toHaveLength(1);
    expect(fieldErrors('collectDigits', { endKey: '##' }, 'endKey')).toHaveLength(1);
  });

  it("takes '' for no clear key, else one key, different from the end key", () => {
    expect(fieldErrors('collectDigits', { clearKey: '' }, 'clearKey')).toEqual([]);
    expect(fieldErrors('collectDigits', { clearKey: '**' }, 'clearKey')).toHaveLength(1);
    expect(fieldErrors('collectDigits', { endKey: '5', clearKey: '5' }, 'clearKey')).toEqual([
      "the clear key and the end key are both '5'",
    ]);
  });

  it('keeps maxDigits in 0..64 and timeouts in 1..600', () => {
    expect(fieldErrors('collectDigits', { maxDigits: -1 }, 'maxDigits')).toEqual([
      'must be a whole number from 0 to 64 (0 = no limit) (found -1)',
    ]);
    expect(fieldErrors('collectDigits', { maxDigits: 65 }, 'maxDigits')).toHaveLength(1);
    expect(fieldErrors('collectDigits', { maxDigits: 64 }, 'maxDigits')).toEqual([]);
    expect(fieldErrors('collectDigits', { firstDigitTimeout: 0 }, 'firstDigitTimeout')).toHaveLength(1);
    expect(fieldErrors('collectDigits', { interDigitTimeout: 601 }, 'interDigitTimeout')).toHaveLength(1);
  });

  it('needs a CG/PL identifier that is not a keyword (keywords in any case)', () => {
    expect(fieldErrors('collectDigits', { variable: '1st' }, 'variable')[0]).toMatch(/not a valid variable name/);
    expect(fieldErrors('collectDigits', { variable: 'my-var' }, 'variable')).toHaveLength(1);
    expect(fieldErrors('collectDigits', { variable: '' }, 'variable')).toEqual(['the variable name is empty']);
    expect(fieldErrors('collectDigits', { variable: 'Loop' }, 'variable')).toEqual([
      "'Loop' is a CG/PL keyword: rename it, e.g. 'myLoop'",
    ]);
    expect(fieldErrors('collectDigits', { variable: 'phone_2' }, 'variable')).toEqual([]);
  });
});

describe('sendEmail', () => {
  const mail = (data: Record<string, unknown>, field: string, extra: Record<string, unknown> = {}) =>
    fieldErrors('sendEmail', data, field, extra);

  it("accepts the seed program's e-mail", () => {
    const data = { from: 'CallbackMailer@{{domain}}', subject: 'Contact phone: {{caller}}', to: '' };
    expect(allErrors('sendEmail', data)).toEqual([]);
  });

  it('checks the literal parts of from and to as an address', () => {
    expect(mail({ from: '{{account}}' }, 'from')).toEqual([]);
    expect(mail({ from: 'Callback <mailer@{{domain}}>' }, 'from')).toEqual([]);
    expect(mail({ from: 'sales-{{account}}' }, 'from')).toEqual([]);
    expect(mail({ from: 'not an address' }, 'from')).toEqual([
      "'not an address' is not an e-mail address (name@domain)",
    ]);
    expect(mail({ from: 'a@b@{{domain}}' }, 'from')).toEqual(["'a@b@{{domain}}' has more than one @"]);
    expect(mail({ from: '@{{domain}}' }, 'from')).toEqual(["'@{{domain}}' has no name before the @"]);
    expect(mail({ from: 'mailer@' }, 'from')).toEqual(["'mailer@' has no domain after the @"]);
    expect(mail({ from: 'mailer@bad_domain' }, 'from')).toEqual([
      "'mailer@bad_domain': 'bad_domain' is not a domain name",
    ]);
    expect(mail({ from: 'mai ler@{{domain}}' }, 'from')).toHaveLength(1);
    expect(mail({ from: '' }, 'from')).toEqual(['must not be empty']);
  });

  it("accepts '' for to (the account's own address) and a list of addresses", () => {
    expect(mail({ to: '' }, 'to')).toEqual([]);
    expect(mail({ to: 'a@company.com, {{account}}' }, 'to')).toEqual([]);
    expect(mail({ to: 'a@company.com, nobody' }, 'to')).toHaveLength(1);
  });

  it('rejects line breaks in from, to and subject', () => {
    expect(mail({ subject: 'hi\r\nBcc: x@evil.com' }, 'subject')).toEqual([
      'must not contain line breaks (they would add mail headers)',
    ]);
    expect(mail({ to: 'a@b.com\nBcc: c@d.com' }, 'to')).toContain(
      'must not contain line breaks (they would add mail headers)',
    );
    expect(mail({ from: 'a@b.com\r' }, 'from')).toContain('must not contain line breaks (they would add mail headers)');
    expect(mail({ body: 'line 1\nline 2' }, 'body')).toEqual([]);
  });

  it('rejects undefined variables and accepts declared, built-in and node-set ones', () => {
    expect(mail({ body: 'Call {{phone}} back' }, 'body')).toEqual([
      "undefined variable {{phone}}: declare it in the flow's variables or set it in a node",
    ]);
    expect(mail({ body: '{{phone}}' }, 'body', { variables: [{ name: 'phone' }] })).toEqual([]);
    expect(mail({ subject: '{{account}} {{domain}} {{caller}} {{{{literal}}' }, 'subject')).toEqual([]);
    expect(mail({ subject: 'x {{}}' }, 'subject')).toEqual(['empty placeholder {{}} (write {{{{ for a literal {{)']);
    const flow = flowOf([
      { id: 's', type: 'start' },
      { id: 'c', type: 'collectDigits', data: { variable: 'phone' } },
      { id: 'm', type: 'sendEmail', data: { subject: '{{phone}}', to: '{{target}}' } },
      { id: 'v', type: 'setVariable', data: { variable: 'target', value: 'x@y.com' } },
    ]);
    expect(errors(validateFlow(flow))).toEqual([]);
  });

  it('attaches only a recordVoicemail variable', () => {
    const flow = (attach: string) =>
      flowOf([
        { id: 's', type: 'start' },
        { id: 'r', type: 'recordVoicemail', data: { variable: 'message' } },
        { id: 'c', type: 'collectDigits' },
        { id: 'm', type: 'sendEmail', data: { attachRecording: attach } },
      ]);
    expect(about(errors(validateFlow(flow('message'))), 'm', 'attachRecording')).toEqual([]);
    expect(about(errors(validateFlow(flow('digits'))), 'm', 'attachRecording').map((p) => p.message)).toEqual([
      "'digits' is not the variable of any recordVoicemail node",
    ]);
  });
});

describe('businessHours', () => {
  const week = { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], from: '09:00', to: '18:00' };
  const hours = (data: Record<string, unknown>, field: string) => fieldErrors('businessHours', data, field);

  it('accepts overlapping ranges, a range to 24:00 and real holidays', () => {
    const data = {
      schedule: [week, { days: ['Mon'], from: '12:00', to: '24:00' }],
      holidays: ['2024-02-29', '2025-12-31'],
    };
    expect(allErrors('businessHours', data)).toEqual([]);
  });

  it('needs at least one range, each with days', () => {
    expect(hours({}, 'schedule')).toEqual(['needs at least one range of opening hours']);
    expect(hours({ schedule: [{ ...week, days: [] }] }, 'schedule[0].days')).toEqual(['pick at least one day']);
  });

  it('needs HH:MM times with from before to', () => {
    expect(hours({ schedule: [{ ...week, from: '9:00' }] }, 'schedule[0].from')).toEqual([
      "'9:00' is not a time written HH:MM",
    ]);
    expect(hours({ schedule: [{ ...week, from: '24:00' }] }, 'schedule[0].from')).toHaveLength(1);
    expect(hours({ schedule: [{ ...week, to: '18:60' }] }, 'schedule[0].to')).toHaveLength(1);
    expect(hours({ schedule: [{ ...week, from: '18:00', to: '09:00' }] }, 'schedule[0].to')).toEqual([
      'ends (09:00) before it starts (18:00)',
    ]);
    expect(hours({ schedule: [{ ...week, from: '09:00', to: '09:00' }] }, 'schedule[0].to')).toHaveLength(1);
  });

  it('needs holidays as real YYYY-MM-DD dates', () => {
    const data = { schedule: [week], holidays: ['2023-02-29', '2024-1-01', 'tomorrow', '2024-01-01'] };
    expect(hours(data, 'holidays[0]')).toEqual(["'2023-02-29' is not a date written YYYY-MM-DD"]);
    expect(hours(data, 'holidays[1]')).toHaveLength(1);
    expect(hours(data, 'holidays[2]')).toHaveLength(1);
    expect(hours(data, 'holidays[3]')).toEqual([]);
  });
});

describe('transfer, condition, setVariable, recordVoicemail', () => {
  it('transfer needs a target and defined variables in it', () => {
    expect(fieldErrors('transfer', { target: '  ' }, 'target')).toEqual(['the transfer target is empty']);
    expect(fieldErrors('transfer', { target: '{{operator}}' }, 'target')).toHaveLength(1);
    expect(fieldErrors('transfer', { target: 'sip:{{caller}}' }, 'target')).toEqual([]);
  });

  it('condition needs a defined variable', () => {
    expect(fieldErrors('condition', {}, 'variable')).toEqual(['choose the variable to test']);
    expect(fieldErrors('condition', { variable: 'choice' }, 'variable')).toEqual(["undefined variable 'choice'"]);
    expect(fieldErrors('condition', { variable: 'choice' }, 'variable', { variables: [{ name: 'choice' }] })).toEqual(
      [],
    );
    expect(fieldErrors('condition', { variable: 'caller' }, 'variable')).toEqual([]);
  });

  it('condition `matches` needs a POSIX extended regular expression; `equals` a valid template', () => {
    expect(fieldErrors('condition', { variable: 'caller', operator: 'matches', value: '([0-9]+' }, 'value')).toEqual([
      "not a POSIX extended regular expression, so it never matches (at character 1): '(' is never closed",
    ]);
    // valid in JavaScript, refused by the engine both targets run
    expect(fieldErrors('condition', { variable: 'caller', operator: 'matches', value: '^\\d{3}$' }, 'value')).toEqual([
      'not a POSIX extended regular expression, so it never matches (at character 2): \\d is not POSIX; write [[:digit:]]',
    ]);
    expect(
      fieldErrors('condition', { variable: 'caller', operator: 'matches', value: '^[[:alpha:]]+$' }, 'value'),
    ).toEqual([]);
    expect(
      fieldErrors('condition', { variable: 'caller', operator: 'matches', value: '^sip:[0-9]{3}@' }, 'value'),
    ).toEqual([]);
    expect(
      fieldErrors('condition', { variable: 'caller', operator: 'equals', value: '{{nope}}' }, 'value'),
    ).toHaveLength(1);
  });

  it('setVariable needs a valid identifier and defined variables in its value', () => {
    expect(fieldErrors('setVariable', { variable: 'while', value: 'x' }, 'variable')).toEqual([
      "'while' is a CG/PL keyword: rename it, e.g. 'myWhile'",
    ]);
    expect(fieldErrors('setVariable', { variable: '', value: 'x' }, 'variable')).toHaveLength(1);
    expect(fieldErrors('setVariable', { variable: 'greeting', value: 'Hello {{who}}' }, 'value')).toHaveLength(1);
    expect(allErrors('setVariable', { variable: 'greeting', value: 'Hello {{greeting}}' })).toEqual([]);
  });

  it('recordVoicemail keeps maxSeconds in 1..3600', () => {
    expect(fieldErrors('recordVoicemail', { maxSeconds: 0 }, 'maxSeconds')).toEqual([
      'must be a whole number from 1 to 3600 seconds (found 0)',
    ]);
    expect(fieldErrors('recordVoicemail', { maxSeconds: 3601 }, 'maxSeconds')).toHaveLength(1);
    expect(fieldErrors('recordVoicemail', { variable: 'a b' }, 'variable')).toHaveLength(1);
    expect(allErrors('recordVoicemail', { maxSeconds: 3600 })).toEqual([]);
  });

  it('every node problem carries the node id and a field', () => {
    const problems = validateFlow(
      around({ id: 'n', type: 'collectDigits', data: { endKey: 'x', maxDigits: 99, variable: 'if' } }),
    );
    expect(problems.length).toBeGreaterThanOrEqual(3);
    for (const p of problems)
      expect(p).toMatchObject({ nodeId: 'n', nodeType: 'collectDigits', field: expect.any(String) });
  });
});

describe('template variables are CG/PL names', () => {
  it('match a declared or assigned variable whatever the case; built-ins are spelled exactly', async () => {
    const { validateFlow, FlowDocument, FLOW_FORMAT } = await import('../../compiler/flow');
    const flow = FlowDocument.parse({
      format: FLOW_FORMAT,
      name: 't',
      variables: [{ name: 'Note' }],
      nodes: [
        { id: 'start', type: 'start' },
        { id: 'get', type: 'collectDigits', data: { variable: 'digits' } },
        {
          id: 'mail',
          type: 'sendEmail',
          data: { from: 'a@b.com', subject: '{{DIGITS}} {{note}} {{domain}} {{Domain}}' },
        },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'get' },
        { id: 'e2', source: 'get', sourceHandle: 'done', target: 'mail' },
      ],
    });
    const undefinedVars = validateFlow(flow)
      .filter((p) => p.message.startsWith('undefined variable'))
      .map((p) => p.message);
    expect(undefinedVars).toEqual([expect.stringContaining('{{Domain}}')]);
  });
});
