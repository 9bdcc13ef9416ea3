import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';

let built: TestServer;
let unbuilt: TestServer;
let dist: string;

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'ivr-dist-'));
  await mkdir(join(dist, 'assets'));
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>designer</title>');
  await writeFile(join(dist, 'assets', 'app-1.js'), 'console.log(1)');
  await writeFile(join(dist, 'assets', 'app-1.css'), 'body{}');
  await writeFile(join(dist, 'icon.svg'), '<svg/>');
  built = await startTestServer({ staticDir: dist });
  unbuilt = await startTestServer({ staticDir: join(dist, 'missing') });
});

afterAll(async () => {
  await built.dispose();
  await unbuilt.dispose();
  await rm(dist, { recursive: true, force: true });
});

describe('the built designer', () => {
  it.each([
    ['/', 'text/html; charset=utf-8', '<!doctype html><title>designer</title>'],
    ['/assets/app-1.js', 'text/javascript; charset=utf-8', 'console.log(1)'],
    ['/assets/app-1.css', 'text/css; charset=utf-8', 'body{}'],
    ['/icon.svg', 'image/svg+xml', '<svg/>'],
    ['/flows/callback', 'text/html; charset=utf-8', '<!doctype html><title>designer</title>'],
  ])('GET %s → %s', async (path, type, body) => {
    const res = await fetch(built.url + path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(await res.text()).toBe(body);
  });

  it('hashed assets may be cached for good; the page and other files are checked every time', async () => {
    expect((await fetch(`${built.url}/assets/app-1.js`)).headers.get('cache-control')).toBe(
      'public, max-age=31536000, immutable',
    );
    for (const path of ['/', '/icon.svg', '/flows/callback']) {
      expect((await fetch(built.url + path)).headers.get('cache-control')).toBe('no-cache');
    }
    expect((await fetch(`${built.url}/assets/nope.js`)).headers.get('cache-control')).not.toMatch(/immutable/);
  });

  it('a missing asset is 404, and paths cannot climb out of the folder', async () => {
    expect((await fetch(`${built.url}/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${built.url}/assets/..%2F..%2Fpackage.json`)).status).toBe(400);
    expect((await fetch(`${built.url}/%E0%A4%A`)).status).toBe(400);
  });

  it('the page opened with the token sets the cookie that the API then accepts', async () => {
    const page = await fetch(`${built.url}/?token=${built.token}&file=callback/flow.json`);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(`${built.url}/api/files`, { headers: { Cookie: cookie } })).status).toBe(200);
  });
});

describe('without a built designer', () => {
  it('the page says how to build it, and the API still works', async () => {
    const res = await fetch(unbuilt.url + '/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('npm run build:designer');
    expect((await unbuilt.api('/api/info')).status).toBe(200);
  });
});
