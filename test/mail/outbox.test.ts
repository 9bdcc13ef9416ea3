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

describe('Outbox', () => {
  it('keeps entries across reopening and lists newest first', async () => {
    const dir = await freshDir();
    const box = await Outbox.open(dir);
    await box.add(fields('old', '2024-01-01T00:00:00.000Z'), 'eml-1');
    await box.add(fields('new', '2024-06-01T00:00:00.000Z'), 'eml-2');
    await box.update('old', 'failed', 'SMTP relay 127.0.0.1:1 refused the connection');
    await box.update('new', 'sent');
    const again = await Outbox.open(dir);
    expect((await again.list()).map((e) => [e.id, e.status, e.error])).toEqual([
      ['new', 'sent', undefined],
      ['old', 'failed', 'SMTP relay 127.0.0.1:1 refused the connection'],
    ]);
    expect((await again.read('old')).eml).toBe('eml-1');
  });

  it('writes index.json atomically under concurrent adds and leaves no temp files', async () => {
    const dir = await freshDir();
    const box = await Outbox.open(dir);
    await Promise.all(Array.from({ length: 30 }, (_, i) => box.add(fields(`m${i}`), `body ${i}`)));
    const index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')) as OutboxEntry[];
    expect(index.map((e) => e.id).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `m${i}`).sort());
    const files = await readdir(dir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(30);
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
    await box.update('a', 'sent');
    off();
    await box.update('a', 'failed', 'late');
    expect(seen).toEqual(['a:queued', 'a:sent']);
    expect(isOutboxId('20240101T000000000-abcdef0123')).toBe(true);
    expect(isOutboxId('a/b')).toBe(false);
  });

  it('sets a damaged index aside instead of overwriting it', async () => {
    const dir = await freshDir();
    await writeFile(path.join(dir, 'index.json'), '[{"id": "x", truncated');
    const box = await Outbox.open(dir);
    expect(await box.list()).toEqual([]);
    const files = await readdir(dir);
    expect(files.some((f) => f.startsWith('index.json.damaged-'))).toBe(true);
  });

  it('group-commits the index: 300 concurrent adds and updates each resolve only once index.json on disk holds them', async () => {
    const dir = await freshDir();
    const box = await Outbox.open(dir);
    const onDisk = async () => JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')) as OutboxEntry[];
    const checks = Array.from({ length: 300 }, async (_, i) => {
      const id = `m${i}`;
      await box.add(fields(id, new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString()), `eml ${i}`);
      // Durable when add resolves: the index file itself lists the message (no flush needed).
      expect((await onDisk()).some((e) => e.id === id)).toBe(true);
      await box.update(id, i % 2 ? 'sent' : 'failed', i % 2 ? undefined : 'refused');
      expect((await onDisk()).find((e) => e.id === id)?.status).toBe(i % 2 ? 'sent' : 'failed');
    });
    await Promise.all(checks);
    const final = await onDisk();
    expect(final).toHaveLength(300);
    expect(final.map((e) => e.id)).toEqual(Array.from({ length: 300 }, (_, i) => `m${i}`));
    expect((await readdir(dir)).filter((f) => f.endsWith('.eml'))).toHaveLength(300);
    await expect(box.add(fields('m7'), 'again')).rejects.toThrow(/already used/);
  });

  it('with a large index (over 1,000 entries) writes are spaced out, and every add still lands on disk', async () => {
    const dir = await freshDir();
    const old = Array.from({ length: 1200 }, (_, i) => ({
      ...fields(`old${i}`, new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString()),
      file: `old${i}.eml`,
    }));
    await writeFile(path.join(dir, 'index.json'), JSON.stringify(old));
    const box = await Outbox.open(dir);
    await Promise.all(Array.from({ length: 40 }, (_, i) => box.add(fields(`new${i}`), `eml ${i}`)));
    const onDisk = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')) as OutboxEntry[];
    expect(onDisk).toHaveLength(1240);
    expect(onDisk.filter((e) => e.id.startsWith('new'))).toHaveLength(40);
  });
});
