// The nodes' names (label, type) for lists that show them (Problems, the inspector's "Then go to"):
// a drag changes node positions on every frame, and those lists must not re-render for it.
import { useMemo } from 'react';
import type { FlowDocument, NodeType } from '../../compiler/flow/schema';
import { useFlow } from './useApp';

export interface NodeName {
  id: string;
  type: NodeType;
  label: string;
}

const keys = new WeakMap<FlowDocument['nodes'], string>();

/** One string per set of names: equal while only positions (or other data) change. */
function namesKey(nodes: FlowDocument['nodes']): string {
  let key = keys.get(nodes);
  if (key === undefined) {
    key = nodes.map((n) => `${n.id}\u0001${n.type}\u0001${(n.data as { label?: string }).label ?? ''}`).join('\u0002');
    keys.set(nodes, key);
  }
  return key;
}

export function useNodeNames(): NodeName[] {
  const key = useFlow((s) => namesKey(s.doc.nodes));
  return useMemo(
    () =>
      key === ''
        ? []
        : key.split('\u0002').map((row) => {
            const [id, type, label] = row.split('\u0001') as [string, NodeType, string];
            return { id, type, label: label.trim() };
          }),
    [key],
  );
}
