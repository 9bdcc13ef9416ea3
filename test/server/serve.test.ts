import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../runtime/cli/main';
import { runServe } from '../../runtime/cli/commands/serve';
import { makeWorkspace } from './helpers';
import { waitFor } from '../helpers/waitFor';
import { SAMPLES_DIR } from '../../runtime/server';
import { defaultWorkspace } from '../../runtime/server/workspace';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

/** Runs the command until its first line is out, checks the server answers, then stops it. */
async function serveOnce(opts: Parameters<typeof runServe>[0]) {
  const { io, out } = capture();
  const stop = new AbortController();
  const running = runServe({ open: false, ...opts }, io, stop.signal);
  await waitFor('the first line', () => out.length > 0);
  const first = out.join('').split('\n')[0]!;
  const url = new URL(first.replace(/^IVR Studio: /, ''));
  const info = await fetch(`${url.origin}/api/info?token=${url.searchParams.get('token')}`);
  stop.abort();
  await running;
  return { first, url, status: info.status, text: out.join('') };
}

describe('ivr-studio serve', () => {
  it('prints the URL with the token first, serves, and stops cleanly', async () => {
    const workspace = await makeWorkspace();
    try {
      const { first, status, text } = await serveOnce({ workspace, outbox: join(workspace, '..', 'outbox') });
      // The workspace has the callback flow: the page opens it.
      expect(first).toMatch(/^IVR Studio: http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}&file=callback\/flow\.json$/);
      expect(status).toBe(200);
      expect(text).toContain('IVR Studio stopped.');
    } finally {
      await rm(join(workspace, '..'), { recursive: true, force: true });
    }
  });

  it('by default works in its own folder (~/IVR Studio), created with copies of the samples, never in samples/', async () => {
    const home = await mkdtemp(join(tmpdir(), 'ivr-serve-home-'));
    const workspace = join(home, 'IVR Studio');
    const before = process.env.IVR_STUDIO_WORKSPACE;
    process.env.IVR_STUDIO_WORKSPACE = workspace;
    try {
      const { first, text } = await serveOnce({ outbox: join(home, 'outbox') });
      expect(first).toMatch(/^IVR Studio: http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}&file=callback\/flow\.json$/);
      expect(text).toContain(`Workspace: ${workspace}`);
      expect(text).toContain(`Created the workspace ${workspace} with the samples`);
      expect(await readFile(join(workspace, 'callback', 'flow.json'), 'utf8')).toBe(
        await readFile(join(SAMPLES_DIR, 'callback', 'flow.json'), 'utf8'),
      );
      // A second start finds it and leaves it alone.
      await writeFile(join(workspace, 'callback', 'flow.json'), '{"mine": true}');
      const again = await serveOnce({ outbox: join(home, 'outbox') });
      expect(again.text).not.toContain('Created the workspace');
      expect(await readFile(join(workspace, 'callback', 'flow.json'), 'utf8')).toBe('{"mine": true}');
    } finally {
      if (before === undefined) delete process.env.IVR_STUDIO_WORKSPACE;
      else process.env.IVR_STUDIO_WORKSPACE = before;
      await rm(home, { recursive: true, force: true });
    }
  });

  it('defaultWorkspace is ~/IVR Studio unless IVR_STUDIO_WORKSPACE says otherwise', () => {
    expect(defaultWorkspace({}, '/home/ann')).toBe(join('/home/ann', 'IVR Studio'));
    expect(defaultWorkspace({ IVR_STUDIO_WORKSPACE: '/srv/flows' }, '/home/ann')).toBe('/srv/flows');
  });

  it('reports a bad port or workspace as one line, exit code 1', async () => {
    const { io, err } = capture();
    expect(await main(['node', 'ivr-studio', 'serve', '--port', 'eighty', '--no-open'], io)).toBe(1);
    expect(err.join('')).toMatch(/--port: expected a port number/);
    expect(await main(['node', 'ivr-studio', 'start', '--workspace', '/no/such/folder', '--no-open'], io)).toBe(1);
    expect(err.join('')).toMatch(/--workspace: no folder/);
  });
});
