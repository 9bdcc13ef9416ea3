// The file API never loses or overwrites work by surprise: versions and 409s, only regular files
// (a named pipe never blocks), size caps with one-line errors, broken flows listed with their error,
// stale temp files of killed saves removed, unknown fields dropped; autosaves, drafts and prefs.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, startTestServer, type TestServer } from './helpers';
import { isStaleTemp } from '../../runtime/fs/atomic';

let server: TestServer;
let flowText: string;
const flow = () => JSON.parse(flowText) as Record<string, any>;

function put(path: string, body: unknown, headers: Record<string, string> = {}) {
  return server.api(`/api/file?path=${encodeURIComponent(path)}`, {
    method: 'PUT',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

async function versionOf(path: string): Promise<string> {
  const res = await server.api(`/api/flow?path=${encodeURIComponent(path)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { version: string }).version;
}

beforeAll(async () => {
  server = await startTestServer();
  flowText = await readFile(join(server.workspace, 'callback/flow.json'), 'utf8');
});

afterAll(async () => {
  await server.dispose();
});

describe('saves carry the version they were based on', () => {
  it('a stale If-Match is a 409 naming the change, and the file keeps the other save', async () => {
    await put('mine/a/flow.json', flow(), { 'If-None-Match': '*' });
    const base = await versionOf('mine/a/flow.json');
    const first = await put('mine/a/flow.json', { ...flow(), description: 'tab one' }, { 'If-Match': `"${base}"` });
    expect(first.status).toBe(200);
    const saved = (await first.json()) as { version: string };
    expect(saved.version).not.toBe(base);
    expect(saved.version).toBe(await versionOf('mine/a/flow.json'));

    const second = await put('mine/a/flow.json', { ...flow(), description: 'tab two' }, { 'If-Match': `"${base}"` });
    expect(second.status).toBe(409);
    const body = (await second.json()) as { error: string; conflict: { reason: string; version: string } };
    expect(body.error).toMatch(/^mine\/a\/flow\.json was changed on disk/);
    expect(body.conflict).toMatchObject({ reason: 'changed', version: saved.version });
    expect(JSON.parse(await readFile(join(server.workspace, 'mine/a/flow.json'), 'utf8')).description).toBe('tab one');

    // Overwriting on purpose: the version the 409 named.
    const forced = await put('mine/a/flow.json', { ...flow(), description: 'tab two' }, { 'If-Match': saved.version });
    expect(forced.status).toBe(200);
  });

  it('If-None-Match: * creates, and refuses an existing file with 409 "exists"', async () => {
    const created = await put('mine/b/flow.json', flow(), { 'If-None-Match': '*' });
    expect(created.status).toBe(200);
    const again = await put('mine/b/flow.json', { ...flow(), name: 'other' }, { 'If-None-Match': '*' });
    expect(again.status).toBe(409);
    const body = (await again.json()) as { error: string; conflict: { reason: string; version: string } };
    expect(body.error).toBe('mine/b/flow.json already exists: replace it, or save under another name');
    expect(body.conflict.reason).toBe('exists');
    expect(JSON.parse(await readFile(join(server.workspace, 'mine/b/flow.json'), 'utf8')).name).toBe(flow().name);
  });

  it('two saves of the same base at once: exactly one wins, the other is told', async () => {
    await put('mine/c/flow.json', flow(), { 'If-None-Match': '*' });
    const base = await versionOf('mine/c/flow.json');
    const answers = await Promise.all(
      ['x', 'y', 'z'].map((d) => put('mine/c/flow.json', { ...flow(), description: d }, { 'If-Match': base })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409]);
  });

  it('a save drops the fields the schema does not know (docs/flow-format.md)', async () => {
    const doc = flow();
    doc.extra = { secret: 1 };
    doc.nodes[0].junk = 'x';
    const res = await put('mine/d/flow.json', doc);
    expect(res.status).toBe(200);
    const saved = JSON.parse(await readFile(join(server.workspace, 'mine/d/flow.json'), 'utf8'));
    expect(saved).not.toHaveProperty('extra');
    expect(saved.nodes[0]).not.toHaveProperty('junk');
    expect(saved.nodes.length).toBe(doc.nodes.length);
  });
});

describe('only regular files', () => {
  it('a named pipe is refused at once by every route, and the server keeps answering', async () => {
    execFileSync('mkfifo', [join(server.workspace, 'pipe.json')]);
    execFileSync('mkfifo', [join(server.workspace, 'pipe.wav')]);
    await mkdir(join(server.workspace, 'piped'), { recursive: true });
    execFileSync('mkfifo', [join(server.workspace, 'piped', 'flow.json')]);
    const started = Date.now();
    for (const path of ['/api/file?path=pipe.json', '/api/flow?path=pipe.json', '/api/audio?path=pipe.wav']) {
      const res = await server.api(path);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/is not a regular file/);
    }
    const over = await put('piped/flow.json', flow());
    expect(over.status).toBe(400);
    expect(((await over.json()) as { error: string }).error).toBe(
      'piped/flow.json is not a regular file (a pipe, socket or device): not read',
    );
    const files = await server.api('/api/files');
    expect(files.status).toBe(200);
    expect(((await files.json()) as { files: { path: string }[] }).files.map((f) => f.path)).not.toContain('pipe.json');
    expect((await server.api('/api/info')).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('size caps and broken flows', () => {
  it('a flow over the cap is refused in one line and listed with the reason; a JSON error is listed with line:col', async () => {
    const workspace = await makeWorkspace();
    const small = await startTestServer({ workspace, maxFlowBytes: 2000 });
    try {
      await writeFile(join(workspace, 'broken.json'), '{\n  "format": "ivr-studio/flow@1",\n  "name": oops\n}\n');
      const res = await small.api('/api/flow?path=callback/flow.json');
      expect(res.status).toBe(413);
      const error = ((await res.json()) as { error: string }).error;
      expect(error).toMatch(
        /^callback\/flow\.json is [\d.]+ KB, more than the 2 KB limit for flows \(serve --max-flow-size\)$/,
      );
      expect(error).not.toContain('\n');
      const { files } = (await (await small.api('/api/files')).json()) as {
        files: { path: string; error?: string }[];
      };
      const byPath = Object.fromEntries(files.map((f) => [f.path, f]));
      expect(byPath['callback/flow.json']?.error).toMatch(/more than the 2 KB limit/);
      expect(byPath['broken.json']?.error).toMatch(/^3:\d+: invalid JSON/);
      const big = await small.json('/api/file?path=big/flow.json', { ...flow(), description: 'x'.repeat(5000) }, 'PUT');
      expect(big.status).toBe(413);
      expect(((await big.json()) as { error: string }).error).toMatch(
        /more than the limit for flows, big\/flow\.json was not written/,
      );
      expect(existsSync(join(workspace, 'big'))).toBe(false);
    } finally {
      await small.dispose();
    }
  });
});

describe('temp files of killed saves', () => {
  it('are removed when the server starts; a temp file of a live writer stays', async () => {
    const workspace = await makeWorkspace();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const stale = join(workspace, 'callback', `.flow.json.${dead}.0badcafe.tmp`);
    const old = join(workspace, `.x.json.${process.pid}.12345678.tmp`);
    const live = join(workspace, 'callback', `.flow.json.${process.pid}.deadbeef.tmp`);
    for (const f of [stale, old, live]) await writeFile(f, 'half a flow');
    const hourAgo = new Date(Date.now() - 2 * 3600 * 1000);
    await utimes(old, hourAgo, hourAgo);
    const s = await startTestServer({ workspace });
    try {
      await expect.poll(() => existsSync(stale) || existsSync(old), { timeout: 5000 }).toBe(false);
      expect(existsSync(live)).toBe(true);
      expect(isStaleTemp('flow.json', 0)).toBe(false);
    } finally {
      await s.dispose();
    }
  });
});

describe('autosaves, drafts and preferences', () => {
  it('an autosave is kept by the server, listed, and removed', async () => {
    const doc = { ...flow(), description: 'unsaved' };
    const putRes = await server.json('/api/autosave?path=callback/flow.json', { doc, base: 'v1' }, 'PUT');
    expect(putRes.status).toBe(200);
    const got = ((await (await server.api('/api/autosave?path=callback/flow.json')).json()) as { autosave: unknown })
      .autosave;
    expect(got).toMatchObject({ path: 'callback/flow.json', base: 'v1', doc: { description: 'unsaved' } });
    const { autosaves } = (await (await server.api('/api/autosaves')).json()) as { autosaves: { path: string }[] };
    expect(autosaves.map((a) => a.path)).toContain('callback/flow.json');
    await server.api('/api/autosave?path=callback/flow.json', { method: 'DELETE' });
    expect(await (await server.api('/api/autosave?path=callback/flow.json')).json()).toEqual({ autosave: null });
    expect((await server.api('/api/autosave?path=../etc/passwd')).status).toBe(400);
  });

  it('a draft from a sample carries its prompts; the first save moves them beside the flow', async () => {
    const res = await server.json('/api/draft', { sample: 'callback' });
    expect(res.status).toBe(200);
    const draft = (await res.json()) as { id: string; path: string; flow: { name: string; prompts: object } };
    expect(draft.flow.name).toBe('callback');
    expect(draft.path).toBe(`.ivr-studio/drafts/${draft.id}/flow.json`);
    const dir = join(server.workspace, '.ivr-studio', 'drafts', draft.id);
    expect(await readdir(dir)).toContain('CallbackBusy.wav');
    const again = await server.api(`/api/file?path=cb2/flow.json&draft=${draft.id}`, {
      method: 'PUT',
      body: JSON.stringify(draft.flow),
      headers: { 'Content-Type': 'application/json', 'If-None-Match': '*' },
    });
    expect(again.status).toBe(200);
    expect((await stat(join(server.workspace, 'cb2', 'CallbackBusy.wav'))).isFile()).toBe(true);
    expect(existsSync(join(server.workspace, 'cb2', 'russian'))).toBe(true);
    expect(existsSync(dir)).toBe(false);
    const problems = (await (
      await server.json('/api/validate', { flow: draft.flow, path: 'cb2/flow.json' })
    ).json()) as { problems: { severity: string }[] };
    expect(problems.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('GET /api/samples lists the templates; preferences round-trip', async () => {
    const { samples } = (await (await server.api('/api/samples')).json()) as { samples: { id: string }[] };
    expect(samples.map((s) => s.id)).toEqual(['callback', 'autosecretary']);
    expect((await server.json('/api/prefs', { theme: 'dark', panels: { left: 20 } }, 'PUT')).status).toBe(200);
    expect(await (await server.api('/api/prefs')).json()).toEqual({ prefs: { theme: 'dark', panels: { left: 20 } } });
    expect((await server.json('/api/prefs', [1], 'PUT')).status).toBe(400);
  });
});
