// The CG/PL front end: read (parseCgpl), check (checkCgpl, against the built-in registry) and write
// (printCgpl) CommuniGate programs — PBX applications (.sppr, .sppi), WebApps (.wcgp, .wcgi), .scgp.
export * from './ast';
export { parseCgpl } from './parser';
export {
  checkCgpl,
  type CallTarget,
  type CheckOptions,
  type CheckResult,
  type ModuleLoader,
  type Routine,
  type Unit,
} from './check';
export {
  arityText,
  availableIn,
  BUILTIN_SPECS,
  environmentOfFile,
  findBuiltinSpec,
  suggestName,
  type BuiltinKind,
  type BuiltinSpec,
  type Environment,
} from './builtins';
export { printCgpl, printExpr } from './printer';
export { lexCgpl } from './lexer';
export { KEYWORDS, type Token, type TokenKind } from './tokens';
export { formatDiagnostic } from '../diagnostics';
export { cgplStringLiteral, decodeCgplString, EOL_ESCAPE, type StringProblem } from './strings';
