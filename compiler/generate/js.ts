// compileToJs: the flow → the same lowered program as the CG/PL target → an ES module for the Call API.
import type { FlowDocument } from '../flow/schema';
import { generatedHeader } from './header';
import { lowerFlow } from './lowerFlow';
import { printJs } from './jsPrinter';

/**
 * Why the JS target cannot take this flow, or null. Code and module call nodes are CG/PL itself: the JS
 * printer knows only the statements the generator writes, and running them through the interpreter
 * would make every JS module depend on runtime/ (compiler/ imports nothing from it) — run such a
 * flow with the cgpl target, which the simulator, the SIP service and CommuniGate all use.
 */
export function jsRefusal(flow: FlowDocument): string | null {
  // an empty code node does nothing (an imported join): nothing to refuse
  const node = flow.nodes.find((n) => (n.type === 'code' && n.data.code.trim() !== '') || n.type === 'moduleCall');
  if (!node)
    return flow.declarations?.trim()
      ? 'the JS target does not run CG/PL: the flow has CG/PL declarations; use the cgpl target'
      : null;
  const what = node.type === 'code' ? 'a CG/PL code node' : 'a module call node';
  return `the JS target does not run CG/PL: node ${node.id} (${node.type}) is ${what}; use the cgpl target`;
}

/**
 * @example const { text } = compileToJs(flow); // "export default async function main(call, options = {}) { … }"
 * @throws when jsRefusal(flow) says why the flow has no JS module
 */
export function compileToJs(flow: FlowDocument): { text: string } {
  const refusal = jsRefusal(flow);
  if (refusal) throw new Error(refusal);
  return { text: printJs(lowerFlow(flow), { header: [generatedHeader(flow, 'mjs')] }) };
}
