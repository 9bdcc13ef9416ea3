// The document → React Flow nodes and edges. Objects are cached by the document's own objects so an
// unchanged node keeps its identity and its memoised component does not re-render.
import { MarkerType, type Edge } from '@xyflow/react';
import type { FlowDocument, FlowEdge, FlowNode } from '../../compiler/flow/schema';
import type { Selection } from '../store/docOps';
import type { FlowRfNode, NoteRfNode, RfNode } from '../nodes/types';

export interface Measured { width: number; height: number }

const nodeCache = new WeakMap<FlowNode, Map<string, FlowRfNode>>();

function rfNode(n: FlowNode, selected: boolean, measured: Measured | undefined): FlowRfNode {
  const key = `${selected}|${measured?.width}|${measured?.height}`;
  let byKey = nodeCache.get(n);
  if (!byKey) nodeCache.set(n, (byKey = new Map()));
  let out = byKey.get(key);
  if (!out) {
    out = { id: n.id, type: n.type, position: n.position, data: { node: n }, selected, ...(measured ? { measured } : {}) };
    byKey.clear();
    byKey.set(key, out);
  }
  return out;
}

export function toRfNodes(doc: FlowDocument, sel: Selection, measured: Record<string, Measured>): RfNode[] {
  const nodes = new Set(sel.nodes);
  const notes = new Set(sel.notes);
  const out: RfNode[] = doc.notes.map((n): NoteRfNode => {
    const id = `note:${n.id}`;
    return { id, type: 'note', position: n.position, data: { noteId: n.id, text: n.text }, selected: notes.has(n.id), zIndex: -1, ...(measured[id] ? { measured: measured[id] } : {}) };
  });
  for (const n of doc.nodes) out.push(rfNode(n, nodes.has(n.id), measured[n.id]));
  return out;
}

export function toRfEdges(edges: readonly FlowEdge[], sel: Selection, taken: ReadonlySet<string>): Edge[] {
  const selected = new Set(sel.edges);
  return edges.map((e) => ({
    id: e.id,
    source: e.source,
    sourceHandle: e.sourceHandle,
    target: e.target,
    targetHandle: 'in',
    type: 'smoothstep',
    selected: selected.has(e.id),
    animated: taken.has(e.id),
    className: taken.has(e.id) ? 'is-taken' : undefined,
    markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
  }));
}
