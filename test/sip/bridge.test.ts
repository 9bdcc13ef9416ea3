// The autosecretary as a small PBX on the wire: baresip registers as ivanov; a caller presses 1 in
// office hours; the Connect transfer rings ivanov's phone (an outgoing INVITE), the answer bridges the
// two calls' media and keys through the media layer, and a BYE on either side ends both. A phone that
// rejects (486) or does not answer sends the caller to the callback fallback, whose e-mail reaches SMTP.
import { afterEach, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { offsetClock, type Clock } from '../../runtime/call/clock';
import { decodeG711, encodeG711 } from '../../runtime/sip/media/g711';
import { freePort } from '../../runtime/sip';
import { HAVE_BARESIP, HAVE_SIPP, sipp, startHarness, type Harness } from './helpers';
import { RawCall, RtpPeer, SipPeer, sdpOffer } from './raw';
import { autosecretaryPbx, closePbxTest, PASSWORDS, type PbxCopy } from './pbx';
import { startPhone, toneWav, type Phone } from './phone';
import { waitFor } from '../helpers/waitFor';

let harness: Harness | null = null;
let pbx: PbxCopy | null = null;
const phones: Phone[] = [];
afterEach(async () => {
  await closePbxTest(phones, harness, pbx);
  harness = null;
  pbx = null;
});

/** Monday 30 November 2026, 10:00 in Moscow (office hours), and on from there. */
function officeHours(): Clock {
  return offsetClock(new Date('2026-11-30T10:00:00+03:00').getTime() - Date.now());
}

/** Power of `hz` in 8 kHz PCM (Goertzel), per sample. */
function power(pcm: Int16Array, hz: number): number {
  const k = 2 * Math.cos((2 * Math.PI * hz) / 8000);
  let [s1, s2] = [0, 0];
  for (const x of pcm) [s1, s2] = [x + k * s1 - s2, s1];
  return (s1 * s1 + s2 * s2 - k * s1 * s2) / pcm.length;
}

/** Is `hz` the loudest of the probe tones in this audio (and loud)? */
function dominant(pcm: Int16Array, hz: number): boolean {
  const probes = [350, 440, 697, 1000, 1477, 2000].filter((f) => f !== hz);
  const mine = power(pcm, hz);
  return mine > 1e5 && probes.every((f) => power(pcm, f) * 20 < mine);
}

function wavPcm(wav: Buffer): Int16Array {
  const data = wav.subarray(44);
  return new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + (data.length & ~1)));
}

async function pbxWithIvanov(o: { autoAnswer: boolean; mediaWorkers?: number; ringSeconds?: number }) {
  pbx = await autosecretaryPbx(undefined, (text) =>
    o.ringSeconds === undefined ? text : text.replaceAll('"ringSeconds": 20', `"ringSeconds": ${o.ringSeconds}`),
  );
  harness = await startHarness({
    programs: pbx.program,
    registrar: true,
    clock: officeHours(),
    mediaWorkers: o.mediaWorkers ?? 0,
  });
  const h = harness;
  const phone = await startPhone({
    aor: `sip:ivanov@127.0.0.1:${h.server.port}`,
    password: PASSWORDS.ivanov!,
    autoAnswer: o.autoAnswer,
    microphone: toneWav(30, 1000),
  });
  phones.push(phone);
  await waitFor('ivanov registered', () => h.server.registrations().length === 1, { timeoutMs: 10_000 });
  return { h, phone };
}

const bridgeState = (h: Harness, state: string) =>
  h.started[0]?.trace.ofKind('bridge').some((e) => (e as { state?: string }).state === state) ?? false;

