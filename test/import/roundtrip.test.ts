// Every program IVR Studio generates imports back to an equivalent flow: compiling the imported flow
// gives the same program, character for character, and the flow is made of ordinary nodes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileToCgpl } from '../../compiler/generate';
import { parseCgpl, printCgpl, type IfStmt } from '../../compiler/cgpl';
import { importCgpl } from '../../compiler/import';
import { validateFlow, type FlowDocument } from '../../compiler/flow';
import { arbitraryFlow, arbitraryNastyFlow } from '../generate/arbitraries';
import { repairFlow } from '../differential/harness';
import { bigFlow } from '../bench/bigFlow';

/**
 * The program with its dispatch loop's cases in label order. A node that writes no code (a play with
 * no prompts, a set with no variable) leaves no trace in the program, so the imported flow lacks it,
 * and the compiler may then find the joins in another order: the cases test distinct labels, so
 * their order does not change what the program does.
 */
function canonical(text: string): string {
  const { program } = parseCgpl(text);
  const main = program?.decls[0];
  if (!program || main?.kind !== 'Entry') return text;
  const last = main.body.at(-1);
  if (last?.kind === 'Loop' && last.body.length === 1 && last.body[0].kind === 'If') {
    const label = (b: IfStmt['branches'][number]) =>
      b.cond.kind === 'Binary' && b.cond.right.kind === 'String' ? b.cond.right.value : '';
    last.body[0].branches.sort((a, b) => (label(a) < label(b) ? -1 : label(a) > label(b) ? 1 : 0));
  }
  return printCgpl(program).text;
}

function roundTrip(text: string, name: string) {
  const imported = importCgpl(text, { file: `${name}.sppr`, name });
  expect(imported.problems).toEqual([]);
  const flow = imported.flow!;
  // an empty code node stands for a node that wrote no code (a join onto an empty play)
  const code = flow.nodes.filter((n) => n.type === 'code' && n.data.code !== '').length;
  return { flow, code, text: compileToCgpl(flow).text };
}

describe('import(compile(flow))', () => {
  it.each(['callback', 'autosecretary'])('the %s sample comes back as the same program, without code nodes', (name) => {
    const text = readFileSync(`samples/${name}/${name}.expected.sppr`, 'utf8');
    const back = roundTrip(text, name);
    expect(back.text).toBe(text);
    expect(back.code).toBe(0);
    expect(validateFlow(back.flow).filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('a large flow (more than 12 joins: the numbered dispatch tree) comes back as the same program', () => {
    const flow = bigFlow(300);
    const { text } = compileToCgpl(flow);
    expect(text).toMatch(/if next < \d+ then/);
    const back = roundTrip(text, flow.name);
    expect(back.text).toBe(text);
    expect(back.code).toBe(0);
    expect(back.flow.nodes.length).toBeGreaterThan(250);
  });

  // The Connect helper of a transfer whose code is never written (no call reaches it) is never
  // spawned: the import drops it, and the program behaves the same without it.
  const unreachableConnect = (f: FlowDocument) => {
    const { text } = compileToCgpl(f);
    return text.includes('entry Connect is') && !text.includes('spawn Connect(');
  };
  // A Redirect to a literal target never fails, so the program has no code for its `failed` edge —
  // but the generator still counts the edge when it decides which nodes are joins.
  const deadRedirectEdge = (f: FlowDocument) =>
    f.nodes.some(
      (n) =>
        n.type === 'transfer' &&
        n.data.mode === 'redirect' &&
        !n.data.target.includes('{{') &&
        f.edges.some((e) => e.source === n.id && e.sourceHandle === 'failed'),
    );
  // A node that writes no code (a play without prompts, a set without a variable, a transfer without a
  // target) leaves nothing to import: the flow comes back without it and the compiler may then shape
  // the program differently. behaviour.test.ts shows such programs still behave the same.
  const writesNothing = (f: FlowDocument) =>
    f.nodes.some(
      (n) =>
        (n.type === 'play' && n.data.prompts.length === 0) ||
        (n.type === 'setVariable' && n.data.variable === '') ||
        (n.type === 'transfer' && n.data.target === '') ||
        (n.type === 'businessHours' && n.data.schedule.length === 0),
    );
  const valid = arbitraryFlow(8)
    .map((f) => repairFlow(f, 'prompt.wav'))
    .filter(
      (f) =>
        !validateFlow(f).some((p) => p.severity === 'error') &&
        !unreachableConnect(f) &&
        !deadRedirectEdge(f) &&
        !writesNothing(f),
    );

  it('compiles to the same program for random flows that pass validation, without code nodes', () => {
    fc.assert(
      fc.property(valid, (flow) => {
        const { text } = compileToCgpl(flow);
        const back = roundTrip(text, flow.name);
        expect(canonical(back.text)).toBe(canonical(text));
        expect(back.code).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('imports every generated program, even of flows that do not validate or have nasty names', () => {
    fc.assert(
      fc.property(fc.oneof(arbitraryFlow(8), arbitraryNastyFlow(8)), (flow) => {
        const { text } = compileToCgpl(flow);
        const imported = importCgpl(text, { name: flow.name });
        expect(imported.problems).toEqual([]);
        expect(imported.flow).not.toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
