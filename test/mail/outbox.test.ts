import { Worker } from 'node:worker_threads';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox, isOutboxId } from '../../runtime/mail';
import type { OutboxEntry } from '../../runtime/mail';
import { tempDir } from './helpers';

const dirs: { remove(): Promise<void> }[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await d.remove();
});

async function freshDir(): Promise<string> {
  const d = await tempDir();
  dirs.push(d);
  return d.dir;
}

const fields = (id: string, createdAt = new Date().toISOString()) => ({
  id,
  createdAt,
  from: 'a@x.ru',
  to: 'b@x.ru',
  subject: 'Тема',
  status: 'queued' as const,
});

const setStatus =
  (status: OutboxEntry['status'], error?: string) =>
  (e: OutboxEntry): OutboxEntry => {
    const next: OutboxEntry = { ...e, status };
    if (error === undefined) delete next.error;
    else next.error = error;
    return next;
  };

describe('Outbox', () => {
  it('keeps entries across reopening and lists newest first', async () => {
    const dir = await freshDir();
    const box = await Outbox.open(dir);
    await box.add(fields('old', '2024-01-01T00:00:00.000Z'), 'eml-1');
    await box.add(fields('new', '2024-06-01T00:00:00.000Z'), 'eml-2');
    await box.update('old', setStatus('failed', 'SMTP relay 127.0.0.1:1 refused the connection'));
    await box.update('new', setStatus('sent'));
    const again = await Outbox.open(dir);
    expect((await again.list()).map((e) => [e.id, e.status, e.error])).toEqual([
      ['new', 'sent', undefined],
      ['old', 'failed', 'SMTP relay 127.0.0.1:1 refused the connection'],
    ]);
    expect((await again.read('old')).eml).toBe('eml-1');
  });

  it('one file per entry: 30 concurrent adds leave 30 entries and 30 messages, no temp files', async () => {
    const dir = await freshDir();
    const box = await Outbox.open(dir);
    await Promise.all(Array.from({ length: 30 }, (_, i) => box.add(fields(`m${i}`), `body ${i}`)));
    const files = await readdir(dir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(30);
    const onDisk = JSON.parse(await readFile(path.join(dir, 'm7.json'), 'utf8')) as OutboxEntry;
    expect(onDisk).toMatchObject({ id: 'm7', file: 'm7.eml', status: 'queued' });
    expect((await box.list()).map((e) => e.id).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `m${i}`).sort());
  });

  it('several Outboxes on one folder (as several processes) see each other’s messages and changes', async () => {
    const dir = await freshDir();
    const boxes = await Promise.all(Array.from({ length: 8 }, () => Outbox.open(dir)));
    await Promise.all(
      boxes.flatMap((box, b) => Array.from({ length: 10 }, (_, i) => box.add(fields(`b${b}-m${i}`), `eml ${b} ${i}`))),
    );
    for (const box of boxes) expect(await box.list()).toHaveLength(80);
    // A change made by one is what the others read next (the listing re-reads replaced files).
    await boxes[3]!.update('b0-m0', setStatus('sent'));
    expect((await boxes[5]!.get('b0-m0'))?.status).toBe('sent');
    expect((await boxes[0]!.list()).find((e) => e.id === 'b0-m0')?.status).toBe('sent');
  });

  it('each add and update resolves only once its entry file on disk holds it', async () => {
    const dir = await freshDir();
    const box = await Outbox.open(dir);
    const onDisk = async (id: string) =>
      JSON.parse(await readFile(path.join(dir, `${id}.json`), 'utf8')) as OutboxEntry;
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const id = `m${i}`;
        await box.add(fields(id), `eml ${i}`);
        expect((await onDisk(id)).status).toBe('queued');
        await box.update(id, setStatus(i % 2 ? 'sent' : 'failed', i % 2 ? undefined : 'refused'));
        expect((await onDisk(id)).status).toBe(i % 2 ? 'sent' : 'failed');
      }),
    );
    await expect(box.add(fields('m7'), 'again')).rejects.toThrow(/already used/);
  });

  it('writes entries atomically: a reader racing the rewrites never sees a partial file', async () => {
    const dir = await freshDir();
    const box = await Outbox.open(dir);
    // A large entry (a long subject), so each rewrite is about 180 KB: written in place,
    // the reader would catch it empty or half-written.
    await box.add({ ...fields('big'), subject: 'Тема '.repeat(20_000) }, 'eml');
    // The reader runs on another thread, reading in a tight loop while this one rewrites the entry.
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const reader = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const { readFileSync } = require('node:fs');
       const flag = new Int32Array(workerData.stop);
       let reads = 0, bad = 0, last = '';
       while (Atomics.load(flag, 0) === 0) {
         let text;
         try { text = readFileSync(workerData.file, 'utf8'); } catch (e) { bad++; last = e.code; continue; }
         reads++;
         try { JSON.parse(text); } catch { bad++; last = 'partial (' + text.length + ' bytes)'; }
       }
       parentPort.postMessage({ reads, bad, last });`,
      { eval: true, workerData: { file: path.join(dir, 'big.json'), stop: flag.buffer } },
    );
    const seen = new Promise<{ reads: number; bad: number; last: string }>((resolve) =>
      reader.once('message', resolve),
    );
    await new Promise((r) => reader.once('online', r));
    for (let i = 0; i < 40; i++) await box.update('big', setStatus(i % 2 ? 'sent' : 'failed', `round ${i}`));
    Atomics.store(flag, 0, 1);
    const result = await seen;
    await reader.terminate();
    expect(result.reads, 'the reader raced the writes').toBeGreaterThan(20);
    expect(result, `a reader saw: ${result.last}`).toMatchObject({ bad: 0 });
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a duplicate or unsafe id and reports changes to listeners until unsubscribed', async () => {
    const box = await Outbox.open(await freshDir());
    const seen: string[] = [];
    const off = box.onChange((e) => seen.push(`${e.id}:${e.status}`));
    box.onChange(() => {
      throw new Error('a broken listener must not fail the write');
    });
    await box.add(fields('a'), 'x');
    await expect(box.add(fields('a'), 'y')).rejects.toThrow(/already used/);
    await expect(box.add(fields('../../etc/passwd'), 'y')).rejects.toThrow(/bad id/);
    await expect(box.add(fields('index'), 'y')).rejects.toThrow(/bad id/);
    await box.update('a', setStatus('sent'));
    off();
    await box.update('a', setStatus('failed', 'late'));
    expect(seen).toEqual(['a:queued', 'a:sent']);
    expect(isOutboxId('20240101T000000000-abcdef0123')).toBe(true);
    expect(isOutboxId('a/b')).toBe(false);
  });

  it('imports the single index.json of older versions, and sets a damaged one aside', async () => {
    const dir = await freshDir();
    const old = [1, 2].map((i) => ({ ...fields(`old${i}`, `2025-01-0${i}T00:00:00.000Z`), file: `old${i}.eml` }));
    await writeFile(path.join(dir, 'index.json'), JSON.stringify(old));
    for (const e of old) await writeFile(path.join(dir, e.file), `message ${e.id}`);
    const box = await Outbox.open(dir);
    expect((await box.list()).map((e) => e.id)).toEqual(['old2', 'old1']);
    expect((await box.read('old1')).eml).toBe('message old1');
    expect((await readdir(dir)).some((f) => f.startsWith('index.json.imported-'))).toBe(true);

    const damaged = await freshDir();
    await writeFile(path.join(damaged, 'index.json'), '[{"id": "x", truncated');
    expect(await (await Outbox.open(damaged)).list()).toEqual([]);
    expect((await readdir(damaged)).some((f) => f.startsWith('index.json.damaged-'))).toBe(true);
  });

  it('skips an entry file that is not an entry, and removes a message with its file', async () => {
    const dir = await freshDir();
    const box = await Outbox.open(dir);
    await box.add(fields('keep'), 'k');
    await box.add(fields('gone'), 'g');
    await writeFile(path.join(dir, 'junk.json'), '{"id": "junk"}');
    expect((await box.list()).map((e) => e.id).sort()).toEqual(['gone', 'keep']);
    await box.remove('gone');
    expect((await box.list()).map((e) => e.id)).toEqual(['keep']);
    expect((await readdir(dir)).filter((f) => f.startsWith('gone'))).toEqual([]);
  });

  it('a claim is won by exactly one of many contenders', async () => {
    const dir = await freshDir();
    const boxes = await Promise.all(Array.from({ length: 6 }, () => Outbox.open(dir)));
    await boxes[0]!.add(fields('q'), 'x');
    const previous = { host: 'h', pid: 1, mailer: 'gone' };
    const won = await Promise.all(boxes.map((b) => b.claim('q', previous)));
    expect(won.filter(Boolean)).toHaveLength(1);
    await boxes[0]!.releaseClaims('q');
    expect((await readdir(dir)).filter((f) => f.includes('claim'))).toEqual([]);
  });

  it('an outbox that is a file, or cannot be written, is one line', async () => {
    const dir = await freshDir();
    const file = path.join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    await expect(Outbox.open(file)).rejects.toThrow(new RegExp(`^outbox ${file}: not a folder$`));
    await expect(Outbox.open(path.join(file, 'sub'))).rejects.toThrow(/: not a folder$/);
  });
});
