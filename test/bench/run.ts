// `npm run bench`: compile time for large generated flows, interpreter speed, FindRegEx, CPU per simulated call.
// Printed as tables; goals are stated beside the numbers, never asserted (benchmarks are not tests).
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileToCgpl, compileToJs } from '../../compiler/generate';
import { validateFlow } from '../../compiler/flow';
import { parseCgpl } from '../../compiler/cgpl';
import { runProgram } from '../../runtime/cgpl';
import { callWorkers, loadProgram, simulateCall } from '../../runtime/host';
import { VirtualClock } from '../../runtime/call/clock';
import { createMailer } from '../../runtime/mail';
import type { CallSession } from '../../runtime/call/api';
import { bigFlow } from './bigFlow';
import { regexBench } from './regex';
import { printTable, timeMedian, type Row } from './table';
import { scaleBench } from './scale';
import { runawayBench } from './runaway';

function compileBench(): void {
  const rows: Row[] = [];
  for (const n of [500, 5000]) {
    const flow = bigFlow(n);
    const cgpl = timeMedian(() => compileToCgpl(flow));
    const js = timeMedian(() => compileToJs(flow));
    const validate = timeMedian(() => validateFlow(flow));
    const text = compileToCgpl(flow).text;
    const parse = timeMedian(() => parseCgpl(text));
    rows.push({
      nodes: flow.nodes.length,
      'validate ms': validate,
      'compile CG/PL ms': cgpl,
      'compile JS ms': js,
      'parse output ms': parse,
      'output lines': text.split('\n').length,
      goal: n === 5000 ? 'compile < 100 ms' : '',
    });
  }
  const [a, b] = rows;
  printTable('Compiler (median of 7 runs)', rows);
  console.log(
    `growth 500 → 5000 nodes: x${(Number(b['compile CG/PL ms']) / Number(a['compile CG/PL ms'])).toFixed(1)} (linear = x10)`,
  );
}

/** The interpreter on pure computation: no PBX calls, so the session is never touched. */
async function interpreterBench(): Promise<void> {
  const programs = {
    // Arithmetic, a modulo and string growth per iteration.
    mixed: `entry Main is
  total = 0; text = "";
  for i = 0 while i < 300000 by i += 1 loop
    total = total + i % 7;
    if i % 1000 == 0 then text = text + "x"; end if;
  end loop;
end;`,
    // The simplest steps: a loop that adds (a goal once asserted by a test, now measured here).
    'simple steps': `entry Main is
  i = 0; s = 0;
  loop exitif i >= 1000000; s += i; i += 1; end loop;
end;`,
  };
  const session = { isConnected: () => false } as unknown as CallSession;
  const rows: Row[] = [];
  for (const [name, source] of Object.entries(programs)) {
    const { program } = parseCgpl(source);
    if (!program) throw new Error(`bench program '${name}' does not parse`);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const result = await runProgram(program, session, { stepBudget: 100_000_000 });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    rows.push({
      program: name,
      steps: result.steps,
      'wall ms': ms,
      'CPU ms': (cpu.user + cpu.system) / 1000,
      'steps/s': Math.round(result.steps / (ms / 1000)),
      ended: result.ended,
      goal: '> 1 M steps/s',
    });
  }
  printTable('CG/PL interpreter', rows);
}

async function callBench(): Promise<void> {
  const flowFile = fileURLToPath(new URL('../../samples/callback/flow.json', import.meta.url));
  const { program, errors } = await loadProgram(flowFile);
  if (!program) throw new Error(errors.join('\n'));
  const outboxDir = await mkdtemp(join(tmpdir(), 'ivr-bench-'));
  const mailer = await createMailer({ outboxDir });
  const rows: Row[] = [];
  try {
    for (const target of ['cgpl', 'js'] as const) {
      const calls = 50;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < calls; i++) {
        await simulateCall(program, {
          target,
          clock: new VirtualClock(new Date()),
          account: 'ivanov',
          mailer,
          caller: [{ listen: true }, { dtmf: '5551234#' }],
        });
      }
      const cpu = process.cpuUsage(cpu0);
      rows.push({
        target,
        calls,
        'wall ms/call': (performance.now() - t0) / calls,
        'CPU ms/call': (cpu.user + cpu.system) / 1000 / calls,
        note: 'incl. SMTP to the embedded outbox',
      });
    }
  } finally {
    await mailer.close();
    await rm(outboxDir, { recursive: true, force: true });
  }
  printTable('Simulated callback call (virtual clock, "5551234#")', rows);
}

compileBench();
await scaleBench();
await interpreterBench();
regexBench();
await callBench();
await runawayBench();
await callWorkers().close();
