// Flows with many dispatch cases: past a dozen heads `next` holds a number and a balanced tree of
// `next < k` finds the case, so a jump costs O(log heads); the program still does what the flow says,
// on both targets alike.
import { describe, expect, it } from 'vitest';
import { compileToCgpl, compileToJs } from '../../compiler/generate';
import { analyseFlow } from '../../compiler/generate/graph';
import { bigFlow, conditionChain } from '../bench/bigFlow';
import { simulateCall } from '../../runtime/host';
import { compiledProgram, mismatchReport, runBoth, sameCall } from '../differential/harness';

describe('the dispatch loop', () => {
  it('a dozen heads or fewer: cases on the head ids, as written', () => {
    const { text } = compileToCgpl(conditionChain(8));
    expect(text).toMatch(/^ {4}next = "c1";$/m);
    expect(text).toMatch(/^ {4}if next == "c1" then$/m);
    expect(text).not.toMatch(/next </);
  });

  it('more: numbered heads and a balanced tree of tests, every head reachable once', () => {
    const flow = conditionChain(300);
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

  it('runs the flow as the flow says, on both targets alike (a chain of joins, and menus that loop back)', async () => {
    for (const [flow, keys] of [
      [conditionChain(150), ''],
      [bigFlow(300), '21212'],
    ] as const) {
      const program = compiledProgram(flow, '.');
      const plan = { caller: [{ dtmf: keys }], smtpUp: true };
      const both = await runBoth(program, plan);
      if (!sameCall(both.cgpl, both.js)) expect.fail(mismatchReport(flow.name, plan, both));
      expect(both.cgpl.endedBy).not.toBeNull();
    }
    // Each condition leads on to the next whatever it finds: the call visits every node in order
    // (start has no code of its own: the call is answered by the first node that needs media).
    for (const target of ['cgpl', 'js'] as const) {
      const result = await simulateCall(compiledProgram(conditionChain(150), '.'), { target });
      expect(result.trace.ofKind('node').map((e) => e.id)).toEqual([
        ...Array.from({ length: 150 }, (_, i) => `c${i}`),
        'bye',
      ]);
      expect(result.endedBy).toBe('program');
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
