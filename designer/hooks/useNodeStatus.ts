// What a node shows besides its data: executing now, on the path taken, breakpoint, problem count.
// Each canvas node runs these selectors on every store change, so each is a lookup, never a scan of
// the problem list.
import { useCall, useProblems } from './useApp';

export function useNodeStatus(id: string) {
  const active = useCall((s) => s.activeNodeId === id);
  const visited = useCall((s) => s.visited.includes(id));
  const breakpoint = useCall((s) => s.breakpoints.includes(id));
  const errors = useProblems((s) => s.errors.get(id) ?? 0);
  return { active, visited, breakpoint, errors };
}
