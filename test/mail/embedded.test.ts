import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, Outbox } from '../../runtime/mail';
import type { Mailer, OutboxEntry } from '../../runtime/mail';
import { tcpHandles, tempDir } from './helpers';
import { waitFor } from '../helpers/waitFor';

let mailer: Mailer;
let dir: { dir: string; remove(): Promise<void> };
let handlesBefore: number;

beforeAll(async () => {
  handlesBefore = tcpHandles();
  dir = await tempDir();
  mailer = await createMailer({ outboxDir: dir.dir, timeoutMs: 5000 });
});

afterAll(async () => {
  await mailer.close();
  await dir.remove();
});

function decodeWords(text: string): string {
  return text.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(
          data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

/** The entries as another process would read them from the folder, once delivery is done. */
async function onDisk(): Promise<OutboxEntry[]> {
  await mailer.settled();
  const again = await Outbox.open(dir.dir);
  return again.list();
}

describe('embedded outbox', () => {
  it('describes itself as the embedded server on 127.0.0.1', () => {
    expect(mailer.relayDescription).toMatch(/^embedded outbox smtp:\/\/127\.0\.0\.1:\d+ → /);
  });

  it('files a Russian message as .eml that parses back to the same fields', async () => {
    const err = await mailer.send(
      {
        from: 'Иван Петров <ivanov@company.com>',
        to: 'ops@company.com, Дежурный <duty@company.com>',
        subject: 'Пропущенный звонок от 1001',
        headers: { 'X-Caller': 'Абонент 1001', 'Reply-To': 'noreply@company.com' },
        content: 'Здравствуйте!\nЗвонил абонент 1001 в 23:00.',
      },
      { callId: 'call-1', account: 'ivanov@company.com' },
    );
    expect(err).toBeNull();
    const entries = await onDisk();
    const entry = entries.find((e) => e.callId === 'call-1');
    expect(entry).toMatchObject({
      status: 'sent',
      from: 'Иван Петров <ivanov@company.com>',
      to: 'ops@company.com, Дежурный <duty@company.com>',
      subject: 'Пропущенный звонок от 1001',
      account: 'ivanov@company.com',
      file: `${entry!.id}.eml`,
      via: 'embedded',
      attempts: [
        expect.objectContaining({ outcome: 'sent', reply: expect.stringMatching(/^250 Stored in outbox as /) }),
      ],
    });
    expect(entry!.error).toBeUndefined();
    const { eml } = await mailer.outbox.read(entry!.id);
    expect(eml).toBe(await readFile(path.join(dir.dir, entry!.file), 'utf8'));
    const parsed = await simpleParser(eml);
    expect(parsed.subject).toBe('Пропущенный звонок от 1001');
    expect(parsed.text).toBe('Здравствуйте!\nЗвонил абонент 1001 в 23:00.');
    expect(parsed.from?.value).toEqual([{ name: 'Иван Петров', address: 'ivanov@company.com' }]);
    const to = Array.isArray(parsed.to) ? parsed.to.flatMap((a) => a.value) : parsed.to!.value;
    expect(to).toEqual([
      { name: '', address: 'ops@company.com' },
      { name: 'Дежурный', address: 'duty@company.com' },
    ]);
    // mailparser leaves unknown headers encoded: the encoded word must decode to the original.
    expect(decodeWords(String(parsed.headers.get('x-caller')))).toBe('Абонент 1001');
    expect(eml).toMatch(/^X-Caller: /m);
    expect(parsed.messageId).toBe(`<${entry!.id}@ivr-studio.outbox>`);
    // The text part is declared UTF-8 plain text.
    expect(eml).toMatch(/Content-Type: text\/plain; charset=utf-8/i);
  });

  it('makes a datablock an octet-stream attachment and parts attachments with their type and name', async () => {
    const wav = new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 1, 2, 3]);
    expect(
      await mailer.send(
        { from: 'a@x.ru', to: 'b@x.ru', subject: 'blob', headers: null, content: wav },
        { callId: 'blob' },
      ),
    ).toBeNull();
    expect(
      await mailer.send(
        {
          from: 'a@x.ru',
          to: 'b@x.ru',
          subject: 'voicemail',
          headers: null,
          content: ['Новое голосовое сообщение', { contentType: 'audio/wav', fileName: 'сообщение.wav', body: wav }],
        },
        { callId: 'parts' },
      ),
    ).toBeNull();
    const list = await mailer.outbox.list();
    const blob = await simpleParser((await mailer.outbox.read(list.find((e) => e.callId === 'blob')!.id)).eml);
    expect(blob.attachments).toHaveLength(1);
    expect(blob.attachments[0]!.contentType).toBe('application/octet-stream');
    expect([...blob.attachments[0]!.content]).toEqual([...wav]);
    const parts = await simpleParser((await mailer.outbox.read(list.find((e) => e.callId === 'parts')!.id)).eml);
    expect(parts.text?.trim()).toBe('Новое голосовое сообщение');
    expect(parts.attachments).toHaveLength(1);
    expect(parts.attachments[0]!.contentType).toBe('audio/wav');
    expect(parts.attachments[0]!.filename).toBe('сообщение.wav');
    expect([...parts.attachments[0]!.content]).toEqual([...wav]);
  });

  it('keeps every entry of 20 parallel sends and tells onChange about each, queued then sent', async () => {
    const seen: string[] = [];
    const off = mailer.outbox.onChange((e) => seen.push(e.callId ?? ''));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        mailer.send(
          {
            from: 'ivr@company.com',
            to: `user${i}@company.com`,
            subject: `Параллель ${i}`,
            headers: null,
            content: `№${i}`,
          },
          { callId: `par-${i}` },
        ),
      ),
    );
    await mailer.settled();
    off();
    expect(results).toEqual(Array(20).fill(null));
    const entries = (await onDisk()).filter((e) => e.callId?.startsWith('par-'));
    expect(entries).toHaveLength(20);
    expect(new Set(entries.map((e) => e.id)).size).toBe(20);
    expect(entries.every((e) => e.status === 'sent')).toBe(true);
    expect(seen.filter((s) => s.startsWith('par-')).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => [`par-${i}`, `par-${i}`])
        .flat()
        .sort(),
    );
    for (const e of entries) {
      const parsed = await simpleParser(await readFile(path.join(dir.dir, e.file)));
      expect(parsed.subject).toBe(e.subject);
    }
  });

  it('files a message from another local SMTP client too, described from its envelope', async () => {
    const port = Number(/:(\d+) /.exec(mailer.relayDescription)![1]);
    const t = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true });
    await t.sendMail({ from: 'tool@local.test', to: 'someone@local.test', subject: 'Тест извне', text: 'hi' });
    t.close();
    const entry = (await onDisk()).find((e) => e.subject === 'Тест извне');
    expect(entry).toMatchObject({ from: 'tool@local.test', to: 'someone@local.test', status: 'sent' });
  });

  it('records a refused request as failed with the reason, and nothing is sent', async () => {
    const err = await mailer.send(
      { from: 'a@x.ru', to: 'b@x.ru', subject: 'hi\r\nBcc: victim@x.ru', headers: null, content: 'x' },
      { callId: 'inj' },
    );
    expect(err).toMatch(/subject contains a line break/);
    const entry = (await mailer.outbox.list()).find((e) => e.callId === 'inj')!;
    expect(entry).toMatchObject({ status: 'failed', error: err, subject: 'hi\r\nBcc: victim@x.ru' });
    const { eml } = await mailer.outbox.read(entry.id);
    expect(eml).not.toMatch(/^Bcc:/im);
    expect(eml).toMatch(/^X-Ivr-Studio-Refused: SendEMail: subject contains/im);
  });

  it('rejects reading an id it does not hold, including path tricks', async () => {
    await expect(mailer.outbox.read('../index')).rejects.toThrow(/no message/);
    await expect(mailer.outbox.read('nope')).rejects.toThrow(/no message/);
  });

  it('after close, send returns an error and no TCP handle is left', async () => {
    const d2 = await tempDir();
    const m2 = await createMailer({ outboxDir: d2.dir });
    expect(await m2.send({ from: 'a@x.ru', to: 'b@x.ru', subject: 's', headers: null, content: 'c' })).toBeNull();
    await m2.close();
    expect(await m2.send({ from: 'a@x.ru', to: 'b@x.ru', subject: 's', headers: null, content: 'c' })).toMatch(
      /closed/,
    );
    await mailer.close();
    await waitFor('the TCP handles to close', () => tcpHandles() === handlesBefore);
    await d2.remove();
  });
});
