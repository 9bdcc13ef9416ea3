// The two samples, run by the oracle, by the interpreter and as the compiled JS module, for random callers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadProgram, type Program } from '../../runtime/host';
import {
  arbitraryPlan,
  disagreeing,
  mismatchReport,
  runAll,
  runBoth,
  sameCall,
  Variety,
  type CallPlan,
} from './harness';

async function sample(name: string): Promise<Program> {
  const { program, errors } = await loadProgram(`samples/${name}/flow.json`);
  expect(errors).toEqual([]);
  return program!;
}

async function agree(program: Program, plan: CallPlan, variety: Variety, at?: string): Promise<void> {
  const calls = await runAll(program, plan, at);
  if (disagreeing(calls).length > 0) expect.fail(mismatchReport(program.file, plan, calls));
  variety.add(calls.oracle);
}

describe('the callback sample: CG/PL and JS do what the oracle does', () => {
  it('for a caller who types a number (a fixed case, checked in detail)', async () => {
    const program = await sample('callback');
    const both = await runBoth(program, { caller: [{ listen: true }, { dtmf: '5551234#' }], smtpUp: true });
    expect(sameCall(both.js, both.cgpl)).toBe(true);
    expect(both.js.events).toEqual(both.cgpl.events);
    expect(both.cgpl.emails).toMatchObject([
      { to: 'ivanov@company.com', subject: 'Contact phone: 5551234', status: 'queued' },
    ]);
    // A real comparison: timestamps move, and the trace has the prompts and digits in it.
    expect(both.cgpl.events.filter((e) => e.kind === 'prompt-started')).toHaveLength(5);
    expect(both.cgpl.events.filter((e) => e.kind === 'digit')).toHaveLength(8);
    expect(Math.max(...both.cgpl.events.map((e) => e.t as number))).toBeGreaterThan(16_000);
  });

  it('for random callers, SMTP up or down, in either language', async () => {
    const program = await sample('callback');
    const variety = new Variety();
    await fc.assert(
      fc.asyncProperty(arbitraryPlan({ language: fc.constantFrom('english', 'russian') }), (plan) =>
        agree(program, plan, variety),
      ),
      { numRuns: 100 },
    );
    expect(
      variety.missing([
        'prompt-cut',
        'prompt-skipped',
        'input-timeout',
        'email-queued',
        'email-failed',
        'ended by caller',
        'ended by program',
      ]),
    ).toEqual([]);
  });
});

describe('the autosecretary sample: CG/PL and JS do what the oracle does', () => {
  const moments = fc.constantFrom(
    '2026-11-29T23:00:00+03:00', // Sunday night: callback
    '2026-11-25T11:00:00+03:00', // Wednesday morning: the menu
    '2026-11-25T17:59:59+03:00', // a second before closing
    '2026-01-01T12:00:00+03:00', // a holiday, if the flow has it
  );

  it('for random callers at random moments, SMTP up or down', async () => {
    const program = await sample('autosecretary');
    const variety = new Variety();
    await fc.assert(
      fc.asyncProperty(arbitraryPlan(), moments, (plan, at) => agree(program, plan, variety, at)),
      { numRuns: 100 },
    );
    expect(
      variety.missing(['bridge', 'leg', 'email-queued', 'prompt-cut', 'ended by caller', 'ended by program']),
    ).toEqual([]);
  });
});
