// compileToJs: the flow → the same lowered program as the CG/PL target → an ES module for the Call API.
import type { FlowDocument } from '../flow/schema';
import { generatedHeader } from './header';
import { lowerFlow } from './lowerFlow';
import { printJs } from './jsPrinter';

/**
 * @example const { text } = compileToJs(flow); // "export default async function main(call, options = {}) { … }"
 */
export function compileToJs(flow: FlowDocument): { text: string } {
  return { text: printJs(lowerFlow(flow), { header: [generatedHeader(flow, 'mjs')] }) };
}
