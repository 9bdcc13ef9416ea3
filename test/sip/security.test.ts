// Who may call and what the server believes: the request-URI cannot pick an e-mail recipient, only
// the environment's domain and accounts are served, REGISTER gets no 200 without a registrar, one
// source cannot take every slot, strangers get no answer at all; RTP from off the path or a second
// SSRC is not heard, and an INVITE nobody acknowledges cannot turn the server into a reflector.
// Every test here failed on the code before issue 14.
import { afterEach, describe, expect, it } from 'vitest';
import { closeRawSockets, RawCall, RtpPeer, SipPeer, request, sdpOffer, type Endpoint } from './raw';
import { startHarness, type Harness } from './helpers';
import { holdsFor, waitFor } from '../helpers/waitFor';

let harness: Harness | null = null;
afterEach(async () => {
  closeRawSockets();
  await harness?.close();
  harness = null;
});

const serverOf = (h: Harness): Endpoint => ({ address: '127.0.0.1', port: h.server.port });

async function finalFor(user: string, h: Harness, from = '127.0.0.1', uriHost?: string): Promise<number> {
  const peer = await SipPeer.open(from);
  const rtp = await RtpPeer.open(from);
  const call = new RawCall(peer, serverOf(h), user, uriHost ? { uriHost } : {});
  call.invite(sdpOffer(from, rtp.port));
  const final = await call.final();
  if (final.status === 200) call.ack();
  return final.status!;
}

describe('who may call', () => {
  it('the request-URI cannot name an e-mail recipient: %23…%40… gets 404 and no call runs, no mail is sent', async () => {
    harness = await startHarness();
    for (const user of [
      'callback%23victim%40evil.example', // app#victim@evil.example: not an account of the environment
      'callback%23nobody', // a made-up local account
      'callback%2523ivanov', // escaped twice: decoded once it is "callback%23ivanov", no such app
      'callback%7Bx%7D%23victim%40evil.example',
      'nobody',
    ])
      expect(await finalFor(user, harness), user).toBe(404);
    // Only the environment's domain (or our own address) is served.
    expect(await finalFor('callback', harness, '127.0.0.1', 'evil.example')).toBe(404);
    expect(harness.started).toHaveLength(0);
    expect(harness.relay.received).toHaveLength(0);
    // The documented forms still work: app#account for a known account, the domain by name.
    expect(await finalFor('callback%23petrov', harness)).toBe(200);
    expect(await finalFor('callback%23ivanov', harness, '127.0.0.1', 'company.com')).toBe(200);
    expect(harness.started.map((c) => c.session.myEmail())).toEqual(['petrov@company.com', 'ivanov@company.com']);
  });

  it('REGISTER without a registrar gets 405 with Allow, never 200', async () => {
    harness = await startHarness();
    const peer = await SipPeer.open();
    const callId = `reg-${Date.now()}`;
    peer.send(
      request({
        method: 'REGISTER',
        uri: `sip:127.0.0.1:${harness.server.port}`,
        to: 'sip:tester@127.0.0.1',
        hostport: peer.hostport,
        callId,
        headers: ['Expires: 3600'],
      }),
      serverOf(harness),
    );
    const final = await peer.finalResponse(callId, 'REGISTER');
    expect(final.status).toBe(405);
    expect(final.header('allow')).not.toContain('REGISTER');
  });

  it('a source over its limit gets 486 while other sources still connect', async () => {
    harness = await startHarness({ maxCallsPerSource: 1, host: '0.0.0.0' });
    const server = { address: '127.0.0.1', port: harness.server.port };
    const a = await SipPeer.open('127.0.0.2');
    const rtpA = await RtpPeer.open('127.0.0.2');
    const first = new RawCall(a, server, 'callback');
    await first.establish(sdpOffer('127.0.0.2', rtpA.port));
    const second = new RawCall(a, server, 'callback');
    second.invite(sdpOffer('127.0.0.2', rtpA.port));
    expect((await second.final()).status).toBe(486);
    const b = await SipPeer.open('127.0.0.3');
    const rtpB = await RtpPeer.open('127.0.0.3');
    const other = new RawCall(b, server, 'callback');
    await other.establish(sdpOffer('127.0.0.3', rtpB.port));
    expect(harness.server.calls.size).toBe(2);
    await first.bye();
    await other.bye();
  });

  it('--allow: a source outside the list gets no answer at all; one inside is served', async () => {
    harness = await startHarness({ allow: ['127.0.0.2/32'], host: '0.0.0.0' });
    const server = { address: '127.0.0.1', port: harness.server.port };
    const options = (peer: SipPeer, callId: string) =>
      request({ method: 'OPTIONS', uri: `sip:callback@127.0.0.1:${server.port}`, hostport: peer.hostport, callId });
    const stranger = await SipPeer.open('127.0.0.3');
    const friend = await SipPeer.open('127.0.0.2');
    stranger.send(options(stranger, 'stranger-1'), server);
    new RawCall(stranger, server, 'callback').invite(sdpOffer('127.0.0.3', 40000));
    friend.send(options(friend, 'friend-1'), server);
    expect((await friend.finalResponse('friend-1', 'OPTIONS')).status).toBe(200);
    await holdsFor('the stranger hearing nothing', () => stranger.received.length === 0, 500);
    expect(harness.started).toHaveLength(0);
  });
});

