// Hostile input over UDP: a seeded mutation fuzzer (the rule-by-rule cases are in torture.test.ts).
// The server must never die and must still answer a good OPTIONS and INVITE afterwards.
import { afterEach, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import fc from 'fast-check';
import { startHarness, type Harness } from './helpers';
import { closeRawSockets, RawCall, SipPeer, request, sdpOffer } from './raw';

let harness: Harness | null = null;
afterEach(async () => {
  closeRawSockets();
  await harness?.close();
  harness = null;
});

function invite(port: number, user: string, callId: string, from: string): string {
  const sdp =
    'v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n';
  return (
    `INVITE sip:${user}@127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP ${from};branch=z9hG4bK${callId}\r\nFrom: <sip:fuzz@127.0.0.1>;tag=f${callId}\r\n` +
    `To: <sip:${user}@127.0.0.1>\r\nCall-ID: ${callId}\r\nCSeq: 1 INVITE\r\nContact: <sip:fuzz@${from}>\r\nMax-Forwards: 70\r\n` +
    `Content-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`
  );
}

async function stillAnswers(h: Harness, tag: string): Promise<void> {
  const peer = await SipPeer.open();
  const server = { address: '127.0.0.1', port: h.server.port };
  peer.send(
    request({
      method: 'OPTIONS',
      uri: `sip:callback@127.0.0.1:${server.port}`,
      hostport: peer.hostport,
      callId: `alive-${tag}`,
    }),
    server,
  );
  expect((await peer.finalResponse(`alive-${tag}`, 'OPTIONS')).status).toBe(200);
  const call = new RawCall(peer, server, 'callback');
  call.invite(sdpOffer('127.0.0.1', 40000));
  expect((await call.final()).status).toBe(200);
}

describe('robustness over UDP', () => {
  it('a seeded mutation fuzzer (300 INVITEs) never kills it', async () => {
    harness = await startHarness({ maxCalls: 1000, maxCallsPerSource: 1000, ring: false });
    const port = harness.server.port;
    const s = dgram.createSocket('udp4');
    s.on('message', () => undefined);
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('dropLine' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('dupLine' as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        text: fc.constantFrom(
          '\r\n',
          ':',
          ';',
          '<',
          '>',
          '"',
          '\0',
          '%',
          '=',
          ' ',
          '9999999999999999999',
          'ÿ',
          ',',
          '@',
        ),
      }),
      fc.record({ kind: fc.constant('lf' as const) }),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('callback', 'nobody', 'ivanov', 'callback%23petrov'),
        async (muts, user) => {
          let text = invite(port, user, `fz${n++}`, `127.0.0.1:${s.address().port}`);
          for (const m of muts) text = mutate(text, m);
          s.send(Buffer.from(text, 'latin1'), port, '127.0.0.1');
          if (n % 20 === 0) await new Promise((r) => setTimeout(r, 5));
          return true;
        },
      ),
      { seed: 4475, numRuns: 300 },
    );
    s.close();
    await stillAnswers(harness, 'fuzz');
    expect(harness.errors.filter((e) => !e.startsWith('sip:'))).toEqual([]);
  });
});

type Mutation =
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'cut'; at: number }
  | { kind: 'dropLine'; at: number }
  | { kind: 'dupLine'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'lf' };

function mutate(text: string, m: Mutation): string {
  const at = 'at' in m ? m.at % Math.max(1, text.length) : 0;
  const lines = text.split('\r\n');
  const line = 'at' in m ? m.at % lines.length : 0;
  switch (m.kind) {
    case 'byte':
      return text.slice(0, at) + String.fromCharCode(m.value) + text.slice(at + 1);
    case 'cut':
      return text.slice(0, Math.max(1, at));
    case 'dropLine':
      return lines.filter((_, i) => i !== line).join('\r\n');
    case 'dupLine':
      return [...lines.slice(0, line + 1), ...lines.slice(line)].join('\r\n');
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'lf':
      return text.replace(/\r\n/g, '\n');
  }
}
