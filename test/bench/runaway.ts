// Runaway calls (the loop shapes, forced past validation): how long until the budget stops
// each on either target — in the process (simulate) and on a call worker — and how the designer's
// server answers /api/info while one runs in it. Goals: stopped within 5 s, /api/info < 100 ms.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realClock } from '../../runtime/call/clock';
import { createSimulatedCall } from '../../runtime/call/simulated';
import { callWorkers, runIsolated, simulateCall } from '../../runtime/host';
import { SAMPLES_DIR, startServer } from '../../runtime/server';
import { LiveCall } from '../../runtime/server/ws/calls';
import { forcedProgram, SHAPES } from '../budget/forced';
import { printTable, type Row } from './table';

export async function runawayBench(): Promise<void> {
  await callWorkers().warm();
  const rows: Row[] = [];
  for (const [shape, flow] of Object.entries(SHAPES)) {
    for (const target of ['cgpl', 'js'] as const) {
      const program = forcedProgram(flow);
      let t = performance.now();
      const here = await simulateCall(program, { target, refuseEmail: true });
      const simulated = performance.now() - t;
      const call = createSimulatedCall({ environment: program.environment, clock: realClock(), refuseEmail: true });
      t = performance.now();
      const isolated = await call.run((s) => runIsolated(program, s, { target }).result);
      const worker = performance.now() - t;
      rows.push({
        shape,
        target,
        'simulate: stopped after ms': simulated,
        'worker: stopped after ms': worker,
        'node named': [here, isolated].map((r) => r.trace.ofKind('error')[0]?.nodeId ?? '-').join(' / '),
        goal: '< 5000',
      });
    }
  }
  printTable('Runaway calls: time until the budget stops them', rows);
  await serverBench();
}

/** /api/info latency while a runaway test call runs in the server (vs. idle). */
async function serverBench(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'ivr-bench-runaway-'));
  const workspace = join(root, 'workspace');
  await cp(SAMPLES_DIR, workspace, { recursive: true });
  const server = await startServer({ workspace, outboxDir: join(root, 'outbox') });
  const info = async () => {
    const t = performance.now();
    await (await fetch(`${server.url}/api/info`, { headers: { 'X-IVR-Token': server.token } })).text();
    return performance.now() - t;
  };
  const sample = async (until: () => boolean) => {
    const times: number[] = [];
    while (!until()) {
      times.push(await info());
      await new Promise((r) => setTimeout(r, 10));
    }
    return times.sort((a, b) => a - b);
  };
  const rows: Row[] = [];
  try {
    const idleEnd = Date.now() + 1000;
    const idle = await sample(() => Date.now() > idleEnd);
    rows.push(row('idle server', idle));
    for (const target of ['cgpl', 'js'] as const) {
      let ended = false;
      const call = new LiveCall({
        id: `bench-${target}`,
        program: forcedProgram(SHAPES['a 3-node setVariable cycle']),
        target,
        mailer: { send: async () => null },
        workspace,
        send: (m) => {
          if (m.type === 'call.ended') ended = true;
        },
      });
      const done = call.start();
      const busy = await sample(() => ended);
      await done;
      rows.push(row(`a runaway ${target} test call running`, busy));
    }
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
  printTable('GET /api/info while a runaway test call runs in the server', rows);
}

function row(what: string, sorted: number[]): Row {
  return {
    while: what,
    requests: sorted.length,
    'median ms': sorted[Math.floor(sorted.length / 2)] ?? 0,
    'p99 ms': sorted[Math.floor(sorted.length * 0.99)] ?? 0,
    'max ms': sorted.at(-1) ?? 0,
    goal: '< 100',
  };
}
