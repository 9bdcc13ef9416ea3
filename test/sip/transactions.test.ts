// RFC 3261 §17 as a peer sees it, over real UDP and TCP with T1 shortened to 40 ms: retransmitted
// requests are answered again but reach the program once; responses are resent until acknowledged
// and then stop; our own BYE is resent until answered; TCP framing holds across segments.
import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { closeRawSockets, RawCall, RtpPeer, SipPeer, request, sdpOffer, type RawMessage } from './raw';
import { startHarness, type Harness } from './helpers';
import { holdsFor, waitFor } from '../helpers/waitFor';

const t1 = 40;
let harness: Harness | null = null;
afterEach(async () => {
  closeRawSockets();
  await harness?.close();
  harness = null;
});

const server = (h: Harness) => ({ address: '127.0.0.1', port: h.server.port });
const count = (peer: SipPeer, callId: string, status: number) =>
  peer.responsesTo(callId).filter((m) => m.status === status).length;

describe('server transactions', () => {
  it('a retransmitted INVITE gets the last response again and starts one call', async () => {
    harness = await startHarness({ timers: { t1 } });
    const peer = await SipPeer.open();
    const rtp = await RtpPeer.open();
    const call = new RawCall(peer, server(harness), 'callback');
    const branch = `z9hG4bK-retrans-${Date.now()}`;
    call.invite(sdpOffer('127.0.0.1', rtp.port), { branch });
    await call.final();
    call.invite(sdpOffer('127.0.0.1', rtp.port), { branch });
    await waitFor('the 200 again', () => count(peer, call.callId, 200) >= 2);
    expect(harness.started).toHaveLength(1);
    expect(harness.server.counters.invites).toBe(1);
  });

  it('the 2xx is resent (T1, 2·T1, 4·T1…) until the ACK, then no more', async () => {
    harness = await startHarness({ timers: { t1 } });
    const peer = await SipPeer.open();
    const rtp = await RtpPeer.open();
    const call = new RawCall(peer, server(harness), 'callback');
    call.invite(sdpOffer('127.0.0.1', rtp.port));
    await waitFor('three copies of the 200', () => count(peer, call.callId, 200) >= 3);
    const ok = await call.final();
    call.toTag = /;tag=([^;\s>]+)/.exec(ok.header('to') ?? '')![1]!;
    call.ack();
    const is200 = (m: RawMessage) => m.status === 200 && m.header('call-id') === call.callId;
    await peer.quiet(is200, 4 * t1, 'copies of the 200 in flight to land');
    const afterAck = count(peer, call.callId, 200);
    await holdsFor('no 200 after the ACK', () => count(peer, call.callId, 200) === afterAck, 16 * t1);
    const times = peer.responsesTo(call.callId).filter((m) => m.status === 200);
    expect(times.length).toBeLessThan(8);
    await call.bye();
  });

  it('a non-2xx final is resent until its ACK (Timer G), which stops it', async () => {
    harness = await startHarness({ timers: { t1 } });
    const peer = await SipPeer.open();
    const call = new RawCall(peer, server(harness), 'nobody');
    const branch = `z9hG4bK-404-${Date.now()}`;
    call.invite(sdpOffer('127.0.0.1', 40000), { branch });
    await waitFor('the 404 three times', () => count(peer, call.callId, 404) >= 3);
    const notFound = peer.responsesTo(call.callId).find((m) => m.status === 404)!;
    const toTag = /;tag=([^;\s>]+)/.exec(notFound.header('to') ?? '')![1]!;
    // The ACK for a non-2xx belongs to the INVITE's transaction: the same branch.
    peer.send(
      request({ method: 'ACK', uri: call.uri, hostport: peer.hostport, callId: call.callId, branch, toTag }),
      server(harness),
    );
    await peer.quiet((m) => m.status === 404, 4 * t1, 'copies of the 404 in flight to land');
    const atAck = count(peer, call.callId, 404);
    await holdsFor('no 404 after the ACK', () => count(peer, call.callId, 404) === atAck, 16 * t1);
  });

  it('a retransmitted BYE is answered again; CANCEL after the answer changes nothing', async () => {
    harness = await startHarness({ timers: { t1 } });
    const peer = await SipPeer.open();
    const rtp = await RtpPeer.open();
    const call = new RawCall(peer, server(harness), 'callback');
    const branch = `z9hG4bK-cancel-late-${Date.now()}`;
    call.invite(sdpOffer('127.0.0.1', rtp.port), { branch });
    const ok = await call.final();
    call.toTag = /;tag=([^;\s>]+)/.exec(ok.header('to') ?? '')![1]!;
    call.ack();
    peer.send(
      request({ method: 'CANCEL', uri: call.uri, hostport: peer.hostport, callId: call.callId, branch }),
      server(harness),
    );
    await peer.waitFor((m) => m.status === 200 && m.header('cseq') === '1 CANCEL', 'the 200 for CANCEL');
    expect(peer.responsesTo(call.callId).some((m) => m.status === 487)).toBe(false);
    expect(harness.server.calls.size).toBe(1);
    const byeBranch = `z9hG4bK-bye-${Date.now()}`;
    const bye = request({
      method: 'BYE',
      uri: call.uri,
      hostport: peer.hostport,
      callId: call.callId,
      cseq: 2,
      branch: byeBranch,
      toTag: call.toTag,
    });
    peer.send(bye, server(harness));
    peer.send(bye, server(harness));
    await waitFor(
      'two 200s for the BYE',
      () => peer.responsesTo(call.callId).filter((m) => m.header('cseq') === '2 BYE').length >= 2,
    );
    await harness.endedCalls(1);
    expect(harness.ended[0]!.result.endedBy).toBe('caller');
  });
});

