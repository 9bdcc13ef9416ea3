// Which template variables may still be unset where they are read. A read at node N is safe when a
// node that sets the variable strictly dominates N (every path from start to N passes through it);
// the others start as "" at the top of Main, since joining null into a text is an error in CG/PL.
import { BUILTIN_VARIABLES } from '../flow/model';
import type { FlowDocument, FlowNode } from '../flow/schema';
import { parseTemplate } from '../flow/templates';
import type { FlowGraph } from './graph';

/** Immediate dominators over the reachable graph (Cooper, Harvey & Kennedy's iterative algorithm). */
export function immediateDominators(g: FlowGraph): Map<string, string> {
  const result = new Map<string, string>();
  if (!g.start) return result;
  // number the reachable nodes; successor lists as indices
  const ids = g.order;
  const num = new Map<string, number>();
  ids.forEach((id, i) => {
    num.set(id, i);
  });
  const succ: number[][] = ids.map((id) => (g.successors.get(id) ?? []).map((t) => num.get(t)!));
  // reverse postorder by an explicit-stack DFS (flows can be deep)
  const n = ids.length;
  const rpoIndex = new Int32Array(n).fill(-1);
  const post: number[] = [];
  const seen = new Uint8Array(n);
  const stack: number[] = [0];
  const next = new Int32Array(n);
  seen[0] = 1;
  while (stack.length) {
    const v = stack[stack.length - 1];
    if (next[v] < succ[v].length) {
      const w = succ[v][next[v]++];
      if (!seen[w]) {
        seen[w] = 1;
        stack.push(w);
      }
    } else {
      post.push(v);
      stack.pop();
    }
  }
  const rpo = post.reverse();
  rpo.forEach((v, i) => {
    rpoIndex[v] = i;
  });
  const preds: number[][] = Array.from({ length: n }, () => []);
  for (let v = 0; v < n; v++) for (const w of succ[v]) preds[w].push(v);
  const idom = new Int32Array(n).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (rpoIndex[a] > rpoIndex[b]) a = idom[a];
      while (rpoIndex[b] > rpoIndex[a]) b = idom[b];
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const v of rpo) {
      if (v === 0) continue;
      let best = -1;
      for (const p of preds[v]) if (idom[p] !== -1) best = best === -1 ? p : intersect(p, best);
      if (best !== -1 && idom[v] !== best) {
        idom[v] = best;
        changed = true;
      }
    }
  }
  for (let v = 0; v < n; v++) if (idom[v] !== -1) result.set(ids[v], ids[idom[v]]);
  return result;
}

/** The flow variable a node sets (lower-cased), if any. */
function sets(node: FlowNode): string | undefined {
  switch (node.type) {
    case 'collectDigits':
    case 'recordVoicemail':
    case 'setVariable':
      return node.data.variable.toLowerCase();
    default:
      return undefined;
  }
}

/** Template variables a node reads (spelling as written). */
function reads(node: FlowNode): string[] {
  const out: string[] = [];
  const from = (t: string) => {
    for (const p of parseTemplate(t)) if (p.kind === 'var' && !(p.name in BUILTIN_VARIABLES)) out.push(p.name);
  };
  switch (node.type) {
    case 'setVariable':
      from(node.data.value);
      break;
    case 'condition':
      from(node.data.value);
      if (node.data.variable && !(node.data.variable in BUILTIN_VARIABLES)) out.push(node.data.variable);
      break;
    case 'transfer':
      from(node.data.target);
      break;
    case 'sendEmail':
      for (const t of [node.data.from, node.data.to, node.data.subject, node.data.body]) from(t);
      break;
    default:
      break;
  }
  return out;
}

/** Variables read somewhere before anything is sure to have set them, and with no initial value. */
export function maybeUnsetVariables(flow: FlowDocument, g: FlowGraph): string[] {
  const initialised = new Set(flow.variables.filter((v) => v.initial !== undefined).map((v) => v.name.toLowerCase()));
  const idom = immediateDominators(g);
  const checkers = new Map<string, (id: string) => boolean>();
  const out = new Map<string, string>();
  for (const id of g.order) {
    for (const v of reads(g.nodes.get(id)!)) {
      const key = v.toLowerCase();
      if (initialised.has(key) || out.has(key)) continue;
      let isSet = checkers.get(key);
      if (!isSet) checkers.set(key, (isSet = setOnEntry(key, idom, g)));
      if (!isSet(id)) out.set(key, v);
    }
  }
  return [...out.values()];
}

/**
 * Whether a strict dominator of a node sets the variable. Memoised along the dominator tree, so all
 * the questions about one variable together cost time linear in the flow's size.
 */
function setOnEntry(variable: string, idom: Map<string, string>, g: FlowGraph): (id: string) => boolean {
  const memo = new Map<string, boolean>();
  return (id) => {
    const path: string[] = [];
    let cur = id;
    let result = false;
    for (;;) {
      const known = memo.get(cur);
      if (known !== undefined) {
        result = known;
        break;
      }
      path.push(cur);
      const d = idom.get(cur);
      if (d === undefined || d === cur) break; // reached start: nothing above sets it
      if (sets(g.nodes.get(d)!) === variable) {
        result = true;
        break;
      }
      cur = d;
    }
    for (const p of path) memo.set(p, result);
    return result;
  };
}
