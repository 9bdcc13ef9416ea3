// Pure edits of the flow document. Every store change goes through one of these, so the same
// operation behaves the same from the canvas, the inspector, the keyboard and the tests.
import { outputHandles } from '../../compiler/flow/model';
import type { FlowDocument, FlowEdge, FlowNode, NodeType } from '../../compiler/flow/schema';
import { defaultNodeData } from './nodeDefaults';

export interface XY {
  x: number;
  y: number;
}

/** What is selected; notes have their own id space, so they are kept apart from nodes. */
export interface Selection {
  nodes: string[];
  edges: string[];
  notes: string[];
}

export const EMPTY_SELECTION: Selection = { nodes: [], edges: [], notes: [] };

/** The first free id of the form `<prefix><n>` (menu1, menu2 …). */
export function freshId(prefix: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const id = `${prefix}${n}`;
    if (!taken.has(id)) return id;
  }
}

export function nodeIds(doc: FlowDocument): Set<string> {
  return new Set(doc.nodes.map((n) => n.id));
}

/** A new node of a type with the schema's defaults filled in. */
export function makeNode(type: NodeType, id: string, position: XY): FlowNode {
  // Key order as a parse gives it, so a new node serialises like a loaded one.
  const at = { x: Math.round(position.x), y: Math.round(position.y) };
  return { id, position: at, type, data: defaultNodeData(type) } as FlowNode;
}

export function addNode(doc: FlowDocument, type: NodeType, position: XY): { doc: FlowDocument; id: string } {
  const id = freshId(type === 'start' ? 'start' : type, nodeIds(doc));
  return { doc: { ...doc, nodes: [...doc.nodes, makeNode(type, id, position)] }, id };
}

export function addNote(doc: FlowDocument, position: XY, text = ''): { doc: FlowDocument; id: string } {
  const id = freshId('note', new Set(doc.notes.map((n) => n.id)));
  return { doc: { ...doc, notes: [...doc.notes, { id, position, text }] }, id };
}

/** Removes the selected nodes (with their edges), edges and notes. */
export function removeSelection(doc: FlowDocument, sel: Selection): FlowDocument {
  const nodes = new Set(sel.nodes);
  const edges = new Set(sel.edges);
  const notes = new Set(sel.notes);
  if (nodes.size + edges.size + notes.size === 0) return doc;
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !nodes.has(n.id)),
    edges: doc.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
    notes: doc.notes.filter((n) => !notes.has(n.id)),
  };
}

export interface Connection {
  source: string;
  sourceHandle: string;
  target: string;
}

export function edgeId(doc: FlowDocument, c: Connection): string {
  const base = `${c.source}-${c.sourceHandle}-${c.target}`;
  const taken = new Set(doc.edges.map((e) => e.id));
  return taken.has(base) ? freshId(`${base}-`, taken) : base;
}

/**
 * Connects an output handle to a node. An output leads to one place, so an existing edge from the same
 * handle is replaced. Returns an error message instead when the connection cannot be made.
 */
export function connect(doc: FlowDocument, c: Connection): { doc: FlowDocument; error?: string } {
  const source = doc.nodes.find((n) => n.id === c.source);
  const target = doc.nodes.find((n) => n.id === c.target);
  if (!source) return { doc, error: `no node '${c.source}'` };
  if (!target) return { doc, error: `no node '${c.target}'` };
  if (target.type === 'start')
    return { doc, error: 'calls enter a flow only at its start node; it takes no incoming edge' };
  if (!outputHandles(source).includes(c.sourceHandle)) {
    return { doc, error: `node ${source.id} (${source.type}) has no output '${c.sourceHandle}'` };
  }
  const kept = doc.edges.filter((e) => !(e.source === c.source && e.sourceHandle === c.sourceHandle));
  const base = { ...doc, edges: kept };
  const edge: FlowEdge = { id: edgeId(base, c), ...c };
  return { doc: { ...base, edges: [...kept, edge] } };
}

/** Removes the edge leaving `source` by `sourceHandle` (that output then leads nowhere). */
export function disconnect(doc: FlowDocument, source: string, sourceHandle: string): FlowDocument {
  const edges = doc.edges.filter((e) => !(e.source === source && e.sourceHandle === sourceHandle));
  return edges.length === doc.edges.length ? doc : { ...doc, edges };
}

/** Merges a patch into a node's data (the type stays; the caller passes fields of that type). */
export function updateNodeData(doc: FlowDocument, id: string, patch: Record<string, unknown>): FlowDocument {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    if (n.id !== id) return n;
    changed = true;
    return { ...n, data: { ...n.data, ...patch } } as FlowNode;
  });
  if (!changed) return doc;
  // Renamed menu digits leave edges from handles that no longer exist: drop them.
  const node = nodes.find((n) => n.id === id)!;
  const handles = new Set(outputHandles(node));
  const edges = doc.edges.filter((e) => e.source !== id || handles.has(e.sourceHandle));
  return { ...doc, nodes, edges: edges.length === doc.edges.length ? doc.edges : edges };
}

export function updateNote(doc: FlowDocument, id: string, text: string): FlowDocument {
  return { ...doc, notes: doc.notes.map((n) => (n.id === id ? { ...n, text } : n)) };
}

/** Moves nodes and notes (keys: node ids, and `note:<id>` for notes). */
export function movePositions(doc: FlowDocument, positions: Record<string, XY>): FlowDocument {
  const at = (key: string, old: XY): XY => {
    const p = positions[key];
    return p && Number.isFinite(p.x) && Number.isFinite(p.y) ? { x: Math.round(p.x), y: Math.round(p.y) } : old;
  };
  return {
    ...doc,
    nodes: doc.nodes.map((n) => (positions[n.id] ? { ...n, position: at(n.id, n.position) } : n)),
    notes: doc.notes.map((n) => (positions[`note:${n.id}`] ? { ...n, position: at(`note:${n.id}`, n.position) } : n)),
  };
}

export function selectAll(doc: FlowDocument): Selection {
  return { nodes: doc.nodes.map((n) => n.id), edges: doc.edges.map((e) => e.id), notes: doc.notes.map((n) => n.id) };
}

export function isEmptySelection(sel: Selection): boolean {
  return sel.nodes.length + sel.edges.length + sel.notes.length === 0;
}
