// Fixed cases the random runs found, kept so they stay fixed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLOW_FORMAT, FlowDocument } from '../../compiler/flow';
import { compiledProgram, disagreeing, mismatchReport, programOf, runAll, runBoth } from './harness';

/** Where the call was handed: a redirect's target, or where a Connect transfer rang. */
const handedTo = (o: { transfer: string | null; dialled: string[] }) => o.transfer ?? o.dialled[0] ?? null;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ivr-diff-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('differences found by the random runs', () => {
  it('a voicemail e-mail when nothing was recorded: both targets attach an empty body (JS used to pass null)', async () => {
    // A valid flow: when the recording is empty it still e-mails (with the empty attachment).
    const flow = FlowDocument.parse({
      format: FLOW_FORMAT,
      name: 'voicemail',
      nodes: [
        { id: 'start', type: 'start', data: {} },
        { id: 'rec', type: 'recordVoicemail', data: { prompts: [], maxSeconds: 30, variable: 'recording' } },
        {
          id: 'mail',
          type: 'sendEmail',
          data: {
            from: 'vm@{{domain}}',
            to: '',
            subject: 'Voicemail',
            body: 'A message.',
            attachRecording: 'recording',
          },
        },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'rec' },
        { id: 'e2', source: 'rec', sourceHandle: 'empty', target: 'mail' },
        { id: 'e3', source: 'rec', sourceHandle: 'recorded', target: 'mail' },
      ],
    });
    const { program, errors } = await programOf(flow, dir);
    expect(errors).toEqual([]);
    // The caller hangs up at once: Record returns null.
    const both = await runBoth(program!, { caller: [{ hangup: true }], smtpUp: true });
    expect(both.cgpl.emails).toHaveLength(1);
    const attachment = (both.js.emails[0]!.content as unknown[])[1];
    expect(attachment).toEqual({ contentType: 'audio/wav', fileName: 'voicemail.wav', body: '' });
    expect(both.js).toEqual(both.cgpl);
  });
});

describe('a caller who hangs up while a flow asks again', () => {
  // "Nothing entered? Ask again" is the usual way to draw a retry. After the caller hangs up,
  // ReadInput returns Disconnect at once, forever; the generated loop must notice and stop.
  it('collectDigits whose "empty" output leads back to it stops once the caller has hung up', async () => {
    const flow = FlowDocument.parse({
      format: FLOW_FORMAT,
      name: 'askagain',
      nodes: [
        { id: 'start', type: 'start', data: {} },
        {
          id: 'number',
          type: 'collectDigits',
          data: {
            prompts: [],
            endKey: '#',
            clearKey: '*',
            firstDigitTimeout: 5,
            interDigitTimeout: 5,
            variable: 'digits',
          },
        },
        {
          id: 'mail',
          type: 'sendEmail',
          data: { from: 'cb@{{domain}}', to: '', subject: 'Call {{digits}}', body: '' },
        },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'number' },
        { id: 'e2', source: 'number', sourceHandle: 'empty', target: 'number' },
        { id: 'e3', source: 'number', sourceHandle: 'done', target: 'mail' },
      ],
    });
    const { program, errors } = await programOf(flow, dir);
    expect(errors).toEqual([]);
    const both = await runBoth(program!, { caller: [{ wait: 12_000 }, { hangup: true }], smtpUp: true });
    expect(both.cgpl.endedBy).toBe('caller');
    expect(both.cgpl.runaway, 'the CG/PL program keeps reading Disconnect after the hang-up').toBe(false);
    expect(both.js.runaway, 'the JS module keeps reading Disconnect after the hang-up').toBe(false);
    expect(both.cgpl.hostEnded).toBe('ok');
  });
});

