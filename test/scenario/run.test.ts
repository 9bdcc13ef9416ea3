import { describe, it, expect } from 'vitest';
import { runScenario, formatScenarioReport } from '../../runtime/scenario/run';

const F = 'test/scenario/fixtures';

describe('runScenario', () => {
  it('passes a scenario the flow satisfies, on both targets, in virtual time', async () => {
    for (const target of ['cgpl', 'js'] as const) {
      const t0 = Date.now();
      const r = await runScenario(`${F}/leaves-number.scenario.json`, { target });
      expect(r.errors).toEqual([]);
      expect(r.diff).toEqual([]);
      expect(r.passed).toBe(true);
      expect(r.trace?.list().at(-1)?.wall).toBe('2024-03-03T20:00:08.092Z');
      expect(Date.now() - t0).toBeLessThan(5000);
    }
  });

  it('is deterministic: the same scenario gives the same trace, and both targets agree', async () => {
    const file = `${F}/leaves-number.scenario.json`;
    const [a, b, js] = [await runScenario(file), await runScenario(file), await runScenario(file, { target: 'js' })];
    expect(a.trace?.toJSONLines()).toBe(b.trace?.toJSONLines());
    expect(js.trace?.toJSONLines()).toBe(a.trace?.toJSONLines());
  });

  it('SMTP down: SendEMail still answers null (the message waits in the outbox), as on CommuniGate', async () => {
    const r = await runScenario(`${F}/smtp-down.scenario.json`);
    expect(r.diff).toEqual([]);
    expect(r.passed).toBe(true);
    expect(r.trace?.ofKind('email-queued')).toHaveLength(1);
    expect(r.trace?.ofKind('email-failed')).toHaveLength(0);
  });

  it('smtp "refuse": SendEMail is refused at submission and the flow takes its failure branch', async () => {
    const r = await runScenario(`${F}/mail-refused.scenario.json`);
    expect(r.diff).toEqual([]);
    expect(r.passed).toBe(true);
    expect(r.trace?.ofKind('email-failed')).toEqual([
      expect.objectContaining({ error: expect.stringMatching(/^SendEMail: the outbox refused the message/) }),
    ]);
  });

  it('fails a scenario whose expectations are wrong, with a readable diff', async () => {
    const r = await runScenario(`${F}/wrong-expectations.scenario.json`);
    expect(r.passed).toBe(false);
    expect(r.errors).toEqual([]);
    expect(r.diff).toEqual([
      'prompts: differ at #2 (expected CallbackLater, heard nothing more)',
      '  expected: CallbackBusy, CallbackLater',
      '  heard:    CallbackBusy',
      'email: expected one subject containing "5551234"',
      '  sent:     none',
      'ended by: expected program',
      '  actual:   caller',
    ]);
    expect(formatScenarioReport([r])).toBe(
      [
        `FAIL  expects what the flow does not do  (${F}/wrong-expectations.scenario.json)`,
        ...r.diff.map((l) => `      ${l}`),
        '1 scenario: 0 passed, 1 failed',
        '',
      ].join('\n'),
    );
  });

  it('a bad scenario file is reported with the file and the field, and fails', async () => {
    const r = await runScenario(`${F}/bad.scenario.json`);
    expect(r.passed).toBe(false);
    expect(r.errors).toEqual([
      expect.stringMatching(/^test\/scenario\/fixtures\/bad\.scenario\.json: at target: .*"cgpl".*"js"/),
      expect.stringMatching(/bad\.scenario\.json: at caller\[0\]: a caller step is one of/),
      expect.stringMatching(/bad\.scenario\.json: at expect\.endedBy: .*"caller"/),
    ]);
  });

  it('a program that cannot be loaded, or a file that is not there, fails with the reason', async () => {
    const missing = await runScenario(`${F}/missing-program.scenario.json`);
    expect(missing.passed).toBe(false);
    expect(missing.errors[0]).toMatch(/nowhere\/flow\.json: cannot read: no such file/);
    const gone = await runScenario(`${F}/gone.scenario.json`);
    expect(gone.errors).toEqual([`${F}/gone.scenario.json: cannot read: no such file`]);
  });
});
