// Hostile input over UDP: the RFC 4475 torture messages that sip@0.0.6 ships and a seeded mutation
// fuzzer. The server must never die and must still answer a good OPTIONS and INVITE afterwards.
import { afterEach, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { startHarness, udpExchange, type Harness } from './helpers';

const TORTURE = path.join(import.meta.dirname, '../../node_modules/sip/test/messages');

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

function invite(port: number, user: string, callId: string, extra = ''): string {
  const sdp =
    'v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n';
  return (
    `INVITE sip:${user}@127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:40001;branch=z9hG4bK${callId}\r\nFrom: <sip:fuzz@127.0.0.1>;tag=f${callId}\r\n` +
    `To: <sip:${user}@127.0.0.1>\r\nCall-ID: ${callId}\r\nCSeq: 1 INVITE\r\nContact: <sip:fuzz@127.0.0.1:40001>\r\nMax-Forwards: 70\r\n${extra}` +
    `Content-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`
  );
}

function options(port: number, callId: string): string {
  return (
    `OPTIONS sip:callback@127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:40002;branch=z9hG4bKo${callId}\r\nFrom: <sip:probe@127.0.0.1>;tag=o${callId}\r\n` +
    `To: <sip:callback@127.0.0.1>\r\nCall-ID: ${callId}\r\nCSeq: 7 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`
  );
}

/** Every response to one request within ms. */
async function responses(port: number, text: string, ms: number): Promise<string[]> {
  const s = dgram.createSocket('udp4');
  const got: string[] = [];
  s.on('message', (m) => got.push(m.toString('latin1').split('\r\n')[0]!));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  s.send(Buffer.from(text, 'latin1'), port, '127.0.0.1');
  await new Promise((r) => setTimeout(r, ms));
  s.close();
  return got;
}

async function stillAnswers(h: Harness, tag: string): Promise<void> {
  expect(await udpExchange(h.server.port, options(h.server.port, `alive-${tag}`), 2000)).toMatch(/^SIP\/2\.0 200 OK/);
  const got = await responses(h.server.port, invite(h.server.port, 'callback', `good-${tag}`), 1000);
  expect(got).toContain('SIP/2.0 200 OK');
}

describe('robustness over UDP', () => {
  it('survives the RFC 4475 torture messages, answering 400 to parseable bad ones', async () => {
    harness = await startHarness({ maxCalls: 500 });
    const files = (await readdir(TORTURE)).filter((f) => f.endsWith('.dat')).sort();
    expect(files.length).toBeGreaterThan(30);
    const s = dgram.createSocket('udp4');
    const answers: string[] = [];
    s.on('message', (m) => answers.push(m.toString('latin1').split('\r\n')[0]!));
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    for (const f of files) {
      const bytes = await readFile(path.join(TORTURE, f));
      s.send(bytes, harness.server.port, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 300));
    s.close();
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.some((a) => a.startsWith('SIP/2.0 400 '))).toBe(true);
    await stillAnswers(harness, 'torture');
  });

  it('answers 400 when the CSeq method does not match, 483 at Max-Forwards 0, 416 for a tel: URI', async () => {
    harness = await startHarness();
    const port = harness.server.port;
    const bad = invite(port, 'callback', 'bad-cseq').replace('CSeq: 1 INVITE', 'CSeq: 1 OPTIONS');
    expect(await udpExchange(port, bad, 1000)).toMatch(/^SIP\/2\.0 400 /);
    expect(
      await udpExchange(port, invite(port, 'callback', 'hops').replace('Max-Forwards: 70', 'Max-Forwards: 0'), 1000),
    ).toMatch(/^SIP\/2\.0 483 /);
    expect(
      await udpExchange(port, invite(port, 'callback', 'tel').replace(/^INVITE \S+/, 'INVITE tel:+1-555-0100'), 1000),
    ).toMatch(/^SIP\/2\.0 416 /);
  });

  it('a seeded mutation fuzzer (300 INVITEs) never kills it', async () => {
    harness = await startHarness({ maxCalls: 1000, ring: false });
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
          let text = invite(port, user, `fz${n++}`);
          for (const m of muts) text = mutate(text, m);
          s.send(Buffer.from(text, 'latin1'), port, '127.0.0.1');
          if (n % 20 === 0) await new Promise((r) => setTimeout(r, 5));
          return true;
        },
      ),
      { seed: 4475, numRuns: 300 },
    );
    await new Promise((r) => setTimeout(r, 300));
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
