import { describe, expect, it } from 'vitest';
import { checkEmail, describeRelay, isValidAddress, parseRelay } from '../../runtime/mail';
import { transportOptions } from '../../runtime/mail/relay';

describe('parseRelay', () => {
  it('reads smtp and smtps URLs with default ports and %-encoded credentials', () => {
    expect(parseRelay('smtp://mail.company.com')).toEqual({
      ok: true,
      relay: { host: 'mail.company.com', port: 25, secure: false },
    });
    expect(parseRelay('smtps://u%40c.com:p%3Aw@mail.company.com')).toEqual({
      ok: true,
      relay: { host: 'mail.company.com', port: 465, secure: true, user: 'u@c.com', pass: 'p:w' },
    });
    expect(parseRelay('smtp://[::1]:2525/?ignoreTls=true')).toEqual({
      ok: true,
      relay: { host: '::1', port: 2525, secure: false, ignoreTls: true },
    });
  });

  it('explains what is wrong', () => {
    expect(parseRelay('mail.company.com')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not a URL|unsupported scheme/),
    });
    expect(parseRelay('smtp://host/path')).toMatchObject({
      ok: false,
      error: "mail relay: unexpected path '/path'; expected smtp://user:pass@host:port or smtps://host:port",
    });
    expect(parseRelay({ host: 'h', port: 70000 })).toMatchObject({
      ok: false,
      error: 'mail relay: port must be 1..65535, got 70000',
    });
    expect(parseRelay({ host: 'h', port: 25, pass: 'x' })).toMatchObject({
      ok: false,
      error: 'mail relay: a password without a user',
    });
    expect(parseRelay('smtp://bot:pw@h:587/?ignoreTls=true')).toMatchObject({
      ok: false,
      error:
        'mail relay: ignoreTls with a login would send the password in clear; add allowPlainLogin=true if you mean it',
    });
    expect(parseRelay('smtp://bot:pw@h:587/?ignoreTls=true&allowPlainLogin=true')).toEqual({
      ok: true,
      relay: { host: 'h', port: 587, secure: false, user: 'bot', pass: 'pw', ignoreTls: true, allowPlainLogin: true },
    });
  });

  it('sends credentials only over TLS unless allowPlainLogin says otherwise', () => {
    const login = { host: 'h', port: 587, user: 'bot', pass: 'pw' };
    expect(transportOptions(login, 1000)).toMatchObject({ requireTLS: true, secure: false });
    expect(transportOptions({ ...login, port: 465, secure: true }, 1000)).toMatchObject({
      requireTLS: false,
      secure: true,
    });
    expect(transportOptions({ ...login, allowPlainLogin: true }, 1000)).toMatchObject({ requireTLS: false });
    // Without a login there is nothing to protect: STARTTLS when offered.
    expect(transportOptions({ host: 'h', port: 25 }, 1000)).toMatchObject({ requireTLS: false, ignoreTLS: false });
  });

  it('describes a relay without its password', () => {
    expect(describeRelay({ host: 'mail.company.com', port: 587, user: 'bot', pass: 'secret' })).toBe(
      'smtp://bot@mail.company.com:587 (STARTTLS required for the login)',
    );
    expect(describeRelay({ host: 'h', port: 25 })).toBe('smtp://h:25 (STARTTLS when offered)');
    expect(describeRelay({ host: 'h', port: 25, user: 'bot', allowPlainLogin: true, ignoreTls: true })).toBe(
      'smtp://bot@h:25 (no TLS)',
    );
    expect(describeRelay({ host: 'h', port: 465, secure: true })).toBe('smtps://h:465 (TLS)');
  });
});

describe('addresses and content', () => {
  it.each([
    ['ivanov@company.com', true],
    ['first.last+tag@sub.company.co', true],
    ['иван@пример.рф', false],
    ['ivan@пример.рф', true],
    ['a@localhost', true],
    ['a@[10.0.0.1]', true],
    ['a..b@x.ru', false],
    ['.a@x.ru', false],
    ['a@-x.ru', false],
    ['a@x..ru', false],
    ['a b@x.ru', false],
    ['@x.ru', false],
    ['a@', false],
  ])('%s valid: %s', (address, valid) => {
    expect(isValidAddress(address)).toBe(valid);
  });

  it('maps content: a string part is the text, others become attachments', () => {
    const r = checkEmail({
      from: 'a@x.ru',
      to: 'b@x.ru',
      subject: 's',
      headers: { 'X-Call': 7 as unknown as string },
      content: [
        'body',
        'more',
        { contentType: 'text/csv', fileName: 'calls.csv', body: '1,2' },
        { contentType: 'audio/wav', body: new Uint8Array([1]) },
      ],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.email.text).toBe('body');
    expect(r.email.headers).toEqual({ 'X-Call': '7' });
    expect(r.email.attachments.map((a) => [a.contentType, a.filename])).toEqual([
      ['text/plain; charset=utf-8', false],
      ['text/csv; charset=utf-8', 'calls.csv'],
      ['audio/wav', false],
    ]);
  });

  it('names the bad part', () => {
    const r = checkEmail({
      from: 'a@x.ru',
      to: 'b@x.ru',
      subject: 's',
      headers: null,
      content: ['t', { contentType: 'wav', body: '' }],
    });
    expect(r).toEqual({
      ok: false,
      error: "SendEMail: content[1].contentType 'wav' is not a MIME type like audio/wav",
    });
  });
});
