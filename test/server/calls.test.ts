// Live test calls over the WebSocket, on the real clock (the workspace's prompts are 0.1 s long).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTrace, startTestServer, TestSocket, type Message, type TestServer } from './helpers';

let server: TestServer;
let socket: TestSocket;
let flow: unknown;

beforeAll(async () => {
  server = await startTestServer();
  socket = await TestSocket.open(server);
  flow = JSON.parse(await readFile(join(server.workspace, 'callback/flow.json'), 'utf8'));
});

afterAll(async () => {
  socket.close();
  await server.dispose();
});

async function startCall(extra: Record<string, unknown> = {}, on = socket): Promise<Message> {
  const before = on.messages.length;
  on.send({ type: 'call.start', flow, path: 'callback/flow.json', ...extra });
  return on.waitFor((m) => on.messages.indexOf(m) >= before && (m.type === 'call.started' || m.type === 'call.error'), 8000, 'call.started');
}

describe('a test call of the callback flow', () => {
  it('plays, waits, takes the number, e-mails it and ends', async () => {
    const started = await startCall();
    expect(started.type).toBe('call.started');
    const callId = started.callId;
    expect(started.sppr).toContain('entry Main is');
    expect((started.sourceMap as { lines: unknown[] }).lines.length).toBeGreaterThan(0);

    const prompt = await socket.waitFor(isTrace(callId, 'prompt-started'), 8000, 'prompt-started');
    expect((prompt.event as { audio: string }).audio).toMatch(/^callback\/(russian\/)?CallbackBusy\.wav$/);
    await socket.waitFor(isTrace(callId, 'waiting'), 8000, 'waiting');
    socket.send({ type: 'call.dtmf', callId, digits: '5551234#' });

    const ended = await socket.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 8000, 'call.ended');
    expect(ended.endedBy).toBe('program');
    expect(ended.error).toBeUndefined();
    const changed = await socket.waitFor((m) => m.type === 'outbox.changed' && String((m.entry as { subject: string }).subject).includes('5551234'), 8000, 'outbox.changed');
    expect((changed.entry as { to: string }).to).toContain('ivanov@company.com');
    const digits = socket.messages.filter(isTrace(callId, 'digit')).map((m) => (m.event as { digit: string }).digit).join('');
    expect(digits).toBe('5551234#');

    const { entries } = await (await server.api('/api/outbox')).json();
    expect(entries.some((e: { subject: string }) => e.subject.includes('5551234'))).toBe(true);
  });

  it('tells every socket about the outbox, not only the caller', async () => {
    const other = await TestSocket.open(server);
    try {
      const started = await startCall({ target: 'js' });
      const callId = started.callId;
      await socket.waitFor(isTrace(callId, 'waiting'), 8000, 'waiting (js)');
      socket.send({ type: 'call.dtmf', callId, digits: '777#' });
      await other.waitFor((m) => m.type === 'outbox.changed' && String((m.entry as { subject: string }).subject).includes('777'), 8000, 'outbox.changed on the other socket');
      await socket.waitFor((m) => m.type === 'call.ended' && m.callId === callId);
    } finally {
      other.close();
    }
  });

  it('ends when the caller hangs up', async () => {
    const { callId } = await startCall();
    await socket.waitFor(isTrace(callId, 'waiting'));
    socket.send({ type: 'call.hangup', callId });
    const ended = await socket.waitFor((m) => m.type === 'call.ended' && m.callId === callId);
    expect(ended.endedBy).toBe('caller');
  });
});

describe('the debugger', () => {
  it('pauses at a node breakpoint, and continue resumes', async () => {
    const { callId } = await startCall({ breakpoints: ['number'] });
    const paused = await socket.waitFor((m) => m.type === 'call.paused' && m.callId === callId, 8000, 'call.paused');
    expect(paused.nodeId).toBe('number');
    expect(paused.line).toBeGreaterThan(0);
    expect(paused.variables).toMatchObject({ digits: null });
    // Paused before the node's first statement: the program is not waiting for input.
    await new Promise((r) => setTimeout(r, 300));
    expect(socket.messages.some(isTrace(callId, 'waiting'))).toBe(false);
    socket.send({ type: 'call.continue', callId });
    await socket.waitFor(isTrace(callId, 'waiting'), 8000, 'waiting after continue');
    socket.send({ type: 'call.hangup', callId });
    await socket.waitFor((m) => m.type === 'call.ended' && m.callId === callId);
  });

  it('steps line by line, stops at line breakpoints, and takes new breakpoints', async () => {
    const started = await startCall({ breakpoints: ['line:5'] });
    const callId = started.callId;
    const lines = (started.sourceMap as { lines: (string | null)[] }).lines;
    const pausedAt = async (n: number) => (await socket.waitFor((m) => m.type === 'call.paused' && m.callId === callId && socket.messages.filter((x) => x.type === 'call.paused' && x.callId === callId).indexOf(m) === n, 8000, `pause #${n}`)).line;
    expect(await pausedAt(0)).toBe(5);
    socket.send({ type: 'call.step', callId });
    expect(await pausedAt(1)).toBe(6);
    socket.send({ type: 'call.breakpoints', callId, breakpoints: [] });
    socket.send({ type: 'call.continue', callId });
    await socket.waitFor(isTrace(callId, 'waiting'));
    // A pause asked for while the program waits for input stops the statement after ReadInput.
    socket.send({ type: 'call.pause', callId });
    socket.send({ type: 'call.dtmf', callId, digits: '12#' });
    const requested = await socket.waitFor((m) => m.type === 'call.paused' && m.callId === callId && m.nodeId === 'number', 8000, 'requested pause');
    expect(requested.line).toBeGreaterThan(11);
    socket.send({ type: 'call.breakpoints', callId, breakpoints: ['trailer'] });
    socket.send({ type: 'call.continue', callId });
    const atTrailer = await socket.waitFor((m) => m.type === 'call.paused' && m.callId === callId && m.nodeId === 'trailer', 8000, 'pause at trailer');
    expect(lines[(atTrailer.line as number) - 1]).toBe('trailer');
    socket.send({ type: 'call.hangup', callId });
    await socket.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 8000, 'end after hang-up while paused');
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
    const count = () => socket.messages.filter((m) => m.type === 'error').length;
    const before = count();
    socket.send('{not json');
    socket.send({ type: 'call.fly' });
    socket.send({ type: 'call.dtmf', callId: 'call-nope', digits: '1' });
    socket.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await socket.waitFor(() => count() >= before + 4, 4000, 'four errors');
    expect((await server.api('/api/info')).status).toBe(200);
  });

  it('hangs up the calls of a socket that closes', async () => {
    const other = await TestSocket.open(server);
    const { callId } = await startCall({}, other);
    await other.waitFor(isTrace(callId, 'waiting'));
    other.close();
    // The server stays up and can start another call.
    const again = await startCall();
    expect(again.type).toBe('call.started');
    socket.send({ type: 'call.hangup', callId: again.callId });
    await socket.waitFor((m) => m.type === 'call.ended' && m.callId === again.callId);
  });
});
