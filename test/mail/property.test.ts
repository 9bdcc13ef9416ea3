// Whatever a flow passes to SendEMail, send() answers null or an error string, never throws, and
// every request ends up in the outbox. Bounded runs: each one crosses SMTP.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEmail, createMailer, isValidAddress } from '../../runtime/mail';
import type { Mailer } from '../../runtime/mail';
import type { EmailRequest } from '../../runtime/call/api';
import { tempDir } from './helpers';

let mailer: Mailer;
let dir: { dir: string; remove(): Promise<void> };

beforeAll(async () => {
  dir = await tempDir();
  mailer = await createMailer({ outboxDir: dir.dir, timeoutMs: 3000 });
});

afterAll(async () => {
  await mailer.close();
  await dir.remove();
});

const address = fc.constantFrom(
  'ops@company.com',
  'Иван <ivan@пример.рф>',
  '"Doe, J" <j@x.io>',
  'a@b',
  'x@[127.0.0.1]',
);
const nasty = fc.constantFrom(
  '\r\n',
  '\n',
  '\r',
  '\0',
  '\t',
  '"',
  '<',
  '>',
  ',',
  '@',
  ';',
  ':',
  '=?UTF-8?B?',
  '\u2028',
  'Bcc: v@evil.test',
);
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  nasty,
  address,
);
const field = fc.oneof(
  text,
  fc.array(fc.oneof(text, nasty, address), { maxLength: 4 }).map((xs) => xs.join('')),
);
// Mostly good addresses, so that both outcomes are exercised.
const addressField = fc.oneof({ weight: 3, arbitrary: address }, { weight: 1, arbitrary: field });
const request = fc.record({
  from: addressField,
  to: addressField,
  subject: field,
  headers: fc.option(
    fc.dictionary(fc.oneof(fc.constantFrom('X-Call', 'Reply-To', 'To', 'X Bad'), fc.string({ maxLength: 8 })), field, {
      maxKeys: 3,
    }),
    { nil: null, freq: 2 },
  ),
  content: fc.oneof(
    field,
    fc.uint8Array({ maxLength: 16 }),
    fc.array(
      fc.oneof(field, fc.record({ contentType: fc.constantFrom('audio/wav', 'text/plain', 'bad'), body: field })),
      { maxLength: 3 },
    ),
  ),
});

describe('SendEMail on arbitrary input', () => {
  it('never throws; accepted messages are filed sent and keep their subject', async () => {
    let runs = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        runs++;
        const result = await mailer.send(req as EmailRequest, { callId: `p${runs}` });
        expect(result === null || typeof result === 'string').toBe(true);
        await mailer.settled();
        const entry = (await mailer.outbox.list()).find((e) => e.callId === `p${runs}`);
        expect(entry?.status).toBe(result === null ? 'sent' : 'failed');
        if (result === null) {
          accepted++;
          expect(req.subject).not.toMatch(/[\r\n]/);
          const parsed = await simpleParser(await readFile(path.join(dir.dir, entry!.file)));
          // biome-ignore lint/suspicious/noControlCharactersInRegex: subjects with control characters are encoded, not compared
          if (Buffer.from(req.subject).toString() === req.subject && !/[\0-\x1f\x7f\u2028\u2029]/.test(req.subject)) {
            expect((parsed.subject ?? '').replace(/\s+/g, ' ').trim()).toBe(req.subject.replace(/\s+/g, ' ').trim());
          }
        } else {
          expect(result).not.toBe('');
          expect(entry?.error).toBe(result);
        }
      }),
      { numRuns: 50 },
    );
    expect(await mailer.outbox.list()).toHaveLength(runs);
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(runs);
  });

  it('checkEmail never throws and refuses any line break in from/to/subject (cheap, many runs)', () => {
    fc.assert(
      fc.property(request, (req) => {
        const r = checkEmail(req as EmailRequest);
        if ([req.from, req.to, req.subject].some((s) => /[\r\n]/.test(s))) expect(r.ok).toBe(false);
        if (r.ok) {
          for (const m of [r.email.from, ...r.email.to]) expect(isValidAddress(m.address)).toBe(true);
        } else {
          expect(r.error).toMatch(/^SendEMail: /);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('checkEmail survives values of the wrong type from a CG/PL program', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.anything(),
        fc.anything(),
        fc.anything(),
        fc.anything(),
        (from, subject, to, headers, content) => {
          const r = checkEmail({ from, subject, to, headers, content } as unknown as EmailRequest);
          expect(typeof r.ok).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });
});
