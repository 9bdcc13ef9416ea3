// `ivr-studio run` options → startSipServer options, each bad value a one-line CliError naming the
// option. Kept apart from run.ts so that the command reads as: parse, load, serve, stop.
import { availableParallelism } from 'node:os';
import { offsetClock, type Clock } from '../../call/clock';
import { parseRelay } from '../../mail';
import { parseAdvertise, parseCidr, type Advertised, type Transport } from '../../sip';
import { CliError } from '../io';

export interface RunOpts {
  sip: string;
  transport: string;
  smtp?: string;
  outbox: string;
  maxCalls: string;
  target: string;
  mediaWorkers?: string;
  verbose?: boolean;
  isolate?: boolean;
  advertise?: string;
  allow?: string;
  maxCallsPerSource?: string;
  whenFull?: string;
  environment?: string;
  at?: string;
}

export interface RunConfig {
  host: string;
  port: number;
  transports: Transport[];
  maxCalls: number;
  maxCallsPerSource: number;
  busyStatus: 486 | 503;
  mediaWorkers: number;
  target: 'cgpl' | 'js';
  isolate: boolean;
  advertise?: Advertised;
  allow?: string[];
  clock?: Clock;
  /** What --at said, for the start-up lines. */
  at?: Date;
}

export function parseRunOpts(opts: RunOpts, now = Date.now()): RunConfig {
  const { host, port } = parseListen(opts.sip);
  if (opts.target !== 'cgpl' && opts.target !== 'js')
    throw new CliError(`unknown --target '${opts.target}': use cgpl or js`);
  if (opts.smtp !== undefined) {
    const relay = parseRelay(opts.smtp);
    if (!relay.ok) throw new CliError(`--smtp: ${relay.error}`);
  }
  const config: RunConfig = {
    host,
    port,
    transports: parseTransports(opts.transport),
    maxCalls: count(opts.maxCalls, '--max-calls'),
    maxCallsPerSource: count(opts.maxCallsPerSource ?? '10', '--max-calls-per-source'),
    busyStatus: whenFull(opts.whenFull ?? '486'),
    mediaWorkers: parseMediaWorkers(opts.mediaWorkers ?? 'auto'),
    target: opts.target,
    isolate: opts.isolate === true,
  };
  if (opts.advertise !== undefined) {
    try {
      config.advertise = parseAdvertise(opts.advertise);
    } catch (err) {
      throw new CliError(`--advertise: ${(err as Error).message}`);
    }
  }
  if (opts.allow !== undefined) config.allow = parseAllow(opts.allow);
  if (opts.at !== undefined) {
    const at = new Date(opts.at);
    if (Number.isNaN(at.getTime()))
      throw new CliError(`--at: not a date and time: '${opts.at}' (use e.g. 2026-11-29T23:00)`);
    config.at = at;
    config.clock = offsetClock(at.getTime() - now);
  }
  return config;
}

function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d+)$/.exec(text.trim()) ?? /^()()(\d+)$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535))
    throw new CliError(`--sip: expected host:port, e.g. 127.0.0.1:5070, 0.0.0.0:5070 or [::]:5070, got '${text}'`);
  return { host: m[1] || m[2] || '127.0.0.1', port };
}

function parseTransports(text: string): Transport[] {
  const list = text
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  const bad = list.find((t) => t !== 'udp' && t !== 'tcp');
  if (bad !== undefined || list.length === 0)
    throw new CliError(`--transport: use udp, tcp or udp,tcp (got '${text}')`);
  return [...new Set(list)] as Transport[];
}

function parseAllow(text: string): string[] {
  const list = text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (list.length === 0) throw new CliError(`--allow: expected networks, e.g. 192.168.1.0/24,local (got '${text}')`);
  for (const entry of list) {
    if (entry.toLowerCase() === 'local') continue;
    try {
      parseCidr(entry);
    } catch (err) {
      throw new CliError(`--allow: ${(err as Error).message}`);
    }
  }
  return list;
}

function count(text: string, option: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n))
    throw new CliError(`${option}: expected a whole number, got '${text}'`);
  return n;
}

function whenFull(text: string): 486 | 503 {
  if (text.trim() === '486') return 486;
  if (text.trim() === '503') return 503;
  throw new CliError(`--when-full: use 486 (Busy Here) or 503 (Service Unavailable), got '${text}'`);
}

/** 'auto' → one media thread beside the SIP thread when there is a second core, else none. */
export function parseMediaWorkers(text: string): number {
  if (text === 'auto') return availableParallelism() >= 2 ? 1 : 0;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(n) || n > 64)
    throw new CliError(`--media-workers: expected 'auto' or a whole number 0–64, got '${text}'`);
  return n;
}
