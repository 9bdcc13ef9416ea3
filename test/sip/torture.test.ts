// RFC 3261 hygiene on malformed and unusual requests, one case per rule, each with the answer RFC 3261
// (and the RFC 4475 torture-test advice) calls for. Our own messages in the spirit of RFC 4475; the
// server must also stay up and keep serving after all of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRawSockets, SipPeer, sdpOffer, type RawMessage } from './raw';
import { startHarness, type Harness } from './helpers';
import { holdsFor } from '../helpers/waitFor';

let harness: Harness;
let peer: SipPeer;
beforeAll(async () => {
  harness = await startHarness({ maxCalls: 500, ring: false });
  peer = await SipPeer.open();
});
afterAll(async () => {
  closeRawSockets();
  await harness.close();
});

let seq = 0;

/** A request from a template; `edit` rewrites its text (headers are CRLF-separated lines). */
function message(
  method: string,
  edit: (text: string) => string = (t) => t,
  body = '',
): { text: string; callId: string } {
  const callId = `torture-${++seq}`;
  const port = harness.server.port;
  const hp = peer.hostport;
  const lines = [
    `${method} sip:callback@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP ${hp};branch=z9hG4bK-t${seq};rport`,
    `From: "Tester" <sip:tester@${hp}>;tag=t${seq}`,
    `To: <sip:callback@127.0.0.1:${port}>`,
    `Call-ID: ${callId}`,
    `CSeq: 1 ${method}`,
    `Contact: <sip:tester@${hp}>`,
    'Max-Forwards: 70',
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return { text: edit(`${lines.join('\r\n')}\r\n\r\n${body}`), callId };
}

const invite = (edit?: (t: string) => string) => message('INVITE', edit, sdpOffer('127.0.0.1', 40000));
const options = (edit?: (t: string) => string) => message('OPTIONS', edit);

async function answer(m: { text: string; callId: string }, bytes?: Buffer): Promise<RawMessage> {
  peer.send(bytes ?? m.text, { address: '127.0.0.1', port: harness.server.port });
  return peer.waitFor(
    (r) => r.status !== null && r.status >= 200 && r.header('call-id') === m.callId,
    `a final response for ${m.callId}`,
  );
}

const header = (name: string, value: string) => (t: string) =>
  t.replace('\r\nMax-Forwards', `\r\n${name}: ${value}\r\nMax-Forwards`);

describe('RFC 3261 hygiene: each deviation gets the right answer', () => {
  const cases: [string, () => { text: string; callId: string }, number, ((r: RawMessage) => void)?][] = [
    // §18.3: a datagram that ends before Content-Length bytes of body is a Bad Request.
    [
      'Content-Length larger than the datagram → 400',
      () => invite((t) => t.replace(/Content-Length: \d+/, 'Content-Length: 9999')),
      400,
    ],
    ['bytes beyond Content-Length are discarded', () => options((t) => `${t}GARBAGE AFTER THE MESSAGE`), 200],
    [
      'a negative Content-Length → 400',
      () => options((t) => t.replace('Content-Length: 0', 'Content-Length: -1')),
      400,
    ],
    [
      'a Content-Length of 20 digits → 400',
      () => options((t) => t.replace('Content-Length: 0', 'Content-Length: 99999999999999999999')),
      400,
    ],
    ['two Content-Length headers → 400', () => options(header('Content-Length', '0')), 400],
    // §20: Call-ID, CSeq, From, To, Max-Forwards appear once.
    ['two Call-ID headers → 400', () => options(header('Call-ID', 'another-one')), 400],
    ['two CSeq headers → 400', () => options(header('CSeq', '2 OPTIONS')), 400],
    ['two From headers → 400', () => options(header('From', '<sip:other@127.0.0.1>;tag=x')), 400],
    ['two To headers → 400', () => options(header('To', '<sip:other@127.0.0.1>')), 400],
    ['two Max-Forwards headers → 400', () => options(header('Max-Forwards', '69')), 400],
    [
      'Max-Forwards that is not a number → 400',
      () => options((t) => t.replace('Max-Forwards: 70', 'Max-Forwards: seventy')),
      400,
    ],
    [
      'a CSeq method that does not match → 400',
      () => invite((t) => t.replace('CSeq: 1 INVITE', 'CSeq: 1 OPTIONS')),
      400,
    ],
    [
      'a CSeq number over 2^31 - 1 → 400',
      () => options((t) => t.replace('CSeq: 1 OPTIONS', 'CSeq: 4294967296 OPTIONS')),
      400,
    ],
    ['no Call-ID → 400', () => options((t) => t.replace(/\r\nCall-ID: [^\r]+/, '\r\nX-Call: gone')), -1],
    // §8.2.2.3: an unsupported extension in Require → 420 listing it in Unsupported.
    [
      'Require: an unknown option → 420 with Unsupported',
      () => invite(header('Require', 'nosuchext, 100rel')),
      420,
      (r) => expect(r.header('unsupported')).toMatch(/nosuchext/),
    ],
    ['Proxy-Require is for proxies: ignored by us', () => options(header('Proxy-Require', 'nosuchext')), 200],
    // Max-Forwards 0: we answer 483 to what would have to go further; OPTIONS is answered (§11).
    ['INVITE with Max-Forwards 0 → 483', () => invite((t) => t.replace('Max-Forwards: 70', 'Max-Forwards: 0')), 483],
    ['OPTIONS with Max-Forwards 0 → 200', () => options((t) => t.replace('Max-Forwards: 70', 'Max-Forwards: 0')), 200],
    // §8.2.1 / §21.5.6: another version → 505, and our reply still says SIP/2.0.
    [
      'SIP/7.0 → 505 in a SIP/2.0 status line',
      () => options((t) => t.replace(/ SIP\/2\.0\r\n/, ' SIP/7.0\r\n')),
      505,
      (r) => expect(r.firstLine).toBe('SIP/2.0 505 Version Not Supported'),
    ],
    // A method is a token: REGIS%54ER is an unknown method, not REGISTER with an escape.
    [
      'a %-escaped method is not decoded → 501',
      () => message('REGIS%54ER'),
      501,
      (r) => expect(r.header('allow')).toMatch(/INVITE/),
    ],
    [
      'an unknown method → 501 with Allow',
      () => message('FROBNICATE'),
      501,
      (r) => expect(r.header('allow')).toMatch(/INVITE/),
    ],
    ['a method in lower case is another method → 501', () => message('invite'), 501],
    // §8.2.3: a body we cannot read → 415 with Accept / Accept-Encoding.
    [
      'INVITE with a text/plain body → 415 with Accept',
      () => invite((t) => t.replace('Content-Type: application/sdp', 'Content-Type: text/plain')),
      415,
      (r) => expect(r.header('accept')).toMatch(/application\/sdp/),
    ],
    [
      'INVITE with Content-Encoding: gzip → 415 with Accept-Encoding',
      () => invite(header('Content-Encoding', 'gzip')),
      415,
      (r) => expect(r.header('accept-encoding')).toBe('identity'),
    ],
    // §21.4.7: the answer would be SDP and the caller accepts no SDP → 406.
    ['INVITE accepting only text/html → 406', () => invite(header('Accept', 'text/html')), 406],
    // §8.2.2.1 / §21.4.17: a tel: Request-URI → 416.
    ['a tel: Request-URI → 416', () => invite((t) => t.replace(/^INVITE \S+/, 'INVITE tel:+1-555-0100')), 416],
    [
      'a Request-URI with a raw space-free but unparseable host → 400',
      () => options((t) => t.replace(/^OPTIONS \S+/, 'OPTIONS sip:callback@[127.0.0.1')),
      400,
    ],
    [
      'an unescaped # in the Request-URI user → 400',
      () => invite((t) => t.replace('sip:callback@', 'sip:callback#petrov@')),
      400,
    ],
    // Valid oddities (RFC 4475 §3.1.1): folded headers, compact names, escapes, odd spacing, LF only.
    [
      'folded header lines are one header',
      () => options((t) => t.replace('Max-Forwards: 70', 'Max-Forwards:\r\n   70')),
      200,
    ],
    [
      'compact header names (v, f, t, i, l)',
      () =>
        options((t) =>
          t
            .replace('Via:', 'v:')
            .replace('From:', 'f:')
            .replace('\r\nTo:', '\r\nt:')
            .replace('Call-ID:', 'i:')
            .replace('Content-Length:', 'l:'),
        ),
      200,
    ],
    [
      'header names in any case, no space after the colon',
      () => options((t) => t.replace('Call-ID: ', 'call-id:').replace('CSeq: ', 'CSEQ:   ')),
      200,
    ],
    [
      'an escaped Request-URI user (%63allback) is routed to callback',
      () => invite((t) => t.replace('INVITE sip:callback@', 'INVITE sip:%63allback@')),
      200,
    ],
    [
      'a quoted display name with escaped quote and UTF-8',
      () => options((t) => t.replace('"Tester"', '"Te\\"st Ёж"')),
      200,
    ],
    ['bare LF line ends', () => options((t) => t.replace(/\r\n/g, '\n')), 200],
    [
      'a Via branch without the magic cookie (RFC 2543)',
      () => options((t) => t.replace(/branch=z9hG4bK-t\d+/, 'branch=old-style-1')),
      200,
    ],
    [
      'unknown headers and Request-URI parameters are ignored',
      () =>
        options((t) =>
          t
            .replace(/(OPTIONS sip:\S+)/, '$1;x-foo=bar;lr')
            .replace('\r\nMax-Forwards', '\r\nX-Whatever: ;;;,,,\r\nMax-Forwards'),
        ),
      200,
    ],
    // In-dialog requests for no dialog.
    ['BYE for no dialog → 481', () => message('BYE', (t) => t.replace(/^(To: [^\r]+)/m, '$1;tag=nosuch')), 481],
    ['CANCEL for no transaction → 481', () => message('CANCEL'), 481],
    ['INFO for no dialog → 481', () => message('INFO', (t) => t.replace(/^(To: [^\r]+)/m, '$1;tag=nosuch')), 481],
    ['a re-INVITE for no dialog → 481', () => invite((t) => t.replace(/^(To: [^\r]+)/m, '$1;tag=nosuch')), 481],
    ['INVITE without a body (late offer) → 488', () => message('INVITE'), 488],
  ];

  for (const [name, build, status, check] of cases)
    it(name, async () => {
      const m = build();
      if (status === -1) {
        // No Call-ID: nothing to answer by Call-ID; the peer gets a 400 that has none.
        peer.send(m.text, { address: '127.0.0.1', port: harness.server.port });
        const r = await peer.waitFor(
          (x) => x.status === 400 && x.header('cseq') === '1 OPTIONS' && !x.header('call-id'),
          'a 400 without Call-ID',
        );
        expect(r.status).toBe(400);
        return;
      }
      const r = await answer(m);
      expect(r.status, r.firstLine).toBe(status);
      check?.(r);
    });

  it('a Warning header carries UTF-8 text (a 404 for a Cyrillic name)', async () => {
    const m = message(
      'INVITE',
      (t) => t.replace('sip:callback@', 'sip:%D0%BD%D0%B5%D1%82@'),
      sdpOffer('127.0.0.1', 40000),
    );
    const r = await answer(m);
    expect(r.status).toBe(404);
    expect(r.header('warning')).toContain('нет');
    expect(r.bytes.includes(Buffer.from('нет', 'utf8'))).toBe(true);
  });

  it('no Via, or a Via it cannot read: nothing is sent (there is nowhere to answer)', async () => {
    const before = peer.received.length;
    peer.send(options((t) => t.replace(/\r\nVia: [^\r]+/, '')).text, {
      address: '127.0.0.1',
      port: harness.server.port,
    });
    peer.send(options((t) => t.replace(/Via: SIP\/2\.0\/UDP [^;]+/, 'Via: SIP/2.0/UDP')).text, {
      address: '127.0.0.1',
      port: harness.server.port,
    });
    peer.send(Buffer.from([0x00, 0xff, 0x13, 0x37]), { address: '127.0.0.1', port: harness.server.port });
    await holdsFor('no answer to any of them', () => peer.received.length === before, 300);
  });

  it('header bytes that are not UTF-8 → 400', async () => {
    const m = options();
    const bytes = Buffer.from(m.text.replace('"Tester"', '"T__r"'), 'utf8');
    const at = bytes.indexOf('__');
    bytes[at] = 0xc3;
    bytes[at + 1] = 0x28; // an invalid two-byte sequence
    expect((await answer(m, bytes)).status).toBe(400);
  });

  it('still answers a good OPTIONS and INVITE after all of the above', async () => {
    expect((await answer(options())).status).toBe(200);
    const m = invite();
    const r = await answer(m);
    expect(r.status).toBe(200);
  });
});
