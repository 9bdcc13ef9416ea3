import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../runtime/cli/main';
import { runServe } from '../../runtime/cli/commands/serve';
import { makeWorkspace } from './helpers';
import { waitFor } from '../helpers/waitFor';

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
      expect(first).toMatch(/^IVR Studio: http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}$/);
      expect(status).toBe(200);
      expect(text).toContain('IVR Studio stopped.');
    } finally {
      await rm(join(workspace, '..'), { recursive: true, force: true });
    }
  });

  it('opens the callback sample when the workspace is the samples folder', async () => {
    const outbox = await mkdtemp(join(tmpdir(), 'ivr-serve-outbox-'));
    try {
      const { first } = await serveOnce({ outbox });
      expect(first).toMatch(/^IVR Studio: http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}&file=callback\/flow\.json$/);
    } finally {
      await rm(outbox, { recursive: true, force: true });
    }
  });

  it('reports a bad port or workspace as one line, exit code 1', async () => {
    const { io, err } = capture();
    expect(await main(['node', 'ivr-studio', 'serve', '--port', 'eighty', '--no-open'], io)).toBe(1);
    expect(err.join('')).toMatch(/--port: expected a port number/);
    expect(await main(['node', 'ivr-studio', 'start', '--workspace', '/no/such/folder', '--no-open'], io)).toBe(1);
    expect(err.join('')).toMatch(/--workspace: no folder/);
  });
});
