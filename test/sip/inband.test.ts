// In-band DTMF over a real peer: SIPp offers PCMU without telephone-event and streams a µ-law file
// of DTMF tones (made here with synthesizeDtmf + encodePcmu) as its RTP audio; the callback flow
// must hear the number through the Goertzel detector alone and e-mail it.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { encodePcmu, synthesizeDtmf } from '../../runtime/sip/media';
import { HAVE_SIPP, killPeers, sipp, startHarness, type Harness } from './helpers';
import { SIPP } from '../helpers/tools';

let harness: Harness | null = null;
let dir: string | null = null;
afterEach(async () => {
  killPeers();
  await harness?.close();
  harness = null;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

/** Raw µ-law (SIPp's rtp_stream sends the file's bytes as they are, 160 per packet). */
async function toneFile(digits: string): Promise<{ file: string; ms: number }> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sip-inband-'));
  // Lead-in silence so the stream's first packets are not tones, as on a real line.
  const pcm = synthesizeDtmf(` ${digits}`, { toneMs: 120, gapMs: 120 });
  const file = path.join(dir, 'tones.ulaw');
  await writeFile(file, encodePcmu(pcm));
  return { file, ms: Math.ceil(pcm.length / 8) };
}

describe.skipIf(!HAVE_SIPP)(`SIPp → in-band DTMF only${SIPP.skipped}`, () => {
  for (const mediaWorkers of [0, 1])
    it(`tones in the RTP audio (no telephone-event offered; media workers: ${mediaWorkers}): the number reaches SMTP`, async () => {
      harness = await startHarness({ mediaWorkers });
      const { file, ms } = await toneFile('4071#');
      const run = await sipp(harness.server, {
        scenario: 'uac-inband.xml',
        service: 'callback',
        replace: { 'TONES.ulaw': file, '<pause milliseconds="4000"/>': `<pause milliseconds="${ms + 500}"/>` },
        timeoutMs: 25_000,
      });
      expect(run.code, run.errors + run.stderr).toBe(0);
      await harness.endedCalls(1);
      const { call, result } = harness.ended[0]!;
      expect(call.trace.ofKind('log')[0]?.text).not.toContain('telephone-event');
      expect(result.digits).toBe('4071#');
      expect(call.session.digits.map((d) => d.source)).toEqual(['inband', 'inband', 'inband', 'inband', 'inband']);
      expect(result.endedBy).toBe('program');
      expect(await harness.mails(1)).toHaveLength(1);
      const mail = await simpleParser(harness.relay.received[0]!.eml);
      expect(mail.subject).toBe('Contact phone: 4071');
    });
});