describe('a caller who hangs up before recording anything', () => {
  it('recordVoicemail whose "empty" output leads back to it stops once the caller has hung up', async () => {
    const flow = FlowDocument.parse({
      format: FLOW_FORMAT,
      name: 'recordagain',
      nodes: [
        { id: 'start', type: 'start', data: {} },
        { id: 'rec', type: 'recordVoicemail', data: { prompts: [], maxSeconds: 30, variable: 'recording' } },
        { id: 'bye', type: 'hangup', data: {} },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'rec' },
        { id: 'e2', source: 'rec', sourceHandle: 'empty', target: 'rec' },
        { id: 'e3', source: 'rec', sourceHandle: 'recorded', target: 'bye' },
      ],
    });
    const { program, errors } = await programOf(flow, dir);
    expect(errors).toEqual([]);
    const both = await runBoth(program!, { caller: [{ hangup: true }], smtpUp: true });
    expect(both.cgpl.endedBy).toBe('caller');
    expect(both.cgpl.runaway, 'the CG/PL program keeps calling Record after the hang-up').toBe(false);
    expect(both.js.runaway, 'the JS module keeps calling Record after the hang-up').toBe(false);
  });
});

// Found by the oracle (test/oracle) on nasty random flows: all three must now agree.
describe('differences from the oracle', () => {
  const flowWith = (nodes: unknown[], edges: unknown[], environment: Record<string, unknown> = {}) =>
    FlowDocument.parse({ format: FLOW_FORMAT, name: 'found', nodes, edges, environment });

  it('{{constructor}} and {{__proto__}} are flow variables, not properties of the built-ins table', async () => {
    const flow = flowWith(
      [
        { id: 'start', type: 'start', data: {} },
        { id: 'set', type: 'setVariable', data: { variable: 'constructor', value: 'c-{{__proto__}}-{{toString}}' } },
        { id: 'to', type: 'transfer', data: { target: 'sip:{{constructor}}@{{domain}}' } },
      ],
      [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'set' },
        { id: 'e2', source: 'set', sourceHandle: 'next', target: 'to' },
      ],
    );
    const calls = await runAll(compiledProgram(flow, dir), { caller: [], smtpUp: true });
    expect(disagreeing(calls), mismatchReport(flow, { caller: [], smtpUp: true }, calls)).toEqual([]);
    expect(handedTo(calls.oracle)).toBe('sip:c--@company.com');
  });

  it('a transfer target without placeholders is still a template: {{{{ is a literal {{', async () => {
    const flow = flowWith(
      [
        { id: 'start', type: 'start', data: {} },
        { id: 'to', type: 'transfer', data: { target: 'sip:{{{{x@company.com' } },
      ],
      [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'to' }],
    );
    const calls = await runAll(compiledProgram(flow, dir), { caller: [], smtpUp: true });
    expect(disagreeing(calls)).toEqual([]);
    expect(handedTo(calls.cgpl)).toBe('sip:{{x@company.com');
  });

  // Monday 00:00 in Tokyo is Sunday 15:00 UTC (and wherever the tests run, it is not Monday in Tokyo's sense)
  const MONDAY_IN_TOKYO = '2026-11-30T00:00:00+09:00';
  const hours = (id: string, timeZone: string, day: string) => ({
    id,
    type: 'businessHours',
    data: { timeZone, schedule: [{ days: [day], from: '00:00', to: '12:00' }] },
  });

  it("the JS module reads the time in the account's zone (the environment's), as the interpreter does", async () => {
    const flow = flowWith(
      [
        { id: 'start', type: 'start', data: {} },
        hours('hours', '', 'Mon'),
        { id: 'open', type: 'transfer', data: { target: 'open' } },
      ],
      [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'hours' },
        { id: 'e2', source: 'hours', sourceHandle: 'open', target: 'open' },
      ],
      { timeZone: 'Asia/Tokyo' },
    );
    const calls = await runAll(compiledProgram(flow, dir), { caller: [], smtpUp: true, at: MONDAY_IN_TOKYO });
    expect(disagreeing(calls)).toEqual([]);
    expect(handedTo(calls.js)).toBe('open');
  });

  it("a businessHours without a zone reads the server's time even after another node set a zone", async () => {
    const flow = flowWith(
      [
        { id: 'start', type: 'start', data: {} },
        hours('tokyo', 'Asia/Tokyo', 'Mon'),
        hours('server', '', 'Mon'),
        { id: 'open', type: 'transfer', data: { target: 'open' } },
        { id: 'closed', type: 'transfer', data: { target: 'closed' } },
      ],
      [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'tokyo' },
        { id: 'e2', source: 'tokyo', sourceHandle: 'open', target: 'server' },
        { id: 'e3', source: 'server', sourceHandle: 'open', target: 'open' },
        { id: 'e4', source: 'server', sourceHandle: 'closed', target: 'closed' },
      ],
      // the server's zone: Sunday afternoon at that moment
      { timeZone: 'Europe/London' },
    );
    const calls = await runAll(compiledProgram(flow, dir), { caller: [], smtpUp: true, at: MONDAY_IN_TOKYO });
    expect(disagreeing(calls)).toEqual([]);
    expect(handedTo(calls.cgpl)).toBe('closed');
  });
});

