// RTP inter-packet gaps as the kernel saw them: tcpdump captures our server's packets on the
// loopback with kernel timestamps, so a busy receiving process can't add its own lateness to the
// numbers. Used by bench:sip when tcpdump is installed (Debian package tcpdump; needs root).
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TCPDUMP } from '../helpers/tools';

export interface WireGaps {
  packets: number;
  p50: number;
  p99: number;
  max: number;
  /** Packets the capture itself lost (tcpdump's "dropped by kernel"), if it said. */
  dropped: number | null;
}

export const HAVE_TCPDUMP = TCPDUMP.path !== null;

/** Starts a capture of UDP to `port` on lo; stop() ends it and returns the gaps per SSRC. */
export async function captureGaps(port: number): Promise<{ stop(): Promise<WireGaps> }> {
  const file = path.join(os.tmpdir(), `rtp-gaps-${process.pid}-${port}.pcap`);
  const child: ChildProcess = spawn(
    'tcpdump',
    ['-i', 'lo', '-n', '-s', '64', '-B', '65536', '-w', file, 'udp', 'dst', 'port', String(port)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${stderr}`)), 10_000);
    const check = () => {
      if (/listening on/.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr!.on('data', check);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`tcpdump exited (${code}): ${stderr}`))));
  });
  return {
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
      const pcap = await readFile(file);
      await rm(file, { force: true });
      const dropped = /(\d+) packets? dropped by kernel/.exec(stderr);
      return { ...gapsOf(pcap), dropped: dropped ? Number(dropped[1]) : null };
    },
  };
}

/** Gaps between successive packets of each SSRC in a pcap of Ethernet-framed IPv4/UDP/RTP. */
export function gapsOf(pcap: Buffer): Omit<WireGaps, 'dropped'> {
  const magic = pcap.readUInt32LE(0);
  const nanos = magic === 0xa1b23c4d;
  if (magic !== 0xa1b2c3d4 && !nanos) throw new Error('not a little-endian pcap file');
  const linkType = pcap.readUInt32LE(20);
  const l2 = linkType === 1 ? 14 : linkType === 113 ? 16 : 0; // Ethernet, Linux cooked
  const gaps = new GapHistogram();
  let packets = 0;
  for (let at = 24; at + 16 <= pcap.length; ) {
    const sec = pcap.readUInt32LE(at);
    const frac = pcap.readUInt32LE(at + 4);
    const caplen = pcap.readUInt32LE(at + 8);
    const data = at + 16;
    at = data + caplen;
    const ip = data + l2;
    if (at > pcap.length || caplen < l2 + 20) continue;
    const ihl = (pcap[ip]! & 0x0f) * 4;
    const rtp = ip + ihl + 8;
    if (rtp + 12 > data + caplen) continue;
    const ssrc = pcap.readUInt32BE(rtp + 8);
    const t = sec * 1000 + (nanos ? frac / 1e6 : frac / 1e3);
    packets++;
    gaps.mark(ssrc, t);
  }
  return { packets, ...gaps.stats() };
}

/** Inter-packet gaps per SSRC in a 0.1 ms histogram (up to 2 s): p50, p99 and the largest. */
class GapHistogram {
  private readonly last = new Map<number, number>();
  private readonly bins = new Uint32Array(20_001);
  private max = 0;

  mark(ssrc: number, ms: number): void {
    const prev = this.last.get(ssrc);
    this.last.set(ssrc, ms);
    if (prev === undefined) return;
    const gap = ms - prev;
    if (gap > this.max) this.max = gap;
    this.bins[Math.min(20_000, Math.max(0, Math.round(gap * 10)))]!++;
  }

  stats(): { p50: number; p99: number; max: number } {
    const total = this.bins.reduce((a, b) => a + b, 0);
    const at = (p: number) => {
      let seen = 0;
      for (let i = 0; i < this.bins.length; i++) {
        seen += this.bins[i]!;
        if (seen >= p * total) return i / 10;
      }
      return NaN;
    };
    return { p50: at(0.5), p99: at(0.99), max: this.max };
  }
}

/**
 * An RTP destination that never reads: a bound UDP socket in a small python3 process, so the
 * packets are counted by the capture and dropped by the kernel, costing no receiver CPU.
 */
export async function silentSink(): Promise<{
  port: number;
  stats(): { p50: number; p99: number; max: number };
  close(): void;
}> {
  const code =
    'import socket,sys,time\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.setsockopt(socket.SOL_SOCKET,socket.SO_RCVBUF,4096)\ns.bind(("127.0.0.1",0))\nprint(s.getsockname()[1],flush=True)\nsys.stdin.read()\n';
  const child = spawn('python3', ['-c', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.once('error', reject);
    child.once('exit', (c) => reject(new Error(`the RTP sink exited (${c})`)));
  });
  return { port, stats: () => ({ p50: NaN, p99: NaN, max: NaN }), close: () => child.stdin!.end() };
}

/** RTP receiver: inter-packet gaps per SSRC, in a 0.1 ms histogram. */
export async function gapMeter(): Promise<{
  port: number;
  stats(): { p50: number; p99: number; max: number };
  close(): void;
}> {
  const s = dgram.createSocket('udp4');
  s.on('error', () => undefined);
  const gaps = new GapHistogram();
  s.on('message', (m) => {
    if (m.length >= 12) gaps.mark(m.readUInt32BE(8), performance.now());
  });
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  s.setRecvBufferSize(8 * 1024 * 1024);
  return { port: s.address().port, stats: () => gaps.stats(), close: () => s.close() };
}
