// The SIP user agent server: real softphones call the loaded programs. This file only assembles it:
// the engine (native by default; the seam in engine.ts), who may call (admission.ts), which address
// a call names (addresses.ts), where requests go (dispatch.ts, invite.ts), the calls (registry.ts).
import { realClock, type Clock } from '../call/clock';
import type { MailSender } from '../call/simulated';
import type { Program } from '../host/program';
import { Addresses, parseAdvertise, type Advertised } from './addresses';
import { Admission } from './admission';
import type { SipCall, SipCallResult } from './call';
import type { ServerContext } from './context';
import { SipRegistrar, type Binding, type RegistrarOptions } from './registrar';
import { dispatch } from './dispatch';
import {
  timersOf,
  type ListenPoint,
  type SipEngine,
  type SipEngineFactory,
  type Timers,
  type Transport,
} from './engine';
import { MediaWorkerPool, type MediaOpener } from './media';
import { createNativeEngine } from './native';
import { CallRegistry } from './registry';
import { pbxOf } from './routing';
import type { OutgoingLeg } from './outgoing';
import type { PbxEnvironment } from '../../compiler/flow/schema';

export interface SipServerOptions {
  programs: Program | Program[];
  /** The bind address; default 127.0.0.1. A wildcard (0.0.0.0, ::) serves every local address. */
  host?: string;
  /** Default 5070; 0 picks a free port. */
  port?: number;
  /** Default ['udp', 'tcp']. */
  transports?: Transport[];
  /** What Contact and SDP name instead of the address a call arrived on (a NAT's public address). */
  advertise?: Advertised | string;
  /** Networks that may call (CIDRs, addresses, `local`); default this machine only. Others get no answer at all. */
  allow?: string[];
  /** Calls at once; more get busyStatus. Default 100. */
  maxCalls?: number;
  /** Calls at once from one source address; more get busyStatus. Default 10. */
  maxCallsPerSource?: number;
  /** Default 486 Busy Here. */
  busyStatus?: 486 | 503;
  /** Where RTP is bound and what the SDP says, for every call (default: see addresses.ts). */
  mediaAddress?: string;
  mailer?: MailSender;
  /** cgpl (the interpreter, what ships) or js (the compiled module; flows only). Default cgpl. */
  target?: 'cgpl' | 'js';
  /**
   * Run each call's program on a pooled call worker (runtime/host/isolated), so that even a loop
   * between budget checks cannot hold up SIP. A worker is a thread per call at once (~50 MB and
   * about a second of CPU to start), so the default is the SIP thread with the call's CPU budget.
   * Programs that spawn tasks or use ExecuteCLI always run on the SIP thread.
   */
  isolate?: boolean;
  /** Send 180 Ringing before the program answers. Default true. */
  ring?: boolean;
  /** The calls' clock (routing by working hours, LocalTime()); default the wall clock. */
  clock?: Clock;
  /** The time account rules are judged at (shorthand for a clock). Default: now. */
  now?: () => Date;
  /** RFC 3261 timers; tests shorten T1. */
  timers?: Partial<Timers>;
  /** The SIP engine; default ours (native). */
  engine?: SipEngineFactory;
  /**
   * Takes REGISTER: the environment's accounts with a password register by digest (true: with the
   * defaults; or the registrar's settings). Without it REGISTER gets 405.
   */
  registrar?: boolean | (Omit<RegistrarOptions, 'pbx'> & { ifPasswords?: boolean }) | SipRegistrar;
  /** A new call (before the program starts). */
  onCall?: (call: SipCall) => void;
  /** A call ended and its program finished. */
  onCallEnd?: (call: SipCall, result: SipCallResult) => void;
  /** Problems outside any call (a handler that failed, a socket error). */
  onError?: (text: string) => void;
  /**
   * RTP on this many worker threads (each with its own 20 ms clock and sockets), so programs and
   * signalling on the SIP thread never delay a packet. Default 0: media on the SIP thread.
   */
  mediaWorkers?: number;
}

export interface SipServer {
  /** The bind address as given. */
  address: string;
  port: number;
  transports: Transport[];
  listening: readonly ListenPoint[];
  /** Calls in progress, by Call-ID. */
  readonly calls: ReadonlyMap<string, SipCall>;
  /** Calls refused or answered so far (for the benchmark). */
  readonly counters: { invites: number; rejected: number; answered: number; ended: number };
  /** Media worker threads running (0: RTP on the SIP thread). */
  readonly mediaWorkers: number;
  /** The networks that may call. */
  readonly allow: readonly string[];
  /** The registrar, when the server has one. */
  readonly registrar: SipRegistrar | null;
  /** The registered devices (empty without a registrar). */
  registrations(): Binding[];
  /** Hangs up every call in progress (BYE, or a final response) and waits up to timeoutMs for the answers. */
  endCalls(timeoutMs?: number): Promise<void>;
  /** endCalls, then closes the sockets and the media workers. */
  close(): Promise<void>;
}

