// Small constructors for the CG/PL AST nodes the lowering builds (positions are NO_POS: generated code).
// Calls go through the built-in registry, so a generated program passes the checker by construction:
// a value is only taken from a function, and a function called for its effect is wrapped in Void(...).
import { NO_POS, type BinaryOp, type CallExpr, type Expr, type IfStmt, type Stmt } from '../cgpl/ast';
import { arityText, availableIn, findBuiltinSpec, type BuiltinSpec } from '../cgpl/builtins';

export const str = (value: string): Expr => ({ kind: 'String', value, pos: NO_POS });
export const num = (value: number): Expr => ({ kind: 'Number', value: BigInt(Math.trunc(value)), pos: NO_POS });
export const nul = (): Expr => ({ kind: 'NullLit', pos: NO_POS });
export const bool = (value: boolean): Expr => ({ kind: 'Bool', value, pos: NO_POS });
export const name = (n: string): Expr => ({ kind: 'Name', name: n, pos: NO_POS });
/** The PBX built-in `callee`, called with `argc` arguments; a lowering bug throws here. */
function builtin(callee: string, argc: number): BuiltinSpec {
  const spec = findBuiltinSpec(callee);
  if (!spec || !availableIn(spec, 'pbx')) throw new Error(`generator: '${callee}' is not a PBX built-in`);
  if (argc < spec.min || argc > spec.max)
    throw new Error(`generator: ${spec.name} takes ${arityText(spec)} argument(s), not ${argc}`);
  return spec;
}

const call = (callee: string, args: Expr[]): CallExpr => ({
  kind: 'Call',
  callee,
  module: null,
  args,
  method: false,
  pos: NO_POS,
});

/** A built-in function's value (a procedure has none). */
export function fn(callee: string, ...args: Expr[]): CallExpr {
  if (builtin(callee, args.length).kind !== 'function')
    throw new Error(`generator: ${callee} is a procedure and has no value`);
  return call(callee, args);
}
export const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: 'Binary', op, left, right, pos: NO_POS });
export const not = (operand: Expr): Expr => ({ kind: 'Unary', op: 'not', operand, pos: NO_POS });
export const ternary = (cond: Expr, then: Expr, otherwise: Expr): Expr => ({
  kind: 'Ternary',
  cond,
  then,
  otherwise,
  pos: NO_POS,
});

/** `spawn Entry(arg)`: starts the entry as a new task; its value is the task handle. */
export const spawnExpr = (entry: string, arg: Expr): Expr => ({ kind: 'Spawn', entry, arg, pos: NO_POS });

/** Left-folds operands with one logical operator: `a or b or c`. */
export function all(op: 'and' | 'or', operands: Expr[]): Expr {
  return operands.reduce((acc, e) => bin(op, acc, e));
}

/** The condition's opposite, kept readable: `a == b` → `a != b`, `not c` → `c`. */
export function negate(cond: Expr): Expr {
  if (cond.kind === 'Binary' && (cond.op === '==' || cond.op === '!=')) {
    return { ...cond, op: cond.op === '==' ? '!=' : '==' };
  }
  if (cond.kind === 'Unary' && (cond.op === 'not' || cond.op === '!')) return cond.operand;
  return not(cond);
}

/** Statements carry the flow node they were generated for (source map, JS call.node). */
export function assign(nodeId: string | undefined, target: string, value: Expr): Stmt {
  return { kind: 'Assign', target: { kind: 'Name', name: target, pos: NO_POS }, op: '=', value, pos: NO_POS, nodeId };
}
export function assignKey(nodeId: string | undefined, object: string, key: string, value: Expr): Stmt {
  // d.key for plain names, d.("Content-Type") otherwise
  const k: string | Expr = /^[A-Za-z][A-Za-z0-9_]*$/.test(key) ? key : str(key);
  return {
    kind: 'Assign',
    op: '=',
    value,
    pos: NO_POS,
    nodeId,
    target: { kind: 'Member', object: name(object), key: k, pos: NO_POS },
  };
}
export function assignIndex(nodeId: string | undefined, object: string, index: number, value: Expr): Stmt {
  return {
    kind: 'Assign',
    op: '=',
    value,
    pos: NO_POS,
    nodeId,
    target: { kind: 'Index', object: name(object), index: num(index), pos: NO_POS },
  };
}
/** A built-in called for its effect: a procedure as it is, a function's value dropped with Void(...). */
export function callStmt(nodeId: string | undefined, callee: string, ...args: Expr[]): Stmt {
  const c = call(callee, args);
  const wrapped = builtin(callee, args.length).kind === 'function' ? call('Void', [c]) : c;
  return { kind: 'CallStmt', call: wrapped, pos: NO_POS, nodeId };
}
export const stop = (nodeId: string | undefined): Stmt => ({ kind: 'Stop', pos: NO_POS, nodeId });
export const exitIf = (nodeId: string | undefined, cond: Expr): Stmt => ({ kind: 'ExitIf', cond, pos: NO_POS, nodeId });
export const loop = (nodeId: string | undefined, body: Stmt[]): Stmt => ({ kind: 'Loop', body, pos: NO_POS, nodeId });
export function ifStmt(
  nodeId: string | undefined,
  branches: { cond: Expr; body: Stmt[] }[],
  elseBody: Stmt[] | null,
): IfStmt {
  return { kind: 'If', branches, elseBody, pos: NO_POS, nodeId };
}
