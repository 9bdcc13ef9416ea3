// The variables view: call.paused → store → `name = value` rows, and call.resumed leaving the pause.
import fc from 'fast-check';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createCallStore, reduceServerMessage } from '../../designer/call/callStore';
import { formatValue, MAX_VALUE_TEXT, variableRows } from '../../designer/call/formatValue';
import { Variables } from '../../designer/panels/Variables';
import type { ServerMessage } from '../../designer/api/client';

function callStore() {
  const store = createCallStore();
  const apply = (m: ServerMessage) => store.getState().set(reduceServerMessage(store.getState(), m, 0));
  apply({ type: 'call.started', callId: 'c', sppr: '', sourceMap: null });
  return { store, apply };
}

describe('variable rows', () => {
  it('writes each kind of value the server sends', () => {
    const rows = variableRows({
      digits: '42',
      n: 7,
      big: '9007199254740993',
      none: null,
      list: ['x', 3, null],
      dict: { key: ['a'], inner: { k: 1 } },
      blob: '<datablock 3 bytes>',
      deep: '<dictionary of 2>',
      when: '2026-01-01T09:00:00.000Z',
    });
    expect(rows.map((r) => `${r.name} = ${r.value}`)).toEqual([
      'digits = "42"',
      'n = 7',
      'big = "9007199254740993"',
      'none = null',
      'list = ("x", 3, null)',
      'dict = {key=("a");inner={k=1;};}',
      'blob = <datablock 3 bytes>',
      'deep = <dictionary of 2>',
      'when = "2026-01-01T09:00:00.000Z"',
    ]);
  });

  it('cuts long values and ignores variables that are not an object', () => {
    expect(formatValue('x'.repeat(1000))).toHaveLength(MAX_VALUE_TEXT);
    expect(variableRows('digits')).toEqual([]);
    expect(variableRows(['a'])).toEqual([]);
    expect(variableRows(null)).toEqual([]);
  });

  it('never throws and stays short on any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        for (const r of variableRows(v)) expect(r.value.length).toBeLessThanOrEqual(MAX_VALUE_TEXT);
        expect(formatValue(v).length).toBeLessThanOrEqual(MAX_VALUE_TEXT);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the paused state', () => {
  it('keeps the variables of call.paused and leaves the pause on call.resumed', () => {
    const { store, apply } = callStore();
    apply({ type: 'call.paused', callId: 'c', nodeId: 'number', line: 11, variables: { digits: '4', input: '2' } });
    expect(store.getState().status).toBe('paused');
    expect(store.getState().paused?.variables).toEqual({ digits: '4', input: '2' });
    apply({ type: 'call.resumed', callId: 'c' });
    expect(store.getState()).toMatchObject({ status: 'running', paused: null });
    // A stray resume after the call ended does not revive it.
    apply({ type: 'call.ended', callId: 'c', endedBy: 'caller' });
    apply({ type: 'call.resumed', callId: 'c' });
    expect(store.getState().status).toBe('ended');
  });

  it('a malformed variables field gives an empty view, not letters of a string', () => {
    const { store, apply } = callStore();
    apply({
      type: 'call.paused',
      callId: 'c',
      nodeId: null,
      line: 3,
      variables: 'oops' as unknown as Record<string, unknown>,
    });
    expect(store.getState().paused?.variables).toEqual({});
  });

  it('renders name = value rows in the list marked data-testid="variables"', () => {
    const html = renderToStaticMarkup(
      createElement(Variables, { paused: { nodeId: 'number', line: 11, variables: { digits: '42', input: null } } }),
    );
    expect(html).toContain('data-testid="variables"');
    expect(html).toContain('Paused at number, line 11');
    const rows = [
      ...html.matchAll(/<tr data-testid="variable"><td[^>]*>([^<]*)<\/td><td[^>]*>([^<]*)<\/td><\/tr>/g),
    ].map((m) => `${m[1]} ${m[2]}`);
    expect(rows).toEqual(['digits = &quot;42&quot;', 'input = null']);
    const empty = renderToStaticMarkup(
      createElement(Variables, { paused: { nodeId: null, line: null, variables: {} } }),
    );
    expect(empty).toContain('no variables');
  });
});
