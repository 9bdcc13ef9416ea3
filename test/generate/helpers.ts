// Building small flows for generator tests.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { parseCgpl } from '../../compiler/cgpl';
import { FLOW_FORMAT, FlowDocument } from '../../compiler/flow/schema';
import { compileToCgpl } from '../../compiler/generate/cgpl';

export function loadFixture(name: string): FlowDocument {
  return FlowDocument.parse(JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')));
}

type Wire = [source: string, handle: string, target: string];

/** A flow from nodes ({ id, type, data? }) and edges as [source, handle, target]; start is added. */
export function flowOf(
  nodes: { id: string; type: string; data?: unknown }[],
  wires: Wire[],
  extra: object = {},
): FlowDocument {
  return FlowDocument.parse({
    format: FLOW_FORMAT,
    name: 'test',
    nodes: [{ id: 'start', type: 'start' }, ...nodes],
    edges: wires.map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source, sourceHandle, target })),
    ...extra,
  });
}

/** The flow's CG/PL text without the header, checked to parse cleanly. */
export function cgplOf(flow: FlowDocument): string {
  const { text } = compileToCgpl(flow);
  const { program, diagnostics } = parseCgpl(text);
  expect(diagnostics).toEqual([]);
  expect(program).not.toBeNull();
  return text.split('\n').slice(2).join('\n');
}
