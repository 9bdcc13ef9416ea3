// The CG/PL front end: read (parseCgpl) and write (printCgpl) CommuniGate PBX programs (.sppr).
export * from './ast';
export { parseCgpl } from './parser';
export { printCgpl, printExpr } from './printer';
export { lexCgpl } from './lexer';
export { formatDiagnostic, KEYWORDS, type Token, type TokenKind } from './tokens';
export { cgplStringLiteral, decodeCgplString, EOL_ESCAPE, type StringProblem } from './strings';
