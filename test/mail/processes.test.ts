// Several processes on one outbox folder, for real: concurrent `simulate` runs, and a mailer killed
// (SIGKILL) in the middle of a delivery whose message the next mailer takes over and delivers.
import { execFile, spawn } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createMailer, Outbox } from '../../runtime/mail';
import { startTestRelay, tempDir } from './helpers';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('one outbox, many processes', () => {
  it('16 concurrent simulate runs: 16 entries listed, every .eml readable', { timeout: 180_000 }, async () => {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    const runs = Array.from({ length: 16 }, (_, i) =>
      run(
        process.execPath,
        ['bin/ivr-studio.js', 'simulate', 'samples/callback/flow.json', '--dtmf', `${1000 + i}#`, '--outbox', dir.dir],
        { cwd: ROOT, timeout: 150_000 },
      ),
    );
    const results = await Promise.all(runs);
    for (const r of results) expect(r.stdout).toMatch(/1 e-mail \(1 accepted, 0 failed\)/);
    const entries = await (await Outbox.open(dir.dir)).list();
    expect(entries).toHaveLength(16);
    expect(entries.every((e) => e.status === 'sent')).toBe(true);
    expect(entries.map((e) => e.subject).sort()).toEqual(
      Array.from({ length: 16 }, (_, i) => `Contact phone: ${1000 + i}`).sort(),
    );
    for (const e of entries) {
      const parsed = await simpleParser((await (await Outbox.open(dir.dir)).read(e.id)).eml);
      expect(parsed.subject).toBe(e.subject);
    }
    expect((await readdir(dir.dir)).filter((f) => f.endsWith('.eml'))).toHaveLength(16);
  });

  it('a mailer killed mid-delivery: the next one on the folder takes the queued message over and delivers it once', {
    timeout: 60_000,
  }, async () => {
    let hold = true;
    const held: (() => void)[] = [];
    const relay = await startTestRelay({
      // A delivery gets no answer while `hold` is set: the process killed then is mid-send.
      gate: () => (hold ? new Promise<void>((resolve) => held.push(resolve)) : Promise.resolve()),
    });
    cleanups.push(relay.close);
    const dir = await tempDir();
    cleanups.push(dir.remove);
    const script = path.join(dir.dir, '..', `send-${path.basename(dir.dir)}.mts`);
    await writeFile(
      script,
      `import { createMailer } from ${JSON.stringify(path.join(ROOT, 'runtime/mail/index.ts'))};
const mailer = await createMailer({ outboxDir: ${JSON.stringify(dir.dir)}, relay: 'smtp://127.0.0.1:${relay.port}', timeoutMs: 60000 });
const err = await mailer.send({ from: 'ivr@company.com', to: 'ops@company.com', subject: 'Перезвоните', headers: null, content: '1001' });
process.stdout.write('submitted ' + err + '\\n');
`,
    );
    cleanups.push(async () => {
      await import('node:fs/promises').then((fs) => fs.rm(script, { force: true }));
    });
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await vi.waitFor(() => expect(held.length).toBe(1), { timeout: 30_000, interval: 50 });
    expect(out).toBe('submitted null\n');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const [left] = await (await Outbox.open(dir.dir)).list();
    expect(left).toMatchObject({ status: 'queued', attempts: [] });
    expect(left!.owner?.pid).toBe(child.pid);

    hold = false;
    for (const release of held) release();
    const mailer = await createMailer({ outboxDir: dir.dir, relay: `smtp://127.0.0.1:${relay.port}` });
    cleanups.push(() => mailer.close());
    await vi.waitFor(async () => expect((await mailer.outbox.get(left!.id))?.status).toBe('sent'), { timeout: 10_000 });
    // The killed process's message arrives once (its own attempt died with it; the relay never took it).
    expect(relay.received.map((m) => m.to)).toEqual([['ops@company.com']]);
    expect((await mailer.outbox.get(left!.id))?.owner).toBeUndefined();
    expect((await readdir(dir.dir)).filter((f) => f.includes('.claim-'))).toEqual([]);
  });
});
