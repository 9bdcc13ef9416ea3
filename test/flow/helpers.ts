// Building small flows for the flow tests: JSON-ish literals in, defaults filled by the real loader.
import {
  FLOW_FORMAT,
  outputHandles,
  parseFlowObject,
  formatProblem,
  type FlowDocument,
  type Problem,
} from '../../compiler/flow';

export function flowOf(nodes: unknown[], edges: unknown[] = [], extra: Record<string, unknown> = {}): FlowDocument {
  const { flow, problems } = parseFlowObject({ format: FLOW_FORMAT, name: 'test', nodes, edges, ...extra });
  if (!flow) throw new Error(`test flow does not load:\n${problems.map((p) => formatProblem(p)).join('\n')}`);
  return flow;
}

/** start → the node under test; each of its outputs → a hangup. Valid unless the node is not. */
export function around(
  node: { id: string; type: string; data?: unknown },
  extra: Record<string, unknown> = {},
): FlowDocument {
  const flow = flowOf([{ id: 'start', type: 'start' }, node, { id: 'end', type: 'hangup' }], [], extra);
  flow.edges.push({ id: 'in', source: 'start', sourceHandle: 'next', target: node.id });
  const tested = flow.nodes[1];
  if (tested)
    for (const h of outputHandles(tested))
      flow.edges.push({ id: `out-${h}`, source: node.id, sourceHandle: h, target: 'end' });
  return flow;
}

export const errors = (problems: Problem[]) => problems.filter((p) => p.severity === 'error');
export const warnings = (problems: Problem[]) => problems.filter((p) => p.severity === 'warning');

/** The problems about one field of one node (or of the document, when nodeId is undefined). */
export function about(problems: Problem[], nodeId: string | undefined, field: string): Problem[] {
  return problems.filter((p) => p.nodeId === nodeId && p.field === field);
}
