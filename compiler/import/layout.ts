// Positions for an imported flow: the designer's layout (compiler/flow/layout.ts) with a size per node
// estimated from its outputs, since nothing has been drawn yet.
import { layoutPositions } from '../flow/layout';
import { outputHandles } from '../flow/model';
import type { FlowDocument } from '../flow/schema';

const WIDTH = 220;
const HEIGHT = 110;
const SLOT = 46;

/** The flow with every node placed (a new document; the input is not changed). */
export async function layoutFlow(flow: FlowDocument): Promise<FlowDocument> {
  const at = await layoutPositions(flow, (n) => ({
    width: Math.max(WIDTH, outputHandles(n).length * SLOT + 16),
    height: HEIGHT,
  }));
  return { ...flow, nodes: flow.nodes.map((n) => ({ ...n, position: at[n.id] ?? n.position })) };
}
