// Flows with many dispatch cases: past a dozen heads `next` holds a number and a balanced tree of
// `next < k` finds the case, so a jump costs O(log heads); the program still does what the flow says,
// on both targets alike. And joins only one node's branches lead to are no cases at all.
import { describe, expect, it } from 'vitest';
import { compileToCgpl, compileToJs } from '../../compiler/generate';
import { analyseFlow } from '../../compiler/generate/graph';
import { FLOW_FORMAT, type FlowDocument } from '../../compiler/flow';
import { bigFlow, conditionChain } from '../bench/bigFlow';

/** n menus in a row, each asking again on a timeout (so each is a loop's entry: a head), 1 goes on. */
function menuLadder(n: number): FlowDocument {
  const nodes: unknown[] = [{ id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} }];
  const edges: unknown[] = [];
  const link = (source: string, sourceHandle: string, target: string) =>
    edges.push({ id: `e${edges.length}`, source, sourceHandle, target });
  for (let i = 0; i < n; i++) {
    nodes.push({
      id: `m${i}`,
      type: 'menu',
      position: { x: 0, y: i * 100 },
      data: { prompts: [], options: [{ digit: '1' }], timeout: 5, retries: 3, invalidPrompts: [], noInputPrompts: [] },
    });
    link(i === 0 ? 'start' : `m${i - 1}`, i === 0 ? 'next' : '1', `m${i}`);
    link(`m${i}`, 'timeout', `m${i}`);
  }
  nodes.push({ id: 'bye', type: 'hangup', position: { x: 0, y: n * 100 }, data: {} });
  link(`m${n - 1}`, '1', 'bye');
  return {
    format: FLOW_FORMAT,
    name: 'ladder',
    description: '',
    languages: ['english'],
    defaultLanguage: 'english',
    prompts: {},
    variables: [],
    nodes,
    edges,
    notes: [],
    environment: { domain: 'company.com', defaultAccount: '', timeZone: '', accounts: [] },
  } as unknown as FlowDocument;
}
import { simulateCall } from '../../runtime/host';
import { compiledProgram, mismatchReport, runBoth, sameCall } from '../differential/harness';

describe('the dispatch loop', () => {
  it('a dozen heads or fewer: cases on the head ids, as written', () => {
    const { text } = compileToCgpl(menuLadder(8));
    expect(text).toMatch(/^ {2}next = "m0";$/m);
    expect(text).toMatch(/^ {4}if next == "m0" then$/m);
    expect(text).not.toMatch(/next </);
  });

  it('a chain of joins, each only its one condition leads to: no dispatch at all, one test per node', () => {
    const { text } = compileToCgpl(conditionChain(300));
    expect(text).not.toMatch(/next/);
    expect(text.match(/^ {2}if x == "\d" then null; end if;$/gm)).toHaveLength(299);
  });

  it('more: numbered heads and a balanced tree of tests, every head reachable once', () => {
    const flow = menuLadder(300);
    const heads = analyseFlow(flow).heads.size;
    expect(heads).toBeGreaterThan(12);
    const { text } = compileToCgpl(flow);
    expect(text).not.toMatch(/next == "/);
    const cases = [...text.matchAll(/next == (\d+) then/g)].map((m) => Number(m[1]));
    expect(cases.sort((a, b) => a - b)).toEqual(Array.from({ length: heads }, (_, i) => i));
    // Depth of the tree: about log2(heads / 12) levels of `next < k` above the cases.
    const deepest = Math.max(...[...text.matchAll(/^( *)if next < \d+ then$/gm)].map((m) => m[1]!.length / 2));
    expect(deepest).toBeLessThanOrEqual(3 + Math.ceil(Math.log2(heads / 12)));
    expect(compileToJs(flow).text).toMatch(/\$next < \d+/);
  });

  it('runs the flow as the flow says, on both targets alike (a ladder of menu loops, a chain of joins, sections)', async () => {
    for (const [flow, keys] of [
      [menuLadder(150), '1'.repeat(150)],
      [conditionChain(150), ''],
      [bigFlow(300), '21212'],
    ] as const) {
      const program = compiledProgram(flow, '.');
      const plan = { caller: [{ dtmf: keys }], smtpUp: true };
      const both = await runBoth(program, plan);
      if (!sameCall(both.cgpl, both.js)) expect.fail(mismatchReport(flow.name, plan, both));
      expect(both.cgpl.endedBy).not.toBeNull();
    }
    // Each menu takes its 1 and goes on; each condition goes on whatever it finds: every node in order.
    for (const target of ['cgpl', 'js'] as const) {
      const ladder = await simulateCall(compiledProgram(menuLadder(150), '.'), {
        target,
        caller: [{ dtmf: '1'.repeat(150) }],
      });
      expect(ladder.trace.ofKind('node').map((e) => e.id)).toEqual([
        'start',
        ...Array.from({ length: 150 }, (_, i) => `m${i}`),
        'bye',
      ]);
      const chain = await simulateCall(compiledProgram(conditionChain(150), '.'), { target });
      expect(
        chain.trace
          .ofKind('node')
          .map((e) => e.id)
          .filter((id) => id.startsWith('c')),
      ).toEqual(Array.from({ length: 150 }, (_, i) => `c${i}`));
      expect(chain.endedBy).toBe('program');
    }
  });
});

describe('compileFlow', () => {
  it('gives both targets from one lowering, exactly as compileToCgpl and compileToJs do', async () => {
    const { compileFlow } = await import('../../compiler/generate');
    const { loadFlow } = await import('../../compiler/flow');
    const { readFile } = await import('node:fs/promises');
    const flows = [conditionChain(40), bigFlow(120)];
    for (const file of ['samples/callback/flow.json', 'samples/autosecretary/flow.json'])
      flows.push(loadFlow(await readFile(file, 'utf8'), file).flow!);
    for (const flow of flows) {
      const both = compileFlow(flow);
      expect(both.cgpl).toEqual(compileToCgpl(flow));
      expect(both.js).toEqual(compileToJs(flow));
    }
  });
});
