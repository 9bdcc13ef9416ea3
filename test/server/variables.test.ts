// The debugger's variables view over the WebSocket: call.paused carries the CG/PL frame's variables.
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

async function startCall(breakpoints: string[]): Promise<Message> {
  const before = socket.messages.length;
  socket.send({ type: 'call.start', flow, path: 'callback/flow.json', breakpoints });
  const started = await socket.waitFor((m) => socket.messages.indexOf(m) >= before && (m.type === 'call.started' || m.type === 'call.error'), 8000, 'call.started');
  expect(started.type).toBe('call.started');
  return started;
}

/** The n-th call.paused of the call (0-based). */
function nthPause(callId: unknown, n: number): Promise<Message> {
  const pauses = () => socket.messages.filter((m) => m.type === 'call.paused' && m.callId === callId);
  return socket.waitFor((m) => pauses().indexOf(m) === n, 8000, `pause #${n}`);
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
    socket.send({ type: 'call.breakpoints', callId, breakpoints: [`line:${exitLine}`] });
    socket.send({ type: 'call.continue', callId });
    await socket.waitFor((m) => m.type === 'call.resumed' && m.callId === callId, 8000, 'call.resumed');
    await socket.waitFor(isTrace(callId, 'waiting'), 8000, 'waiting');
    socket.send({ type: 'call.dtmf', callId, digits: '42#' });

    const first = await nthPause(callId, 1);
    expect(first.line).toBe(exitLine);
    expect(first.nodeId).toBe('number');
    expect(first.variables).toMatchObject({ digits: '', input: '4' });
    socket.send({ type: 'call.continue', callId });
    expect((await nthPause(callId, 2)).variables).toMatchObject({ digits: '4', input: '2' });
    socket.send({ type: 'call.continue', callId });
    expect((await nthPause(callId, 3)).variables).toMatchObject({ digits: '42', input: '#' });

    // Free run to the end: the e-mail carries the same digits.
    socket.send({ type: 'call.breakpoints', callId, breakpoints: [] });
    socket.send({ type: 'call.continue', callId });
    const ended = await socket.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 8000, 'call.ended');
    expect(ended.error).toBeUndefined();
    await socket.waitFor((m) => m.type === 'outbox.changed' && String((m.entry as { subject: string }).subject).includes('42'), 8000, 'outbox.changed');
  });

  it('a requested pause while waiting for input shows the key just read', async () => {
    const { callId } = await startCall([]);
    await socket.waitFor(isTrace(callId, 'waiting'), 8000, 'waiting');
    socket.send({ type: 'call.pause', callId });
    socket.send({ type: 'call.dtmf', callId, digits: '7' });
    const paused = await nthPause(callId, 0);
    expect(paused.variables).toMatchObject({ input: '7' });
    expect(Object.keys(paused.variables as object)).toContain('digits');
    socket.send({ type: 'call.hangup', callId });
    await socket.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 8000, 'call.ended');
  });
});
