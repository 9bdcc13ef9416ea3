// Where each output of a node leads, read straight from the document's edges as docs/flow-format.md
// describes them. Written apart from compiler/generate (no lowering, no shared helpers), so a
// mistake there shows up as a difference from this.
import type { FlowDocument, FlowNode } from '../../compiler/flow/schema';

/** A node's outputs, as the node table of docs/flow-format.md lists them. */
export function outputsOf(node: FlowNode): string[] {
  switch (node.type) {
    case 'start':
    case 'play':
    case 'setVariable':
      return ['next'];
    case 'menu':
      return [...node.data.options.map((o) => o.digit), 'timeout', 'invalid'];
    case 'collectDigits':
      return ['done', 'empty'];
    case 'sendEmail':
      return ['sent', 'failed'];
    case 'businessHours':
      return ['open', 'closed'];
    case 'code':
    case 'moduleCall':
      // not run by the oracle (see step() in index.ts)
      return [];
    case 'transfer':
      return node.data.mode === 'connect' ? ['busy', 'noAnswer', 'failed'] : ['failed'];
    case 'condition':
      return ['true', 'false'];
    case 'recordVoicemail':
      return ['recorded', 'empty'];
    case 'hangup':
      return [];
  }
}

export interface OracleGraph {
  start: FlowNode | undefined;
  /** The node an output leads to; undefined when it is unconnected (the call ends). */
  next(node: FlowNode, output: string): FlowNode | undefined;
  /** Whether some path of edges leads from `from` back to `to`. */
  reaches(from: FlowNode, to: FlowNode): boolean;
}

export function readGraph(flow: FlowDocument): OracleGraph {
  const byId = new Map<string, FlowNode>();
  // a repeated id is invalid; the first node of that id is the one edges reach
  for (const n of flow.nodes) if (!byId.has(n.id)) byId.set(n.id, n);
  const start = flow.nodes.find((n) => n.type === 'start');
  const wires = new Map<string, FlowNode>();
  for (const e of flow.edges) {
    const from = byId.get(e.source);
    const to = byId.get(e.target);
    const key = `${e.source}\u0000${e.sourceHandle}`;
    // invalid documents: an edge from an output the node does not have, or a second edge on one output
    if (!from || !to || !outputsOf(from).includes(e.sourceHandle) || wires.has(key)) continue;
    wires.set(key, to);
  }
  const raw = (node: FlowNode, output: string) =>
    outputsOf(node).includes(output) ? wires.get(`${node.id}\u0000${output}`) : undefined;
  const next = (node: FlowNode, output: string): FlowNode | undefined => {
    const to = raw(node, output);
    // An edge into start (invalid) means going on after it: the call is answered once.
    if (to !== undefined && to === start) {
      const after = raw(start, 'next');
      return after === start ? undefined : after;
    }
    return to;
  };
  const reaches = (from: FlowNode, to: FlowNode): boolean => {
    const seen = new Set<FlowNode>([from]);
    const todo = [from];
    while (todo.length > 0) {
      const n = todo.pop()!;
      if (n === to) return true;
      for (const out of outputsOf(n)) {
        const t = next(n, out);
        if (t && !seen.has(t)) {
          seen.add(t);
          todo.push(t);
        }
      }
    }
    return false;
  };
  return { start, next, reaches };
}
