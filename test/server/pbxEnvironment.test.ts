// A flow folder with a pbx.json: the designer gets the folder's environment as the flow's, and saving
// the flow writes the environment back to pbx.json, not into flow.json. The save's version covers
// both files: a pbx.json changed on disk is a 409 like a changed flow.json.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

describe('pbx.json through the file API', () => {
  it("opening the autosecretary gives its folder's accounts; saving puts an edit in pbx.json", async () => {
    const opened = (await (await server.api('/api/flow?path=autosecretary/flow.json')).json()) as {
      flow: Record<string, any>;
    };
    expect(opened.flow.environment.accounts.map((a: { name: string }) => a.name)).toEqual([
      'ivanov',
      'petrov',
      'operator',
      'pbx',
    ]);
    const flow = opened.flow;
    flow.environment.accounts[0].realName = 'Ivan I. Ivanov';
    expect((await server.json('/api/file?path=autosecretary/flow.json', flow, 'PUT')).status).toBe(200);
    const onDisk = JSON.parse(await readFile(join(server.workspace, 'autosecretary/flow.json'), 'utf8'));
    expect(onDisk.environment).toBeUndefined();
    const pbx = JSON.parse(await readFile(join(server.workspace, 'autosecretary/pbx.json'), 'utf8'));
    expect(pbx.format).toBe('ivr-studio/pbx@1');
    expect(pbx.accounts[0].realName).toBe('Ivan I. Ivanov');
    expect(pbx.groups[0].name).toBe('office');
  });

  it('a flow without a pbx.json keeps its environment inline', async () => {
    const opened = (await (await server.api('/api/flow?path=callback/flow.json')).json()) as {
      flow: Record<string, any>;
    };
    expect((await server.json('/api/file?path=callback/flow.json', opened.flow, 'PUT')).status).toBe(200);
    const onDisk = JSON.parse(await readFile(join(server.workspace, 'callback/flow.json'), 'utf8'));
    expect(onDisk.environment.accounts.length).toBeGreaterThan(0);
  });
});