describe.skipIf(!HAVE_BARESIP)('a caller presses 1: ivanov’s registered baresip rings and answers', () => {
  for (const mediaWorkers of [0, 1])
    it(`audio and keys both ways across the bridge; the caller's BYE ends both legs (media workers: ${mediaWorkers})`, async () => {
      const { h, phone } = await pbxWithIvanov({ autoAnswer: true, mediaWorkers });
      const peer = await SipPeer.open();
      const rtp = await RtpPeer.open();
      const call = new RawCall(peer, { address: '127.0.0.1', port: h.server.port }, 'autosecretary');
      await call.establish(sdpOffer('127.0.0.1', rtp.port));
      const server = { address: call.answerAddresses().sdpAddress, port: call.answerAddresses().sdpPort };
      const stop = new AbortController();
      const speaking = rtp.sendG711(server, 4242, encodeG711(wavPcm(toneWav(2, 440)), 'PCMU'), stop.signal);
      await waitFor('the menu to play', () => h.started[0]?.trace.ofKind('prompt-started').length);
      await rtp.sendDigits(server, '1', 4242);
      await phone.waitEvent('CALL_ESTABLISHED', 15_000);
      await waitFor('the bridge', () => bridgeState(h, 'started'), { timeoutMs: 10_000 });
      const bridgedAt = Date.now();
      await waitFor('a second of bridged audio at the caller', () => rtp.seen.some((p) => p.at > bridgedAt + 1500));
      stop.abort();
      await speaking;
      // The caller hears ivanov's microphone (1 kHz) through the bridge.
      const heard = rtp.seen.filter((p) => p.at > bridgedAt + 300 && p.payloadType === 0);
      const pcm = decodeG711(new Uint8Array(Buffer.concat(heard.map((p) => p.payload))), 'PCMU');
      expect(dominant(pcm, 1000), 'the caller hears the 1 kHz tone').toBe(true);
      // The caller's BYE ends ivanov's leg too.
      expect((await call.bye()).status).toBe(200);
      await phone.waitEvent('CALL_CLOSED', 10_000);
      await h.endedCalls(1);
      // ivanov heard the caller's 440 Hz.
      const [dec] = await phone.heard();
      expect(dec, 'baresip recorded nothing').toBeDefined();
      const loud = wavPcm(dec!);
      expect(dominant(loud, 440), 'ivanov hears the 440 Hz tone').toBe(true);
      const log = h.started[0]!.trace.ofKind('log').map((e) => (e as { text: string }).text);
      expect(log.some((t) => /^ivanov \(udp 127\.0\.0\.1:\d+\) answered: PCMU\/0/.test(t))).toBe(true);
    }, 60_000);

  it('two devices registered as ivanov ring together: the first to answer wins, the other gets CANCEL', async () => {
    const { h, phone: desk } = await pbxWithIvanov({ autoAnswer: false });
    const mobile = await startPhone({
      aor: `sip:ivanov@127.0.0.1:${h.server.port}`,
      password: PASSWORDS.ivanov!,
      autoAnswer: false,
      microphone: toneWav(30, 1000),
    });
    phones.push(mobile);
    await waitFor('both devices registered', () => h.server.registrations().length === 2, { timeoutMs: 10_000 });
    const peer = await SipPeer.open();
    const rtp = await RtpPeer.open();
    const call = new RawCall(peer, { address: '127.0.0.1', port: h.server.port }, 'autosecretary');
    await call.establish(sdpOffer('127.0.0.1', rtp.port));
    const server = { address: call.answerAddresses().sdpAddress, port: call.answerAddresses().sdpPort };
    await waitFor('the menu to play', () => h.started[0]?.trace.ofKind('prompt-started').length);
    await rtp.sendDigits(server, '1', 4242);
    await desk.waitEvent('CALL_INCOMING', 15_000);
    await mobile.waitEvent('CALL_INCOMING', 15_000);
    mobile.command('accept');
    await mobile.waitEvent('CALL_ESTABLISHED', 10_000);
    await desk.waitEvent('CALL_CLOSED', 10_000); // our CANCEL
    await waitFor('the bridge', () => bridgeState(h, 'started'), { timeoutMs: 10_000 });
    expect(desk.events).not.toContain('CALL_ESTABLISHED');
    expect((await call.bye()).status).toBe(200);
    await mobile.waitEvent('CALL_CLOSED', 10_000);
  }, 60_000);

  it('ivanov hangs up: his BYE ends the bridge and the caller gets our BYE', async () => {
    const { h, phone } = await pbxWithIvanov({ autoAnswer: true });
    const peer = await SipPeer.open();
    const rtp = await RtpPeer.open();
    const call = new RawCall(peer, { address: '127.0.0.1', port: h.server.port }, 'autosecretary');
    await call.establish(sdpOffer('127.0.0.1', rtp.port));
    const server = { address: call.answerAddresses().sdpAddress, port: call.answerAddresses().sdpPort };
    await waitFor('the menu to play', () => h.started[0]?.trace.ofKind('prompt-started').length);
    await rtp.sendDigits(server, '1', 4242);
    await phone.waitEvent('CALL_ESTABLISHED', 15_000);
    await waitFor('the bridge', () => bridgeState(h, 'started'), { timeoutMs: 10_000 });
    phone.command('hangup');
    await waitFor('the bridge to break', () => bridgeState(h, 'broken'), { timeoutMs: 10_000 });
    await peer.waitFor(
      (m) => m.method === 'BYE' && m.header('call-id') === call.callId,
      'our BYE to the caller',
      15_000,
    );
    await h.endedCalls(1);
  }, 60_000);

  it('ivanov rejects (486): the caller gets the callback fallback; the number left is mailed', async () => {
    const { h, phone } = await pbxWithIvanov({ autoAnswer: false });
    const peer = await SipPeer.open();
    const rtp = await RtpPeer.open();
    const call = new RawCall(peer, { address: '127.0.0.1', port: h.server.port }, 'autosecretary');
    await call.establish(sdpOffer('127.0.0.1', rtp.port));
    const server = { address: call.answerAddresses().sdpAddress, port: call.answerAddresses().sdpPort };
    await waitFor('the menu to play', () => h.started[0]?.trace.ofKind('prompt-started').length);
    await rtp.sendDigits(server, '1', 4242);
    await phone.waitEvent('CALL_INCOMING', 15_000);
    phone.command('hangup'); // an incoming call refused: 486
    await waitFor(
      'the callback prompts',
      () => h.started[0]!.trace.ofKind('prompt-started').some((e) => (e as { name: string }).name === 'CallbackNumber'),
      { timeoutMs: 20_000 },
    );
    const legs = h.started[0]!.trace.ofKind('leg').map((e) => (e as { state: string }).state);
    expect(legs).toContain('busy');
    await rtp.sendDigits(server, '5551234#', 4242);
    const [mail] = await h.mails(1);
    expect((await simpleParser(mail!.eml)).subject).toContain('Contact phone: 5551234');
  }, 60_000);

  it('ivanov does not answer within the ring time: CANCEL, the fallback, the e-mail', async () => {
    const { h, phone } = await pbxWithIvanov({ autoAnswer: false, ringSeconds: 3 });
    const peer = await SipPeer.open();
    const rtp = await RtpPeer.open();
    const call = new RawCall(peer, { address: '127.0.0.1', port: h.server.port }, 'autosecretary');
    await call.establish(sdpOffer('127.0.0.1', rtp.port));
    const server = { address: call.answerAddresses().sdpAddress, port: call.answerAddresses().sdpPort };
    await waitFor('the menu to play', () => h.started[0]?.trace.ofKind('prompt-started').length);
    await rtp.sendDigits(server, '1', 4242);
    await phone.waitEvent('CALL_INCOMING', 15_000);
    await phone.waitEvent('CALL_CLOSED', 15_000); // our CANCEL after 3 s of ringing
    await waitFor(
      'the callback prompts',
      () => h.started[0]!.trace.ofKind('prompt-started').some((e) => (e as { name: string }).name === 'CallbackNumber'),
      { timeoutMs: 20_000 },
    );
    await rtp.sendDigits(server, '777#', 4242);
    const [mail] = await h.mails(1);
    expect((await simpleParser(mail!.eml)).subject).toContain('Contact phone: 777');
  }, 60_000);
});

