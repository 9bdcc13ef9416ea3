// Walking the flow graph. Shared by validation and the code generator, so both agree on which
// edge wins and what is reachable. All helpers tolerate broken flows (duplicate ids, dangling edges).
import type { FlowDocument, FlowNode, NodeOf } from './schema';

/** Nodes by id; when ids repeat the first node wins (validation reports the duplicates). */
export function nodeById(flow: FlowDocument): Map<string, FlowNode> {
  const map = new Map<string, FlowNode>();
  for (const node of flow.nodes) if (!map.has(node.id)) map.set(node.id, node);
  return map;
}

/** The start node (the first one, if there are several), or undefined. */
export function findStart(flow: FlowDocument): NodeOf<'start'> | undefined {
  return flow.nodes.find((n): n is NodeOf<'start'> => n.type === 'start');
}

/**
 * A node's connected outputs: output handle → target node id, in edge order. When one handle has
 * several edges the first wins (validation reports the rest).
 */
export function outgoing(flow: FlowDocument, nodeId: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const edge of flow.edges) {
    if (edge.source === nodeId && !map.has(edge.sourceHandle)) map.set(edge.sourceHandle, edge.target);
  }
  return map;
}

/** Every node's connected outputs at once (what `outgoing` gives, for all nodes in one pass). */
export function outgoingAll(flow: FlowDocument): Map<string, Map<string, string>> {
  const all = new Map<string, Map<string, string>>();
  for (const edge of flow.edges) {
    let map = all.get(edge.source);
    if (!map) all.set(edge.source, (map = new Map()));
    if (!map.has(edge.sourceHandle)) map.set(edge.sourceHandle, edge.target);
  }
  return all;
}

/** Ids of the nodes a call can get to from `startId` (including it), following edges to known nodes. */
export function reachableFrom(flow: FlowDocument, startId: string): Set<string> {
  const nodes = nodeById(flow);
  const seen = new Set<string>();
  if (!nodes.has(startId)) return seen;
  const next = new Map<string, string[]>();
  for (const edge of flow.edges) {
    if (!nodes.has(edge.target)) continue;
    const list = next.get(edge.source);
    if (list) list.push(edge.target);
    else next.set(edge.source, [edge.target]);
  }
  const todo = [startId];
  seen.add(startId);
  while (todo.length > 0) {
    const id = todo.pop() as string;
    for (const target of next.get(id) ?? []) {
      if (!seen.has(target)) {
        seen.add(target);
        todo.push(target);
      }
    }
  }
  return seen;
}

/** Names of the variables nodes assign (collectDigits, recordVoicemail, setVariable), in node order. */
export function assignedVariables(flow: FlowDocument): string[] {
  const names: string[] = [];
  for (const node of flow.nodes) {
    const name = assignedVariable(node);
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/** The variable a node assigns, if any. */
export function assignedVariable(node: FlowNode): string | undefined {
  switch (node.type) {
    case 'collectDigits':
    case 'recordVoicemail':
    case 'setVariable':
      return node.data.variable;
    case 'moduleCall':
      return node.data.result || undefined;
    default:
      return undefined;
  }
}
