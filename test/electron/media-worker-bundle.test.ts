// The desktop bundle ships the SIP runtime's RTP thread as dist/.../media-worker.mjs next to main.mjs
// (the TypeScript source isn't there): it must start as a worker and open a stream on its own.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { buildDesktop, ROOT } from '../../electron/build';
import type { FromWorker } from '../../runtime/sip/media/protocol';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('the bundled media worker', () => {
  it('is built beside main.mjs and answers an open with a bound port', async () => {
    // Inside the project, as dist/electron is: the bundle leaves npm packages to node_modules.
    await mkdir(path.join(ROOT, 'dist'), { recursive: true });
    const out = await mkdtemp(path.join(ROOT, 'dist', 'bundle-test-'));
    dirs.push(out);
    const { main, mediaWorker } = await buildDesktop(out);
    expect(path.dirname(mediaWorker)).toBe(path.dirname(main));
    expect(existsSync(mediaWorker)).toBe(true);
    const worker = new Worker(mediaWorker);
    try {
      worker.postMessage({ t: 'open', id: 7, opts: { remote: null, codec: 'PCMU' } });
      const [reply] = (await once(worker, 'message')) as [FromWorker];
      expect(reply).toMatchObject({ t: 'opened', id: 7 });
      expect(reply.t === 'opened' && reply.port).toBeGreaterThan(0);
      worker.postMessage({ t: 'stop', id: 7 });
      const [stopped] = (await once(worker, 'message')) as [FromWorker];
      expect(stopped.t).toBe('stopped');
    } finally {
      await worker.terminate();
    }
  }, 60_000);
});
