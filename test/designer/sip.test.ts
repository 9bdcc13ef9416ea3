// Live SIP in the designer: sip.* messages → call store (calls, ladder, canvas highlight), the Start
// button's save-first rule, and the section's markup.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ApiClient, ServerMessage } from '../../designer/api/client';
import { runAction } from '../../designer/actions';
import { whenOpened, type UiState } from '../../designer/store/uiStore';
import { createStore } from 'zustand/vanilla';
import { createCallStore, reduceServerMessage, type CallState, type CallStore } from '../../designer/call/callStore';
import { MAX_SIP_CALLS, selectSipCall, type SipServerMessage } from '../../designer/call/sipCalls';
import type { SipPort } from '../../designer/call/session';
import { AppContext } from '../../designer/hooks/useApp';
import { LiveSip, ladderArrow, startLiveSip } from '../../designer/panels/LiveSip';
import type { TraceEvent } from '../../runtime/call/trace';
import { callbackFlow, testContext } from './helpers';
import { settled } from '../helpers/waitFor';

const ev = (body: object, t = 0) => ({ ...body, t, wall: '2026-01-01T00:00:00.000Z' }) as TraceEvent;
const entry = (dir: 'in' | 'out', firstLine: string, t = 0) => ({
  dir,
  t,
  wall: '',
  firstLine,
  peer: 'udp 127.0.0.1:5061',
  text: `${firstLine}\r\nCall-ID: x\r\n\r\n`,
});

function harness(store: CallStore = createCallStore()) {
  const apply = (m: SipServerMessage | ServerMessage) =>
    store.getState().set(reduceServerMessage(store.getState(), m as ServerMessage, 0));
  return { store, apply, s: () => store.getState() };
}

