// Loops a call can go round without waiting for the caller. A flow may loop — "ask again" goes back
// to a menu — but every way round must wait for the caller somewhere: a menu or a digit collection
// with a timeout, or a recording. A loop of prompts, conditions, e-mails and variables alone repeats
// as fast as the machine runs (prompts end at once once the caller has hung up), so it is an error.
// One mis-dragged edge (`intro.next → intro`, `mail.failed → mail`) is enough to make one.
import { outputHandles } from './model';
import { nodeById, outgoingAll, reachableFrom } from './graph';
import type { Problem } from './problems';
import type { FlowDocument, FlowNode } from './schema';

/** Whether running the node waits for the caller (a key, a timeout, a recording) however it ends. */
export function waitsForCaller(node: FlowNode): boolean {
  switch (node.type) {
    case 'menu':
      return node.data.timeout > 0;
    case 'collectDigits':
      return node.data.firstDigitTimeout > 0;
    case 'recordVoicemail':
      return true;
    default:
      return false;
  }
}

/** One error per loop that never waits, naming its nodes in the order a call goes round. */
export function busyLoopProblems(flow: FlowDocument): Problem[] {
  const nodes = nodeById(flow);
  const start = flow.nodes.find((n) => n.type === 'start');
  if (!start) return [];
  const reachable = reachableFrom(flow, start.id);
  const outputs = outgoingAll(flow);
  // The graph a busy loop lives in: reachable nodes that do not wait, and the edges the code follows.
  const next = new Map<string, string[]>();
  for (const id of reachable) {
    const node = nodes.get(id)!;
    if (waitsForCaller(node)) continue;
    const handles = new Set(outputHandles(node));
    const targets: string[] = [];
    for (const [handle, target] of outputs.get(id) ?? []) {
      const t = nodes.get(target);
      // An edge into the start node is an error of its own (calls enter only at the start).
      if (handles.has(handle) && t && t.type !== 'start' && reachable.has(target) && !waitsForCaller(t))
        targets.push(target);
    }
    next.set(id, targets);
  }
  const problems: Problem[] = [];
  for (const group of stronglyConnected(next)) {
    const first = group[0]!;
    if (group.length === 1 && !next.get(first)!.includes(first)) continue;
    const cycle = cycleThrough(first, new Set(group), next);
    const node = nodes.get(first)!;
    problems.push({
      severity: 'error',
      code: 'FLOW313',
      nodeId: node.id,
      nodeType: node.type,
      field: 'outputs',
      cycle,
      message:
        `the call can loop without waiting for the caller: ${[...cycle, cycle[0]].join(' → ')} ` +
        '(put a menu, a digit collection or a recording on the loop, or end it)',
    });
  }
  return problems;
}

/** Strongly connected components (iterative Tarjan); each lists its node ids, the lowest in flow order first. */
function stronglyConnected(next: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  for (const root of next.keys()) {
    if (index.has(root)) continue;
    const work: { id: string; i: number }[] = [{ id: root, i: 0 }];
    const enter = (id: string) => {
      index.set(id, counter);
      low.set(id, counter++);
      stack.push(id);
      onStack.add(id);
    };
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const succ = next.get(frame.id)!;
      if (frame.i < succ.length) {
        const w = succ[frame.i++]!;
        if (!index.has(w)) {
          enter(w);
          work.push({ id: w, i: 0 });
        } else if (onStack.has(w)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) !== index.get(frame.id)) continue;
      const group: string[] = [];
      for (;;) {
        const w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
        if (w === frame.id) break;
      }
      groups.push(group.sort((a, b) => index.get(a)! - index.get(b)!));
    }
  }
  return groups;
}

/** The shortest way from `from` back to itself inside `group` (breadth first). */
function cycleThrough(from: string, group: Set<string>, next: Map<string, string[]>): string[] {
  const came = new Map<string, string>();
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const w of next.get(id)!) {
      if (!group.has(w)) continue;
      if (w === from) {
        const path = [id];
        for (let at = id; at !== from; ) {
          at = came.get(at)!;
          path.push(at);
        }
        return path.reverse();
      }
      if (!came.has(w)) {
        came.set(w, id);
        queue.push(w);
      }
    }
  }
  return [from];
}
