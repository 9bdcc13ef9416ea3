// lowerFlow: the flow graph → one CG/PL `entry Main`. Nodes with a single way in are written inline
// where they are reached (branches nest as if/else). Joins and cycle entries ("heads") each get a case
// of a dispatch loop — `next = "menu1";` jumps there — so going back to a menu needs no goto.
import type { Expr, Program, Stmt } from '../cgpl/ast';
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

  const zonedHours = flow.nodes.some((n) => n.type === 'businessHours' && n.data.timeZone !== '');
  const ctxAt = (depth: number): LowerCtx => ({
    names,
    zonedHours,
    go: (node, handle) => chain(node, g.target(node.id, handle), depth + 1, false),
    connected: (node, handle) => g.target(node.id, handle) !== null,
    answerFlag,
    answerState: (node) => {
      const state = answers.get(node.id);
      return { unanswered: state?.unanswered ?? true, answered: (state?.answeredBy ?? null) !== null };
    },
    loopsBack: (node, handle) => {
      const t = g.target(node.id, handle);
      return t !== null && comp().get(t) === comp().get(node.id);
    },
  });

  /** The code from node `id` on: inline nodes until the call ends or a head is reached. */
  function chain(from: FlowNode | null, id: string | null, depth: number, caseStart: boolean): Stmt[] {
    const out: Stmt[] = [];
    let prev = from;
    let cur = id;
    let first = caseStart;
    for (;;) {
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
      const code = lowerNode(node, ctxAt(depth));
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
  const bodies: Stmt[][] = [];
  for (let i = 0; i < headList.length; i++) bodies.push(chain(null, headList[i], 0, true));
  const dispatch = bodies.length === 0 ? [] : [loop(undefined, dispatchOn(nextVar(), headList, bodies, jumps))];
  const lowered = program(tidy([...initial, ...main, ...dispatch], true));
  const connects = flow.nodes.some((n) => n.type === 'transfer' && n.data.mode === 'connect' && n.data.target !== '');
  if (connects) lowered.decls.push(connectEntry());
  return lowered;
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
