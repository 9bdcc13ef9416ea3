// Whether the call can be unanswered, or answered, when a node runs. The compiler answers a call
// lazily, just before the first node that needs media (needsMedia), so a flow that goes straight
// from start through business hours to a Redirect never answers; the validator uses the same facts
// to report a Redirect that could run after the call was answered.
import { needsMedia } from './model';
import type { FlowDocument, FlowNode } from './schema';
import { findStart, nodeById, outgoingAll } from './graph';

export interface AnswerState {
  /** The call may still be unanswered when the node starts. */
  unanswered: boolean;
  /** The call may already be answered when the node starts: by this node (the first that answers). */
  answeredBy: string | null;
}

/**
 * A code node that calls AcceptCall itself (an imported program's own answer): the call counts as
 * answered after it, so the compiler does not answer it again.
 */
export function answersInside(node: FlowNode): boolean {
  return node.type === 'code' && /\bAcceptCall\s*\(/i.test(node.data.code);
}

/**
 * Per reachable node: can it start with the call unanswered, answered, or both.
 * @example answerStates(flow).get('to_ivanov') // { unanswered: false, answeredBy: 'menu' }
 */
export function answerStates(flow: FlowDocument): Map<string, AnswerState> {
  const states = new Map<string, AnswerState>();
  const start = findStart(flow);
  if (!start) return states;
  const nodes = nodeById(flow);
  const out = outgoingAll(flow);
  const work: string[] = [start.id];
  states.set(start.id, { unanswered: true, answeredBy: null });
  while (work.length > 0) {
    const id = work.pop()!;
    const node = nodes.get(id);
    const here = states.get(id)!;
    if (!node) continue;
    // After a media node the call is answered; other nodes pass the state on as they found it.
    const answers = needsMedia(node) || answersInside(node);
    const after: AnswerState = answers ? { unanswered: false, answeredBy: here.answeredBy ?? id } : here;
    for (const target of out.get(id)?.values() ?? []) {
      const before = states.get(target);
      const merged: AnswerState = {
        unanswered: (before?.unanswered ?? false) || after.unanswered,
        answeredBy: before?.answeredBy ?? after.answeredBy,
      };
      if (!before || before.unanswered !== merged.unanswered || before.answeredBy !== merged.answeredBy) {
        states.set(target, merged);
        work.push(target);
      }
    }
  }
  return states;
}