describe.skipIf(!HAVE_SIPP)('a Connect transfer to a SIP URI', () => {
  it('SIPp at the URI rings, then answers 486: busy → the callback fallback, the e-mail', async () => {
    const port = await freePort('127.0.0.1');
    pbx = await autosecretaryPbx(undefined, (text) =>
      text.replace('"target": "ivanov"', `"target": "sip:ivanov@127.0.0.1:${port}"`),
    );
    harness = await startHarness({ programs: pbx.program, clock: officeHours() });
    const h = harness;
    const busy = sipp(h.server, { scenario: 'uas-486.xml', service: 'x', port, timeoutMs: 30_000 });
    const peer = await SipPeer.open();
    const rtp = await RtpPeer.open();
    const call = new RawCall(peer, { address: '127.0.0.1', port: h.server.port }, 'autosecretary');
    await call.establish(sdpOffer('127.0.0.1', rtp.port));
    const server = { address: call.answerAddresses().sdpAddress, port: call.answerAddresses().sdpPort };
    await waitFor('the menu to play', () => h.started[0]?.trace.ofKind('prompt-started').length);
    await rtp.sendDigits(server, '1', 4242);
    const result = await busy;
    expect(result.code, result.errors + result.stderr).toBe(0);
    await waitFor(
      'the callback prompts',
      () => h.started[0]!.trace.ofKind('prompt-started').some((e) => (e as { name: string }).name === 'CallbackNumber'),
      { timeoutMs: 20_000 },
    );
    expect(h.started[0]!.trace.ofKind('leg').map((e) => (e as { state: string }).state)).toEqual([
      'dialling',
      'ringing',
      'busy',
    ]);
    await rtp.sendDigits(server, '42#', 4242);
    const [mail] = await h.mails(1);
    expect((await simpleParser(mail!.eml)).subject).toContain('Contact phone: 42');
  }, 60_000);
});

describe.skipIf(!HAVE_BARESIP || !HAVE_SIPP)('SIPp calls the autosecretary and presses 1', () => {
  it('baresip (ivanov) answers; the bridge carries SIPp’s audio to ivanov; SIPp’s BYE ends both', async () => {
    const { h, phone } = await pbxWithIvanov({ autoAnswer: true });
    const run = sipp(h.server, {
      scenario: 'uac-bridge.xml',
      service: 'autosecretary',
      timeoutMs: 40_000,
    });
    await phone.waitEvent('CALL_ESTABLISHED', 20_000);
    await waitFor('the bridge', () => bridgeState(h, 'started'), { timeoutMs: 10_000 });
    const result = await run;
    expect(result.code, result.errors + result.stderr).toBe(0);
    await phone.waitEvent('CALL_CLOSED', 10_000);
    await h.endedCalls(1);
    // SIPp played g711a.pcap (PCMA speech) into the bridge: ivanov heard sound, not silence.
    const [dec] = await phone.heard();
    const pcm = wavPcm(dec!);
    let loud = 0;
    for (let at = 0; at + 800 <= pcm.length; at += 800) {
      let sum = 0;
      for (let i = at; i < at + 800; i++) sum += pcm[i]! ** 2;
      if (Math.sqrt(sum / 800) > 300) loud++;
    }
    expect(loud, 'windows of 100 ms with sound').toBeGreaterThan(10);
  }, 60_000);
});
