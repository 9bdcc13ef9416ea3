// The debugger's variables view over the WebSocket: call.paused carries the CG/PL frame's variables.
import { describe, expect, it } from 'vitest';
import { isTrace, useLiveSession, type Message } from './helpers';

const live = useLiveSession();

async function startCall(breakpoints: string[]): Promise<Message> {
  const started = await live.startCall({ breakpoints });
  expect(started.type).toBe('call.started');
  return started;
}

/** The n-th call.paused of the call (0-based). */
function nthPause(callId: unknown, n: number): Promise<Message> {
  const pauses = () => live.socket.messages.filter((m) => m.type === 'call.paused' && m.callId === callId);
  return live.socket.waitFor((m) => pauses().indexOf(m) === n, 8000, `pause #${n}`);
}

describe('variables while paused', () => {
  it('shows the digits collected so far at the collectDigits node', async () => {
    const started = await startCall(['number']);
    const callId = started.callId;
    const source = String(started.sppr).split('\n');
    const exitLine = source.findIndex((l) => l.trim().startsWith('exitif')) + 1;
    expect(exitLine).toBeGreaterThan(0);

    // Entering the node: its variables exist but nothing is assigned yet.
    const atNode = await nthPause(callId, 0);
    expect(atNode.nodeId).toBe('number');
    expect(atNode.variables).toMatchObject({ digits: null, input: null });

    // Stop after each key is read: the loop's exitif line.
    live.socket.send({ type: 'call.breakpoints', callId, breakpoints: [`line:${exitLine}`] });
    live.socket.send({ type: 'call.continue', callId });
    await live.socket.waitFor((m) => m.type === 'call.resumed' && m.callId === callId, 8000, 'call.resumed');
    await live.socket.waitFor(isTrace(callId, 'waiting'), 8000, 'waiting');
    live.socket.send({ type: 'call.dtmf', callId, digits: '42#' });

    const first = await nthPause(callId, 1);
    expect(first.line).toBe(exitLine);
    expect(first.nodeId).toBe('number');
    expect(first.variables).toMatchObject({ digits: '', input: '4' });
    live.socket.send({ type: 'call.continue', callId });
    expect((await nthPause(callId, 2)).variables).toMatchObject({ digits: '4', input: '2' });
    live.socket.send({ type: 'call.continue', callId });
    expect((await nthPause(callId, 3)).variables).toMatchObject({ digits: '42', input: '#' });

    // Free run to the end: the e-mail carries the same digits.
    live.socket.send({ type: 'call.breakpoints', callId, breakpoints: [] });
    live.socket.send({ type: 'call.continue', callId });
    const ended = await live.socket.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 8000, 'call.ended');
    expect(ended.error).toBeUndefined();
    await live.socket.waitFor(
      (m) => m.type === 'outbox.changed' && String((m.entry as { subject: string }).subject).includes('42'),
      8000,
      'outbox.changed',
    );
  });

  it('a requested pause while waiting for input shows the key just read', async () => {
    const { callId } = await startCall([]);
    await live.socket.waitFor(isTrace(callId, 'waiting'), 8000, 'waiting');
    live.socket.send({ type: 'call.pause', callId });
    live.socket.send({ type: 'call.dtmf', callId, digits: '7' });
    const paused = await nthPause(callId, 0);
    expect(paused.variables).toMatchObject({ input: '7' });
    expect(Object.keys(paused.variables as object)).toContain('digits');
    live.socket.send({ type: 'call.hangup', callId });
    await live.socket.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 8000, 'call.ended');
  });
});
