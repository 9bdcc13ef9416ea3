// Issue 13's greylisting case end to end: a call of the callback flow whose relay answers 451 twice,
// then 250. CommuniGate's SendEMail returns once the message is queued, so the call goes on at once on
// the 'sent' branch; the outbox delivers the message later and shows every attempt.
import { afterAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../runtime/mail';
import { loadProgram, simulateCall } from '../../runtime/host';
import { parseDtmfScript } from '../../runtime/scenario/dtmf';
import { startTestRelay, tempDir } from './helpers';
import { waitFor } from '../helpers/waitFor';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const GREYLISTED = '451 4.7.1 Greylisted, please try again later';

describe('a call whose relay greylists the message', () => {
  for (const target of ['cgpl', 'js'] as const)
    it(`on ${target}: the sent branch at once; delivered on the third attempt, the attempts in the outbox`, async () => {
      const relay = await startTestRelay({ answer: (n) => (n <= 2 ? [451, GREYLISTED.slice(4)] : null) });
      const dir = await tempDir();
      const mailer = await createMailer({
        outboxDir: dir.dir,
        relay: `smtp://127.0.0.1:${relay.port}`,
        timeoutMs: 2000,
        // Far longer than the call takes, so the call must have ended before the retries.
        retry: { delaysMs: [1500, 1500] },
      });
      cleanups.push(relay.close, dir.remove, () => mailer.close());
      const { program } = await loadProgram('samples/callback/flow.json');
      const result = await simulateCall(program!, { target, caller: parseDtmfScript('5551234#'), mailer });
      const text = result.trace.toText();
      // The sent branch: the trailer, not Failure / CallbackNotAvailable.
      expect(text).toMatch(/prompt {2}CallbackTrailer/);
      expect(text).not.toMatch(/prompt {2}(Failure|CallbackNotAvailable)/);
      // When the call ended the message had not been delivered yet: the call did not wait for the relay.
      const [atEnd] = await mailer.outbox.list();
      expect(atEnd!.status).toBe('queued');
      expect(relay.received).toHaveLength(0);

      const sent = await waitFor(
        'the third attempt',
        async () => {
          const [entry] = await mailer.outbox.list();
          return entry?.status === 'sent' && entry;
        },
        { timeoutMs: 20_000, intervalMs: 50 },
      );
      expect(sent.attempts!.map((a) => a.outcome)).toEqual(['temporary', 'temporary', 'sent']);
      expect(sent.attempts![0]!.reply).toContain(GREYLISTED);
      expect(relay.attempts).toBe(3);
      expect(relay.received).toHaveLength(1);
      expect(String(relay.received[0]!.eml)).toMatch(/^Subject: Contact phone: 5551234\r?$/m);
    });
});
