// Large flows: compile and simulate time at 10,000 and 100,000 nodes, and the growth factor (linear
// = x10; the goal is at most x12). CPU time of this thread (process CPU), so a busy machine changes
// the wall time but not the figure much.
import { parseCgpl } from '../../compiler/cgpl';
import type { FlowDocument } from '../../compiler/flow';
import { compileToCgpl, compileToJs } from '../../compiler/generate';
import { flowEnvironment } from '../../runtime/call/environment';
import { simulateCall, type Program } from '../../runtime/host';
import { bigFlow, conditionChain } from './bigFlow';
import { printTable, type Row } from './table';

function cpuMs(fn: () => unknown): number {
  const c = process.cpuUsage();
  fn();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
}

async function cpuMsAsync(fn: () => Promise<unknown>): Promise<number> {
  const c = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function programOf(flow: FlowDocument): Program {
  const compiled = compileToCgpl(flow);
  const parsed = parseCgpl(compiled.text, `${flow.name}.sppr`);
  if (!parsed.program) throw new Error('the generated program does not parse');
  return {
    kind: 'flow',
    file: `${flow.name}.json`,
    name: flow.name,
    cgpl: { text: compiled.text, ast: parsed.program, file: `${flow.name}.sppr`, lineToNode: compiled.sourceMap.lines },
    js: { text: compileToJs(flow).text },
    flow,
    environment: flowEnvironment(flow, '.'),
    warnings: [],
  };
}

export async function scaleBench(): Promise<void> {
  const shapes: [string, (n: number) => FlowDocument][] = [
    ['menus, digits, e-mail, conditions', bigFlow],
    ['a chain of conditions (all joins)', conditionChain],
  ];
  const rows: Row[] = [];
  for (const [shape, make] of shapes) {
    const at: Record<number, Row> = {};
    for (const n of [10_000, 100_000]) {
      const flow = make(n);
      compileToCgpl(make(200)); // warm the compiler
      const runs = n > 50_000 ? 3 : 5;
      const cgpl = median(Array.from({ length: runs }, () => cpuMs(() => compileToCgpl(flow))));
      const js = median(Array.from({ length: runs }, () => cpuMs(() => compileToJs(flow))));
      const program = programOf(flow);
      // The caller keeps pressing 2 (the second menu option): every section's menu, condition and retry runs.
      const simulate: Record<string, number> = {};
      for (const target of ['cgpl', 'js'] as const)
        simulate[target] = await cpuMsAsync(() =>
          // A 100,000-node path without a wait is legitimate here: the budget must not cut it short.
          simulateCall(program, { target, caller: [{ dtmf: '2'.repeat(40_000) }], budget: { runawayMs: 600_000 } }),
        );
      at[n] = {
        shape,
        nodes: flow.nodes.length,
        'compile CG/PL ms': cgpl,
        'compile JS ms': js,
        'simulate CG/PL ms': simulate.cgpl!,
        'simulate JS ms': simulate.js!,
      };
      rows.push(at[n]!);
    }
    const growth = (k: string) => `x${(Number(at[100_000]![k]) / Number(at[10_000]![k])).toFixed(1)}`;
    rows.push({
      shape: '  growth 10k → 100k (goal ≤ x12)',
      nodes: 'x10',
      'compile CG/PL ms': growth('compile CG/PL ms'),
      'compile JS ms': growth('compile JS ms'),
      'simulate CG/PL ms': growth('simulate CG/PL ms'),
      'simulate JS ms': growth('simulate JS ms'),
    });
  }
  printTable('Large flows (CPU ms, median; simulate: one call, the caller pressing 2)', rows);
}
