// The server never falls over: bad JSON, oversized bodies, random paths, bodies and WS messages.
import fc from 'fast-check';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSavedFlow, startTestServer, TestSocket, type TestServer } from './helpers';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.dispose();
});

const stillUp = async () => expect((await server.api('/api/info')).status).toBe(200);

describe('bad bodies', () => {
  it.each(['/api/validate', '/api/compile', '/api/export', '/api/prompt'])(
    '%s: invalid JSON is 400 with a clear message',
    async (path) => {
      const res = await server.api(path, {
        method: 'POST',
        body: '{"flow": ',
        headers: { 'Content-Type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatch(/not valid JSON/);
      await stillUp();
    },
  );

  it('PUT /api/file with invalid JSON is 400 and writes nothing', async () => {
    const before = await readFile(join(server.workspace, 'callback/flow.json'), 'utf8');
    const res = await server.api('/api/file?path=callback/flow.json', { method: 'PUT', body: '{"format": "ivr' });
    expect(res.status).toBe(400);
    expect(await readFile(join(server.workspace, 'callback/flow.json'), 'utf8')).toBe(before);
  });

  it('an empty body, an array, and a body over 20 MB are refused', async () => {
    expect((await server.api('/api/validate', { method: 'POST', body: '' })).status).toBe(400);
    expect((await server.json('/api/validate', [1])).status).toBe(400);
    const huge = await server.api('/api/validate', { method: 'POST', body: 'x'.repeat(20 * 1024 * 1024 + 1) });
    expect(huge.status).toBe(413);
    await stillUp();
  });

  it('unknown APIs are 404 and wrong methods 405', async () => {
    expect((await server.api('/api/nothing')).status).toBe(404);
    expect((await server.api('/api/info', { method: 'DELETE' })).status).toBe(405);
  });
});

describe('fuzz', () => {
  const paths = [
    '/api/info',
    '/api/files',
    '/api/file',
    '/api/validate',
    '/api/compile',
    '/api/export',
    '/api/audio',
    '/api/prompt',
    '/api/outbox',
    '/api/outbox/message',
    '/',
    '/x/y',
    '/api/ws',
  ];
  const json = fc.oneof(
    fc.jsonValue(),
    fc.record({
      flow: fc.jsonValue(),
      path: fc.oneof(fc.string(), fc.constantFrom('callback/flow.json', '../x', '/etc')),
      target: fc.constantFrom('cgpl', 'js', 1),
      prompt: fc.string(),
      language: fc.string(),
      wavBase64: fc.base64String(),
    }),
  );

  it('random methods, paths, queries and bodies get an HTTP answer, and the server stays up', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        fc.constantFrom(...paths),
        fc.oneof(fc.string(), fc.constantFrom('%2e%2e%2f', '%00', '%', 'callback/flow.json', '..%5c..')),
        fc.oneof(
          json.map((v) => JSON.stringify(v)),
          fc.string(),
          fc.constant(undefined),
        ),
        async (method, path, query, body) => {
          const res = await server.api(`${path}?path=${query}&id=${query}`, {
            method,
            ...(body !== undefined && method !== 'GET' ? { body } : {}),
          });
          expect(res.status).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThan(500);
          await res.arrayBuffer();
        },
      ),
      { numRuns: 100 },
    );
    await stillUp();
  });

  it('random WebSocket messages get an answer or nothing, never a crash', async () => {
    const socket = await TestSocket.open(server);
    const flow = await readSavedFlow(server);
    const message = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record({
          type: fc.constantFrom(
            'call.start',
            'call.dtmf',
            'call.hangup',
            'call.pause',
            'call.continue',
            'call.step',
            'call.breakpoints',
            'x',
          ),
          callId: fc.oneof(fc.string(), fc.integer()),
          digits: fc.oneof(fc.string(), fc.constant('5#')),
          breakpoints: fc.oneof(fc.array(fc.string()), fc.string()),
          flow: fc.oneof(fc.jsonValue(), fc.constant(flow)),
          path: fc.oneof(fc.string(), fc.constant('callback/flow.json')),
          at: fc.string(),
          target: fc.constantFrom('cgpl', 'js', 'x'),
        })
        .map((v) => JSON.stringify(v)),
    );
    try {
      await fc.assert(
        fc.asyncProperty(message, async (text) => {
          socket.send(text);
        }),
        { numRuns: 100 },
      );
      // Hang up whatever the fuzz started, then check both sides still answer.
      for (const m of socket.messages)
        if (m.type === 'call.started') socket.send({ type: 'call.hangup', callId: m.callId });
      socket.send({ type: 'call.hangup', callId: 'none' });
      await socket.waitFor((m) => m.type === 'error' && m.callId === 'none', 8000, 'an answer after the fuzz');
    } finally {
      socket.close();
    }
    await stillUp();
  });
});
