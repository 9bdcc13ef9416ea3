// Live test calls over the WebSocket, on the real clock (the workspace's prompts are 0.1 s long).
import { describe, expect, it } from 'vitest';
import { isTrace, TestSocket, useLiveSession } from './helpers';
import { holdsFor } from '../helpers/waitFor';

const live = useLiveSession();
const { startCall } = live;

describe('a test call of the callback flow', () => {
  it('plays, waits, takes the number, e-mails it and ends', async () => {
    const started = await startCall();
    expect(started.type).toBe('call.started');
    const callId = started.callId;
    expect(started.sppr).toContain('entry Main is');
    expect((started.sourceMap as { lines: unknown[] }).lines.length).toBeGreaterThan(0);

    const prompt = await live.socket.waitFor(isTrace(callId, 'prompt-started'), 8000, 'prompt-started');
    expect((prompt.event as { audio: string }).audio).toMatch(/^callback\/(russian\/)?CallbackBusy\.wav$/);
    await live.socket.waitFor(isTrace(callId, 'waiting'), 8000, 'waiting');
    live.socket.send({ type: 'call.dtmf', callId, digits: '5551234#' });

    const ended = await live.socket.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 8000, 'call.ended');
    expect(ended.endedBy).toBe('program');
    expect(ended.error).toBeUndefined();
    const changed = await live.socket.waitFor(
      (m) => m.type === 'outbox.changed' && String((m.entry as { subject: string }).subject).includes('5551234'),
      8000,
      'outbox.changed',
    );
    expect((changed.entry as { to: string }).to).toContain('ivanov@company.com');
    const digits = live.socket.messages
      .filter(isTrace(callId, 'digit'))
      .map((m) => (m.event as { digit: string }).digit)
      .join('');
    expect(digits).toBe('5551234#');

    const { entries } = await (await live.server.api('/api/outbox')).json();
    expect(entries.some((e: { subject: string }) => e.subject.includes('5551234'))).toBe(true);
  });

  it('tells every socket about the outbox, not only the caller', async () => {
    const other = await TestSocket.open(live.server);
    try {
      const started = await startCall({ target: 'js' });
      const callId = started.callId;
      await live.socket.waitFor(isTrace(callId, 'waiting'), 8000, 'waiting (js)');
      live.socket.send({ type: 'call.dtmf', callId, digits: '777#' });
      await other.waitFor(
        (m) => m.type === 'outbox.changed' && String((m.entry as { subject: string }).subject).includes('777'),
        8000,
        'outbox.changed on the other socket',
      );
      await live.socket.waitFor((m) => m.type === 'call.ended' && m.callId === callId);
    } finally {
      other.close();
    }
  });

  it('ends when the caller hangs up', async () => {
    const { callId } = await startCall();
    await live.socket.waitFor(isTrace(callId, 'waiting'));
    live.socket.send({ type: 'call.hangup', callId });
    const ended = await live.socket.waitFor((m) => m.type === 'call.ended' && m.callId === callId);
    expect(ended.endedBy).toBe('caller');
  });
});

describe('the debugger', () => {
  it('pauses at a node breakpoint, and continue resumes', async () => {
    const { callId } = await startCall({ breakpoints: ['number'] });
    const paused = await live.socket.waitFor(
      (m) => m.type === 'call.paused' && m.callId === callId,
      8000,
      'call.paused',
    );
    expect(paused.nodeId).toBe('number');
    expect(paused.line).toBeGreaterThan(0);
    expect(paused.variables).toMatchObject({ digits: null });
    // Paused before the node's first statement: the program is not waiting for input.
    await holdsFor('no waiting trace while paused', () => !live.socket.messages.some(isTrace(callId, 'waiting')), 300);
    live.socket.send({ type: 'call.continue', callId });
    await live.socket.waitFor(isTrace(callId, 'waiting'), 8000, 'waiting after continue');
    live.socket.send({ type: 'call.hangup', callId });
    await live.socket.waitFor((m) => m.type === 'call.ended' && m.callId === callId);
  });

  it('steps line by line, stops at line breakpoints, and takes new breakpoints', async () => {
    const started = await startCall({ breakpoints: ['line:5'] });
    const callId = started.callId;
    const lines = (started.sourceMap as { lines: (string | null)[] }).lines;
    const pausedAt = async (n: number) =>
      (
        await live.socket.waitFor(
          (m) =>
            m.type === 'call.paused' &&
            m.callId === callId &&
            live.socket.messages.filter((x) => x.type === 'call.paused' && x.callId === callId).indexOf(m) === n,
          8000,
          `pause #${n}`,
        )
      ).line;
    expect(await pausedAt(0)).toBe(5);
    live.socket.send({ type: 'call.step', callId });
    expect(await pausedAt(1)).toBe(6);
    live.socket.send({ type: 'call.breakpoints', callId, breakpoints: [] });
    live.socket.send({ type: 'call.continue', callId });
    await live.socket.waitFor(isTrace(callId, 'waiting'));
    // A pause asked for while the program waits for input stops the statement after ReadInput.
    live.socket.send({ type: 'call.pause', callId });
    live.socket.send({ type: 'call.dtmf', callId, digits: '12#' });
    const requested = await live.socket.waitFor(
      (m) => m.type === 'call.paused' && m.callId === callId && m.nodeId === 'number',
      8000,
      'requested pause',
    );
    expect(requested.line).toBeGreaterThan(11);
    live.socket.send({ type: 'call.breakpoints', callId, breakpoints: ['trailer'] });
    live.socket.send({ type: 'call.continue', callId });
    const atTrailer = await live.socket.waitFor(
      (m) => m.type === 'call.paused' && m.callId === callId && m.nodeId === 'trailer',
      8000,
      'pause at trailer',
    );
    expect(lines[(atTrailer.line as number) - 1]).toBe('trailer');
    live.socket.send({ type: 'call.hangup', callId });
    await live.socket.waitFor(
      (m) => m.type === 'call.ended' && m.callId === callId,
      8000,
      'end after hang-up while paused',
    );
  });
});

describe('bad requests', () => {
  it('answers call.error with problems for a broken flow', async () => {
    const answer = await startCall({ flow: { format: 'ivr-studio/flow@1', nodes: [] } });
    expect(answer.type).toBe('call.error');
    expect(Array.isArray(answer.problems)).toBe(true);
    const outside = await startCall({ path: '../flow.json' });
    expect(outside.type).toBe('call.error');
    expect(outside.error).toMatch(/outside the workspace/);
    const badTime = await startCall({ at: 'yesterday-ish' });
    expect(badTime.error).toMatch(/"at"/);
  });

  it('answers error to messages it does not understand, and to unknown calls', async () => {
    const count = () => live.socket.messages.filter((m) => m.type === 'error').length;
    const before = count();
    live.socket.send('{not json');
    live.socket.send({ type: 'call.fly' });
    live.socket.send({ type: 'call.dtmf', callId: 'call-nope', digits: '1' });
    live.socket.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await live.socket.waitFor(() => count() >= before + 4, 4000, 'four errors');
    expect((await live.server.api('/api/info')).status).toBe(200);
  });

  it('hangs up the calls of a socket that closes', async () => {
    const other = await TestSocket.open(live.server);
    const { callId } = await startCall({}, other);
    await other.waitFor(isTrace(callId, 'waiting'));
    other.close();
    // The live.server stays up and can start another call.
    const again = await startCall();
    expect(again.type).toBe('call.started');
    live.socket.send({ type: 'call.hangup', callId: again.callId });
    await live.socket.waitFor((m) => m.type === 'call.ended' && m.callId === again.callId);
  });
});
