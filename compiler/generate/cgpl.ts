// compileToCgpl: the flow → lowered CG/PL → `<name>.sppr` text, with a line ↔ flow-node source map.
import { printCgpl } from '../cgpl';
import type { Program } from '../cgpl/ast';
import type { FlowDocument } from '../flow/schema';
import { generatedHeader } from './header';
import { lowerFlow } from './lowerFlow';
import { printJs } from './jsPrinter';
import { jsRefusal } from './js';

/** Which flow node each line of the generated program came from (the debugger's breakpoints). */
export interface SourceMap {
  version: 1;
  /** The generated file's name, e.g. "callback.sppr". */
  file: string;
  /** 1-based line i → lines[i - 1]: the flow node id, or null (header, `entry Main is`, dispatch). */
  lines: (string | null)[];
  /** Flow node id → its 1-based lines, ascending. */
  nodes: Record<string, number[]>;
}

/**
 * @example const { text, sourceMap } = compileToCgpl(flow); // text: "// callback.sppr — generated …\n\nentry Main is …"
 */
export function compileToCgpl(flow: FlowDocument): { text: string; sourceMap: SourceMap } {
  return printProgram(flow, lowerFlow(flow));
}

/** The lowered program as `.sppr` text with its source map (the program is not changed). */
export function printProgram(flow: FlowDocument, lowered: Program): { text: string; sourceMap: SourceMap } {
  const program: Program = { ...lowered, header: [generatedHeader(flow, 'sppr')] };
  const { text, lineNodes } = printCgpl(program);
  const nodes: Record<string, number[]> = Object.create(null);
  lineNodes.forEach((id, i) => {
    if (id !== null) (nodes[id] ??= []).push(i + 1);
  });
  return { text, sourceMap: { version: 1, file: `${flow.name}.sppr`, lines: lineNodes, nodes } };
}

/**
 * Both targets from one lowering (what loading a flow needs): the same as compileToCgpl and
 * compileToJs, for about half the work on a large flow.
 */
export function compileFlow(flow: FlowDocument): {
  cgpl: { text: string; sourceMap: SourceMap };
  /** null when the JS target refuses the flow (jsRefusal: code and module call nodes). */
  js: { text: string } | null;
} {
  const lowered = lowerFlow(flow);
  return {
    cgpl: printProgram(flow, lowered),
    js: jsRefusal(flow) === null ? { text: printJs(lowered, { header: [generatedHeader(flow, 'mjs')] }) } : null,
  };
}
