// Make lowered code read like hand-written CG/PL: `if c then stop; end if;` + the rest instead of
// an else that nests everything after it, and no `stop;` where the program ends anyway.
import type { IfStmt, Stmt } from '../cgpl/ast';
import { negate } from './build';

/** True when the statements never fall through (they end the task). */
export function alwaysStops(body: Stmt[] | null): boolean {
  const last = body?.[body.length - 1];
  if (!last) return false;
  if (last.kind === 'Stop') return true;
  if (last.kind !== 'If' || !last.elseBody) return false;
  return last.branches.every((b) => alwaysStops(b.body)) && alwaysStops(last.elseBody);
}

/** `tail`: falling off the end of `body` ends the program. */
export function tidy(body: Stmt[], tail: boolean): Stmt[] {
  const out: Stmt[] = [];
  const stack = [...body].reverse();
  while (stack.length > 0) {
    const s = stack.pop()!;
    const isTail = tail && stack.length === 0;
    switch (s.kind) {
      case 'Stop':
        if (!isTail) out.push(s);
        break;
      case 'Loop':
        out.push({ ...s, body: tidy(s.body, false) });
        break;
      case 'If':
        tidyIf(s, isTail, out, stack);
        break;
      default:
        out.push(s);
    }
  }
  return out;
}

function tidyIf(s: IfStmt, isTail: boolean, out: Stmt[], stack: Stmt[]): void {
  const rest = s.elseBody ?? [];
  // Every branch ends the call: what the else did simply follows the if. At the end of the program
  // a real else reads better, unless the branches are a bare `stop;`.
  const bareStops = s.branches.every((b) => b.body.length === 1 && b.body[0].kind === 'Stop');
  if (rest.length > 0 && s.branches.every((b) => alwaysStops(b.body)) && (!isTail || bareStops)) {
    out.push({ ...s, branches: s.branches.map((b) => ({ cond: b.cond, body: tidy(b.body, false) })), elseBody: null });
    for (let i = rest.length - 1; i >= 0; i--) stack.push(rest[i]);
    return;
  }
  // Only the else ends the call: test the opposite and go on with the branch unnested.
  if (!isTail && s.branches.length === 1 && alwaysStops(rest)) {
    out.push({ ...s, branches: [{ cond: negate(s.branches[0].cond), body: tidy(rest, false) }], elseBody: null });
    const body = s.branches[0].body;
    for (let i = body.length - 1; i >= 0; i--) stack.push(body[i]);
    return;
  }
  let elseBody: Stmt[] | null = s.elseBody ? tidy(s.elseBody, isTail) : null;
  if (elseBody && elseBody.length === 0) elseBody = null;
  const first = tidy(s.branches[0].body, isTail);
  if (s.branches.length === 1 && first.length === 0 && elseBody) {
    out.push({ ...s, branches: [{ cond: negate(s.branches[0].cond), body: elseBody }], elseBody: null });
    return;
  }
  // a branch keeps its `stop;` rather than become empty
  const keep = (raw: Stmt[], t: Stmt[]) => (t.length > 0 ? t : tidy(raw, false));
  const branches = s.branches.map((b, i) => ({
    cond: b.cond,
    body: keep(b.body, i === 0 ? first : tidy(b.body, isTail)),
  }));
  // Every branch empty (they all went on to a join written after the if): the node's test stays,
  // with `null;`, so the node is still there to trace and to stop at.
  if (!elseBody && branches.every((b) => b.body.length === 0)) {
    branches[0]!.body = [{ kind: 'Null', pos: s.pos, nodeId: s.nodeId }];
  }
  out.push({ ...s, branches, elseBody });
}
