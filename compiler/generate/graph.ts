// The flow as the lowering sees it: each node's outputs resolved to a target (or null = the call ends),
// the nodes reachable from start, and the "heads" that need a case of their own in the dispatch loop.
import { outputHandles } from '../flow/model';
import type { FlowDocument, FlowNode } from '../flow/schema';

export interface FlowGraph {
  nodes: Map<string, FlowNode>;
  start: FlowNode | null;
  /** Reachable nodes in discovery order (start first). */
  order: string[];
  /** Nodes that get their own dispatch case: joins and cycle entries. */
  heads: Set<string>;
  /** Where an output leads: a node id, or null when it is unconnected (the call ends). */
  target(nodeId: string, handle: string): string | null;
  /** The connected outputs' targets of each reachable node, in handle order. */
  successors: Map<string, string[]>;
}

/** hangup, and transfer with nothing after a failure, cost a line or two: copy them, never jump. */
export function isDuplicableEnd(g: Pick<FlowGraph, 'target'>, node: FlowNode): boolean {
  if (node.type === 'hangup') return true;
  return node.type === 'transfer' && g.target(node.id, 'failed') === null;
}

export function analyseFlow(flow: FlowDocument): FlowGraph {
  const nodes = new Map<string, FlowNode>();
  for (const n of flow.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
  const start = flow.nodes.find((n) => n.type === 'start') ?? null;

  // handle → target for each node; the first edge of a handle wins (validation reports duplicates)
  const raw = new Map<string, Map<string, string>>();
  for (const e of flow.edges) {
    const src = nodes.get(e.source);
    if (!src || !nodes.has(e.target)) continue;
    let m = raw.get(e.source);
    if (!m) raw.set(e.source, (m = new Map()));
    if (!m.has(e.sourceHandle)) m.set(e.sourceHandle, e.target);
  }
  const handles = new Map<string, string[]>();
  const handlesOf = (n: FlowNode) => {
    let h = handles.get(n.id);
    if (!h) handles.set(n.id, (h = outputHandles(n)));
    return h;
  };
  // Going back to start means going on after it: the call is already answered.
  const startNext = start ? (raw.get(start.id)?.get('next') ?? null) : null;
  const target = (nodeId: string, handle: string): string | null => {
    const node = nodes.get(nodeId);
    if (!node || !handlesOf(node).includes(handle)) return null;
    const t = raw.get(nodeId)?.get(handle) ?? null;
    if (start && t === start.id) return startNext === start.id ? null : startNext;
    return t;
  };

  const order: string[] = [];
  const successors = new Map<string, string[]>();
  const incoming = new Map<string, number>();
  if (start) {
    const seen = new Set([start.id]);
    order.push(start.id);
    for (let i = 0; i < order.length; i++) {
      const node = nodes.get(order[i])!;
      const succ: string[] = [];
      successors.set(node.id, succ);
      for (const h of handlesOf(node)) {
        const t = target(node.id, h);
        if (t === null) continue;
        succ.push(t);
        incoming.set(t, (incoming.get(t) ?? 0) + 1);
        if (!seen.has(t)) {
          seen.add(t);
          order.push(t);
        }
      }
    }
  }
  const g: FlowGraph = { nodes, start, order, heads: new Set(), target, successors };
  // Every cycle reachable from start is entered from outside, so its entry has 2+ incoming edges
  // and becomes a head: inlining everything else terminates and copies no node twice.
  for (const id of order) {
    if ((incoming.get(id) ?? 0) >= 2 && !isDuplicableEnd(g, nodes.get(id)!)) g.heads.add(id);
  }
  return g;
}