/**
 * @example
 *   const { program } = await loadProgram('samples/callback/flow.json');
 *   const server = await startSipServer({ programs: program!, host: '0.0.0.0', allow: ['192.168.1.0/24'], mailer });
 *   console.log(`call sip:callback@<this machine>:${server.port}`);
 */
export async function startSipServer(options: SipServerOptions): Promise<SipServer> {
  const programs = Array.isArray(options.programs) ? options.programs : [options.programs];
  const host = options.host ?? '127.0.0.1';
  const transports = options.transports ?? ['udp', 'tcp'];
  const timers = timersOf(options.timers);
  const onError = options.onError ?? (() => undefined);
  const admission = new Admission({
    ...(options.allow ? { allow: options.allow } : {}),
    maxCalls: options.maxCalls ?? 100,
    ...(options.maxCallsPerSource !== undefined ? { maxCallsPerSource: options.maxCallsPerSource } : {}),
    ...(options.busyStatus ? { busyStatus: options.busyStatus } : {}),
  });
  const advertise = typeof options.advertise === 'string' ? parseAdvertise(options.advertise) : options.advertise;
  const pool = await startPool(options, host);
  const calls = new CallRegistry(64 * timers.t1);
  // The engine needs the address rules (its Via), the address rules need the engine's port.
  let addresses: Addresses | null = null;
  let ctx: ServerContext | null = null;
  let engine: SipEngine;
  try {
    engine = await (options.engine ?? createNativeEngine)({
      host,
      port: options.port ?? 5070,
      transports,
      allow: (address) => admission.allowed(address),
      timers,
      sentBy: (flow) => addresses!.contact(flow),
      onRequest: (rq) => (ctx ? dispatch(ctx, rq) : undefined),
      onMessage: (dir, m, flow) => {
        const callId = m.headers.get('call-id');
        const call = callId ? calls.find(callId) : undefined;
        if (call && m !== call.dialog.invite.message) call.log(dir, m, flow);
      },
      onError: (text) => onError(`sip: ${text}`),
    });
  } catch (err) {
    await pool?.close();
    throw err;
  }
  addresses = new Addresses({
    host,
    port: engine.port,
    ...(advertise ? { advertise } : {}),
    ...(options.mediaAddress ? { mediaAddress: options.mediaAddress } : {}),
  });
  const pbx = pbxOf(programs);
  const legs = new Map<string, OutgoingLeg>();
  const registrar =
    options.registrar instanceof SipRegistrar
      ? options.registrar
      : wantsRegistrar(options.registrar, pbx)
        ? new SipRegistrar({ pbx, ...(options.registrar === true ? {} : options.registrar) })
        : null;
  ctx = {
    programs,
    pbx,
    engine,
    addresses,
    admission,
    calls,
    timers,
    clock: clockOf(options),
    target: options.target ?? 'cgpl',
    isolate: options.isolate ?? false,
    ring: options.ring ?? true,
    onError,
    ...(options.mailer ? { mailer: options.mailer } : {}),
    ...(pool ? { openMedia: ((opts) => pool.open(opts)) satisfies MediaOpener } : {}),
    ...(registrar ? { registrar } : {}),
    legs,
    ...(options.onCall ? { onCall: options.onCall } : {}),
    ...(options.onCallEnd ? { onCallEnd: options.onCallEnd } : {}),
  };
  const started = engine;
  let closing: Promise<void> | null = null;
  const endCalls = async (timeoutMs = 2000) => {
    const live = [...calls.live.values()];
    await Promise.all(live.map((c) => c.session.disconnect().catch(() => undefined)));
    const byes = live.map((c) => c.hungUp);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(byes), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  };
  return {
    address: host,
    port: engine.port,
    transports,
    listening: engine.listening,
    calls: calls.live,
    counters: calls.counters,
    mediaWorkers: pool?.size ?? 0,
    allow: admission.allowList,
    registrar,
    registrations: () => registrar?.bindings() ?? [],
    endCalls,
    close() {
      closing ??= (async () => {
        await endCalls();
        for (const call of calls.all()) call.media?.stop();
        calls.clear();
        registrar?.close();
        for (const leg of legs.values()) leg.hangup();
        await started.close();
        await pool?.close();
      })();
      return closing;
    },
  };
}

function startPool(options: SipServerOptions, host: string): Promise<MediaWorkerPool | null> {
  if ((options.mediaWorkers ?? 0) <= 0) return Promise.resolve(null);
  // Spares go where most calls' RTP will be bound: the bind address, or loopback for a wildcard.
  const spareAddress = options.mediaAddress ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
  return MediaWorkerPool.start(options.mediaWorkers!, { spareAddress });
}

/** `ifPasswords`: only when some account can register (else REGISTER keeps getting 405). */
function wantsRegistrar(setting: SipServerOptions['registrar'], pbx: PbxEnvironment): boolean {
  if (!setting) return false;
  if (setting === true || setting instanceof SipRegistrar || !setting.ifPasswords) return true;
  return pbx.accounts.some((a) => a.password);
}

function clockOf(options: SipServerOptions): Clock {
  if (options.clock) return options.clock;
  const real = realClock();
  return options.now ? { now: options.now, sleep: real.sleep } : real;
}
