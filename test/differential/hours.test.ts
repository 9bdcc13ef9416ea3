// Opening hours at their edges: a call at the very second a range opens or closes, in the node's zone,
// the server's or the account's. The oracle decides open or closed from the flow document alone.
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLOW_FORMAT, FlowDocument } from '../../compiler/flow';
import { BOUNDARY_MOMENTS, compiledProgram, disagreeing, mismatchReport, runAll } from './harness';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ivr-hours-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const time = fc.constantFrom('00:00', '07:00', '09:00', '15:00', '17:59', '18:00', '20:00', '23:00', '24:00');
const range = fc.record({
  days: fc.subarray(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const, { minLength: 1 }),
  from: time,
  to: time,
});
const hoursNode = (id: string) =>
  fc.record({
    id: fc.constant(id),
    type: fc.constant('businessHours'),
    data: fc.record({
      timeZone: fc.constantFrom('', 'Europe/Moscow', 'Asia/Tokyo', 'America/New_York'),
      schedule: fc.array(range, { minLength: 1, maxLength: 2 }),
      holidays: fc.array(fc.constantFrom('2026-11-29', '2026-11-30', '2025-12-31'), { maxLength: 1 }),
    }),
  });

/** start → hours1 → (open: hours2 → open / closed transfers; closed: a transfer named after it). */
const hoursFlow = fc
  .tuple(hoursNode('h1'), hoursNode('h2'), fc.constantFrom('', 'Europe/Moscow', 'UTC'))
  .map(([h1, h2, timeZone]) =>
    FlowDocument.parse({
      format: FLOW_FORMAT,
      name: 'hours',
      nodes: [
        { id: 'start', type: 'start', data: {} },
        h1,
        h2,
        ...['closed1', 'open2', 'closed2'].map((t) => ({
          id: t,
          type: 'transfer',
          data: { target: t, mode: 'redirect' },
        })),
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'h1' },
        { id: 'e2', source: 'h1', sourceHandle: 'open', target: 'h2' },
        { id: 'e3', source: 'h1', sourceHandle: 'closed', target: 'closed1' },
        { id: 'e4', source: 'h2', sourceHandle: 'open', target: 'open2' },
        { id: 'e5', source: 'h2', sourceHandle: 'closed', target: 'closed2' },
      ],
      environment: { timeZone },
    }),
  );

describe('opening hours at their edges: CG/PL and JS decide as the oracle does', () => {
  it('for two businessHours nodes in a row, called on the second a range opens or closes', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(hoursFlow, BOUNDARY_MOMENTS, async (flow, at) => {
        const plan = { caller: [], smtpUp: true, at };
        const calls = await runAll(compiledProgram(flow, dir), plan);
        if (disagreeing(calls).length > 0) expect.fail(mismatchReport(flow, plan, calls));
        seen.add(String(calls.oracle.transfer));
      }),
      { numRuns: 300 },
    );
    // every way out was taken
    expect([...seen].sort()).toEqual(['closed1', 'closed2', 'open2']);
  });
});
