// What the caller types, in the two nodes that read keys: digit collection (end key, clear key, limits,
// time-outs) and a menu (options, wrong keys, typed-ahead keys, retries). The oracle says what was
// collected or chosen; the subject of the e-mail each way out sends shows it.
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLOW_FORMAT, FlowDocument } from '../../compiler/flow';
import type { CallerStep } from '../../runtime/call';
import { compiledProgram, disagreeing, mismatchReport, runAll } from './harness';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ivr-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const key = fc.constantFrom('1', '2', '5', '*', '#', '0');
const typing: fc.Arbitrary<CallerStep[]> = fc.array(
  fc.oneof(
    fc.array(key, { minLength: 1, maxLength: 5 }).map((ks) => ({ dtmf: ks.join('') })),
    fc.constantFrom(1_000, 6_000, 25_000).map((wait) => ({ wait })),
  ),
  { maxLength: 6 },
);

const collect = fc.record({
  endKey: fc.constantFrom('#', '*', ''),
  clearKey: fc.constantFrom('*', '0', ''),
  maxDigits: fc.constantFrom(0, 3),
  firstDigitTimeout: fc.constantFrom(5, 20),
  interDigitTimeout: fc.constantFrom(5, 20),
});

const collectFlow = (data: Record<string, unknown>) =>
  FlowDocument.parse({
    format: FLOW_FORMAT,
    name: 'keys',
    nodes: [
      { id: 'start', type: 'start', data: {} },
      { id: 'number', type: 'collectDigits', data: { ...data, variable: 'digits' } },
      { id: 'mail', type: 'sendEmail', data: { from: 'cb@{{domain}}', subject: 'got {{digits}}' } },
      { id: 'none', type: 'sendEmail', data: { from: 'cb@{{domain}}', subject: 'nothing' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'number' },
      { id: 'e2', source: 'number', sourceHandle: 'done', target: 'mail' },
      { id: 'e3', source: 'number', sourceHandle: 'empty', target: 'none' },
    ],
  });

const menu = fc.record({
  options: fc.subarray(['1', '2', '#'], { minLength: 1 }).map((ds) => ds.map((digit) => ({ digit }))),
  timeout: fc.constantFrom(3, 10),
  retries: fc.constantFrom(1, 3),
  replayAnnouncement: fc.boolean(),
});

const menuFlow = (data: { options: { digit: string }[] }) =>
  FlowDocument.parse({
    format: FLOW_FORMAT,
    name: 'menu',
    nodes: [
      { id: 'start', type: 'start', data: {} },
      { id: 'menu', type: 'menu', data },
      ...[...data.options.map((o) => o.digit), 'timeout', 'invalid'].map((h) => ({
        id: `to-${h}`,
        type: 'sendEmail',
        data: { from: 'menu@{{domain}}', subject: `chose ${h}` },
      })),
    ],
    edges: [
      { id: 'e0', source: 'start', sourceHandle: 'next', target: 'menu' },
      ...[...data.options.map((o) => o.digit), 'timeout', 'invalid'].map((h, i) => ({
        id: `e${i + 1}`,
        source: 'menu',
        sourceHandle: h,
        target: `to-${h}`,
      })),
    ],
  });

async function agree(flow: FlowDocument, caller: CallerStep[], seen: Set<string>): Promise<void> {
  const plan = { caller, smtpUp: true };
  const calls = await runAll(compiledProgram(flow, dir), plan);
  if (disagreeing(calls).length > 0) expect.fail(mismatchReport(flow, plan, calls));
  seen.add(calls.oracle.emails[0]?.subject ?? 'ended');
}

describe('keys the caller types: CG/PL and JS read them as the oracle does', () => {
  it('collectDigits: end key, clear key, a limit, time-outs', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(collect, typing, (data, caller) => agree(collectFlow(data), caller, seen)),
      { numRuns: 200 },
    );
    // many different numbers were collected, and sometimes none
    expect(seen.has('nothing')).toBe(true);
    expect(seen.size).toBeGreaterThan(20);
  });

  it('menu: options, wrong keys with more keys typed after them, no key, retries', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(menu, typing, (data, caller) => agree(menuFlow(data), caller, seen)),
      { numRuns: 200 },
    );
    expect([...seen].sort()).toEqual(expect.arrayContaining(['chose 1', 'chose invalid', 'chose timeout']));
  });
});
