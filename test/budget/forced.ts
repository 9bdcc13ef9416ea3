// Programs built from flows that validation refuses (busy loops), to see what the runtime does when
// such a program runs anyway: the build programFromFlow does, without the validation step.
import { parseCgpl } from '../../compiler/cgpl';
import { parseFlowObject, FLOW_FORMAT, type FlowDocument } from '../../compiler/flow';
import { compileToCgpl, compileToJs } from '../../compiler/generate';
import { flowEnvironment } from '../../runtime/call/environment';
import type { Program } from '../../runtime/host';

export function flowOf(nodes: unknown[], edges: [string, string, string][]): FlowDocument {
  const { flow, problems } = parseFlowObject({
    format: FLOW_FORMAT,
    name: 'runaway',
    nodes,
    edges: edges.map(([source, sourceHandle, target]) => ({
      id: `${source}.${sourceHandle}`,
      source,
      sourceHandle,
      target,
    })),
  });
  if (!flow) throw new Error(`test flow does not load: ${JSON.stringify(problems)}`);
  return flow;
}

/** The program of a flow, validation skipped. */
export function forcedProgram(flow: FlowDocument, dir = '.'): Program {
  const compiled = compileToCgpl(flow);
  const parsed = parseCgpl(compiled.text, `${flow.name}.sppr`);
  if (!parsed.program) throw new Error('the generated program does not parse');
  return {
    kind: 'flow',
    file: `${dir}/${flow.name}.json`,
    name: flow.name,
    cgpl: { text: compiled.text, ast: parsed.program, file: `${flow.name}.sppr`, lineToNode: compiled.sourceMap.lines },
    js: { text: compileToJs(flow).text },
    flow,
    environment: flowEnvironment(flow, dir),
    warnings: [],
  };
}

/** The three shapes. */
export const SHAPES = {
  'intro.next → intro': flowOf(
    [
      { id: 's', type: 'start' },
      { id: 'intro', type: 'play', data: { prompts: [] } },
    ],
    [
      ['s', 'next', 'intro'],
      ['intro', 'next', 'intro'],
    ],
  ),
  'mail.failed → mail': flowOf(
    [
      { id: 's', type: 'start' },
      { id: 'mail', type: 'sendEmail', data: { to: 'not an address', subject: 'x' } },
      { id: 'bye', type: 'hangup' },
    ],
    [
      ['s', 'next', 'mail'],
      ['mail', 'sent', 'bye'],
      ['mail', 'failed', 'mail'],
    ],
  ),
  'a 3-node setVariable cycle': flowOf(
    [
      { id: 's', type: 'start' },
      { id: 'a', type: 'setVariable', data: { variable: 'x', value: '1' } },
      { id: 'b', type: 'setVariable', data: { variable: 'x', value: '{{x}}2' } },
      { id: 'c', type: 'setVariable', data: { variable: 'x', value: '3' } },
    ],
    [
      ['s', 'next', 'a'],
      ['a', 'next', 'b'],
      ['b', 'next', 'c'],
      ['c', 'next', 'a'],
    ],
  ),
};
