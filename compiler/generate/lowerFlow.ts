// lowerFlow: the flow graph → one CG/PL `entry Main`. Nodes with a single way in are written inline
// where they are reached (branches nest as if/else). Joins and cycle entries ("heads") each get a case
// of a dispatch loop — `next = "menu1";` jumps there — so going back to a menu needs no goto.
import type { Decl, Expr, ProcDecl, Program, Stmt } from '../cgpl/ast';
import { parseCgpl } from '../cgpl/parser';
import { NO_POS } from '../cgpl/ast';
import type { FlowDocument, FlowNode } from '../flow/schema';
import { assign, bin, ifStmt, loop, name, num, str, stop } from './build';
import { analyseFlow, isDuplicableEnd } from './graph';
import { lowerNode, type LowerCtx } from './lowerNodes';
import { makeNames } from './names';
import { maybeUnsetVariables } from './dominators';
import { components } from './cycles';
import { tidy } from './tidy';
import { answerStates } from '../flow/answer';
import { connectEntry } from './connectEntry';

/** Deeper branches become heads of their own: readable code, and bounded recursion here and in the printer. */
const MAX_NESTING = 12;

/**
 * Lowers a flow to a CG/PL program; every statement carries the `nodeId` it came from.
 * @example printCgpl(lowerFlow(flow)).text  // "entry Main is\n  if AcceptCall() != null then stop; …"
 */
export function lowerFlow(flow: FlowDocument): Program {
  const g = analyseFlow(flow);
  const names = makeNames(flow);
  const program = (body: Stmt[]): Program => ({
    kind: 'Program',
    decls: [{ kind: 'Entry', name: 'Main', body, style: 'basic', pos: NO_POS }],
  });
  if (!g.start) return program([]);

  let sccs: Map<string, number> | undefined;
  const comp = () => (sccs ??= components(g));
  const headList = [...g.heads];
  /** Every `next = <head>` written: its value becomes the head's number when the dispatch is a tree. */
  const jumps: { label: Expr; head: string }[] = [];
  const heads = new Set(headList);
  const nextVar = () => names.internal('next');
  const answers = answerStates(flow);
  const answerFlag = [...answers.values()].some((a) => a.unanswered && a.answeredBy !== null);

  // Joins that only one node's branches lead to are written once after that node's code (below).
  const owned = ownedJoins(g);
  for (const { join } of owned.values()) heads.delete(join);
  const zonedHours = flow.nodes.some((n) => n.type === 'businessHours' && n.data.timeZone !== '');
  const ctxAt = (depth: number, stopAt: string | null): LowerCtx => ({
    names,
    zonedHours,
    go: (node, handle) => chain(node, g.target(node.id, handle), depth + 1, false, stopAt),
    connected: (node, handle) => g.target(node.id, handle) !== null,
    answerFlag,
    declarations: flow.declarations ?? '',
    answerState: (node) => {
      const state = answers.get(node.id);
      return { unanswered: state?.unanswered ?? true, answered: (state?.answeredBy ?? null) !== null };
    },
    loopsBack: (node, handle) => {
      const t = g.target(node.id, handle);
      return t !== null && comp().get(t) === comp().get(node.id);
    },
  });

  /**
   * The code from node `id` on: inline nodes until the call ends or a head is reached — or, inside
   * the branches of a node that owns a join, until `stopAt` (that join), where the branch simply ends
   * and the code after the owner's follows.
   */
  function chain(
    from: FlowNode | null,
    id: string | null,
    depth: number,
    caseStart: boolean,
    stopAt: string | null = null,
  ): Stmt[] {
    const out: Stmt[] = [];
    let prev = from;
    let cur = id;
    let first = caseStart;
    for (;;) {
      if (cur !== null && cur === stopAt) return out;
      if (cur === null) {
        out.push(stop(prev?.id));
        return out;
      }
      const node = g.nodes.get(cur)!;
      if (!first && (heads.has(cur) || (depth > MAX_NESTING && !isDuplicableEnd(g, node)))) {
        if (!heads.has(cur)) {
          heads.add(cur);
          headList.push(cur);
        }
        const label = str(cur);
        jumps.push({ label, head: cur });
        out.push(assign(prev?.id, nextVar(), label));
        return out;
      }
      first = false;
      const own = owned.get(node.id);
      if (own && depth + own.levels <= MAX_NESTING) {
        // Every branch ends at the join (or ends the call): the join's code follows, at this depth.
        for (const s of lowerNode(node, ctxAt(depth, own.join)).stmts) out.push(s);
        prev = null;
        cur = own.join;
        continue;
      }
      if (own && !heads.has(own.join)) {
        // Too deep to nest its branches: the join is a dispatch case after all.
        heads.add(own.join);
        headList.push(own.join);
      }
      const code = lowerNode(node, ctxAt(depth, stopAt));
      for (const s of code.stmts) out.push(s);
      if (code.next === undefined) return out;
      prev = node;
      cur = g.target(node.id, code.next);
    }
  }

  const initial = flow.variables
    .filter((v) => v.initial !== undefined)
    .map((v) => assign(undefined, names.variable(v.name), str(v.initial!)))
    .concat(maybeUnsetVariables(flow, g).map((v) => assign(undefined, names.variable(v), str(''))));
  const main = chain(null, g.start.id, 0, true);
  const cases: string[] = [];
  const bodies: Stmt[][] = [];
  for (let i = 0; i < headList.length; i++) {
    const head = headList[i]!;
    if (!heads.has(head)) continue; // an owned join after all
    cases.push(head);
    bodies.push(chain(null, head, 0, true));
  }
  const dispatch = bodies.length === 0 ? [] : [loop(undefined, dispatchOn(nextVar(), cases, bodies, jumps))];
  const lowered = program(tidy([...initial, ...main, ...dispatch], true));
  const connects = flow.nodes.some((n) => n.type === 'transfer' && n.data.mode === 'connect' && n.data.target !== '');
  if (connects) lowered.decls.push(connectEntry());
  lowered.decls.unshift(...externalDeclarations(flow), ...flowDeclarations(flow));
  return lowered;
}

