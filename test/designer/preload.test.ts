// index.html starts reading the ?file= before the app's script runs; the API client takes that
// response once, in place of its own request, and reports its errors the same way.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from '../../designer/api/client';
import { takePreloaded } from '../../designer/api/preload';

const g = globalThis as unknown as { window?: { __ivrPreload?: Record<string, Promise<Response> | undefined> } };

function preload(table: Record<string, Promise<Response>>): void {
  g.window = { __ivrPreload: table };
}

afterEach(() => {
  delete g.window;
  vi.unstubAllGlobals();
});

describe('takePreloaded', () => {
  it('hands out a preloaded response once, by method and path', async () => {
    const res = Promise.resolve(new Response('{}'));
    preload({ 'GET /api/flow?path=a.json': res });
    expect(takePreloaded('POST', '/api/flow?path=a.json')).toBeNull();
    expect(takePreloaded('GET', '/api/flow?path=b.json')).toBeNull();
    expect(takePreloaded('GET', '/api/flow?path=a.json')).toBe(res);
    expect(takePreloaded('GET', '/api/flow?path=a.json')).toBeNull();
  });

  it('without a page or a table there is nothing to take', () => {
    expect(takePreloaded('GET', '/api/flow?path=a.json')).toBeNull();
    g.window = {};
    expect(takePreloaded('GET', '/api/flow?path=a.json')).toBeNull();
  });
});

describe('the API client with a preloaded response', () => {
  it('opens the flow from the preloaded response, then fetches as usual', async () => {
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(url);
      return new Response(JSON.stringify({ flow: { name: 'fetched' }, modified: 'later' }), { status: 200 });
    });
    preload({
      'GET /api/flow?path=callback%2Fflow.json': Promise.resolve(
        new Response(JSON.stringify({ flow: { name: 'preloaded' }, modified: 'then' })),
      ),
    });
    const api = new ApiClient('token');
    expect(await api.openFlow('callback/flow.json')).toEqual({ flow: { name: 'preloaded' }, modified: 'then' });
    expect(fetched).toEqual([]);
    expect(await api.openFlow('callback/flow.json')).toEqual({ flow: { name: 'fetched' }, modified: 'later' });
    expect(fetched).toEqual(['/api/flow?path=callback%2Fflow.json']);
  });

  it('a preloaded error is the server\'s error; a failed preload is "cannot reach the server"', async () => {
    const notFound = new Response(JSON.stringify({ error: 'no file x.json in the workspace' }), { status: 404 });
    const refused = Promise.reject(new TypeError('Failed to fetch'));
    refused.catch(() => {});
    preload({ 'GET /api/flow?path=x.json': Promise.resolve(notFound), 'GET /api/flow?path=y.json': refused });
    const api = new ApiClient('token');
    const missing = await api.openFlow('x.json').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiError);
    expect((missing as ApiError).status).toBe(404);
    expect((missing as ApiError).message).toBe('no file x.json in the workspace');
    const gone = await api.openFlow('y.json').catch((e: unknown) => e);
    expect((gone as ApiError).message).toMatch(/cannot reach the IVR Studio server: Failed to fetch/);
  });
});
