// Positions for an imported flow: ELK's layered layout, top to bottom, outputs as ordered ports (the
// designer's auto layout, designer/layout/autoLayout.ts, does the same with measured node sizes).
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api';
import { outputHandles } from '../flow/model';
import type { FlowDocument } from '../flow/schema';

const WIDTH = 220;
const HEIGHT = 110;
const SLOT = 46;

/** The flow with every node placed (a new document; the input is not changed). */
export async function layoutFlow(flow: FlowDocument): Promise<FlowDocument> {
  const elk = new ELK();
  const ids = new Set(flow.nodes.map((n) => n.id));
  const port = (node: string, handle: string) => `${node}\u0000${handle}`;
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      'elk.spacing.nodeNode': '50',
      'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
    },
    children: flow.nodes.map((n) => {
      const outs = outputHandles(n);
      return {
        id: n.id,
        width: Math.max(WIDTH, outs.length * SLOT + 16),
        height: HEIGHT,
        layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
        ports: outs.map((h, i) => ({
          id: port(n.id, h),
          layoutOptions: { 'elk.port.side': 'SOUTH', 'elk.port.index': String(i) },
        })),
      };
    }),
    edges: flow.edges
      .filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target)
      .map((e) => ({ id: e.id, sources: [port(e.source, e.sourceHandle)], targets: [e.target] })),
  };
  const result = await elk.layout(graph);
  const at = new Map((result.children ?? []).map((c) => [c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) }]));
  return { ...flow, nodes: flow.nodes.map((n) => ({ ...n, position: at.get(n.id) ?? n.position })) };
}
