import { describe, expect, it } from 'vitest';
import { assignedVariables, findStart, nodeById, outgoing, outgoingAll, reachableFrom } from '../../compiler/flow';
import { flowOf } from './helpers';

const flow = flowOf(
  [
    { id: 's', type: 'start' },
    { id: 'm', type: 'menu', data: { options: [{ digit: '1' }, { digit: '2' }] } },
    { id: 'a', type: 'setVariable', data: { variable: 'x' } },
    { id: 'b', type: 'collectDigits' },
    { id: 'island', type: 'play' },
    { id: 'island2', type: 'hangup' },
    { id: 'a', type: 'hangup' },
  ],
  [
    { id: 'e1', source: 's', sourceHandle: 'next', target: 'm' },
    { id: 'e2', source: 'm', sourceHandle: '1', target: 'a' },
    { id: 'e3', source: 'm', sourceHandle: '1', target: 'b' },
    { id: 'e4', source: 'm', sourceHandle: 'timeout', target: 'nowhere' },
    { id: 'e5', source: 'island', sourceHandle: 'next', target: 'island2' },
  ],
);

describe('graph helpers', () => {
  it('nodeById keeps the first of duplicate ids', () => {
    expect(nodeById(flow).get('a')?.type).toBe('setVariable');
    expect(nodeById(flow).size).toBe(6);
  });

  it('findStart finds the start node, or nothing', () => {
    expect(findStart(flow)?.id).toBe('s');
    expect(findStart(flowOf([{ id: 'p', type: 'play' }]))).toBeUndefined();
  });

  it('outgoing maps handles to targets, first edge winning', () => {
    expect([...outgoing(flow, 'm')]).toEqual([
      ['1', 'a'],
      ['timeout', 'nowhere'],
    ]);
    expect(outgoing(flow, 'b').size).toBe(0);
    expect(outgoingAll(flow).get('m')).toEqual(outgoing(flow, 'm'));
  });

  it('reachableFrom follows edges to known nodes only', () => {
    expect([...reachableFrom(flow, 's')].sort()).toEqual(['a', 'b', 'm', 's']);
    expect([...reachableFrom(flow, 'island')].sort()).toEqual(['island', 'island2']);
    expect(reachableFrom(flow, 'nowhere').size).toBe(0);
  });

  it('reachableFrom terminates on cycles', () => {
    const loop = flowOf(
      [
        { id: 's', type: 'start' },
        { id: 'p', type: 'play' },
        { id: 'q', type: 'play' },
      ],
      [
        { id: '1', source: 's', sourceHandle: 'next', target: 'p' },
        { id: '2', source: 'p', sourceHandle: 'next', target: 'q' },
        { id: '3', source: 'q', sourceHandle: 'next', target: 'p' },
      ],
    );
    expect(reachableFrom(loop, 's').size).toBe(3);
  });

  it('assignedVariables lists what nodes set', () => {
    expect(assignedVariables(flow)).toEqual(['x', 'digits']);
  });
});
