// The code generators: flow → CG/PL program (.sppr + source map) and flow → JS module, both printed
// from the same lowered AST so the two targets behave the same.
export { lowerFlow } from './lowerFlow';
export { compileFlow, compileToCgpl, type SourceMap } from './cgpl';
export { compileToJs, jsRefusal } from './js';
export { printJs, type PrintJsOptions } from './jsPrinter';