describe('media: only the caller is heard, and only after it proved it is there', () => {
  for (const mediaWorkers of [0, 1])
    it(`off-path RTP and a second SSRC inject no digit (media workers: ${mediaWorkers})`, async () => {
      harness = await startHarness({ mediaWorkers });
      const peer = await SipPeer.open();
      const rtp = await RtpPeer.open();
      const call = new RawCall(peer, serverOf(harness), 'callback');
      await call.establish(sdpOffer('127.0.0.1', rtp.port));
      const { sdpAddress, sdpPort } = call.answerAddresses();
      const media = { address: sdpAddress, port: sdpPort };
      const offPort = await RtpPeer.open(); // same host, another port
      const offHost = await RtpPeer.open('127.0.0.2');
      await offPort.sendDigits(media, '66', 0x0bad);
      await offHost.sendDigits(media, '6', 0x0bad);
      await rtp.sendDigits(media, '12', 0x1111);
      await rtp.sendDigits(media, '9', 0x2222); // the same port, another SSRC
      await offPort.sendDigits(media, '7', 0x1111); // another port, the caller's SSRC
      await rtp.sendDigits(media, '34#', 0x1111);
      await harness.endedCalls(1);
      const { call: ended, result } = harness.ended[0]!;
      expect(result.digits).toBe('1234#');
      expect(ended.session.digits.every((d) => d.source === 'rfc4733')).toBe(true);
      expect(await harness.mails(1)).toHaveLength(1);
      expect(harness.relay.received[0]!.eml.toString()).toContain('Contact phone: 1234');
    });

  it("a flood from the caller's own address is cut to the rate limit; keys after it still count", async () => {
    harness = await startHarness({ mediaWorkers: 0 });
    const peer = await SipPeer.open();
    const rtp = await RtpPeer.open();
    const call = new RawCall(peer, serverOf(harness), 'callback');
    await call.establish(sdpOffer('127.0.0.1', rtp.port));
    const { sdpAddress, sdpPort } = call.answerAddresses();
    const media = { address: sdpAddress, port: sdpPort };
    // 240 packets at once (5 s of audio in a few ms; about what a socket's receive queue holds):
    // the stream takes a burst of 150, then 150/s.
    for (let i = 0; i < 240; i++) rtp.sendAudio(media, 0x1111);
    const live = harness.started[0]!;
    await waitFor('the flood to arrive', () => (live.media?.stats().packetsReceived ?? 0) >= 200);
    expect(live.media!.stats().rateLimited).toBeGreaterThan(20);
    await rtp.sendDigits(media, '58#', 0x1111);
    await harness.endedCalls(1);
    expect(harness.ended[0]!.result.digits).toBe('58#');
  });

  it('symmetric RTP: a caller behind NAT (private SDP address) is answered where its RTP comes from', async () => {
    harness = await startHarness({ host: '0.0.0.0' });
    const server = { address: '127.0.0.1', port: harness.server.port };
    const peer = await SipPeer.open('127.0.0.2');
    const rtp = await RtpPeer.open('127.0.0.2');
    const call = new RawCall(peer, server, 'callback');
    // The phone believes it is 10.9.9.9; its NAT maps it to 127.0.0.2.
    await call.establish(sdpOffer('10.9.9.9', 4000));
    const { sdpAddress, sdpPort } = call.answerAddresses();
    const media = { address: sdpAddress, port: sdpPort };
    const intruder = await RtpPeer.open('127.0.0.3');
    await intruder.sendDigits(media, '5', 0x0bad);
    rtp.sendAudio(media, 0x4242);
    await waitFor('RTP at the latched address', () => rtp.seen.length >= 5);
    expect(rtp.seen.every((p) => p.from.port === sdpPort)).toBe(true);
    expect(intruder.seen).toHaveLength(0);
    await rtp.sendDigits(media, '42#', 0x4242);
    await harness.endedCalls(1);
    expect(harness.ended[0]!.result.digits).toBe('42#');
  });

  it('an INVITE nobody acknowledges: at most the bounded early media, and no RTP once the 2xx retransmissions time out', async () => {
    const t1 = 40;
    harness = await startHarness({ timers: { t1 } });
    const peer = await SipPeer.open();
    const victim = await RtpPeer.open(); // the address a spoofed INVITE would name
    const call = new RawCall(peer, serverOf(harness), 'callback');
    call.invite(sdpOffer('127.0.0.1', victim.port));
    const ok = await call.final();
    expect(ok.status).toBe(200);
    // The server retransmits its 200 (T1 doubling) and gives up after 64·T1 with a BYE.
    await harness.endedCalls(1, 64 * t1 + 5000);
    const at200s = peer.responsesTo(call.callId).filter((m) => m.status === 200).length;
    expect(at200s).toBeGreaterThan(3);
    await peer.waitFor((m) => m.method === 'BYE', 'the BYE that gives up the call');
    const sentWhileUnacknowledged = victim.seen.length;
    expect(sentWhileUnacknowledged).toBeLessThanOrEqual(50); // 1 s of early media
    await holdsFor('no RTP after the timeout', () => victim.seen.length === sentWhileUnacknowledged, 500);
  });
});
