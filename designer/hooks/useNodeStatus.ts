// What a node shows besides its data: executing now, on the path taken, breakpoint, problem count.
import { useFlow, useCall } from './useApp';
import { selectProblems } from '../store/derived';

export function useNodeStatus(id: string) {
  const active = useCall((s) => s.activeNodeId === id);
  const visited = useCall((s) => s.visited.includes(id));
  const breakpoint = useCall((s) => s.breakpoints.includes(id));
  const errors = useFlow((s) => selectProblems(s.doc).filter((p) => p.nodeId === id && p.severity === 'error').length);
  return { active, visited, breakpoint, errors };
}
