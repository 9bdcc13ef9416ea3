// The CG/PL abstract syntax tree: a closed set of node kinds shared by the parser, the printer,
// the flow lowering (compiler/generate) and the interpreter (runtime/cgpl).
// Positions are 1-based line:col of the node's first token. Names keep the spelling of the source;
// CG/PL names are case-insensitive, so consumers compare them lower-cased.

export interface Pos {
  line: number;
  col: number;
}

/** Set by the flow lowering: the flow node a statement was generated for (source maps, debugger). */
export interface Origin {
  nodeId?: string;
}

export type Style = 'basic' | 'c';

export interface Program {
  kind: 'Program';
  decls: Decl[];
  /** Leading comment lines printed before the first declaration (generated headers). */
  header?: string[];
}

export type Decl = EntryDecl | ProcDecl | TaskVarDecl | ConstDecl;

export interface EntryDecl {
  kind: 'Entry';
  name: string;
  body: Stmt[];
  style: Style;
  pos: Pos;
}

/**
 * procedure / function: a body, or `forward` (body declared later), or `external` (from name.sppi, or
 * with a qualified name `function m::f(x) external;` from m.sppi).
 */
export interface ProcDecl {
  kind: 'Procedure' | 'Function';
  name: string;
  /** `m` of a qualified name `m::f` (external declarations only); null otherwise. */
  module?: string | null;
  params: string[];
  /** Where each parameter is written (parsed programs only). */
  paramPos?: Pos[];
  body: Stmt[] | null;
  linkage: 'local' | 'forward' | 'external';
  style: Style;
  pos: Pos;
}

/** `var a, b;` outside any code section: task variables, shared by every section the task runs. */
export interface TaskVarDecl {
  kind: 'TaskVar';
  names: { name: string; pos: Pos }[];
  pos: Pos;
}

/** `const a = 1, b = "x";` outside any code section: names for constant values. */
export interface ConstDecl {
  kind: 'Const';
  decls: { name: string; value: Expr; pos: Pos }[];
  pos: Pos;
}

export type AssignOp = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '|=' | '&=';

export type Stmt =
  | AssignStmt
  | CallStmt
  | NullStmt
  | StopStmt
  | ReturnStmt
  | IfStmt
  | LoopStmt
  | WhileStmt
  | ForStmt
  | ExitIfStmt
  | VarStmt
  | BlockStmt;

interface StmtBase extends Origin {
  pos: Pos;
}

/** `x = e;` `d.key += e;` `a[i] = e;` — target is a Name, Member or Index expression. */
export interface AssignStmt extends StmtBase {
  kind: 'Assign';
  target: NameExpr | MemberExpr | IndexExpr;
  op: AssignOp;
  value: Expr;
}
/** A procedure call as a statement: `PlayFile("x");` or `x.f();` */
export interface CallStmt extends StmtBase {
  kind: 'CallStmt';
  call: CallExpr;
}
export interface NullStmt extends StmtBase {
  kind: 'Null';
}
export interface StopStmt extends StmtBase {
  kind: 'Stop';
}
export interface ReturnStmt extends StmtBase {
  kind: 'Return';
  value: Expr | null;
}
/** if/elif/else: branches[0] is the `if`, the rest are `elif`s. */
export interface IfStmt extends StmtBase {
  kind: 'If';
  branches: { cond: Expr; body: Stmt[] }[];
  elseBody: Stmt[] | null;
}
/** `loop ... end loop;` (exit with exitif) */
export interface LoopStmt extends StmtBase {
  kind: 'Loop';
  body: Stmt[];
}
export interface WhileStmt extends StmtBase {
  kind: 'While';
  cond: Expr;
  body: Stmt[];
}
/** `for init while cond by step loop ... end loop;` / C `for (init; cond; step) { }` */
export interface ForStmt extends StmtBase {
  kind: 'For';
  init: AssignStmt | VarStmt | null;
  cond: Expr | null;
  step: AssignStmt | CallStmt | null;
  body: Stmt[];
}
export interface ExitIfStmt extends StmtBase {
  kind: 'ExitIf';
  cond: Expr;
}
/** `var a = 1, b;` */
export interface VarStmt extends StmtBase {
  kind: 'Var';
  decls: { name: string; init: Expr | null; pos?: Pos }[];
}
/** A C-style `{ ... }` block used as a statement. */
export interface BlockStmt extends StmtBase {
  kind: 'Block';
  body: Stmt[];
}

export type Expr =
  | StringLit
  | NumberLit
  | NullLit
  | BoolLit
  | NameExpr
  | CallExpr
  | MemberExpr
  | IndexExpr
  | UnaryExpr
  | BinaryExpr
  | TernaryExpr
  | SpawnExpr;

interface ExprBase {
  pos: Pos;
}

export interface StringLit extends ExprBase {
  kind: 'String';
  value: string;
}
/** 64-bit signed integer. */
export interface NumberLit extends ExprBase {
  kind: 'Number';
  value: bigint;
}
export interface NullLit extends ExprBase {
  kind: 'NullLit';
}
export interface BoolLit extends ExprBase {
  kind: 'Bool';
  value: boolean;
}
/** A variable, a task variable or a constant. */
export interface NameExpr extends ExprBase {
  kind: 'Name';
  name: string;
}
/**
 * `f(a)`, `m::f(a)` or method style `x.f(a)` (method = true; args[0] is x).
 * The interpreter treats all three as a call of `callee` with `args`.
 */
export interface CallExpr extends ExprBase {
  kind: 'Call';
  callee: string;
  module: string | null;
  args: Expr[];
  method: boolean;
}
/** `d.key` (key is a string) or `d.(expr)` (key is an Expr). */
export interface MemberExpr extends ExprBase {
  kind: 'Member';
  object: Expr;
  key: string | Expr;
}
export interface IndexExpr extends ExprBase {
  kind: 'Index';
  object: Expr;
  index: Expr;
}
export type UnaryOp = '-' | '+' | '!' | 'not';
export interface UnaryExpr extends ExprBase {
  kind: 'Unary';
  op: UnaryOp;
  operand: Expr;
}

export type LogicalOp = 'and' | 'or' | 'xor' | '&' | '|' | '^' | 'and then' | 'or else' | '&&' | '||';
export type CompareOp = '<' | '<=' | '==' | '!=' | '>=' | '>';
export type AddOp = '+' | '-';
export type MulOp = '*' | '/' | '%';
export type BinaryOp = LogicalOp | CompareOp | AddOp | MulOp;

export interface BinaryExpr extends ExprBase {
  kind: 'Binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
}
export interface TernaryExpr extends ExprBase {
  kind: 'Ternary';
  cond: Expr;
  then: Expr;
  otherwise: Expr;
}
/** `spawn EntryName(arg)` — starts a new task at an entry; value is the task handle. */
export interface SpawnExpr extends ExprBase {
  kind: 'Spawn';
  entry: string;
  arg: Expr | null;
}

export const LOGICAL_OPS: readonly LogicalOp[] = ['and', 'or', 'xor', '&', '|', '^', 'and then', 'or else', '&&', '||'];
export const COMPARE_OPS: readonly CompareOp[] = ['<', '<=', '==', '!=', '>=', '>'];

/** A problem found while reading or checking a program: always with line:column (compiler/diagnostics.ts). */
export type { SourceDiagnostic as Diagnostic } from '../diagnostics';

export function assertNever(x: never): never {
  throw new Error(`unexpected AST node: ${JSON.stringify(x)}`);
}

/** A position for nodes built by code (lowering) rather than parsed. */
export const NO_POS: Pos = { line: 0, col: 0 };
