import { describe, expect, it } from 'vitest';
import { analyseFlow } from '../../compiler/generate/graph';
import { immediateDominators, maybeUnsetVariables } from '../../compiler/generate/dominators';
import { cgplOf, flowOf } from './helpers';

const mail = (subject: string) => ({ id: 'mail', type: 'sendEmail', data: { from: 'a@b.com', subject } });

describe('variables that may be unset where a template reads them', () => {
  it('a variable set on every path before the e-mail is not pre-initialised', () => {
    const flow = flowOf(
      [{ id: 'get', type: 'collectDigits' }, mail('Number {{digits}}')],
      [
        ['start', 'next', 'get'],
        ['get', 'done', 'mail'],
        ['get', 'empty', 'mail'],
      ],
    );
    expect(maybeUnsetVariables(flow, analyseFlow(flow))).toEqual([]);
    const code = cgplOf(flow);
    expect(code.indexOf('digits = "";')).toBeGreaterThan(code.indexOf('AcceptCall'));
  });

  it('a variable set on one branch only starts as "" at the top of Main', () => {
    const flow = flowOf(
      [
        { id: 'check', type: 'condition', data: { variable: 'x', operator: 'empty' } },
        { id: 'set', type: 'setVariable', data: { variable: 'note', value: 'was empty' } },
        mail('Note: {{note}}'),
      ],
      [
        ['start', 'next', 'check'],
        ['check', 'true', 'set'],
        ['set', 'next', 'mail'],
        ['check', 'false', 'mail'],
      ],
      { variables: [{ name: 'x', initial: '' }] },
    );
    expect(maybeUnsetVariables(flow, analyseFlow(flow))).toEqual(['note']);
    const code = cgplOf(flow);
    expect(code.indexOf('note = "";')).toBeGreaterThanOrEqual(0);
    expect(code.indexOf('note = "";')).toBeLessThan(code.indexOf('if Length(x)'));
  });

  it('dominators of a diamond: the join is dominated by the branch point, not by either branch', () => {
    const flow = flowOf(
      [
        { id: 'c', type: 'condition', data: { variable: 'x' } },
        { id: 'a', type: 'play' },
        { id: 'b', type: 'play' },
        { id: 'j', type: 'hangup' },
      ],
      [
        ['start', 'next', 'c'],
        ['c', 'true', 'a'],
        ['c', 'false', 'b'],
        ['a', 'next', 'j'],
        ['b', 'next', 'j'],
      ],
    );
    const idom = immediateDominators(analyseFlow(flow));
    expect(idom.get('j')).toBe('c');
    expect(idom.get('a')).toBe('c');
    expect(idom.get('c')).toBe('start');
  });
});

describe('loops back after a hang-up', () => {
  it('"ask again" (empty → the same collect node) stops once the caller has hung up', () => {
    const flow = flowOf(
      [{ id: 'get', type: 'collectDigits' }, mail('Number {{digits}}')],
      [
        ['start', 'next', 'get'],
        ['get', 'done', 'mail'],
        ['get', 'empty', 'get'],
      ],
    );
    expect(cgplOf(flow)).toContain('if IsDisconnectEvent(input) then stop; end if;');
  });
  it('an empty branch that goes on elsewhere is left alone', () => {
    const flow = flowOf(
      [{ id: 'get', type: 'collectDigits' }, mail('Number {{digits}}'), { id: 'sorry', type: 'play' }],
      [
        ['start', 'next', 'get'],
        ['get', 'done', 'mail'],
        ['get', 'empty', 'sorry'],
      ],
    );
    expect(cgplOf(flow)).not.toContain('IsDisconnectEvent');
  });
});
