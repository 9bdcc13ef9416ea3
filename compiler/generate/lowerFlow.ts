// lowerFlow: the flow graph → one CG/PL `entry Main`. Nodes with a single way in are written inline
// where they are reached (branches nest as if/else). Joins and cycle entries ("heads") each get a case
// of a dispatch loop — `next = "menu1";` jumps there — so going back to a menu needs no goto.
import type { Program, Stmt } from '../cgpl/ast';
import { NO_POS } from '../cgpl/ast';
import type { FlowDocument, FlowNode } from '../flow/schema';
import { assign, bin, ifStmt, loop, name, str, stop } from './build';
import { analyseFlow, isDuplicableEnd } from './graph';
import { lowerNode, type LowerCtx } from './lowerNodes';
import { makeNames } from './names';
import { maybeUnsetVariables } from './dominators';
import { components } from './cycles';
import { tidy } from './tidy';

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
  const heads = new Set(headList);
  const nextVar = () => names.internal('next');

  const zonedHours = flow.nodes.some((n) => n.type === 'businessHours' && n.data.timeZone !== '');
  const ctxAt = (depth: number): LowerCtx => ({
    names,
    zonedHours,
    go: (node, handle) => chain(node, g.target(node.id, handle), depth + 1, false),
    connected: (node, handle) => g.target(node.id, handle) !== null,
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
        out.push(assign(prev?.id, nextVar(), str(cur)));
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
  const cases: { cond: ReturnType<typeof bin>; body: Stmt[] }[] = [];
  for (let i = 0; i < headList.length; i++) {
    cases.push({ cond: bin('==', name(nextVar()), str(headList[i])), body: chain(null, headList[i], 0, true) });
  }
  const body = cases.length === 0 ? main : [...main, loop(undefined, [ifStmt(undefined, cases, null)])];
  return program(tidy([...initial, ...body], true));
}
