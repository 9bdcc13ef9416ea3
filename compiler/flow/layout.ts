// Node positions from ELK's layered layout, top to bottom, for the designer's Layout command and for
// imported flows. Menus loop back to themselves, so back edges are allowed (ELK breaks cycles itself).
// Output handles become ordered ports so branches come out in the order the node shows them.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api';
import { outputHandles } from './model';
import type { FlowDocument, FlowNode } from './schema';

export interface LayoutSize {
  width: number;
  height: number;
}

let elk: InstanceType<typeof ELK> | null = null;

/** A position for every node ELK placed (by id); notes are not laid out. */
export async function layoutPositions(
  doc: FlowDocument,
  sizeOf: (node: FlowNode) => LayoutSize,
): Promise<Record<string, { x: number; y: number }>> {
  elk ??= new ELK();
  const ids = new Set(doc.nodes.map((n) => n.id));
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      'elk.spacing.nodeNode': '50',
      'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.spacing.edgeNodeBetweenLayers': '30',
      'elk.spacing.edgeNode': '30',
      // Crossing minimisation alone may swap two branches that cross nothing else (the callback's
      // sent and failed): ties go to the edges' order, which is the outputs' order (below).
      'elk.layered.considerModelOrder.strategy': 'PREFER_EDGES',
    },
    children: doc.nodes.map((n) => ({
      id: n.id,
      ...sizeOf(n),
      layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
      // ELK numbers ports clockwise, so on the south side index 0 is the rightmost: the first
      // output (sent, open, 1 …) gets the highest index to come out on the left, as the node draws it.
      ports: outputHandles(n).map((h, i, all) => ({
        id: portId(n.id, h),
        layoutOptions: { 'elk.port.side': 'SOUTH', 'elk.port.index': String(all.length - 1 - i) },
      })),
    })),
    edges: edgesInOutputOrder(doc)
      .filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target)
      .map((e) => ({ id: e.id, sources: [portId(e.source, e.sourceHandle)], targets: [e.target] })),
  };
  const result = await elk.layout(graph);
  const out: Record<string, { x: number; y: number }> = {};
  for (const child of result.children ?? []) {
    if (Number.isFinite(child.x) && Number.isFinite(child.y))
      out[child.id] = { x: Math.round(child.x!), y: Math.round(child.y!) };
  }
  return out;
}

/** The edges leaving from real outputs, by node and then by output as the node draws them (not as drawn by the user). */
function edgesInOutputOrder(doc: FlowDocument): FlowDocument['edges'] {
  const rank = new Map<string, number>();
  let next = 0;
  for (const n of doc.nodes) for (const h of outputHandles(n)) rank.set(portId(n.id, h), next++);
  return doc.edges
    .filter((e) => rank.has(portId(e.source, e.sourceHandle)))
    .sort((a, b) => rank.get(portId(a.source, a.sourceHandle))! - rank.get(portId(b.source, b.sourceHandle))!);
}

function portId(node: string, handle: string): string {
  return `${node}\u0000${handle}`;
}
