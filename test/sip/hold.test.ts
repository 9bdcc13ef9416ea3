// Hold by re-INVITE, measured where it matters: a Node UDP socket is the caller's RTP port and
// counts what we send. SIP is driven with raw UDP messages so the test sees every response.
import { afterEach, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import { startHarness, type Harness } from './helpers';
import { holdsFor, waitFor } from '../helpers/waitFor';

let harness: Harness | null = null;
const sockets: dgram.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await harness?.close();
  harness = null;
});

async function bound(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  sockets.push(s);
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return s;
}

/** A caller with one dialog, speaking raw SIP over UDP; responses are collected as they come. */
class RawCaller {
  private toTag = '';
  private readonly responses: string[] = [];
  private readonly callId = `hold-${Math.random().toString(36).slice(2)}`;

  constructor(
    private readonly sip: dgram.Socket,
    private readonly serverPort: number,
    private readonly rtpPort: number,
  ) {
    sip.on('message', (m) => {
      const text = m.toString('latin1');
      if (text.startsWith('SIP/2.0 ')) this.responses.push(text);
      // The server's BYE (the flow ended): answer it so it does not retransmit.
      else if (text.startsWith('BYE ')) this.reply200(text);
    });
  }

  sdp(extra: string, address = '127.0.0.1'): string {
    return (
      `v=0\r\no=raw 1 ${Date.now() % 100000} IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 ${address}\r\nt=0 0\r\n` +
      `m=audio ${this.rtpPort} RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n${extra}`
    );
  }

  /** Sends an INVITE (re-INVITE once the dialog exists), waits for its 200 and ACKs it; returns the 200. */
  async invite(cseq: number, sdp: string): Promise<string> {
    const to = `<sip:callback@127.0.0.1>${this.toTag ? `;tag=${this.toTag}` : ''}`;
    this.send(this.request('INVITE', cseq, to, 'application/sdp', sdp));
    const ok = await this.response(cseq, 'INVITE', 200);
    this.toTag ||= /^To:.*;tag=([^;\s]+)/im.exec(ok)?.[1] ?? '';
    this.send(this.request('ACK', cseq, `<sip:callback@127.0.0.1>;tag=${this.toTag}`));
    return ok;
  }

  async bye(cseq: number): Promise<void> {
    this.send(this.request('BYE', cseq, `<sip:callback@127.0.0.1>;tag=${this.toTag}`));
    await this.response(cseq, 'BYE', 200);
  }

  private response(cseq: number, method: string, status: number): Promise<string> {
    return waitFor(
      `${status} for ${method} ${cseq}`,
      () =>
        this.responses.find(
          (r) => r.startsWith(`SIP/2.0 ${status} `) && new RegExp(`^CSeq:\\s*${cseq} ${method}`, 'im').test(r),
        ),
      { timeoutMs: 5000 },
    );
  }

  private request(method: string, cseq: number, to: string, type?: string, body = ''): string {
    const port = this.sip.address().port;
    return (
      `${method} sip:callback@127.0.0.1:${this.serverPort} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${this.callId}-${cseq}${method === 'ACK' ? 'a' : ''}\r\n` +
      `From: <sip:raw@127.0.0.1>;tag=raw${this.callId}\r\nTo: ${to}\r\nCall-ID: ${this.callId}\r\nCSeq: ${cseq} ${method}\r\n` +
      `Contact: <sip:raw@127.0.0.1:${port}>\r\nMax-Forwards: 70\r\n${type ? `Content-Type: ${type}\r\n` : ''}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    );
  }

  private reply200(rq: string): void {
    const keep = rq.split('\r\n').filter((l) => /^(Via|From|To|Call-ID|CSeq):/i.test(l));
    this.send(`SIP/2.0 200 OK\r\n${keep.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`);
  }

  private send(text: string): void {
    this.sip.send(Buffer.from(text, 'latin1'), this.serverPort, '127.0.0.1');
  }
}

/** RTP packets arriving at the caller's media port. */
function counter(rtp: dgram.Socket): { count: number; last: number } {
  const c = { count: 0, last: 0 };
  rtp.on('message', (m) => {
    if (m.length >= 12 && m[0]! >> 6 === 2) {
      c.count++;
      c.last = Date.now();
    }
  });
  return c;
}

const until = (check: () => boolean, what: string) => waitFor(what, check, { timeoutMs: 5000 });

describe('hold by re-INVITE: no RTP towards a caller who holds', () => {
  for (const [how, held] of [
    ['a=sendonly', (c: RawCaller) => c.sdp('a=sendonly\r\n')],
    ['a=inactive', (c: RawCaller) => c.sdp('a=inactive\r\n')],
    ['c=0.0.0.0', (c: RawCaller) => c.sdp('', '0.0.0.0')],
  ] as const)
    for (const mediaWorkers of how === 'a=sendonly' ? [0, 1] : [0]) {
      it(`${how}${mediaWorkers ? ' (RTP on a media worker)' : ''}: audio stops while held and resumes after unhold`, async () => {
        harness = await startHarness({ mediaWorkers });
        const rtp = await bound();
        const packets = counter(rtp);
        const caller = new RawCaller(await bound(), harness.server.port, rtp.address().port);

        const answer = await caller.invite(1, caller.sdp(''));
        expect(answer).toContain('a=sendrecv');
        await until(() => packets.count >= 10, 'RTP before hold');

        const holdAnswer = await caller.invite(2, held(caller));
        expect(holdAnswer).toMatch(
          how === 'a=sendonly' ? /a=recvonly/ : how === 'a=inactive' ? /a=inactive/ : /a=sendrecv/,
        );
        // Packets already in flight when the 200 went out may still land; then nothing should.
        await waitFor('the stream to go quiet', () => Date.now() - packets.last > 100);
        const atHold = packets.count;
        await holdsFor('no RTP while held', () => packets.count === atHold, 600);

        await caller.invite(3, caller.sdp('a=sendrecv\r\n'));
        const atUnhold = packets.count;
        await until(() => packets.count >= atUnhold + 10, 'RTP after unhold');

        await caller.bye(4);
        await harness.endedCalls(1);
        const logs = harness.ended[0]!.call.trace.ofKind('log').map((e) => e.text);
        expect(logs.filter((t) => t.startsWith('re-INVITE'))).toHaveLength(2);
      });
    }
});
