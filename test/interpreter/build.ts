// Hand-built ASTs for tests that must not depend on the parser. Each node gets the next line number.
import type { BinaryOp, Decl, Expr, Program, Stmt } from '../../compiler/cgpl/ast';

let line = 0;
const at = () => ({ line: ++line, col: 1 });

export const num = (n: number | bigint): Expr => ({ kind: 'Number', value: BigInt(n), pos: at() });
export const str = (s: string): Expr => ({ kind: 'String', value: s, pos: at() });
export const name = (n: string): Expr => ({ kind: 'Name', name: n, pos: at() });
export const nul = (): Expr => ({ kind: 'NullLit', pos: at() });
export const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: 'Binary', op, left, right, pos: at() });
export const call = (callee: string, ...args: Expr[]): Extract<Expr, { kind: 'Call' }> => ({
  kind: 'Call',
  callee,
  module: null,
  args,
  method: false,
  pos: at(),
});
export const set = (n: string, value: Expr): Stmt => ({
  kind: 'Assign',
  target: { kind: 'Name', name: n, pos: at() },
  op: '=',
  value,
  pos: at(),
});
export const add = (n: string, value: Expr): Stmt => ({
  kind: 'Assign',
  target: { kind: 'Name', name: n, pos: at() },
  op: '+=',
  value,
  pos: at(),
});
export const callS = (callee: string, ...args: Expr[]): Stmt => ({
  kind: 'CallStmt',
  call: call(callee, ...args),
  pos: at(),
});
export const loop = (...body: Stmt[]): Stmt => ({ kind: 'Loop', body, pos: at() });
export const exitIf = (cond: Expr): Stmt => ({ kind: 'ExitIf', cond, pos: at() });
export const ret = (value: Expr | null = null): Stmt => ({ kind: 'Return', value, pos: at() });
export const stop = (): Stmt => ({ kind: 'Stop', pos: at() });
export const ifS = (cond: Expr, body: Stmt[], elseBody: Stmt[] | null = null): Stmt => ({
  kind: 'If',
  branches: [{ cond, body }],
  elseBody,
  pos: at(),
});
export const entry = (n: string, ...body: Stmt[]): Decl => ({
  kind: 'Entry',
  name: n,
  body,
  style: 'basic',
  pos: at(),
});
export const func = (n: string, params: string[], ...body: Stmt[]): Decl => ({
  kind: 'Function',
  name: n,
  params,
  body,
  linkage: 'local',
  style: 'basic',
  pos: at(),
});
export const proc = (n: string, params: string[], ...body: Stmt[]): Decl => ({
  kind: 'Procedure',
  name: n,
  params,
  body,
  linkage: 'local',
  style: 'basic',
  pos: at(),
});
export const program = (...decls: Decl[]): Program => ({ kind: 'Program', decls });
