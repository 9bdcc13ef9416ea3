import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSavedFlow, startTestServer, upgradeStatus, type TestServer } from './helpers';

let server: TestServer;
let outside: string;

beforeAll(async () => {
  server = await startTestServer();
  outside = await mkdtemp(join(tmpdir(), 'ivr-outside-'));
  await writeFile(join(outside, 'secret.json'), '{"format":"ivr-studio/flow@1"}');
  await writeFile(join(outside, 'secret.wav'), 'RIFF');
  await symlink(join(outside, 'secret.json'), join(server.workspace, 'link.json'));
  await symlink(join(outside, 'secret.wav'), join(server.workspace, 'link.wav'));
  await symlink(outside, join(server.workspace, 'linkdir'));
});

afterAll(async () => {
  await server.dispose();
  await rm(outside, { recursive: true, force: true });
});

describe('the token', () => {
  it('is 32 hex characters', () => {
    expect(server.token).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is required on /api (401 with a JSON error)', async () => {
    const res = await fetch(`${server.url}/api/info`);
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatch(/token/);
    expect((await fetch(`${server.url}/api/info`, { headers: { 'X-IVR-Token': 'f'.repeat(32) } })).status).toBe(401);
    expect((await fetch(`${server.url}/api/info?token=short`)).status).toBe(401);
  });

  it('must be the whole token: a prefix of it, or it with more after, is refused', async () => {
    for (const wrong of [server.token.slice(0, 1), server.token.slice(0, 31), `${server.token}0`]) {
      expect((await fetch(`${server.url}/api/info`, { headers: { 'X-IVR-Token': wrong } })).status, wrong).toBe(401);
      expect((await fetch(`${server.url}/api/info?token=${wrong}`)).status, wrong).toBe(401);
    }
  });

  it('is accepted as a header, a query parameter or the cookie', async () => {
    expect((await fetch(`${server.url}/api/info`, { headers: { 'X-IVR-Token': server.token } })).status).toBe(200);
    expect((await fetch(`${server.url}/api/info?token=${server.token}`)).status).toBe(200);
    expect(
      (await fetch(`${server.url}/api/info`, { headers: { Cookie: `other=1; ivr_token=${server.token}` } })).status,
    ).toBe(200);
  });

  it('is set as an HttpOnly SameSite=Strict cookie by GET /?token=…, and only when right', async () => {
    const good = await fetch(`${server.url}/?token=${server.token}`);
    expect(good.headers.get('set-cookie')).toBe(`ivr_token=${server.token}; HttpOnly; SameSite=Strict; Path=/`);
    const bad = await fetch(`${server.url}/?token=nope`);
    expect(bad.headers.get('set-cookie')).toBeNull();
  });

  it('is required for the WebSocket (401)', async () => {
    const ws = server.url.replace('http', 'ws');
    expect(await upgradeStatus(`${ws}/api/ws`)).toBe(401);
    expect(await upgradeStatus(`${ws}/api/ws?token=wrong`)).toBe(401);
    expect(await upgradeStatus(`${ws}/api/ws?token=${server.token}`)).toBe(0);
    expect(await upgradeStatus(`${ws}/api/ws`, { Cookie: `ivr_token=${server.token}` })).toBe(0);
  });
});

describe('the origin', () => {
  it('refuses a foreign Origin on HTTP (403) but accepts its own', async () => {
    expect((await server.api('/api/info', { headers: { Origin: 'http://evil.example' } })).status).toBe(403);
    expect((await server.api('/api/info', { headers: { Origin: `http://127.0.0.1:${server.port + 1}` } })).status).toBe(
      403,
    );
    expect((await server.api('/api/info', { headers: { Origin: `http://127.0.0.1:${server.port}` } })).status).toBe(
      200,
    );
    expect((await server.api('/api/info', { headers: { Origin: `http://localhost:${server.port}` } })).status).toBe(
      200,
    );
  });

  it('refuses a foreign Origin on the WebSocket upgrade (403), even with the token', async () => {
    const url = `${server.url.replace('http', 'ws')}/api/ws?token=${server.token}`;
    expect(await upgradeStatus(url, { Origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(url, { Origin: `http://localhost:${server.port}` })).toBe(0);
  });

  it('refuses a rebound host name (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: `/api/info?token=${server.token}`,
          headers: { Host: `evil.example:${server.port}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.end();
    });
    expect(status).toBe(403);
  });
});

describe('paths', () => {
  const escapes = [
    '../x.json',
    '../../etc/passwd',
    '/etc/passwd',
    'callback/../../x.json',
    '%2e%2e/x.json',
    'a\\..\\x.json',
    'link.json',
    'linkdir/secret.json',
    'linkdir/new.json',
    'C:/x.json',
  ];

  it.each(
    escapes.flatMap((p) => [
      ['file', p],
      ['flow', p],
    ]),
  )('GET /api/%s refuses %s with 400 "outside the workspace"', async (route, path) => {
    // encodeURIComponent turns "%2e%2e" into "%252e%252e"; send it raw so the server decodes "..".
    const query = path.startsWith('%') ? path : encodeURIComponent(path);
    const res = await server.api(`/api/${route}?path=${query}`);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/outside the workspace/);
  });

  it('refuses NUL in a path', async () => {
    const res = await server.api('/api/file?path=callback%00/flow.json');
    expect(res.status).toBe(400);
  });

  it('refuses escapes on PUT, without writing anything outside', async () => {
    const flow = await readSavedFlow(server);
    for (const path of ['../escaped.json', 'linkdir/escaped.json', 'link.json']) {
      const res = await server.json(`/api/file?path=${encodeURIComponent(path)}`, flow, 'PUT');
      expect(res.status, path).toBe(400);
    }
    expect(await readFile(join(outside, 'secret.json'), 'utf8')).toBe('{"format":"ivr-studio/flow@1"}');
    await expect(readFile(join(outside, 'escaped.json'))).rejects.toThrow();
    await expect(readFile(join(server.workspace, '..', 'escaped.json'))).rejects.toThrow();
  });

  it('refuses escapes on /api/audio, /api/export and /api/prompt', async () => {
    expect((await server.api('/api/audio?path=link.wav')).status).toBe(400);
    expect((await server.api('/api/audio?path=..%2Fx.wav')).status).toBe(400);
    const flow = await readSavedFlow(server);
    expect((await server.json('/api/export', { flow, path: '../flow.json' })).status).toBe(400);
    expect(
      (await server.json('/api/prompt', { path: 'linkdir/flow.json', prompt: 'X', language: 'english', wavBase64: '' }))
        .status,
    ).toBe(400);
  });

  it('refuses a flow whose prompt files point outside the workspace (export)', async () => {
    const flow = await readSavedFlow<{ prompts: Record<string, { files: Record<string, string> }> }>(server);
    flow.prompts.Failure!.files.english = '../../../../etc/passwd';
    const res = await server.json('/api/export', { flow, path: 'callback/flow.json' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.problems.map((p: { message: string }) => p.message).join('\n')).toMatch(/outside the workspace/);
  });
});
