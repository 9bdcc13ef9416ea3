// Problems in the words of the form the user filled in: the node by its label and kind, the field by
// the name the inspector shows, not the document's schema path ("nodes[3].data.from").
import type { Problem } from '../../compiler/flow/problems';
import type { FlowDocument } from '../../compiler/flow/schema';
import { NODE_META } from '../nodes/meta';
import type { NodeName } from '../hooks/useNodeNames';

/** "maxDigits" → "max digits"; "options[2].digit" → "option 3 › digit". */
export function fieldName(field: string): string {
  return field
    .replace(/^data\./, '')
    .split('.')
    .map((part) =>
      part
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .replace(/^(\w+?)s?\[(\d+)\]$/, (_m, name: string, i: string) => `${name} ${Number(i) + 1}`)
        .toLowerCase(),
    )
    .join(' › ');
}

export interface ProblemText {
  /** The node ("E-mail the account (Send e-mail)"), edge or part of the flow it is about. */
  where: string;
  text: string;
}

/** `names`: the flow's nodes by id (useNodeNames); `edges` to name a connection. */
export function describeProblem(
  p: Problem,
  names: ReadonlyMap<string, NodeName>,
  edges: FlowDocument['edges'] = [],
): ProblemText {
  const node = p.nodeId !== undefined ? names.get(p.nodeId) : undefined;
  let where = '';
  if (node) {
    const kind = NODE_META[node.type]?.title ?? node.type;
    where = node.label ? `${node.label} (${kind})` : `${kind} ${node.id}`;
  } else if (p.nodeId !== undefined) where = `node ${p.nodeId}`;
  else if (p.edgeId !== undefined) {
    const edge = edges.find((e) => e.id === p.edgeId);
    where = edge ? `connection ${edge.source} › ${edge.sourceHandle} → ${edge.target}` : `connection ${p.edgeId}`;
  } else if (p.line !== undefined) where = `line ${p.line}:${p.column ?? 1}`;
  else if (p.field !== undefined || p.path !== undefined) where = 'Flow settings';
  const field = p.field ?? (p.path && !node ? p.path : undefined);
  const text =
    field !== undefined && field !== 'id' && field !== 'type' ? `${fieldName(field)}: ${p.message}` : p.message;
  return { where, text };
}
