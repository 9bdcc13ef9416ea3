// fast-check generators of CG/PL ASTs, limited to trees the parser itself produces
// (no pos-sensitive data, decls in basic style, `-n` only as a folded literal). Every statement kind and
// every declaration kind (entry, procedure, function, forward, external, qualified external, var, const).
import fc from 'fast-check';
import type { AssignStmt, CallExpr, CallStmt, Decl, Expr, Program, Stmt, VarStmt } from '../../compiler/cgpl/ast';
import { LOGICAL_OPS, COMPARE_OPS, NO_POS } from '../../compiler/cgpl/ast';

const pos = NO_POS;
const name = fc.constantFrom('x', 'input', 'accumulator', 'Count2', 'a_b', 'PlayFile', 'ReadInput', 'd');
// keywords are never key names (`d.end` does not parse): the printer writes d.("end") for those
const key = fc.constantFrom('key', 'startParameter', 'ending', 'X1');
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });

function leaf(): fc.Arbitrary<Expr> {
  return fc.oneof(
    fc.string({ maxLength: 8 }).map((value): Expr => ({ kind: 'String', value, pos })),
    int64.map((value): Expr => ({ kind: 'Number', value, pos })),
    fc.constant<Expr>({ kind: 'NullLit', pos }),
    fc.boolean().map((value): Expr => ({ kind: 'Bool', value, pos })),
    name.map((n): Expr => ({ kind: 'Name', name: n, pos })),
  );
}

export function exprArb(depth: number): fc.Arbitrary<Expr> {
  if (depth <= 0) return leaf();
  const sub = exprArb(depth - 1);
  return fc.oneof(
    { arbitrary: leaf(), weight: 3 },
    callArb(depth),
    fc.tuple(sub, key).map(([object, k]): Expr => ({ kind: 'Member', object, key: k, pos })),
    fc.tuple(sub, sub).map(([object, k]): Expr => ({ kind: 'Member', object, key: k, pos })),
    fc.tuple(sub, sub).map(([object, index]): Expr => ({ kind: 'Index', object, index, pos })),
    fc
      .tuple(fc.constantFrom('-', '+', '!', 'not') as fc.Arbitrary<'-' | '+' | '!' | 'not'>, sub)
      // `-5` reads back as the literal -5, so the generator leaves that shape to the literal
      .filter(([op, operand]) => !(op === '-' && operand.kind === 'Number'))
      .map(([op, operand]): Expr => ({ kind: 'Unary', op, operand, pos })),
    fc
      .tuple(fc.constantFrom(...LOGICAL_OPS, ...COMPARE_OPS, '+', '-', '*', '/', '%'), sub, sub)
      .map(([op, left, right]): Expr => ({ kind: 'Binary', op, left, right, pos })),
    fc.tuple(sub, sub, sub).map(([cond, then, otherwise]): Expr => ({ kind: 'Ternary', cond, then, otherwise, pos })),
    fc.tuple(name, fc.option(sub)).map(([entry, arg]): Expr => ({ kind: 'Spawn', entry, arg, pos })),
  );
}

function callArb(depth: number): fc.Arbitrary<CallExpr> {
  const sub = exprArb(depth - 1);
  return fc.oneof(
    fc
      .tuple(name, fc.option(name), fc.array(sub, { maxLength: 3 }))
      .map(([callee, module, args]): CallExpr => ({ kind: 'Call', callee, module, args, method: false, pos })),
    fc
      .tuple(name, fc.array(sub, { minLength: 1, maxLength: 3 }))
      .map(([callee, args]): CallExpr => ({ kind: 'Call', callee, module: null, args, method: true, pos })),
  );
}

const assignOp = fc.constantFrom('=', '+=', '-=', '*=', '/=', '%=', '|=', '&=') as fc.Arbitrary<AssignStmt['op']>;