describe('sip.* messages', () => {
  it('follow a call: started, call, messages, nodes, ended; the canvas shows its path', () => {
    const { apply, s } = harness();
    apply({
      type: 'sip.started',
      uri: 'sip:callback@127.0.0.1:5070',
      accounts: ['sip:ivanov@127.0.0.1:5070'],
      path: 'callback/flow.json',
    });
    expect(s().sip).toMatchObject({
      status: 'on',
      uri: 'sip:callback@127.0.0.1:5070',
      path: 'callback/flow.json',
      error: null,
    });
    apply({ type: 'sip.call', callId: 'a', from: 'sip:sipp@127.0.0.1', to: 'sip:callback@127.0.0.1' });
    expect(s().sip.selected).toBe('a');
    apply({ type: 'sip.message', callId: 'a', entry: entry('in', 'INVITE sip:callback@127.0.0.1:5070 SIP/2.0') });
    apply({ type: 'sip.message', callId: 'a', entry: entry('out', 'SIP/2.0 200 OK', 5) });
    apply({ type: 'sip.trace', callId: 'a', event: ev({ kind: 'node', id: 'start' }) });
    apply({ type: 'sip.trace', callId: 'a', event: ev({ kind: 'node', id: 'intro' }) });
    apply({ type: 'sip.trace', callId: 'a', event: ev({ kind: 'digit', digit: '5', source: 'info' }) });
    expect(s().activeNodeId).toBe('intro');
    expect(s().visited).toEqual(['start', 'intro']);
    // A message about a call the page never heard of changes nothing.
    apply({ type: 'sip.trace', callId: 'zzz', event: ev({ kind: 'node', id: 'x' }) });
    const call = s().sip.calls[0]!;
    expect(call.messages.map((m) => m.firstLine)).toEqual([
      'INVITE sip:callback@127.0.0.1:5070 SIP/2.0',
      'SIP/2.0 200 OK',
    ]);
    expect(call.events.map((e) => e.kind)).toEqual(['node', 'node', 'digit']);
    apply({ type: 'sip.ended', callId: 'a', endedBy: 'program' });
    expect(s().sip.calls[0]).toMatchObject({ live: false, endedBy: 'program', activeNodeId: null });
    expect(s().activeNodeId).toBeNull();
    expect(s().visited).toEqual(['start', 'intro']);
    // The simulator's own messages still work and leave the SIP state alone.
    apply({ type: 'call.started', callId: 'c1', sppr: '', sourceMap: null });
    expect(s().status).toBe('running');
    expect(s().sip.calls).toHaveLength(1);
    apply({ type: 'sip.stopped' });
    expect(s().sip).toMatchObject({ status: 'off', uri: null, accounts: [] });
    expect(s().sip.calls).toHaveLength(1);
  });

  it('a running test call keeps the canvas; the SIP call still records its nodes', () => {
    const { apply, s } = harness();
    apply({ type: 'call.started', callId: 'c1', sppr: '', sourceMap: null });
    apply({ type: 'call.trace', callId: 'c1', event: ev({ kind: 'node', id: 'number' }) });
    apply({ type: 'sip.call', callId: 'a', from: 'f', to: 't' });
    apply({ type: 'sip.trace', callId: 'a', event: ev({ kind: 'node', id: 'intro' }) });
    expect(s().activeNodeId).toBe('number');
    expect(s().visited).toEqual(['number']);
    expect(s().sip.calls[0]!.activeNodeId).toBe('intro');
  });

  it("a new call does not steal the selection from a live one; selecting shows that call's path", () => {
    const { apply, s, store } = harness();
    apply({ type: 'sip.call', callId: 'a', from: 'f', to: 't' });
    apply({ type: 'sip.trace', callId: 'a', event: ev({ kind: 'node', id: 'start' }) });
    apply({ type: 'sip.call', callId: 'b', from: 'f', to: 't' });
    apply({ type: 'sip.trace', callId: 'b', event: ev({ kind: 'node', id: 'mail' }) });
    expect(s().sip.selected).toBe('a');
    expect(s().activeNodeId).toBe('start');
    store.getState().set(selectSipCall(s(), 'b'));
    expect(s()).toMatchObject({ activeNodeId: 'mail', visited: ['mail'] });
    store.getState().set(selectSipCall(s(), null));
    expect(s()).toMatchObject({ activeNodeId: null, visited: [] });
    // Once nothing live is watched, the next call is followed.
    apply({ type: 'sip.call', callId: 'c', from: 'f', to: 't' });
    expect(s().sip.selected).toBe('c');
    apply({ type: 'sip.error', error: 'no such file' });
    expect(s().sip).toMatchObject({ status: 'off', error: 'no such file' });
  });

  it('whatever arrives, the list stays bounded and the selection points into it', () => {
    const callId = fc.constantFrom('a', 'b', 'c', 'd');
    const message: fc.Arbitrary<SipServerMessage> = fc.oneof(
      fc.record({
        type: fc.constant('sip.call' as const),
        callId: fc.string({ maxLength: 3 }),
        from: fc.string(),
        to: fc.string(),
      }),
      fc.record({
        type: fc.constant('sip.trace' as const),
        callId,
        event: fc.constantFrom('start', 'intro', 'number').map((id) => ev({ kind: 'node', id })),
      }),
      fc.record({
        type: fc.constant('sip.message' as const),
        callId,
        entry: fc.constant(entry('in', 'INFO sip:x SIP/2.0')),
      }),
      fc.record({
        type: fc.constant('sip.ended' as const),
        callId,
        endedBy: fc.constantFrom('caller', 'program', null),
      }),
      fc.constantFrom<SipServerMessage>(
        { type: 'sip.stopped' },
        { type: 'sip.started', uri: 'sip:x@127.0.0.1:1', accounts: [], path: 'x/flow.json' },
      ),
    );
    fc.assert(
      fc.property(fc.array(message, { maxLength: 80 }), (messages) => {
        const { apply, s } = harness();
        for (const m of messages) apply(m);
        const { calls, selected } = s().sip;
        expect(calls.length).toBeLessThanOrEqual(MAX_SIP_CALLS);
        expect(new Set(calls.map((c) => c.callId)).size).toBe(calls.length);
        if (selected !== null) expect(calls.some((c) => c.callId === selected)).toBe(true);
        const shown = calls.find((c) => c.callId === selected);
        if (shown) expect(s().activeNodeId).toBe(shown.activeNodeId);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Start SIP', () => {
  function withPort(options: Parameters<typeof testContext>[0], confirm: boolean) {
    const ctx = testContext(options);
    const started: string[] = [];
    const port: SipPort = { startSip: async (p) => void started.push(p), stopSip: async () => undefined };
    return {
      ctx: {
        ...ctx,
        calls: {
          ...port,
          start: async () => undefined,
          send: () => undefined,
          dtmf: () => undefined,
          syncBreakpoints: () => undefined,
        },
        confirm: () => confirm,
      },
      started,
    };
  }

  it('starts the saved file; an unsaved flow is saved first, or nothing starts', async () => {
    const saved = withPort({ doc: callbackFlow(), path: 'callback/flow.json' }, false);
    await startLiveSip(saved.ctx);
    expect(saved.started).toEqual(['callback/flow.json']);

    const declined = withPort({ doc: callbackFlow(), path: null }, false);
    await startLiveSip(declined.ctx);
    expect(declined.started).toEqual([]);

    // Agreed, but the save fails (no server here): still nothing runs, and the page says why.
    const failed = withPort({ doc: callbackFlow(), path: null }, true);
    await startLiveSip({ ...failed.ctx, ask: () => 'callback/flow.json' });
    expect(failed.started).toEqual([]);
    expect(failed.ctx.messages().join('\n')).toContain('not connected');
  });
});

describe('Start SIP while the page is still opening its ?file=', () => {
  it('waits for the file instead of asking to save the empty start-up flow', async () => {
    const ctx = testContext();
    const started: string[] = [];
    const questions: string[] = [];
    let deliver!: (doc: unknown) => void;
    const api = {
      openFlow: () =>
        new Promise<unknown>((resolve) => {
          deliver = resolve;
        }),
      listFiles: async () => [],
    } as unknown as ApiClient;
    const port: SipPort = { startSip: async (p) => void started.push(p), stopSip: async () => undefined };
    const page = {
      ...ctx,
      api,
      calls: {
        ...port,
        start: async () => undefined,
        send: () => undefined,
        dtmf: () => undefined,
        syncBreakpoints: () => undefined,
      },
      confirm: (q: string) => (questions.push(q), false),
    };
    const opened = runAction('open', { path: 'callback/flow.json' }, page);
    expect(page.ui.getState().opening).toBe('callback/flow.json');
    const sip = startLiveSip(page);
    await settled();
    expect(questions).toEqual([]);
    expect(started).toEqual([]);
    deliver({
      flow: JSON.parse(readFileSync('samples/callback/flow.json', 'utf8')),
      modified: '2026-01-01T00:00:00.000Z',
    });
    await opened;
    await sip;
    expect(questions).toEqual([]);
    expect(started).toEqual(['callback/flow.json']);
    expect(page.ui.getState().opening).toBeNull();
  });

  it('Call (the simulated call) also waits, and calls the opened file', async () => {
    const ctx = testContext();
    let deliver!: (doc: unknown) => void;
    const api = {
      openFlow: () =>
        new Promise<unknown>((resolve) => {
          deliver = resolve;
        }),
      listFiles: async () => [],
    } as unknown as ApiClient;
    const calledWith: (string | null)[] = [];
    const page = {
      ...ctx,
      api,
      calls: {
        startSip: async () => undefined,
        stopSip: async () => undefined,
        start: async () => void calledWith.push(page.flow.getState().path),
        send: () => undefined,
        dtmf: () => undefined,
        syncBreakpoints: () => undefined,
      },
    };
    const opened = runAction('open', { path: 'callback/flow.json' }, page);
    const call = runAction('startCall', undefined, page);
    await settled();
    expect(calledWith).toEqual([]);
    deliver({
      flow: JSON.parse(readFileSync('samples/callback/flow.json', 'utf8')),
      modified: '2026-01-01T00:00:00.000Z',
    });
    await opened;
    await call;
    expect(calledWith).toEqual(['callback/flow.json']);
  });

  it('disables the button until the file is open', () => {
    const base = testContext();
    // Server rendering reads a store's initial state: hand the page a store that starts opening.
    const ctx = {
      ...base,
      ui: createStore<UiState>()(() => ({ ...base.ui.getState(), opening: 'callback/flow.json' })),
    };
    const html = renderToStaticMarkup(createElement(AppContext.Provider, { value: ctx }, createElement(LiveSip)));
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*data-testid="sip-start"/);
    const idle = renderToStaticMarkup(
      createElement(AppContext.Provider, { value: testContext() }, createElement(LiveSip)),
    );
    expect(idle).not.toMatch(/<button[^>]*disabled=""[^>]*data-testid="sip-start"/);
  });

  it('a failed open releases the wait', async () => {
    const ctx = testContext();
    const api = {
      openFlow: async () => {
        throw new Error('gone');
      },
      listFiles: async () => [],
    } as unknown as ApiClient;
    await runAction('open', { path: 'missing/flow.json' }, { ...ctx, api });
    expect(ctx.ui.getState().opening).toBeNull();
    await whenOpened(ctx.ui);
  });
});

describe('the Live SIP section', () => {
  it('lists the registered phones: from sip.started, each sip.registrations, none once stopped', () => {
    const { apply, store } = harness();
    const phone = {
      account: 'ivanov',
      contact: 'sip:ivanov@127.0.0.1:5080',
      source: 'udp 127.0.0.1:5080',
      userAgent: 'baresip',
      expiresAt: 1,
    };
    apply({
      type: 'sip.started',
      uri: 'sip:autosecretary@127.0.0.1:5070',
      accounts: [],
      path: 'autosecretary/flow.json',
      registrations: [phone],
    });
    expect(store.getState().sip.registrations).toEqual([phone]);
    apply({ type: 'sip.registrations', registrations: [] });
    expect(store.getState().sip.registrations).toEqual([]);
    apply({ type: 'sip.registrations', registrations: [phone, { ...phone, source: 'udp 127.0.0.1:5090' }] });
    const ctx = {
      ...testContext({ doc: callbackFlow(), path: 'callback/flow.json' }),
      call: createStore<CallState>()(() => store.getState()),
    };
    const html = renderToStaticMarkup(createElement(AppContext.Provider, { value: ctx }, createElement(LiveSip)));
    expect(html).toContain('registered: ivanov (udp 127.0.0.1:5080, baresip); ivanov (udp 127.0.0.1:5090, baresip)');
    apply({ type: 'sip.stopped' });
    expect(store.getState().sip.registrations).toEqual([]);
  });

  it("shows the address, the calls and the selected call's ladder", () => {
    const { apply, store } = harness();
    apply({ type: 'sip.started', uri: 'sip:callback@127.0.0.1:5070', accounts: [], path: 'callback/flow.json' });
    apply({ type: 'sip.call', callId: 'a', from: 'sip:sipp@127.0.0.1', to: 'sip:callback@127.0.0.1' });
    apply({ type: 'sip.message', callId: 'a', entry: entry('in', 'INVITE sip:callback@127.0.0.1:5070 SIP/2.0') });
    apply({ type: 'sip.message', callId: 'a', entry: entry('out', 'SIP/2.0 180 Ringing', 3) });
    // Server rendering reads a store's initial state: hand the page a store that starts there.
    const ctx = {
      ...testContext({ doc: callbackFlow(), path: 'callback/flow.json' }),
      call: createStore<CallState>()(() => store.getState()),
    };
    const html = renderToStaticMarkup(createElement(AppContext.Provider, { value: ctx }, createElement(LiveSip)));
    for (const id of ['sip-start', 'sip-stop', 'sip-address', 'sip-calls', 'sip-ladder'])
      expect(html).toContain(`data-testid="${id}"`);
    expect(html).toContain('sip:callback@127.0.0.1:5070');
    expect(html).toContain('INVITE sip:callback@127.0.0.1:5070 ──▶');
    expect(html).toContain('◀── SIP/2.0 180 Ringing');
  });

  it('draws requests from the caller to the right and our messages to the left', () => {
    expect(ladderArrow({ dir: 'in', firstLine: 'BYE sip:x SIP/2.0' })).toBe('BYE sip:x ──▶');
    expect(ladderArrow({ dir: 'out', firstLine: 'SIP/2.0 200 OK' })).toBe('◀── SIP/2.0 200 OK');
  });
});
