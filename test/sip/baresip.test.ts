// baresip (a real softphone, headless) makes a full callback call: dialled through ctrl_tcp (netstring
// JSON), keys pressed through the cons module (baresip 1.0 has no `sndcode` long command; its menu
// sends a key as RFC 4733 when it arrives as a console key press). The audio baresip received is
// recorded by its sndfile module and checked for the prompts.
import { afterEach, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import net from 'node:net';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { freePort } from '../../runtime/sip';
import { HAVE_BARESIP, killPeers, runPeer, startHarness, type Harness } from './helpers';
import { BARESIP } from '../helpers/tools';
import { waitFor } from '../helpers/waitFor';
import { writeBaresipConfig } from './phone';

let harness: Harness | null = null;
let dir: string | null = null;
afterEach(async () => {
  killPeers();
  await harness?.close();
  harness = null;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

function silentWav(seconds: number): Buffer {
  const data = Buffer.alloc(8000 * 2 * seconds);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8);
  h.write('fmt ', 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(16000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** RMS of 16-bit mono PCM (after the 44-byte header) per 100 ms window. */
function windowsRms(wav: Buffer): number[] {
  const pcm = wav.subarray(44);
  const out: number[] = [];
  for (let at = 0; at + 1600 <= pcm.length; at += 1600) {
    let sum = 0;
    for (let i = at; i < at + 1600; i += 2) sum += pcm.readInt16LE(i) ** 2;
    out.push(Math.sqrt(sum / 800));
  }
  return out;
}

describe.skipIf(!HAVE_BARESIP)(`baresip → the callback flow${BARESIP.skipped}`, () => {
  // RTP on the SIP thread, and on a media worker thread (what `ivr-studio run` uses on 2+ cores).
  for (const mediaWorkers of [0, 1])
    it(`a full call (media workers: ${mediaWorkers}): hears the prompts, types 842#, the number reaches SMTP`, async () => {
      harness = await startHarness({ mediaWorkers });
      dir = await mkdtemp(path.join(os.tmpdir(), 'baresip-'));
      const [sipPort, ctrlPort, consPort, rtpBase] = [
        await freePort('127.0.0.1'),
        await freePort('127.0.0.1'),
        await freePort('127.0.0.1'),
        20000 + Math.floor(Math.random() * 20000),
      ];
      await writeFile(path.join(dir, 'in.wav'), silentWav(30));
      await writeFile(path.join(dir, 'accounts'), '<sip:tester@127.0.0.1>;regint=0;audio_codecs=PCMU\n');
      await writeBaresipConfig(dir, {
        sipListen: `0.0.0.0:${sipPort}`,
        microphone: 'in.wav',
        ctrlPort,
        consPort,
        rtpBase,
        rtpPorts: 20,
      });
      const phone = runPeer(BARESIP.path ?? 'baresip', ['-f', dir], 40_000);
      const ctrl = await connectRetry(ctrlPort);
      const events: string[] = [];
      ctrl.on('data', (d) => events.push(...[...d.toString().matchAll(/"type":"(\w+)"/g)].map((m) => m[1]!)));
      const send = (command: string, params = '') => {
        const body = JSON.stringify({ command, params, token: 't' });
        ctrl.write(`${Buffer.byteLength(body)}:${body},`);
      };
      send('dial', `sip:callback@127.0.0.1:${harness.server.port}`);
      await waitFor('baresip: CALL_ESTABLISHED', () => events.includes('CALL_ESTABLISHED'), { timeoutMs: 5000 });
      // The first prompt (CallbackBusy, ~4.2 s) plays in full; keys then cut the second one.
      await waitFor(
        'the second prompt to start',
        () => harness!.started[0]?.trace.ofKind('prompt-started').some((e) => e.name === 'CallbackLater'),
        { timeoutMs: 10_000 },
      );
      const keys = dgram.createSocket('udp4');
      for (const key of '842#') {
        keys.send(key, consPort, '127.0.0.1');
        await sleep(400);
      }
      keys.close();
      await harness.endedCalls(1, 15_000);
      await waitFor('baresip: CALL_CLOSED', () => events.includes('CALL_CLOSED'), { timeoutMs: 3000 });
      send('quit');
      ctrl.destroy();
      await phone;

      const { call, result } = harness.ended[0]!;
      expect(result.digits).toBe('842#');
      expect(call.session.digits.every((d) => d.source === 'rfc4733')).toBe(true);
      expect(result.endedBy).toBe('program');
      const mail = await simpleParser((await harness.mails(1))[0]!.eml);
      expect(mail.subject).toBe('Contact phone: 842');

      // What baresip heard: loud while CallbackBusy played (0.3–3.8 s after the answer), and again
      // during CallbackTrailer; its length covers the whole call.
      const dec = (await readdir(dir)).find((f) => f.endsWith('-dec.wav'));
      expect(dec, 'sndfile wrote no decoded audio').toBeDefined();
      const rms = windowsRms(await readFile(path.join(dir, dec!)));
      expect(rms.length).toBeGreaterThan(100); // > 10 s
      const loud = (from: number, to: number) => rms.slice(from, to).filter((r) => r > 300).length / (to - from);
      expect(loud(3, 38)).toBeGreaterThan(0.6);
      const trailer = call.trace.ofKind('prompt-started').find((e) => e.name === 'CallbackTrailer')!;
      const answered = call.trace.ofKind('answered')[0]!;
      const t0 = Math.round((trailer.t - answered.t) / 100);
      expect(loud(t0 + 3, t0 + 40)).toBeGreaterThan(0.6);
      // Silence (not noise) before the first prompt starts.
      expect(Math.min(...rms.slice(0, 3))).toBeLessThan(300);
    }, 60_000);
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function connectRetry(port: number): Promise<net.Socket> {
  for (let i = 0; i < 60; i++) {
    const s = await new Promise<net.Socket | null>((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => resolve(c));
      c.once('error', () => resolve(null));
    });
    if (s) return s;
    await sleep(100);
  }
  throw new Error(`baresip's ctrl_tcp did not open port ${port}`);
}
