// A program on a call worker behaves as it does on the call's own thread: same trace, to the
// millisecond of virtual time (the clock stands still while the worker computes), on both targets;
// and the worker the desktop bundle ships runs it too.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDesktop, ROOT } from '../../electron/build';
import { VirtualClock } from '../../runtime/call/clock';
import { createSimulatedCall, type CallerStep } from '../../runtime/call/simulated';
import { CallWorkers, loadProgram, runIsolated, simulateCall, type Program } from '../../runtime/host';
import { parseDtmfScript } from '../../runtime/scenario';

const dirs: string[] = [];
const pools: CallWorkers[] = [];
afterAll(async () => {
  for (const p of pools) await p.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const AT = '2026-11-29T23:00:00+03:00';
const caller: CallerStep[] = [{ listen: true }, ...parseDtmfScript('555,1234#')];

async function callback(): Promise<Program> {
  const { program, errors } = await loadProgram('samples/callback/flow.json');
  if (!program) throw new Error(errors.join('\n'));
  return program;
}

async function isolatedTrace(program: Program, target: 'cgpl' | 'js', workers?: CallWorkers): Promise<string> {
  const call = createSimulatedCall({ environment: program.environment, clock: new VirtualClock(new Date(AT)), caller });
  const result = await call.run((s) => runIsolated(program, s, { target, ...(workers ? { workers } : {}) }).result);
  return result.trace.toJSONLines().replace(/"wall":"[^"]*"/g, '');
}

async function inProcessTrace(program: Program, target: 'cgpl' | 'js'): Promise<string> {
  const result = await simulateCall(program, { target, now: AT, caller });
  return result.trace.toJSONLines().replace(/"wall":"[^"]*"/g, '');
}

describe('runIsolated', () => {
  it('gives the same trace as the call’s own thread, on both targets, in virtual time', async () => {
    const program = await callback();
    for (const target of ['cgpl', 'js'] as const) {
      const here = await inProcessTrace(program, target);
      expect(here).toContain('"kind":"email-queued"');
      expect(await isolatedTrace(program, target)).toBe(here);
    }
  });

  it('the desktop bundle’s call-worker.mjs runs it too', { timeout: 60_000 }, async () => {
    await mkdir(path.join(ROOT, 'dist'), { recursive: true });
    const out = await mkdtemp(path.join(ROOT, 'dist', 'bundle-test-'));
    dirs.push(out);
    const { main, callWorker } = await buildDesktop(out);
    expect(path.dirname(callWorker)).toBe(path.dirname(main));
    const workers = new CallWorkers({ entry: callWorker, spares: 0 });
    pools.push(workers);
    const program = await callback();
    expect(await isolatedTrace(program, 'cgpl', workers)).toBe(await inProcessTrace(program, 'cgpl'));
  });
});
