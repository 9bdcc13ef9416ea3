// Which template variables may still be unset where they are read. A read at node N is safe when a
// node that sets the variable strictly dominates N (every path from start to N passes through it);
// the others start as "" at the top of Main, since joining null into a text is an error in CG/PL.
import { outputHandles, BUILTIN_VARIABLES, type FlowDocument, type FlowNode } from '../flow/schema';
import { parseTemplate } from '../flow/templates';
import type { FlowGraph } from './graph';

/** Immediate dominators over the reachable graph (Cooper, Harvey & Kennedy's iterative algorithm). */
export function immediateDominators(g: FlowGraph): Map<string, string> {
  const idom = new Map<string, string>();
  if (!g.start) return idom;
  // reverse postorder by an explicit-stack DFS (flows can be deep)
  const post: string[] = [];
  const seen = new Set<string>([g.start.id]);
  const stack: { id: string; succ: string[]; i: number }[] = [{ id: g.start.id, succ: successors(g, g.start.id), i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i < top.succ.length) {
      const s = top.succ[top.i++];
      if (!seen.has(s)) {
        seen.add(s);
        stack.push({ id: s, succ: successors(g, s), i: 0 });
      }
    } else {
      post.push(top.id);
      stack.pop();
    }
  }
  const rpo = post.reverse();
  const index = new Map(rpo.map((id, i) => [id, i]));
  const preds = new Map<string, string[]>();
  for (const id of rpo) for (const s of successors(g, id)) (preds.get(s) ?? preds.set(s, []).get(s)!).push(id);
  const startId = g.start.id;
  idom.set(startId, startId);
  const intersect = (a: string, b: string) => {
    while (a !== b) {
      while (index.get(a)! > index.get(b)!) a = idom.get(a)!;
      while (index.get(b)! > index.get(a)!) b = idom.get(b)!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of rpo) {
      if (id === startId) continue;
      let best: string | undefined;
      for (const p of preds.get(id) ?? []) if (idom.has(p)) best = best === undefined ? p : intersect(p, best);
      if (best !== undefined && idom.get(id) !== best) {
        idom.set(id, best);
        changed = true;
      }
    }
  }
  return idom;
}

function successors(g: FlowGraph, id: string): string[] {
  const node = g.nodes.get(id)!;
  const out: string[] = [];
  for (const h of outputHandles(node)) {
    const t = g.target(id, h);
    if (t !== null) out.push(t);
  }
  return out;
}

/** The flow variable a node sets (lower-cased), if any. */
function sets(node: FlowNode): string | undefined {
  switch (node.type) {
    case 'collectDigits': case 'recordVoicemail': case 'setVariable': return node.data.variable.toLowerCase();
    default: return undefined;
  }
}

/** Template variables a node reads (spelling as written). */
function reads(node: FlowNode): string[] {
  const out: string[] = [];
  const from = (t: string) => {
    for (const p of parseTemplate(t)) if (p.kind === 'var' && !(p.name in BUILTIN_VARIABLES)) out.push(p.name);
  };
  switch (node.type) {
    case 'setVariable': from(node.data.value); break;
    case 'condition': from(node.data.value); if (node.data.variable) out.push(node.data.variable); break;
    case 'transfer': from(node.data.target); break;
    case 'sendEmail': for (const t of [node.data.from, node.data.to, node.data.subject, node.data.body]) from(t); break;
    default: break;
  }
  return out;
}

/** Variables read somewhere before anything is sure to have set them, and with no initial value. */
export function maybeUnsetVariables(flow: FlowDocument, g: FlowGraph): string[] {
  const initialised = new Set(flow.variables.filter((v) => v.initial !== undefined).map((v) => v.name.toLowerCase()));
  const idom = immediateDominators(g);
  const out = new Map<string, string>();
  for (const id of g.order) {
    const node = g.nodes.get(id)!;
    for (const v of reads(node)) {
      const key = v.toLowerCase();
      if (initialised.has(key) || out.has(key)) continue;
      let safe = false;
      for (let d = idom.get(id); d !== undefined && !safe; ) {
        if (sets(g.nodes.get(d)!) === key) safe = true;
        const up = idom.get(d);
        d = up === d ? undefined : up;
      }
      if (!safe) out.set(key, v);
    }
  }
  return [...out.values()];
}