/** Nodes whose code ends with a choice between outputs (the others go on to their `next` inline). */
const INLINE_NEXT = new Set(['start', 'play', 'setVariable']);
/** A node's branches are followed this far looking for the join they all lead to. */
const REGION_LIMIT = 64;

/**
 * Joins owned by one branching node: every way out of the node either ends the call or reaches the
 * join without passing another head or coming back, and the join has no other way in. Such a join
 * need not be a dispatch case: the node's branches end where they reach it, and its code follows the
 * node's — `if x == "1" then … end if;` then the join — as a person would write it. (`levels`: how
 * many nested branches the region has, so that its code is nested only as deep as MAX_NESTING.)
 */
function ownedJoins(g: ReturnType<typeof analyseFlow>): Map<string, { join: string; levels: number }> {
  const preds = new Map<string, Set<string>>();
  for (const [id, succ] of g.successors)
    for (const t of succ) (preds.get(t) ?? preds.set(t, new Set()).get(t)!).add(id);
  const heads = new Set(g.heads);
  const owned = new Map<string, { join: string; levels: number }>();
  // Later nodes first: an inner diamond's join stops being a head before the outer one is looked at.
  for (let i = g.order.length - 1; i >= 0; i--) {
    const id = g.order[i]!;
    const succ = g.successors.get(id) ?? [];
    if (succ.length < 2 || INLINE_NEXT.has(g.nodes.get(id)!.type)) continue;
    const found = joinOf(g, id, succ, heads);
    if (!found) continue;
    const into = preds.get(found.join) ?? new Set();
    if (![...into].every((p) => p === id || found.region.has(p))) continue;
    owned.set(id, { join: found.join, levels: found.levels });
    heads.delete(found.join);
  }
  return owned;
}

function joinOf(
  g: ReturnType<typeof analyseFlow>,
  owner: string,
  succ: string[],
  heads: Set<string>,
): { join: string; region: Set<string>; levels: number } | null {
  let join: string | null = null;
  let levels = 1;
  const region = new Set<string>();
  const todo: [string, number][] = succ.map((t) => [t, 1]);
  while (todo.length > 0) {
    const [id, level] = todo.pop()!;
    if (id === owner) return null; // it loops back
    if (heads.has(id)) {
      if (join !== null && join !== id) return null;
      join = id;
      continue;
    }
    if (region.has(id)) continue;
    if (region.size >= REGION_LIMIT) return null;
    region.add(id);
    levels = Math.max(levels, level);
    const node = g.nodes.get(id)!;
    const next = INLINE_NEXT.has(node.type) ? level : level + 1;
    for (const t of g.successors.get(id) ?? []) todo.push([t, next]);
  }
  return join === null ? null : { join, region, levels };
}

/** Up to this many cases, the dispatch loop tests `next == "menu1"` one after the other (readable). */
const LINEAR_CASES = 12;

/**
 * The body of the dispatch loop: which head's code runs for the value of `next`. A few heads are
 * tested one by one on their ids; with more, `next` holds the head's number and a balanced tree of
 * `next < k` tests finds it, so a jump costs O(log heads) and a large flow runs in time proportional
 * to its size (a chain of 100,000 joins would otherwise compare 50,000 strings per jump).
 */
function dispatchOn(next: string, heads: string[], bodies: Stmt[][], jumps: { label: Expr; head: string }[]): Stmt[] {
  if (heads.length <= LINEAR_CASES) {
    return [
      ifStmt(
        undefined,
        heads.map((h, i) => ({ cond: bin('==', name(next), str(h)), body: bodies[i]! })),
        null,
      ),
    ];
  }
  const number = new Map(heads.map((h, i) => [h, i]));
  for (const { label, head } of jumps) Object.assign(label, num(number.get(head)!));
  const tree = (lo: number, hi: number): Stmt[] => {
    if (hi - lo <= LINEAR_CASES) {
      const cases = [];
      for (let i = lo; i < hi; i++) cases.push({ cond: bin('==', name(next), num(i)), body: bodies[i]! });
      return [ifStmt(undefined, cases, null)];
    }
    const mid = (lo + hi) >>> 1;
    return [ifStmt(undefined, [{ cond: bin('<', name(next), num(mid)), body: tree(lo, mid) }], tree(mid, hi))];
  };
  return tree(0, heads.length);
}

/** `procedure m::r(p1, p2) external;` once for each module routine the flow's module call nodes use. */
function externalDeclarations(flow: FlowDocument): ProcDecl[] {
  const seen = new Map<string, ProcDecl>();
  for (const n of flow.nodes) {
    if (n.type !== 'moduleCall' || !n.data.module || !n.data.routine) continue;
    const key = `${n.data.module}::${n.data.routine}`.toLowerCase();
    if (seen.has(key)) continue;
    seen.set(key, {
      kind: n.data.kind === 'function' ? 'Function' : 'Procedure',
      name: n.data.routine,
      module: n.data.module,
      params: n.data.args.map((_, i) => `p${i + 1}`),
      body: null,
      linkage: 'external',
      style: 'basic',
      pos: NO_POS,
    });
  }
  return [...seen.values()];
}

/** The flow's own declarations (an imported program's procedures …), before entry Main as written. */
function flowDeclarations(flow: FlowDocument): Decl[] {
  if (!flow.declarations?.trim()) return [];
  return parseCgpl(flow.declarations).program?.decls ?? [];
}
