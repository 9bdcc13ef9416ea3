// What keeps a big flow fast on the canvas: derived data survives moves, React Flow objects keep
// their identity, and undrawn nodes carry estimated sizes and handles.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { outputHandles } from '../../compiler/flow/schema';
import { validateFlow } from '../../compiler/flow/validate';
import { differsOnlyInPositions, selectCgpl, selectErrorCounts, selectProblems } from '../../designer/store/derived';
import { EMPTY_SELECTION, movePositions, updateNodeData } from '../../designer/store/docOps';
import { toRfEdges, toRfNodes } from '../../designer/canvas/toReactFlow';
import { nodeWidth } from '../../designer/layout/sizes';
import { callbackFlow } from './helpers';

describe('derived data across moves', () => {
  it('a drag step reuses the problems and the program; an edit recomputes them', () => {
    const doc = callbackFlow();
    const problems = selectProblems(doc);
    const cgpl = selectCgpl(doc);
    const moved = movePositions(doc, { [doc.nodes[1]!.id]: { x: 999, y: 5 } });
    expect(moved).not.toBe(doc);
    expect(selectProblems(moved)).toBe(problems);
    expect(selectCgpl(moved)).toBe(cgpl);
    const edited = updateNodeData(moved, doc.nodes[1]!.id, { label: 'renamed' });
    expect(selectProblems(edited)).not.toBe(problems);
    expect(selectProblems(edited)).toEqual(validateFlow(edited));
  });

  it('only position changes count as moves', () => {
    const doc = callbackFlow();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: doc.nodes.length - 1 }), fc.integer({ min: -5000, max: 5000 }), (i, x) => {
        const id = doc.nodes[i]!.id;
        expect(differsOnlyInPositions(doc, movePositions(doc, { [id]: { x, y: x } }))).toBe(true);
        const renamed = {
          ...doc,
          nodes: doc.nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data } } : n)),
        } as typeof doc;
        expect(differsOnlyInPositions(doc, renamed)).toBe(false);
        expect(differsOnlyInPositions(doc, { ...doc, edges: [...doc.edges] })).toBe(false);
        expect(differsOnlyInPositions(doc, { ...doc, nodes: doc.nodes.slice(1) })).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('counts errors per node from the same list the Problems panel shows', () => {
    const doc = callbackFlow();
    const broken = { ...doc, edges: [] };
    const counts = selectErrorCounts(broken);
    const errors = selectProblems(broken).filter((p) => p.severity === 'error' && p.nodeId);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(errors.length);
    expect(selectErrorCounts(broken)).toBe(counts);
  });
});

describe('React Flow objects', () => {
  it('unmoved nodes and all edges keep their identity through a drag step', () => {
    const doc = callbackFlow();
    const nodes = toRfNodes(doc, EMPTY_SELECTION, {});
    const edges = toRfEdges(doc.edges, EMPTY_SELECTION, new Set());
    const id = doc.nodes[2]!.id;
    const moved = movePositions(doc, { [id]: { x: 1, y: 2 } });
    const after = toRfNodes(moved, EMPTY_SELECTION, {});
    after.forEach((n, i) => {
      if (n.id === id) expect(n).not.toBe(nodes[i]);
      else expect(n).toBe(nodes[i]);
    });
    expect(toRfEdges(moved.edges, EMPTY_SELECTION, new Set())).toEqual(edges);
    toRfEdges(moved.edges, EMPTY_SELECTION, new Set()).forEach((e, i) => {
      expect(e).toBe(edges[i]);
    });
    const selected = toRfEdges(moved.edges, { ...EMPTY_SELECTION, edges: [doc.edges[0]!.id] }, new Set());
    expect(selected[0]!.selected).toBe(true);
    expect(selected[1]).toBe(edges[1]);
  });

  it('an undrawn node has an estimated size and a handle per output; a measured one its size', () => {
    const doc = callbackFlow();
    const nodes = toRfNodes(doc, EMPTY_SELECTION, {});
    for (const n of nodes) {
      if (n.type === 'note') continue;
      const node = doc.nodes.find((d) => d.id === n.id)!;
      expect(n.measured?.width).toBe(nodeWidth(outputHandles(node).length));
      const ids = (n.handles ?? []).map((h) => h.id).sort();
      expect(ids).toEqual([...outputHandles(node), ...(node.type === 'start' ? [] : ['in'])].sort());
    }
    const id = doc.nodes[0]!.id;
    const measured = toRfNodes(doc, EMPTY_SELECTION, { [id]: { width: 300, height: 77 } }).find((n) => n.id === id)!;
    expect(measured.measured).toEqual({ width: 300, height: 77 });
    expect(measured.handles).toBeUndefined();
  });
});