function put(path: string, body: unknown, headers: Record<string, string> = {}) {
  return server.api(`/api/file?path=${encodeURIComponent(path)}`, {
    method: 'PUT',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

async function open(path: string): Promise<{ flow: Record<string, any>; version: string }> {
  const res = await server.api(`/api/flow?path=${encodeURIComponent(path)}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { flow: Record<string, any>; version: string };
}

const pbxOnDisk = async (dir: string) => JSON.parse(await readFile(join(server.workspace, dir, 'pbx.json'), 'utf8'));

describe('the version of a flow with a pbx.json covers both files', () => {
  it('a pbx.json edited on disk since the flow was opened is a 409 naming pbx.json; the edit is kept', async () => {
    const opened = await open('autosecretary/flow.json');
    const pbx = await pbxOnDisk('autosecretary');
    pbx.accounts[1].realName = 'Edited in a text editor';
    await writeFile(join(server.workspace, 'autosecretary/pbx.json'), JSON.stringify(pbx, null, 2));

    opened.flow.environment.accounts[1].realName = 'Edited in the designer';
    const stale = await put('autosecretary/flow.json', opened.flow, { 'If-Match': `"${opened.version}"` });
    expect(stale.status).toBe(409);
    const body = (await stale.json()) as { error: string; conflict: { reason: string; file: string; version: string } };
    expect(body.error).toMatch(/^autosecretary\/pbx\.json was changed on disk/);
    expect(body.conflict).toMatchObject({ reason: 'changed', file: 'autosecretary/pbx.json' });
    expect((await pbxOnDisk('autosecretary')).accounts[1].realName).toBe('Edited in a text editor');

    // Overwriting on purpose (the version the 409 named); the answer's version is the next open's.
    const forced = await put('autosecretary/flow.json', opened.flow, { 'If-Match': `"${body.conflict.version}"` });
    expect(forced.status).toBe(200);
    const saved = (await forced.json()) as { version: string };
    expect((await pbxOnDisk('autosecretary')).accounts[1].realName).toBe('Edited in the designer');
    expect(saved.version).toBe((await open('autosecretary/flow.json')).version);
  });

  it('a changed flow.json is still named as the file that changed', async () => {
    const opened = await open('autosecretary/flow.json');
    const first = await put(
      'autosecretary/flow.json',
      { ...opened.flow, description: 'tab one' },
      {
        'If-Match': `"${opened.version}"`,
      },
    );
    expect(first.status).toBe(200);
    const second = await put(
      'autosecretary/flow.json',
      { ...opened.flow, description: 'tab two' },
      {
        'If-Match': `"${opened.version}"`,
      },
    );
    expect(second.status).toBe(409);
    const body = (await second.json()) as { error: string; conflict: { file: string } };
    expect(body.error).toMatch(/^autosecretary\/flow\.json was changed on disk/);
    expect(body.conflict.file).toBe('autosecretary/flow.json');
  });

  it('a new flow saved into a folder whose pbx.json holds other accounts asks first (409 exists, pbx.json kept)', async () => {
    const callback = (await open('callback/flow.json')).flow;
    const before = await readFile(join(server.workspace, 'autosecretary/pbx.json'), 'utf8');
    const created = await put('autosecretary/callback.json', callback, { 'If-None-Match': '*' });
    expect(created.status).toBe(409);
    const body = (await created.json()) as {
      error: string;
      conflict: { reason: string; file: string; version: string };
    };
    expect(body.conflict).toMatchObject({ reason: 'exists', file: 'autosecretary/pbx.json' });
    expect(body.error).toMatch(/^autosecretary\/pbx\.json already holds that folder's accounts/);
    expect(await readFile(join(server.workspace, 'autosecretary/pbx.json'), 'utf8')).toBe(before);
    await expect(readFile(join(server.workspace, 'autosecretary/callback.json'))).rejects.toThrow(/ENOENT/);

    // "Replace them": the version the 409 named.
    const replaced = await put('autosecretary/callback.json', callback, { 'If-Match': `"${body.conflict.version}"` });
    expect(replaced.status).toBe(200);
    expect((await pbxOnDisk('autosecretary')).domain).toBe(callback.environment.domain);
    await writeFile(join(server.workspace, 'autosecretary/pbx.json'), before);
    await rm(join(server.workspace, 'autosecretary/callback.json'));
  });

  it('a new flow with the same environment as the folder (save as beside it) needs no question', async () => {
    const opened = await open('autosecretary/flow.json');
    const res = await put('autosecretary/copy.json', opened.flow, { 'If-None-Match': '*' });
    expect(res.status).toBe(200);
    expect(
      JSON.parse(await readFile(join(server.workspace, 'autosecretary/copy.json'), 'utf8')).environment,
    ).toBeUndefined();
    await rm(join(server.workspace, 'autosecretary/copy.json'));
  });

  it("a save that sends no environment leaves pbx.json alone (the schema's default is not written there)", async () => {
    const before = await readFile(join(server.workspace, 'autosecretary/pbx.json'), 'utf8');
    const { environment: _none, ...flow } = (await open('autosecretary/flow.json')).flow;
    expect((await put('autosecretary/flow.json', flow)).status).toBe(200);
    expect(await readFile(join(server.workspace, 'autosecretary/pbx.json'), 'utf8')).toBe(before);
  });

  it.skipIf(process.platform === 'win32')(
    'a pbx.json that is a named pipe is refused at once, never read',
    async () => {
      await mkdir(join(server.workspace, 'piped'), { recursive: true });
      await writeFile(
        join(server.workspace, 'piped/flow.json'),
        JSON.stringify((await open('callback/flow.json')).flow),
      );
      execFileSync('mkfifo', [join(server.workspace, 'piped/pbx.json')]);
      const res = await server.api('/api/flow?path=piped/flow.json');
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/piped\/pbx\.json is not a regular file/);
    },
  );
});