describe('client transactions', () => {
  it('our BYE is resent over UDP until the peer answers', async () => {
    harness = await startHarness({ timers: { t1 } });
    const peer = await SipPeer.open();
    const rtp = await RtpPeer.open();
    const call = new RawCall(peer, server(harness), 'callback');
    await call.establish(sdpOffer('127.0.0.1', rtp.port));
    peer.answerRequests = false;
    await harness.server.endCalls(10);
    await waitFor('our BYE three times', () => peer.received.filter((m) => m.method === 'BYE').length >= 3);
    const bye = peer.received.find((m) => m.method === 'BYE')!;
    peer.reply(bye, 200, 'OK');
    const byes = () => peer.received.filter((m) => m.method === 'BYE').length;
    await peer.quiet((m) => m.method === 'BYE', 4 * t1, 'copies of the BYE in flight to land');
    const atAnswer = byes();
    await holdsFor('no BYE after our 200', () => byes() === atAnswer, 16 * t1);
  });
});

describe('TCP', () => {
  it('a message in pieces and two in one segment are each answered once', async () => {
    harness = await startHarness();
    const socket = net.connect(harness.server.port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    let got = '';
    socket.on('data', (d) => (got += d.toString()));
    const hp = `127.0.0.1:${socket.localPort}`;
    const options = (callId: string) =>
      request({
        method: 'OPTIONS',
        uri: `sip:callback@127.0.0.1:${harness!.server.port}`,
        hostport: hp,
        callId,
      }).replace('SIP/2.0/UDP', 'SIP/2.0/TCP');
    const first = options('tcp-1');
    // Separate segments: each write goes out before the next (Nagle is off on our side only).
    const pace = () => new Promise((r) => setTimeout(r, 30));
    socket.setNoDelay(true);
    socket.write(first.slice(0, 17));
    await pace();
    socket.write(first.slice(17, 90));
    await pace();
    socket.write(first.slice(90) + options('tcp-2') + options('tcp-3'));
    await waitFor('three 200s', () => (got.match(/^SIP\/2\.0 200 OK/gm) ?? []).length >= 3, { timeoutMs: 3000 });
    for (const id of ['tcp-1', 'tcp-2', 'tcp-3'])
      expect(got.match(new RegExp(`Call-ID: ${id}\\r\\n`, 'g'))).toHaveLength(1);
    socket.destroy();
  });
});