describe('a condition on a built-in', () => {
  it("tests the caller's address, as {{caller}} in a template would give it (not an empty variable)", async () => {
    const flow = FlowDocument.parse({
      format: FLOW_FORMAT,
      name: 'who',
      nodes: [
        { id: 'start', type: 'start', data: {} },
        {
          id: 'sip',
          type: 'condition',
          data: { variable: 'caller', operator: 'matches', value: '^sip:[[:alpha:]]+@' },
        },
        { id: 'yes', type: 'transfer', data: { target: 'known' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'sip' },
        { id: 'e2', source: 'sip', sourceHandle: 'true', target: 'yes' },
      ],
    });
    const { program, errors } = await programOf(flow, dir);
    expect(errors).toEqual([]);
    const calls = await runAll(program!, { caller: [], smtpUp: true });
    expect(disagreeing(calls)).toEqual([]);
    expect(handedTo(calls.cgpl)).toBe('known');
  });
});

describe('one regex semantics in both targets (issue 11)', () => {
  const matching = (value: string, pattern: string) =>
    FlowDocument.parse({
      format: FLOW_FORMAT,
      name: 'match',
      nodes: [
        { id: 'start', type: 'start', data: {} },
        { id: 'keys', type: 'collectDigits', data: { endKey: '#', clearKey: '', variable: 'keys' } },
        { id: 'set', type: 'setVariable', data: { variable: 'x', value } },
        { id: 'test', type: 'condition', data: { variable: 'x', operator: 'matches', value: pattern } },
        { id: 'yes', type: 'transfer', data: { target: 'yes' } },
        { id: 'no', type: 'transfer', data: { target: 'no' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'keys' },
        { id: 'e2', source: 'keys', sourceHandle: 'done', target: 'set' },
        { id: 'e3', source: 'set', sourceHandle: 'next', target: 'test' },
        { id: 'e4', source: 'test', sourceHandle: 'true', target: 'yes' },
        { id: 'e5', source: 'test', sourceHandle: 'false', target: 'no' },
      ],
    });

  it.each([
    ['hello', '^[[:alpha:]]+$', 'yes'],
    ['héllo', '^[[:alpha:]]+$', 'no'],
    ['{{keys}}', '^[[:digit:]]{3}$', 'yes'],
    ['{{keys}}', '\\d+', 'no'], // not POSIX: the engine refuses it, FindRegEx is null
  ])('%s matches %s: %s', async (value, pattern, expected) => {
    const { program, errors } = await programOf(matching(value, pattern), dir);
    if (pattern !== '\\d+') expect(errors).toEqual([]);
    const calls = await runAll(program ?? compiledProgram(matching(value, pattern), dir), {
      caller: [{ dtmf: '123#' }],
      smtpUp: true,
    });
    expect(disagreeing(calls)).toEqual([]);
    expect(handedTo(calls.js)).toBe(expected);
  });

  it('^(1+)+2$ on 40 typed keys ends at once, false, in both targets', async () => {
    const flow = matching('{{keys}}', '^(1+)+2$');
    const { program, errors } = await programOf(flow, dir);
    expect(errors).toEqual([]);
    const calls = await runAll(program!, { caller: [{ dtmf: `${'1'.repeat(40)}#` }], smtpUp: true });
    expect(disagreeing(calls)).toEqual([]);
    expect(handedTo(calls.cgpl)).toBe('no');
  });
});
