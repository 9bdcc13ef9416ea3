// A designer test call of a flow with a Connect transfer: the helper task rings the phone (as the
// Phone panel's phone overrides say) and bridges the caller; the program runs on the server thread.
import { describe, expect, it } from 'vitest';
import { isTrace, useLiveSession } from './helpers';

const live = useLiveSession();

describe('a test call that rings a colleague', () => {
  it('1 in the autosecretary menu rings ivanov and bridges the caller; hanging up ends both', async () => {
    const opened = (await (await live.server.api('/api/flow?path=autosecretary/flow.json')).json()) as {
      flow: unknown;
    };
    const started = await live.startCall({
      flow: opened.flow,
      path: 'autosecretary/flow.json',
      account: 'pbx',
      at: '2026-11-25T11:00:00+03:00',
      parties: { ivanov: { status: 'answers', ringSeconds: 0 } },
    });
    expect(started.type).toBe('call.started');
    const callId = started.callId;
    await live.socket.waitFor(isTrace(callId, 'waiting'), 15_000, 'the menu waits');
    live.socket.send({ type: 'call.dtmf', callId, digits: '1' });
    const bridged = await live.socket.waitFor(
      (m) => isTrace(callId, 'bridge')(m) && (m.event as { task?: string }).task === undefined,
      15_000,
      'bridged',
    );
    expect((bridged.event as { state: string }).state).toBe('started');
    const legs = live.socket.messages.filter(isTrace(callId, 'leg')).map((m) => (m.event as { state: string }).state);
    expect(legs).toContain('answered');
    live.socket.send({ type: 'call.hangup', callId });
    const ended = await live.socket.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 15_000, 'ended');
    expect(ended.endedBy).toBe('caller');
    expect(ended.error).toBeUndefined();
  });
});
