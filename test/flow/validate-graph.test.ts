import { describe, expect, it } from 'vitest';
import { validateFlow } from '../../compiler/flow';
import { about, errors, flowOf, warnings } from './helpers';

const start = { id: 's', type: 'start' };
const end = { id: 'end', type: 'hangup' };
const edge = (id: string, source: string, sourceHandle: string, target: string) => ({
  id,
  source,
  sourceHandle,
  target,
});

describe('validateFlow: graph', () => {
  it('accepts start → hangup with no problems', () => {
    expect(validateFlow(flowOf([start, end], [edge('e', 's', 'next', 'end')]))).toEqual([]);
  });

  it('reports a flow without a start node', () => {
    const problems = validateFlow(flowOf([end]));
    expect(errors(problems)).toEqual([
      { severity: 'error', code: 'FLOW310', message: 'the flow has no start node', field: 'nodes' },
    ]);
  });

  it('reports every extra start node', () => {
    const problems = validateFlow(
      flowOf(
        [start, { id: 's2', type: 'start' }, end],
        [edge('e', 's', 'next', 'end'), edge('f', 's2', 'next', 'end')],
      ),
    );
    expect(errors(problems)).toEqual([
      expect.objectContaining({
        nodeId: 's2',
        field: 'type',
        message: 'several start nodes (s, s2); a flow has exactly one',
      }),
    ]);
  });

  it('reports duplicate node ids', () => {
    const problems = validateFlow(flowOf([start, end, { id: 'end', type: 'play' }], [edge('e', 's', 'next', 'end')]));
    expect(about(errors(problems), 'end', 'id')).toEqual([
      expect.objectContaining({ nodeType: 'play', message: "duplicate node id 'end'" }),
    ]);
  });

  it('reports edges from and to unknown nodes', () => {
    const problems = validateFlow(
      flowOf(
        [start, end],
        [edge('e', 's', 'next', 'end'), edge('x', 'ghost', 'next', 'end'), edge('y', 's', 'next', 'ghost2')],
      ),
    );
    expect(errors(problems)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ edgeId: 'x', field: 'source', message: "edge from unknown node 'ghost'" }),
        expect.objectContaining({ edgeId: 'y', field: 'target', message: "edge to unknown node 'ghost2'" }),
      ]),
    );
  });

  it('reports an edge from a handle the node does not have', () => {
    const problems = validateFlow(flowOf([start, end], [edge('e', 's', 'done', 'end')]));
    expect(errors(problems)).toEqual([
      {
        severity: 'error',
        code: 'FLOW310',
        edgeId: 'e',
        nodeId: 's',
        nodeType: 'start',
        field: 'sourceHandle',
        message: "no output named 'done' (its outputs: next)",
      },
    ]);
  });

  it('reports edges from the outputs of a hangup', () => {
    const problems = validateFlow(
      flowOf([start, end], [edge('e', 's', 'next', 'end'), edge('f', 'end', 'next', 'end')]),
    );
    expect(errors(problems)[0]?.message).toBe("no output named 'next' (its outputs: none)");
  });

  it('reports several edges from one handle', () => {
    const problems = validateFlow(
      flowOf(
        [start, end, { id: 'h2', type: 'hangup' }],
        [edge('e1', 's', 'next', 'end'), edge('e2', 's', 'next', 'h2')],
      ),
    );
    expect(errors(problems)).toEqual([
      expect.objectContaining({
        edgeId: 'e2',
        nodeId: 's',
        field: 'sourceHandle',
        message: "output 'next' is already connected by edge e1; an output leads to one node",
      }),
    ]);
  });

  it('reports edges into the start node', () => {
    const problems = validateFlow(
      flowOf([start, { id: 'p', type: 'play' }], [edge('e1', 's', 'next', 'p'), edge('e2', 'p', 'next', 's')]),
    );
    expect(errors(problems)).toEqual([expect.objectContaining({ edgeId: 'e2', nodeId: 's', field: 'target' })]);
  });

  it('warns about unreachable nodes, and not about their outputs', () => {
    const problems = validateFlow(flowOf([start, end, { id: 'lost', type: 'play' }], [edge('e', 's', 'next', 'end')]));
    expect(problems).toEqual([
      {
        severity: 'warning',
        code: 'FLOW311',
        nodeId: 'lost',
        nodeType: 'play',
        field: 'id',
        message: 'unreachable from the start node',
      },
    ]);
  });

  it('warns about unconnected outputs, saying the call ends', () => {
    const problems = validateFlow(
      flowOf(
        [start, { id: 'c', type: 'collectDigits' }, end],
        [edge('e', 's', 'next', 'c'), edge('f', 'c', 'done', 'end')],
      ),
    );
    expect(warnings(problems)).toEqual([
      {
        severity: 'warning',
        code: 'FLOW312',
        nodeId: 'c',
        nodeType: 'collectDigits',
        field: 'outputs.empty',
        message: "output 'empty' is not connected: the call ends (stop)",
      },
    ]);
    expect(errors(problems)).toEqual([]);
  });

  it('accepts hangup and transfer nodes as ends', () => {
    const problems = validateFlow(
      flowOf([start, { id: 't', type: 'transfer', data: { target: 'operator' } }], [edge('e', 's', 'next', 't')]),
    );
    expect(problems).toEqual([]);
  });
});
