// POST /api/deploy: the designer's deploy, streamed as server-sent events, against the test CLI
// server; bad bodies and paths outside the workspace are refused; closing the stream stops it.
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCliServer, type CliTestServer } from '../deploy/cliServer';
import { SEED_ACCOUNTS } from '../deploy/helpers';
import { startTestServer, type TestServer } from './helpers';

let server: TestServer;
let cg: CliTestServer;
beforeAll(async () => {
  server = await startTestServer();
  cg = await startCliServer({ domains: SEED_ACCOUNTS });
});
afterAll(async () => {
  await cg.close();
  await server.dispose();
});

const body = (more: Record<string, unknown> = {}) => ({
  env: 'callback',
  server: `127.0.0.1:${cg.port}`,
  domain: 'company.com',
  user: 'postmaster',
  password: 'Pw-4-test',
  ...more,
});

async function events(res: Response): Promise<{ event: string; data: any }[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((b) => b.trim() !== '')
    .map((b) => ({ event: /^event: (.*)$/m.exec(b)![1]!, data: JSON.parse(/^data: (.*)$/m.exec(b)![1]!) }));
}

describe('POST /api/deploy', () => {
  it('streams the environment, the conversation, progress per file and the result', async () => {
    const res = await server.json('/api/deploy', body());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const all = await events(res);
    expect(all[0]).toEqual({
      event: 'environment',
      data: expect.objectContaining({ env: 'callback', programs: ['callback'], languages: ['russian'] }),
    });
    expect(all.filter((e) => e.event === 'line').map((e) => e.data.text)).toContain('APOP postmaster <digest>');
    const stored = all.filter((e) => e.event === 'progress' && e.data.type === 'file' && e.data.state === 'stored');
    expect(stored.map((e) => `${e.data.index}/${e.data.total}`)).toEqual(
      Array.from({ length: 15 }, (_, i) => `${i + 1}/15`),
    );
    const last = all.at(-1)!;
    expect(last.event).toBe('done');
    expect(last.data.stored).toHaveLength(15);
    expect(JSON.stringify(all)).not.toContain('Pw-4-test');
    expect(cg.domain('company.com').pbx!.files.size).toBe(15);
  });

  it('ends with a failed event carrying the one-line error', async () => {
    const all = await events(await server.json('/api/deploy', body({ password: 'nope' })));
    expect(all.at(-1)).toEqual({
      event: 'failed',
      data: { error: `127.0.0.1:${cg.port}: login refused: 515 Incorrect password or account name`, stored: [] },
    });
  });

  it('refuses bad bodies and paths outside the workspace before connecting', async () => {
    const bad = async (b: unknown) => {
      const res = await server.json('/api/deploy', b);
      return { status: res.status, error: ((await res.json()) as { error: string }).error };
    };
    expect(await bad(body({ via: 'ftp' }))).toEqual({ status: 400, error: '"via" must be one of pwd, http' });
    expect(await bad(body({ env: '../..' }))).toEqual({ status: 400, error: 'path "../.." is outside the workspace' });
    expect(await bad(body({ dryRun: 'yes' }))).toEqual({ status: 400, error: '"dryRun" must be true or false' });
    const { password: _, ...noPassword } = body();
    expect((await bad(noPassword)).status).toBe(400);
    await symlink('/etc', join(server.workspace, 'escape'));
    expect(await bad(body({ env: 'escape' }))).toEqual({
      status: 400,
      error: 'path "escape" is outside the workspace',
    });
  });

  it('stops before its next command when the client closes the stream', async () => {
    cg.domain('company.com').pbx = null;
    const quits = () => cg.wire.filter((l) => l === 'C: QUIT').length;
    const before = quits();
    const abort = new AbortController();
    const res = await server.api('/api/deploy', {
      method: 'POST',
      body: JSON.stringify(body({ env: '.' })), // both flows: 34 files
      headers: { 'Content-Type': 'application/json' },
      signal: abort.signal,
    });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let seen = '';
    while (!seen.includes('"state":"stored"')) seen += (await reader.read()).value ?? '';
    abort.abort();
    // the deploy says goodbye when it stops
    await expect.poll(quits, { timeout: 10_000 }).toBe(before + 1);
    expect(cg.domain('company.com').pbx!.files.size).toBeLessThan(34);
  });
});
