// The SIP message layer on its own: URIs, header fields, framing, serializing. Property tests feed it
// random and mutated bytes (it must never throw) and check that what it writes reads back the same.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkRequest,
  escapeUser,
  Headers,
  newResponse,
  parseDatagram,
  parseNameAddr,
  parseSipUri,
  parseStream,
  parseVia,
  serialize,
  type SipRequest,
} from '../../runtime/sip/message';

const OPTIONS =
  'OPTIONS sip:callback@127.0.0.1:5070 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK1\r\nFrom: <sip:a@h>;tag=1\r\n' +
  'To: <sip:callback@127.0.0.1>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n';
const withBody = (body: string) =>
  `INFO sip:x@h SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK2\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:x@h>;tag=2\r\nCall-ID: c2\r\nCSeq: 2 INFO\r\nContent-Type: application/dtmf\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('SIP URIs (RFC 3261 §19.1)', () => {
  it('reads user, host, port, parameters and headers; decodes escapes once', () => {
    expect(parseSipUri('sip:callback%23ivanov@Company.COM:5080;transport=tcp;lr?subject=hi%20there')).toMatchObject({
      scheme: 'sip',
      user: 'callback#ivanov',
      userRaw: 'callback%23ivanov',
      host: 'company.com',
      port: 5080,
      params: new Map([
        ['transport', 'tcp'],
        ['lr', null],
      ]),
      headers: [['subject', 'hi there']],
    });
    expect(parseSipUri('sip:callback%2523x@h')?.user).toBe('callback%23x');
    expect(parseSipUri('sips:[2001:db8::1]:5061')).toMatchObject({ host: '2001:db8::1', hostKind: 'ipv6', user: null });
    expect(parseSipUri('sip:alice;day=tue@h')?.user).toBe('alice;day=tue');
    expect(parseSipUri('sip:%D0%B8%D0%B2@h')?.user).toBe('ив');
  });

  it('refuses what the grammar does not allow', () => {
    for (const bad of [
      'sip:callback#x@h', // '#' must be escaped
      'sip:a b@h',
      'sip:a@',
      'sip:a@h:99999',
      'sip:a@[::1',
      'sip:a@1.2.3', // a top label starts with a letter
      'sip:a%zz@h',
      'sip:%C3%28@h', // not UTF-8
      'tel:+1555',
      'sip:a@h;=x',
    ])
      expect(parseSipUri(bad), bad).toBeNull();
  });

  it('escapeUser and parse are inverse for any text', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), (user) => {
        return parseSipUri(`sip:${escapeUser(user)}@example.com`)?.user === user;
      }),
      { seed: 3261, numRuns: 500 },
    );
  });

  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        parseSipUri(`sip:${s}`);
        parseSipUri(s);
        return true;
      }),
      { seed: 19, numRuns: 1000 },
    );
  });
});

describe('header fields', () => {
  it('name-addr with quoted display names, bare addr-spec, Via with IPv6 and parameters', () => {
    expect(parseNameAddr('"A \\"B\\" C" <sip:a@h;lr>;tag=x')).toEqual({
      display: 'A "B" C',
      uri: 'sip:a@h;lr',
      params: new Map([['tag', 'x']]),
    });
    expect(parseNameAddr('sip:a@h;tag=1')).toMatchObject({ uri: 'sip:a@h', params: new Map([['tag', '1']]) });
    expect(parseNameAddr('Bob Smith <sip:b@h>')?.display).toBe('Bob Smith');
    expect(parseNameAddr('<sip:a@h')).toBeNull();
    expect(parseVia('SIP/2.0/UDP [::1]:5060;branch=z9hG4bKx;received=::1;rport')).toMatchObject({
      transport: 'UDP',
      host: '::1',
      port: 5060,
    });
    expect(parseVia('SIP/2.0/UDP')).toBeNull();
  });
});

describe('framing (§18.3)', () => {
  it('a stream cut anywhere yields the same messages, bodies included', () => {
    const stream = Buffer.from(`\r\n\r\n${OPTIONS}${withBody('5')}\r\n${withBody('Signal=#\r\nDuration=160')}`);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: stream.length }), { maxLength: 6 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const got: string[] = [];
        let buffer = Buffer.alloc(0);
        let at = 0;
        for (const p of [...points, stream.length]) {
          buffer = Buffer.concat([buffer, stream.subarray(at, p)]);
          at = p;
          for (;;) {
            const r = parseStream(buffer);
            if (r.kind !== 'message') break;
            got.push(`${r.parsed.message.kind === 'request' ? r.parsed.message.method : ''}:${r.parsed.message.body}`);
            buffer = buffer.subarray(r.used);
          }
        }
        return JSON.stringify(got) === JSON.stringify(['OPTIONS:', 'INFO:5', 'INFO:Signal=#\r\nDuration=160']);
      }),
      { seed: 183, numRuns: 300 },
    );
  });

  it('a broken stream is given up, not waited on forever', () => {
    expect(parseStream(Buffer.from(`${OPTIONS.replace('Content-Length: 0', 'Content-Length: x')}`)).kind).toBe(
      'broken',
    );
    expect(parseStream(Buffer.alloc(20_000, 0x41)).kind).toBe('broken');
    expect(parseStream(Buffer.from(OPTIONS.replace('Content-Length: 0', 'Content-Length: 999999'))).kind).toBe(
      'broken',
    );
  });

  it('never throws on random or mutated bytes, and what it reads checks without throwing', () => {
    const good = Buffer.from(withBody('Signal=5'));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
          fc
            .array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 })
            .map((edits) => {
              const b = Buffer.from(good);
              for (const [at, v] of edits) b[at] = v;
              return b;
            }),
        ),
        (bytes) => {
          const d = parseDatagram(bytes);
          if (d?.message.kind === 'request') checkRequest(d.message, d.error);
          parseStream(bytes);
          return true;
        },
      ),
      { seed: 4475, numRuns: 2000 },
    );
  });
});

describe('serializing', () => {
  it('writes what reads back the same: start line, headers in order, UTF-8, Content-Length from the body', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.stringMatching(/^X-[A-Za-z0-9-]{1,12}$/),
            fc.string({ maxLength: 30, unit: 'grapheme' }).map((v) => v.replace(/[\r\n]/g, ' ').trim()),
          ),
          { maxLength: 6 },
        ),
        fc.string({ maxLength: 50, unit: 'grapheme' }),
        (fields, body) => {
          const rs = newResponse(404, 'Not Found', new Headers(fields), body);
          const back = parseDatagram(serialize(rs));
          return (
            back !== null &&
            back.error === undefined &&
            back.message.kind === 'response' &&
            back.message.status === 404 &&
            back.message.body.toString('utf8') === body &&
            JSON.stringify(
              back.message.headers.fields.filter((f) => f.key !== 'content-length').map((f) => [f.key, f.value]),
            ) === JSON.stringify(fields.map(([k, v]) => [k.toLowerCase(), v]))
          );
        },
      ),
      { seed: 8, numRuns: 500 },
    );
  });

  it('a parsed request keeps its header values as received', () => {
    const rq = parseDatagram(Buffer.from(OPTIONS))!.message as SipRequest;
    expect(rq.headers.get('via')).toBe('SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK1');
    expect(serialize(rq).toString()).toBe(OPTIONS);
  });
});
