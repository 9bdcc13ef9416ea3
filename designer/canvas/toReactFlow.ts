// The document → React Flow nodes and edges. Objects are cached by the document's own objects so an
// unchanged node keeps its identity and its memoised component does not re-render.
import { MarkerType, Position, type Edge, type NodeHandle } from '@xyflow/react';
import { outputHandles } from '../../compiler/flow/model';
import type { FlowDocument, FlowEdge, FlowNode } from '../../compiler/flow/schema';
import { NOTE_SIZE, estimateSize } from '../layout/sizes';
import type { Selection } from '../store/docOps';
import type { FlowRfNode, NoteRfNode, RfNode } from '../nodes/types';
import { NODE_META } from '../nodes/meta';

export interface Measured {
  width: number;
  height: number;
}

const nodeCache = new WeakMap<FlowNode, Map<string, FlowRfNode>>();

/** Handle boxes as styles.css places them (10 px, centred on the node's top and bottom edges). */
const HANDLE = 10;
function estimatedHandles(n: FlowNode, size: Measured): NodeHandle[] {
  const outputs = outputHandles(n);
  const handles: NodeHandle[] = outputs.map((id, i) => ({
    id,
    type: 'source',
    position: Position.Bottom,
    width: HANDLE,
    height: HANDLE,
    x: ((i + 0.5) / outputs.length) * size.width - HANDLE / 2,
    y: size.height - HANDLE / 2,
  }));
  if (n.type !== 'start')
    handles.push({
      id: 'in',
      type: 'target',
      position: Position.Top,
      width: HANDLE,
      height: HANDLE,
      x: size.width / 2 - HANDLE / 2,
      y: -HANDLE / 2,
    });
  return handles;
}

/**
 * A node React Flow has not measured yet gets an estimated size and handles: with them it counts as
 * initialised, so only the nodes in view are drawn (an unmeasured node is always drawn, to measure
 * it: opening a 1,000-node flow would draw all of them once), and edges to undrawn nodes still know
 * where to end. Once drawn, the node's measured size replaces the estimate.
 */
/** What a screen reader says for a node: its kind and label, and where its outputs lead. */
function nodeAria(n: FlowNode): string {
  const label = (n.data as { label?: string }).label?.trim();
  const kind = NODE_META[n.type].title;
  return label ? `${kind} node: ${label}` : `${kind} node ${n.id}`;
}

function rfNode(n: FlowNode, selected: boolean, measured: Measured | undefined): FlowRfNode {
  const key = `${selected}|${measured?.width}|${measured?.height}`;
  let byKey = nodeCache.get(n);
  if (!byKey) nodeCache.set(n, (byKey = new Map()));
  let out = byKey.get(key);
  if (!out) {
    const ariaLabel = nodeAria(n);
    if (measured)
      out = { id: n.id, type: n.type, position: n.position, data: { node: n }, selected, measured, ariaLabel };
    else {
      const size = estimateSize(n.type, outputHandles(n).length);
      out = {
        id: n.id,
        type: n.type,
        position: n.position,
        data: { node: n },
        selected,
        measured: size,
        handles: estimatedHandles(n, size),
        ariaLabel,
      };
    }
    byKey.clear();
    byKey.set(key, out);
  }
  return out;
}

type FlowNote = FlowDocument['notes'][number];
const noteCache = new WeakMap<FlowNote, { key: string; node: NoteRfNode }>();

function rfNote(n: FlowNote, selected: boolean, measured: Measured | undefined): NoteRfNode {
  const key = `${selected}|${measured?.width}|${measured?.height}`;
  const cached = noteCache.get(n);
  if (cached?.key === key) return cached.node;
  const id = `note:${n.id}`;
  const node: NoteRfNode = {
    id,
    type: 'note',
    position: n.position,
    data: { noteId: n.id, text: n.text },
    selected,
    zIndex: -1,
    measured: measured ?? NOTE_SIZE,
    ariaLabel: `Sticky note: ${n.text.slice(0, 80)}`,
  };
  noteCache.set(n, { key, node });
  return node;
}

export function toRfNodes(doc: FlowDocument, sel: Selection, measured: Record<string, Measured>): RfNode[] {
  const nodes = new Set(sel.nodes);
  const notes = new Set(sel.notes);
  const out: RfNode[] = doc.notes.map((n) => rfNote(n, notes.has(n.id), measured[`note:${n.id}`]));
  for (const n of doc.nodes) out.push(rfNode(n, nodes.has(n.id), measured[n.id]));
  return out;
}

// Edges too: moving one node must not hand React Flow a thousand new edge objects (each would
// rebuild its lookups and re-render every edge in view).
const edgeCache = new WeakMap<FlowEdge, Edge>();
const ARROW = { type: MarkerType.ArrowClosed, width: 16, height: 16 } as const;

function rfEdge(e: FlowEdge, selected: boolean, taken: boolean, ariaLabel: string): Edge {
  const cached = edgeCache.get(e);
  if (cached && cached.selected === selected && cached.animated === taken && cached.ariaLabel === ariaLabel)
    return cached;
  const out: Edge = {
    id: e.id,
    source: e.source,
    sourceHandle: e.sourceHandle,
    target: e.target,
    targetHandle: 'in',
    type: 'smoothstep',
    selected,
    animated: taken,
    className: taken ? 'is-taken' : undefined,
    markerEnd: ARROW,
    ariaLabel,
  };
  edgeCache.set(e, out);
  return out;
}

export function toRfEdges(
  edges: readonly FlowEdge[],
  sel: Selection,
  taken: ReadonlySet<string>,
  /** Node id → what to call it (its label, else its id). */
  names: ReadonlyMap<string, string> = new Map(),
): Edge[] {
  const selected = new Set(sel.edges);
  return edges.map((e) =>
    rfEdge(
      e,
      selected.has(e.id),
      taken.has(e.id),
      `Connection: ${names.get(e.source) ?? e.source}, ${e.sourceHandle}, to ${names.get(e.target) ?? e.target}`,
    ),
  );
}
