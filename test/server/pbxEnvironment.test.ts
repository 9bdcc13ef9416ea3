// A flow folder with a pbx.json: the designer gets the folder's environment as the flow's, and saving
// the flow writes the environment back to pbx.json, not into flow.json.
import { readFile } from 'node:fs/promises';
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
