// Strongly connected components of the reachable flow (Tarjan's algorithm, iterative: flows can be
// deep). Two nodes share a component when each can reach the other — an output that leads back into
// its own node's component closes a loop ("ask again").
import type { FlowGraph } from './graph';

/** Node id → component number. */
export function components(g: FlowGraph): Map<string, number> {
  const comp = new Map<string, number>();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  let counter = 0;
  let comps = 0;
  for (const root of g.order) {
    if (index.has(root)) continue;
    const work: { id: string; i: number }[] = [{ id: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const succ = g.successors.get(frame.id) ?? [];
      if (frame.i < succ.length) {
        const w = succ[frame.i++];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ id: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        for (;;) {
          const w = stack.pop()!;
          onStack.delete(w);
          comp.set(w, comps);
          if (w === frame.id) break;
        }
        comps++;
      }
    }
  }
  return comp;
}
