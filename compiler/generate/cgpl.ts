// compileToCgpl: the flow → lowered CG/PL → `<name>.sppr` text, with a line ↔ flow-node source map.
import { printCgpl } from '../cgpl';
import type { FlowDocument } from '../flow/schema';
import { generatedHeader } from './header';
import { lowerFlow } from './lowerFlow';

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
  const program = lowerFlow(flow);
  program.header = [generatedHeader(flow, 'sppr')];
  const { text, lineNodes } = printCgpl(program);
  const nodes: Record<string, number[]> = Object.create(null);
  lineNodes.forEach((id, i) => {
    if (id !== null) (nodes[id] ??= []).push(i + 1);
  });
  return { text, sourceMap: { version: 1, file: `${flow.name}.sppr`, lines: lineNodes, nodes } };
}
