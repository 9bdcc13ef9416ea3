import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IDLE, createCallStore, pathEdges, reduceServerMessage } from '../../designer/call/callStore';
import { parseServerMessage, readLaunchParams, modifiedMs } from '../../designer/api/client';
import { parseClip } from '../../designer/store/clipboard';
import type { TraceEvent } from '../../runtime/call/trace';

const ev = (body: object, t = 0) => ({ ...body, t, wall: '2026-01-01T00:00:00.000Z' }) as TraceEvent;

describe('call state from server messages', () => {
  it('follows a call: started, nodes, waiting, digits, ended', () => {
    const store = createCallStore();
    const apply = (m: Parameters<typeof reduceServerMessage>[1], now = 1000) =>
      store.getState().set(reduceServerMessage(store.getState(), m, now));
    apply({ type: 'call.started', callId: 'c1', sppr: 'entry Main is end entry;', sourceMap: null });
    expect(store.getState().status).toBe('running');
    apply({ type: 'call.trace', callId: 'c1', event: ev({ kind: 'node', id: 'start' }) });
    apply({ type: 'call.trace', callId: 'c1', event: ev({ kind: 'node', id: 'intro' }) });
    apply({ type: 'call.trace', callId: 'c1', event: ev({ kind: 'waiting', timeout: 20 }) }, 5000);
    expect(store.getState().waitingUntil).toBe(25_000);
    apply({ type: 'call.trace', callId: 'c1', event: ev({ kind: 'digit', digit: '5', source: 'caller' }) });
    expect(store.getState().waitingUntil).toBeNull();
    // Messages about another call are ignored.
    apply({ type: 'call.trace', callId: 'other', event: ev({ kind: 'node', id: 'x' }) });
    expect(store.getState().visited).toEqual(['start', 'intro']);
    expect(store.getState().activeNodeId).toBe('intro');
    apply({ type: 'call.paused', callId: 'c1', nodeId: 'intro', line: 4, variables: { digits: '5' } });
    expect(store.getState().paused).toEqual({ nodeId: 'intro', line: 4, variables: { digits: '5' } });
    apply({ type: 'call.ended', callId: 'c1', endedBy: 'caller' });
    expect(store.getState()).toMatchObject({ status: 'ended', endedBy: 'caller', activeNodeId: null, paused: null });
    expect(store.getState().events).toHaveLength(4);
  });

  it('a call error ends the call with its message; outbox changes replace by id', () => {
    const s = { ...createCallStore().getState() };
    expect(reduceServerMessage(s, { type: 'call.error', error: 'bad flow' }, 0)).toMatchObject({
      ...IDLE,
      status: 'ended',
      error: 'bad flow',
    });
    const entry = {
      id: 'a',
      createdAt: '',
      from: 'f',
      to: 't',
      subject: 's',
      status: 'queued' as const,
      file: 'a.eml',
    };
    const first = reduceServerMessage(s, { type: 'outbox.changed', entry }, 0);
    const second = reduceServerMessage(
      { ...s, ...first },
      { type: 'outbox.changed', entry: { ...entry, status: 'sent' } },
      0,
    );
    expect(second.outbox).toEqual([{ ...entry, status: 'sent' }]);
  });

  it('pathEdges marks the edges between consecutive visited nodes', () => {
    const edges = [
      { id: 'e1', source: 'a', target: 'b' },
      { id: 'e2', source: 'b', target: 'c' },
      { id: 'e3', source: 'a', target: 'c' },
    ];
    expect([...pathEdges(['a', 'b', 'c'], edges)]).toEqual(['e1', 'e2']);
  });
});

describe('client input', () => {
  it('reads the token and file from the page URL', () => {
    expect(readLaunchParams('?token=abc&file=callback%2Fflow.json')).toEqual({
      token: 'abc',
      file: 'callback/flow.json',
    });
    expect(readLaunchParams('')).toEqual({ token: '', file: null });
  });

  it('parses modification times in either form', () => {
    expect(modifiedMs('2026-01-01T00:00:00.000Z')).toBe(Date.UTC(2026, 0, 1));
    expect(modifiedMs(5)).toBe(5);
    expect(modifiedMs('nonsense')).toBeNull();
  });

  it('never throws on arbitrary socket or clipboard text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json()), async (text) => {
        const m = parseServerMessage(text);
        const c = await parseClip(text);
        return (m === null || typeof m.type === 'string') && ('clip' in c || c.error.length > 0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('debugger messages', () => {
  it('call.resumed returns a paused call to running', () => {
    const store = createCallStore();
    const apply = (m: Parameters<typeof reduceServerMessage>[1]) =>
      store.getState().set(reduceServerMessage(store.getState(), m, 0));
    apply({ type: 'call.started', callId: 'c', sppr: '', sourceMap: null });
    apply({ type: 'call.paused', callId: 'c', nodeId: 'mail', line: 9, variables: {} });
    expect(store.getState().status).toBe('paused');
    apply({ type: 'call.resumed', callId: 'c' });
    expect(store.getState()).toMatchObject({ status: 'running', paused: null });
    apply({ type: 'call.ended', callId: 'c', endedBy: null });
    expect(store.getState().status).toBe('ended');
  });
});
