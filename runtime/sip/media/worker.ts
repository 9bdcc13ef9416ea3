// A media worker: RTP streams on a thread of their own, with their own 20 ms clock, so the SIP
// thread's programs, timers and garbage collection never delay a packet. It owns the sockets (they
// can't move between threads); the SIP thread drives each stream by messages (./protocol).
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { parentPort } from 'node:worker_threads';
import { MediaClock } from './pacer';
import { RtpStream } from './stream';
import type { FromWorker, ToWorker } from './protocol';

const port = parentPort;
if (!port) throw new Error('runtime/sip/media/worker.ts runs as a worker thread (see MediaWorkerPool)');

const clock = new MediaClock();
const streams = new Map<number, RtpStream>();
/** Per stream: the play in progress (its id) and its abort controller. */
const plays = new Map<number, { play: number; abort: AbortController }>();
const audioTaps = new Map<number, (pcm: Int16Array) => void>();
/** Bound sockets waiting for a call, by port; and the streams that took one (we close those). */
const spares = new Map<number, { socket: dgram.Socket; address: string }>();
const borrowed = new Map<number, dgram.Socket>();
/** How many spares to keep per address, and how many are being bound. */
const spareTargets = new Map<string, number>();
const binding = new Map<string, number>();

function post(m: FromWorker): void {
  port!.postMessage(m);
}

function refillSpares(address: string): void {
  const target = spareTargets.get(address) ?? 0;
  let have = binding.get(address) ?? 0;
  for (const s of spares.values()) if (s.address === address) have++;
  for (; have < target; have++) {
    binding.set(address, (binding.get(address) ?? 0) + 1);
    const socket = dgram.createSocket(isIPv6(address) ? 'udp6' : 'udp4');
    const settle = () => binding.set(address, (binding.get(address) ?? 1) - 1);
    socket.on('error', () => {
      settle();
      socket.close();
    });
    socket.bind(0, address, () => {
      settle();
      const port = socket.address().port;
      spares.set(port, { socket, address });
      post({ t: 'spare', id: 0, port, address });
    });
  }
}

async function open(id: number, m: Extract<ToWorker, { t: 'open' }>): Promise<void> {
  let s: RtpStream;
  const spare = m.spare !== undefined ? spares.get(m.spare) : undefined;
  const socket = spare?.socket;
  if (spare && socket) {
    spares.delete(m.spare!);
    borrowed.set(id, socket);
    socket.removeAllListeners('error'); // the stream reports its socket's errors from now on
    refillSpares(spare.address);
  }
  try {
    s = await RtpStream.open({ ...m.opts, clock, ...(socket ? { socket } : {}) });
  } catch (e) {
    post({ t: 'open-failed', id, message: (e as Error).message });
    return;
  }
  streams.set(id, s);
  s.on('dtmf', (digit, source) => post({ t: 'dtmf', id, digit, source }));
  s.on('error', (e) => post({ t: 'error', id, message: e.message }));
  post({ t: 'opened', id, port: s.localPort, ssrc: s.ssrc });
}

function play(s: RtpStream, m: Extract<ToWorker, { t: 'play' }>): void {
  plays.get(m.id)?.abort.abort();
  const abort = new AbortController();
  plays.set(m.id, { play: m.play, abort });
  void s.play(m.bytes, abort.signal).then((how) => {
    if (plays.get(m.id)?.play === m.play) plays.delete(m.id);
    post({ t: 'played', id: m.id, play: m.play, how, stats: s.stats() });
  });
}

function setAudio(s: RtpStream, id: number, on: boolean): void {
  const tap = audioTaps.get(id);
  if (on && !tap) {
    const forward = (pcm: Int16Array) => post({ t: 'audio', id, pcm });
    audioTaps.set(id, forward);
    s.on('audio', forward);
  } else if (!on && tap) {
    s.off('audio', tap);
    audioTaps.delete(id);
  }
}

port.on('message', (m: ToWorker) => {
  if (m.t === 'open') {
    void open(m.id, m);
    return;
  }
  if (m.t === 'spares') {
    spareTargets.set(m.address, m.count);
    refillSpares(m.address);
    return;
  }
  const s = streams.get(m.id);
  if (!s) return; // stopped already, or never opened: a late message is harmless
  switch (m.t) {
    case 'remote':
      s.remote = m.remote;
      break;
    case 'confirm':
      s.confirm();
      break;
    case 'play':
      play(s, m);
      break;
    case 'cut': {
      const p = plays.get(m.id);
      if (p?.play === m.play) p.abort.abort();
      break;
    }
    case 'digits':
      void s
        .sendDigits(m.digits, {
          ...(m.toneMs !== undefined ? { toneMs: m.toneMs } : {}),
          ...(m.gapMs !== undefined ? { gapMs: m.gapMs } : {}),
        })
        .then(() => post({ t: 'digits-done', id: m.id, req: m.req }));
      break;
    case 'audio':
      setAudio(s, m.id, m.on);
      break;
    case 'format':
      s.setFormat(m.codec, m.payloadType, m.dtmfPayloadType);
      break;
    case 'bridge':
      s.bridge(m.with === null ? null : (streams.get(m.with) ?? null));
      break;
    case 'stop':
      s.stop();
      borrowed.get(m.id)?.close();
      borrowed.delete(m.id);
      streams.delete(m.id);
      plays.delete(m.id);
      audioTaps.delete(m.id);
      post({ t: 'stopped', id: m.id, stats: s.stats() });
      break;
  }
});