function assignArb(d: number): fc.Arbitrary<AssignStmt> {
  const e = exprArb(d);
  const target = fc.oneof(
    name.map((n) => ({ kind: 'Name' as const, name: n, pos })),
    fc.tuple(e, key).map(([object, k]) => ({ kind: 'Member' as const, object, key: k, pos })),
    fc.tuple(e, e).map(([object, index]) => ({ kind: 'Index' as const, object, index, pos })),
  );
  return fc.tuple(target, assignOp, e).map(([t, op, value]) => ({ kind: 'Assign', target: t, op, value, pos }));
}
function callStmtArb(d: number): fc.Arbitrary<CallStmt> {
  return callArb(Math.max(d, 1)).map((call) => ({ kind: 'CallStmt', call, pos }));
}
function varArb(d: number): fc.Arbitrary<VarStmt> {
  return fc
    .array(fc.record({ name, init: fc.option(exprArb(d)) }), { minLength: 1, maxLength: 3 })
    .map((decls) => ({ kind: 'Var', decls, pos }));
}

export function stmtArb(depth: number): fc.Arbitrary<Stmt> {
  const e = exprArb(2);
  const simple = fc.oneof(
    assignArb(2),
    callStmtArb(2),
    fc.constant<Stmt>({ kind: 'Null', pos }),
    fc.constant<Stmt>({ kind: 'Stop', pos }),
    fc.option(e).map((value): Stmt => ({ kind: 'Return', value, pos })),
    e.map((cond): Stmt => ({ kind: 'ExitIf', cond, pos })),
    varArb(1),
  );
  if (depth <= 0) return simple;
  const body = fc.array(stmtArb(depth - 1), { maxLength: 3 });
  return fc.oneof(
    { arbitrary: simple, weight: 4 },
    fc
      .tuple(fc.array(fc.record({ cond: e, body }), { minLength: 1, maxLength: 3 }), fc.option(body))
      .map(([branches, elseBody]): Stmt => ({ kind: 'If', branches, elseBody, pos })),
    body.map((b): Stmt => ({ kind: 'Loop', body: b, pos })),
    fc.tuple(e, body).map(([cond, b]): Stmt => ({ kind: 'While', cond, body: b, pos })),
    fc
      .tuple(
        fc.option(fc.oneof(assignArb(1), varArb(1))),
        fc.option(e),
        fc.option(fc.oneof(assignArb(1), callStmtArb(1))),
        body,
      )
      .map(([init, cond, step, b]): Stmt => ({ kind: 'For', init, cond, step, body: b, pos })),
    body.map((b): Stmt => ({ kind: 'Block', body: b, pos })),
  );
}

const params = fc.uniqueArray(name, { maxLength: 3 });
const declArb: fc.Arbitrary<Decl> = fc.oneof(
  fc
    .tuple(name, fc.array(stmtArb(2), { maxLength: 4 }))
    .map(([n, body]): Decl => ({ kind: 'Entry', name: n, body, style: 'basic', pos })),
  fc
    .tuple(
      fc.constantFrom('Procedure', 'Function') as fc.Arbitrary<'Procedure' | 'Function'>,
      name,
      params,
      fc.array(stmtArb(2), { maxLength: 4 }),
    )
    .map(([kind, n, ps, body]): Decl => ({ kind, name: n, params: ps, body, linkage: 'local', style: 'basic', pos })),
  fc
    .tuple(
      fc.constantFrom('Procedure', 'Function') as fc.Arbitrary<'Procedure' | 'Function'>,
      name,
      params,
      fc.constantFrom('forward', 'external') as fc.Arbitrary<'forward' | 'external'>,
    )
    .map(([kind, n, ps, linkage]): Decl => ({ kind, name: n, params: ps, body: null, linkage, style: 'basic', pos })),
  fc.tuple(fc.constantFrom('Procedure', 'Function') as fc.Arbitrary<'Procedure' | 'Function'>, name, name, params).map(
    ([kind, m, n, ps]): Decl => ({
      kind,
      name: n,
      module: m,
      params: ps,
      body: null,
      linkage: 'external',
      style: 'basic',
      pos,
    }),
  ),
  fc
    .array(name, { minLength: 1, maxLength: 3 })
    .map((names): Decl => ({ kind: 'TaskVar', names: names.map((n) => ({ name: n, pos })), pos })),
  fc
    .array(fc.tuple(name, exprArb(1)), { minLength: 1, maxLength: 3 })
    .map((cs): Decl => ({ kind: 'Const', decls: cs.map(([n, value]) => ({ name: n, value, pos })), pos })),
);

export const programArb: fc.Arbitrary<Program> = fc
  .array(declArb, { minLength: 1, maxLength: 3 })
  .map((decls) => ({ kind: 'Program', decls }));
