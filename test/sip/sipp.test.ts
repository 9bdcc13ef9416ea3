// SIPp calls our server: the callback flow over real SIP and RTP (RFC 2833 digits from the pcaps
// SIPp ships, INFO digits), CANCEL, caller BYE, OPTIONS, busy, unknown user, no codec, hold.
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { loadProgram } from '../../runtime/host';
import {
  HAVE_SIPP,
  callbackProgram,
  infoKeys,
  killPeers,
  pcapKeys,
  PCAP_TAIL_MS,
  sipp,
  startHarness,
  type Harness,
} from './helpers';
import { SIPP } from '../helpers/tools';
import { waitFor } from '../helpers/waitFor';

let harness: Harness | null = null;
afterEach(async () => {
  killPeers();
  await harness?.close();
  harness = null;
});

const fixture = async (name: string) => {
  const { program, errors } = await loadProgram(path.join(import.meta.dirname, 'fixtures', name));
  if (!program) throw new Error(errors.join('\n'));
  return program;
};

describe.skipIf(!HAVE_SIPP)(`SIPp → the callback flow${SIPP.skipped}`, () => {
  for (const [mediaWorkers, isolate] of [
    [0, false],
    [1, false],
    [0, true],
  ] as const)
    it(`RFC 2833 digits from the SIPp pcaps + # by INFO (media workers: ${mediaWorkers}${isolate ? ', the program on a call worker' : ''}): the number reaches SMTP; we send BYE`, async () => {
      harness = await startHarness({ mediaWorkers, isolate });
      expect(harness.server.mediaWorkers).toBe(mediaWorkers);
      const run = await sipp(harness.server, {
        scenario: 'uac-dtmf-2833.xml',
        service: 'callback',
        replace: { '<!--KEYS-->': pcapKeys('8125', 400, PCAP_TAIL_MS) },
        timeoutMs: 25_000,
      });
      expect(run.code, run.errors + run.stderr).toBe(0);
      await harness.endedCalls(1);
      const { call, result } = harness.ended[0]!;
      expect(result.digits).toBe('8125#');
      expect(call.session.digits.map((d) => d.source)).toEqual(['rfc4733', 'rfc4733', 'rfc4733', 'rfc4733', 'info']);
      expect(result.endedBy).toBe('program');
      // The first key cut the first prompt; the rest of the intro was skipped (typed ahead).
      expect(call.trace.ofKind('prompt-cut')[0]).toMatchObject({ name: 'CallbackBusy', reason: 'dtmf' });
      expect(call.trace.ofKind('prompt-skipped').map((e) => e.name)).toEqual([
        'CallbackLater',
        'CallbackNumber',
        'CallbackClearNumber',
      ]);
      expect(await harness.mails(1)).toHaveLength(1);
      const mail = await simpleParser(harness.relay.received[0]!.eml);
      expect(mail.subject).toBe('Contact phone: 8125');
      expect(harness.relay.received[0]!.to).toEqual(['ivanov@company.com']);
      // The ladder: INVITE, 100, 180, 200, ACK, INFO/200, our BYE and its 200.
      await waitFor('the 200 for our BYE in the ladder', () =>
        call.messages.some((m) => m.dir === 'in' && m.firstLine.startsWith('SIP/2.0 200') && /BYE/.test(m.text)),
      );
      const ladder = call.messages.map((m) => `${m.dir} ${m.firstLine.replace(/ sip:\S+/, '')}`);
      expect(ladder.slice(0, 5)).toEqual([
        'in INVITE SIP/2.0',
        'out SIP/2.0 100 Trying',
        'out SIP/2.0 180 Ringing',
        'out SIP/2.0 200 OK',
        'in ACK SIP/2.0',
      ]);
      expect(ladder.length).toBeGreaterThan(5);
      expect(call.messages.some((m) => m.dir === 'out' && m.firstLine.startsWith('BYE '))).toBe(true);
      expect(call.media?.stats().packetsSent).toBeGreaterThan(100);
    });

  it('SIP INFO digits (dtmf-relay and dtmf) over TCP', async () => {
    harness = await startHarness();
    const run = await sipp(harness.server, {
      scenario: 'uac-info-digits.xml',
      service: 'callback',
      transport: 't1',
      replace: { '<!--KEYS-->': infoKeys('4*07#', { body: 'alternate', pauseMs: 150 }) },
      timeoutMs: 25_000,
    });
    expect(run.code, run.errors + run.stderr).toBe(0);
    await harness.endedCalls(1);
    const { call, result } = harness.ended[0]!;
    expect(result.digits).toBe('4*07#');
    expect(call.session.digits.every((d) => d.source === 'info')).toBe(true);
    const mail = await simpleParser((await harness.mails(1))[0]!.eml);
    // '*' clears what was typed so far.
    expect(mail.subject).toBe('Contact phone: 07');
  });

  it('CANCEL before the answer: 200 for the CANCEL, 487 for the INVITE; the program sees Disconnect', async () => {
    harness = await startHarness({ programs: [await callbackProgram(), await fixture('slowanswer.sppr')] });
    const run = await sipp(harness.server, { scenario: 'uac-cancel-expect-487.xml', service: 'slowanswer' });
    expect(run.code, run.errors + run.stderr).toBe(0);
    await harness.endedCalls(1);
    const { call, result } = harness.ended[0]!;
    expect(result.endedBy).toBe('caller');
    expect(call.trace.ofKind('answered')).toHaveLength(0);
    expect(call.messages.map((m) => m.firstLine)).toContain('SIP/2.0 487 Request Terminated');
  });

  it('caller BYE mid-prompt: the prompt is cut (hangup) and the program ends', async () => {
    harness = await startHarness();
    const run = await sipp(harness.server, { scenario: 'uac-bye-mid-prompt.xml', service: 'callback' });
    expect(run.code, run.errors + run.stderr).toBe(0);
    await harness.endedCalls(1);
    const { call, result } = harness.ended[0]!;
    expect(result.endedBy).toBe('caller');
    expect(call.trace.ofKind('prompt-cut')[0]).toMatchObject({ name: 'CallbackBusy', reason: 'hangup' });
    expect(harness.relay.received).toHaveLength(0);
    expect(harness.server.calls.size).toBe(0);
  });

  it('OPTIONS → 200 with Allow', async () => {
    harness = await startHarness();
    const run = await sipp(harness.server, { scenario: 'uac-options.xml', service: 'callback' });
    expect(run.code, run.errors + run.stderr).toBe(0);
  });

  it('unknown user → 404; no common codec → 488; RedirectCall before the answer → 302', async () => {
    harness = await startHarness({ programs: [await callbackProgram(), await fixture('transfer.sppr')] });
    const notFound = await sipp(harness.server, { scenario: 'uac-expect-404.xml', service: 'nobody' });
    expect(notFound.code, notFound.errors).toBe(0);
    const noCodec = await sipp(harness.server, { scenario: 'uac-expect-488.xml', service: 'callback' });
    expect(noCodec.code, noCodec.errors).toBe(0);
    const moved = await sipp(harness.server, { scenario: 'uac-expect-302.xml', service: 'transfer' });
    expect(moved.code, moved.errors).toBe(0);
    await harness.endedCalls(1);
    expect(harness.ended[0]!.result.transfer).toBe('operator');
    expect(harness.ended[0]!.call.messages.find((m) => m.firstLine.startsWith('SIP/2.0 302'))?.text).toContain(
      'sip:operator@company.com',
    );
  });

  it('over --max-calls → 486 Busy Here (503 when configured)', async () => {
    harness = await startHarness({ maxCalls: 1 });
    const first = sipp(harness.server, { scenario: 'uac-bye-mid-prompt.xml', service: 'callback' });
    await waitFor('the first call to be in progress', () => harness!.server.calls.size > 0);
    const busy = await sipp(harness.server, { scenario: 'uac-expect-486.xml', service: 'callback' });
    expect(busy.code, busy.errors).toBe(0);
    expect((await first).code).toBe(0);
    await harness.close();
    harness = await startHarness({ maxCalls: 0, busyStatus: 503 });
    const unavailable = await sipp(harness.server, { scenario: 'uac-expect-503.xml', service: 'callback' });
    expect(unavailable.code, unavailable.errors).toBe(0);
  });

  it('hold and unhold by re-INVITE: recvonly while held, sendrecv after', async () => {
    harness = await startHarness();
    const run = await sipp(harness.server, { scenario: 'uac-hold.xml', service: 'callback' });
    expect(run.code, run.errors + run.stderr).toBe(0);
    await harness.endedCalls(1);
    const logs = harness.ended[0]!.call.trace.ofKind('log').map((e) => e.text);
    expect(logs.some((t) => t.includes('peer sendonly') && t.includes('we answer recvonly'))).toBe(true);
    expect(logs.some((t) => t.includes('peer sendrecv') && t.includes('we answer sendrecv'))).toBe(true);
  });
});
