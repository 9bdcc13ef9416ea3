// The CLI data format: a property test (what we write reads back the same), the documented
// examples, the shapes a server's multi-line answers take, and a fuzz test (never a throw or a hang).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CliValue, IpAddress, cliEqual, decodeCli, encodeCli, quoteString } from '../../runtime/deploy/cliData';
import { abbreviateData, apopDigest, challengeOf, maskCommand, parseReplyLine } from '../../runtime/deploy/protocol';

const value: fc.Arbitrary<CliValue> = fc.letrec<{ v: CliValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !s.includes('\0')),
    fc.string({ unit: fc.constantFrom(...'ab"\\\r\n\t\u0001\u007f{}();=,#[] .@'), maxLength: 12 }),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    fc.uint8Array({ maxLength: 40 }),
    fc
      .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000)),
    fc.constant(null),
    fc.ipV4().map((a) => new IpAddress(a, 25)),
    fc.array(tie('v'), { maxLength: 4 }),
    fc
      .uniqueArray(fc.tuple(fc.string({ maxLength: 8 }), tie('v')), { maxLength: 4, selector: ([k]) => k })
      .map((entries) => new Map(entries)),
  ),
})).v;

describe('the CLI data format', () => {
  it('reads back every value it writes, on one line', () => {
    fc.assert(
      fc.property(value, (v) => {
        const text = encodeCli(v);
        expect(text).not.toMatch(/[\r\n]/);
        const back = decodeCli(text);
        expect(back.ok).toBe(true);
        if (back.ok) expect(cliEqual(back.value, v)).toBe(true);
      }),
    );
  });

  it('reads the documented examples', () => {
    const ok = (text: string) => {
      const r = decodeCli(text);
      if (!r.ok) throw new Error(`${text}: ${r.error} at ${r.at}`);
      return r.value;
    };
    expect(ok('MyName')).toBe('MyName');
    expect(ok('"My Name with spaces and the . symbol"')).toBe('My Name with spaces and the . symbol');
    expect(ok('"a \\"string\\" within string"')).toBe('a "string" within string');
    expect(ok('"Single \\\\ backslash"')).toBe('Single \\ backslash');
    expect(ok('"Line1\\eLine2"')).toBe('Line1\nLine2');
    expect(ok('"Using the \\012 symbol"')).toBe('Using the \f symbol'); // decimal 12
    expect([...(ok('[HcqHfHI=]') as Uint8Array)]).toEqual([0x1d, 0xca, 0x87, 0x7c, 0x72]);
    expect(ok('#-25')).toBe(-25n);
    expect(ok('(mail.servername.com, client1.com, client2.com)')).toEqual([
      'mail.servername.com',
      'client1.com',
      'client2.com',
    ]);
    expect((ok('#T22-10-2008_12:05:00') as Date).toISOString()).toBe('2008-10-22T12:05:00.000Z');
    const d = ok('{ "callback.sppr" = {STSize=#822; STModified=#T04-12-2026_18:22:00;}; Key = (a, "b c"); }');
    expect(d).toBeInstanceOf(Map);
    expect(((d as Map<string, CliValue>).get('callback.sppr') as Map<string, CliValue>).get('STSize')).toBe(822n);
  });

  it('joins a datablock or a string sent in parts and over several lines', () => {
    const parts = decodeCli('{\n  data = [SGVs\n  bG8=]\n  [IHdvcmxk];\n  s = "ab"\n   "cd";\n}\n');
    expect(parts.ok).toBe(true);
    if (!parts.ok) return;
    const m = parts.value as Map<string, CliValue>;
    expect(Buffer.from(m.get('data') as Uint8Array).toString()).toBe('Hello world');
    expect(m.get('s')).toBe('abcd');
  });

  it('says what is wrong and where', () => {
    expect(decodeCli('{a=b;')).toMatchObject({ ok: false, error: "a dictionary without its closing '}'" });
    expect(decodeCli('(a,b')).toMatchObject({ ok: false, at: 4 });
    expect(decodeCli('"abc')).toMatchObject({ ok: false, error: 'unterminated string', at: 0 });
    expect(decodeCli('[!!]')).toMatchObject({ ok: false, error: 'bad base64 in a datablock' });
    expect(decodeCli('#99999999999999999999')).toMatchObject({ ok: false });
    expect(decodeCli('#T31-02-2020')).toMatchObject({ ok: false, error: "bad timestamp '#T31-02-2020'" });
    expect(decodeCli('"\\q"')).toMatchObject({ ok: false, error: "unknown escape '\\q'" });
    expect(decodeCli('a b')).toMatchObject({ ok: false, error: 'extra text after the value', at: 2 });
    expect(decodeCli('(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((())')).toMatchObject({
      ok: false,
      error: 'nested too deep',
    });
  });

  it('never throws on any text, and an error is inside the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.string({ unit: fc.constantFrom(...'{}()[]=;,"\\#TNUL0123456789-_:. \n\rabI'), maxLength: 60 }),
          value.map((v) => encodeCli(v)).chain((t) => fc.nat(t.length).map((n) => t.slice(0, n))),
        ),
        (text) => {
          const r = decodeCli(text);
          if (!r.ok) expect(r.at).toBeGreaterThanOrEqual(0);
          if (!r.ok) expect(r.at).toBeLessThanOrEqual(text.length);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('quotes anything that is not letters and digits', () => {
    expect(quoteString('company')).toBe('company');
    expect(quoteString('company.com')).toBe('"company.com"');
    expect(quoteString('')).toBe('""');
    expect(quoteString('russian/Привет.wav')).toBe('"russian/Привет.wav"');
  });
});

describe('the PWD protocol lines', () => {
  it('parses reply lines and refuses everything else', () => {
    expect(parseReplyLine('200 OK')).toEqual({ code: 200, text: 'OK' });
    expect(parseReplyLine('201 {a=b;}\r\n')).toEqual({ code: 201, text: '{a=b;}' });
    expect(parseReplyLine('300 please send the PASS')).toEqual({ code: 300, text: 'please send the PASS' });
    expect(parseReplyLine('501')).toEqual({ code: 501, text: '' });
    for (const bad of ['', 'OK', '20 OK', '2000 OK', '200OK', ' 200 OK', '099 x'])
      expect(parseReplyLine(bad)).toBeNull();
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (line) => {
        const r = parseReplyLine(line);
        if (r) expect(r.code).toBeGreaterThanOrEqual(100);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 999 }), fc.string({ maxLength: 40 }), (code, text) => {
        const clean = text.replace(/[\r\n]/g, '');
        expect(parseReplyLine(`${code} ${clean}`)).toEqual({ code, text: clean });
      }),
    );
  });

  it('finds the challenge and computes the APOP digest (RFC 1939 example)', () => {
    const greeting = '200 CommuniGate Pro PWD Server ready <1896.697170952@dbc.mtview.ca.us>';
    expect(challengeOf(greeting)).toBe('<1896.697170952@dbc.mtview.ca.us>');
    expect(apopDigest('<1896.697170952@dbc.mtview.ca.us>', 'tanstaaf')).toBe('c4c9334bac560ecc979e58001b3e22fb');
    expect(challengeOf('200 PWD ready')).toBeNull();
    expect(challengeOf('200 ready <>')).toBe('<>');
  });

  it('keeps passwords and digests out of transcripts and shortens data', () => {
    expect(maskCommand('PASS secret')).toBe('PASS ********');
    expect(maskCommand('APOP postmaster c4c9334bac560ecc979e58001b3e22fb')).toBe('APOP postmaster <digest>');
    const line = `STOREDOMAINPBXFILE "a.com" FILE "x.wav" DATA [${Buffer.alloc(300).toString('base64')}]`;
    expect(maskCommand(line)).toBe('STOREDOMAINPBXFILE "a.com" FILE "x.wav" DATA [AAAAAAAAAAAAAAAA… 300 bytes]');
    expect(abbreviateData('[SGVsbG8=]')).toBe('[SGVsbG8=]');
  });
});
