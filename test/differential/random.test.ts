// Random flows: the oracle (the flow document read directly), the CG/PL interpreter and the compiled JS
// module must give the caller the same call.
import fc from 'fast-check';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_TYPES, validateFlow, type FlowDocument } from '../../compiler/flow';
import { arbitraryFlow, arbitraryNastyFlow } from '../generate/arbitraries';
import {
  arbitraryPlan,
  BOUNDARY_MOMENTS,
  compiledProgram,
  mismatchReport,
  programOf,
  repairFlow,
  runAll,
  disagreeing,
  Variety,
  type CallPlan,
} from './harness';
import type { Program } from '../../runtime/host';

// One real recording (1.2 s) for every prompt of a repaired random flow, beside the flow file.
const WAV = 'prompt.wav';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ivr-diff-'));
  await copyFile('samples/callback/Failure.wav', join(dir, WAV));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function agree(flow: FlowDocument, program: Program, plan: CallPlan, variety: Variety): Promise<void> {
  const calls = await runAll(program, plan);
  if (disagreeing(calls).length > 0) expect.fail(mismatchReport(flow, plan, calls));
  variety.add(calls.oracle);
}

describe('random flows: CG/PL and JS do what the oracle does', () => {
  it('for 200 flows (compiled whatever the validator says), each with a random caller, SMTP up or down', async () => {
    const variety = new Variety();
    await fc.assert(
      fc.asyncProperty(arbitraryFlow(8), arbitraryPlan(), (flow, plan) =>
        agree(flow, compiledProgram(flow, dir), plan, variety),
      ),
      { numRuns: 200 },
    );
    expect(
      variety.missing([
        'prompt-started',
        'prompt-cut',
        'prompt-skipped',
        'digit',
        'input-timeout',
        'email-queued',
        'email-failed',
        'transfer',
        'leg',
        'refused',
        'record',
        'ended by caller',
        'ended by program',
        'ended by transfer',
      ]),
    ).toEqual([]);
  });

  it('for flows that pass validation, loaded from a file as the CLI does', async () => {
    const variety = new Variety();
    const valid = arbitraryFlow(8)
      .map((f) => repairFlow(f, WAV))
      .filter((f) => !validateFlow(f, { baseDir: dir }).some((p) => p.severity === 'error'));
    await fc.assert(
      fc.asyncProperty(valid, arbitraryPlan(), async (flow, plan) => {
        const { program, errors } = await programOf(flow, dir);
        if (!program)
          expect.fail(`a flow that validates does not load:\n${errors.join('\n')}\nflow: ${JSON.stringify(flow)}`);
        await agree(flow, program, plan, variety);
      }),
      { numRuns: 50 },
    );
    expect(variety.missing(['prompt-started', 'digit', 'ended by caller', 'ended by program'])).toEqual([]);
    // the library's recording is found: no 1 s of silence instead
    expect(variety.seen.get('prompt-missing') ?? 0).toBe(0);
  });

  it('for nasty flows (keywords, built-in names, Unicode; bracket-class patterns), at the edges of opening hours', async () => {
    const variety = new Variety();
    const types = new Set<string>();
    await fc.assert(
      fc.asyncProperty(arbitraryNastyFlow(8), arbitraryPlan({ at: BOUNDARY_MOMENTS, events: true }), (flow, plan) => {
        for (const n of flow.nodes) types.add(n.type);
        return agree(flow, compiledProgram(flow, dir), plan, variety);
      }),
      { numRuns: Number(process.env.NASTY_RUNS ?? 300) },
    );
    // code and module call nodes are CG/PL itself: not in random flows, not run by the oracle (docs/oracle.md)
    expect([...types].sort()).toEqual([...NODE_TYPES].filter((t) => t !== 'code' && t !== 'moduleCall').sort());
    expect(
      variety.missing(['prompt-started', 'digit', 'event', 'email-queued', 'transfer', 'record', 'ended by caller']),
    ).toEqual([]);
  });
});
