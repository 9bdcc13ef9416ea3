// A headless baresip for tests: its own folder, free ports, ctrl_tcp (netstring JSON) for commands and
// events, cons for key presses (sent as RFC 4733), aufile as the microphone and sndfile recording what
// it hears. Optionally registered as an account; optionally answering every call by itself.
import dgram from 'node:dgram';
import net from 'node:net';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../runtime/sip';
import { runPeer, type PeerResult } from './helpers';
import { BARESIP } from '../helpers/tools';
import { waitFor } from '../helpers/waitFor';

export interface PhoneOptions {
  /** The account line's AOR, e.g. `sip:ivanov@127.0.0.1:5070`. */
  aor: string;
  /** Registers with this password (regint); without it the phone never registers. */
  password?: string;
  /** Answer incoming calls at once. */
  autoAnswer?: boolean;
  /** The microphone: a WAV file's bytes (8 kHz mono 16-bit), looped. */
  microphone: Buffer;
  timeoutMs?: number;
}

export interface Phone {
  dir: string;
  sipPort: number;
  /** Every ctrl_tcp event type so far, in order (REGISTER_OK, CALL_INCOMING, CALL_ESTABLISHED …). */
  events: string[];
  /** Raw event bodies. */
  raw: string[];
  command(command: string, params?: string): void;
  /** Presses keys on the console (baresip sends them as RFC 4733 in a call). */
  keys(keys: string, gapMs?: number): Promise<void>;
  waitEvent(type: string, timeoutMs?: number): Promise<void>;
  /** The audio it received in its calls (sndfile's *-dec.wav), newest last. */
  heard(): Promise<Buffer[]>;
  close(): Promise<void>;
}

/**
 * baresip's folder for a test: an empty contacts file and a config with g711, aufile as the microphone
 * (a file in `dir`, looped), sndfile recording, cons for keys and ctrl_tcp for commands and events.
 */
export async function writeBaresipConfig(
  dir: string,
  o: { sipListen: string; microphone: string; ctrlPort: number; consPort: number; rtpBase: number; rtpPorts?: number },
): Promise<void> {
  await writeFile(path.join(dir, 'contacts'), '');
  const config = [
    'poll_method epoll',
    `sip_listen ${o.sipListen}`,
    `audio_source aufile,${dir}/${o.microphone}`,
    'audio_player aubridge,nil',
    'audio_alert aubridge,nil',
    'module_path /usr/lib/baresip/modules',
    ...['g711', 'account', 'aufile', 'aubridge', 'sndfile', 'cons'].map((m) => `module ${m}.so`),
    `cons_listen 127.0.0.1:${o.consPort}`,
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${o.ctrlPort}`,
    `snd_path ${dir}`,
    `rtp_ports ${o.rtpBase}-${o.rtpBase + (o.rtpPorts ?? 40)}`,
    '',
  ];
  await writeFile(path.join(dir, 'config'), config.join('\n'));
}

export async function startPhone(o: PhoneOptions): Promise<Phone> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'baresip-'));
  const [sipPort, ctrlPort, consPort] = [
    await freePort('127.0.0.1'),
    await freePort('127.0.0.1'),
    await freePort('127.0.0.1'),
  ];
  const rtpBase = 20000 + Math.floor(Math.random() * 20000);
  await writeFile(path.join(dir, 'mic.wav'), o.microphone);
  const params = [
    o.password ? `auth_pass=${o.password};regint=60` : 'regint=0',
    'audio_codecs=PCMU,PCMA',
    ...(o.autoAnswer ? ['answermode=auto'] : []),
  ].join(';');
  await writeFile(path.join(dir, 'accounts'), `<${o.aor};transport=udp>;${params}\n`);
  await writeBaresipConfig(dir, {
    sipListen: `127.0.0.1:${sipPort}`,
    microphone: 'mic.wav',
    ctrlPort,
    consPort,
    rtpBase,
  });
  const process: Promise<PeerResult> = runPeer(BARESIP.path ?? 'baresip', ['-f', dir], o.timeoutMs ?? 60_000);
  const ctrl = await connectRetry(ctrlPort);
  const events: string[] = [];
  const raw: string[] = [];
  ctrl.on('data', (d) => {
    raw.push(d.toString());
    events.push(...[...d.toString().matchAll(/"type":"(\w+)"/g)].map((m) => m[1]!));
  });
  const command = (name: string, p = '') => {
    const body = JSON.stringify({ command: name, params: p, token: 't' });
    ctrl.write(`${Buffer.byteLength(body)}:${body},`);
  };
  return {
    dir,
    sipPort,
    events,
    raw,
    command,
    async keys(keys, gapMs = 300) {
      const s = dgram.createSocket('udp4');
      for (const key of keys) {
        s.send(key, consPort, '127.0.0.1');
        await new Promise((r) => setTimeout(r, gapMs));
      }
      s.close();
    },
    async waitEvent(type, timeoutMs = 8000) {
      await waitFor(`baresip ${type} (got ${events.join(', ')})`, () => events.includes(type), { timeoutMs });
    },
    async heard() {
      const files = (await readdir(dir)).filter((f) => f.endsWith('-dec.wav')).sort();
      return Promise.all(files.map((f) => readFile(path.join(dir, f))));
    },
    async close() {
      command('quit');
      ctrl.end();
      // A phone that does not quit in 3 s is killed by killPeers (afterEach).
      await Promise.race([process, new Promise((r) => setTimeout(r, 3000))]);
      ctrl.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** 8 kHz mono 16-bit WAV: a tone of `hz` (0: silence) for `seconds`. */
export function toneWav(seconds: number, hz: number, amplitude = 8000): Buffer {
  const n = 8000 * seconds;
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++)
    data.writeInt16LE(hz ? Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / 8000)) : 0, i * 2);
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

async function connectRetry(port: number): Promise<net.Socket> {
  for (let i = 0; i < 100; i++) {
    const s = await new Promise<net.Socket | null>((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => resolve(c));
      c.once('error', () => resolve(null));
    });
    if (s) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`baresip's ctrl_tcp did not open port ${port}`);
}
