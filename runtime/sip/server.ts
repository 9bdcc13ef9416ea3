// The SIP user agent server: real softphones call the loaded programs. Requests are dispatched to
// their call by dialog (Call-ID + tags); every handler is wrapped, so a request that breaks one never
// takes the process down. Routing follows CommuniGate (see routing.ts).
import type { SipRemote, SipRequest, SipStack } from 'sip';
import type { Program } from '../host/program';
import { runCgplHost } from '../host/cgplHost';
import { runJsHost } from '../host/jsHost';
import type { HostResult } from '../host/common';
import type { MailSender } from '../call/simulated';
import { SipCall, type SipCallResult } from './call';
import { newTag } from './dialog';
import { parseOffer } from './sdp';
import { pbxOf, routeCall } from './routing';
import { startStack, freePort, type Transport } from './transport';
import { checkRequest } from './validate';
import { MediaWorkerPool, type MediaOpener } from './media';
import sip from 'sip';

export interface SipServerOptions {
  programs: Program | Program[];
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 5070; 0 picks a free port. */
  port?: number;
  /** Default ['udp', 'tcp']. */
  transports?: Transport[];
  /** Calls at once; more get busyStatus. Default 100. */
  maxCalls?: number;
  /** Default 486 Busy Here. */
  busyStatus?: 486 | 503;
  /** Where RTP is bound and what the SDP says. Default: host. */
  mediaAddress?: string;
  mailer?: MailSender;
  /** cgpl (the interpreter, what ships) or js (the compiled module; flows only). Default cgpl. */
  target?: 'cgpl' | 'js';
  /** Send 180 Ringing before the program answers. Default true. */
  ring?: boolean;
  /** The time account rules are judged at. Default: now. */
  now?: () => Date;
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
  address: string;
  port: number;
  transports: Transport[];
  /** Calls in progress, by Call-ID. */
  readonly calls: ReadonlyMap<string, SipCall>;
  /** Calls refused or answered so far (for the benchmark). */
  readonly counters: { invites: number; rejected: number; answered: number; ended: number };
  /** Media worker threads running (0: RTP on the SIP thread). */
  readonly mediaWorkers: number;
  close(): Promise<void>;
}

const ALLOW = 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO';

/**
 * @example
 *   const { program } = await loadProgram('samples/callback/flow.json');
 *   const server = await startSipServer({ programs: program!, port: 5070, mailer });
 *   console.log(`call sip:callback@${server.address}:${server.port}`);
 */
export async function startSipServer(options: SipServerOptions): Promise<SipServer> {
  const programs = Array.isArray(options.programs) ? options.programs : [options.programs];
  const pbx = pbxOf(programs);
  const host = options.host ?? '127.0.0.1';
  const transports = options.transports ?? ['udp', 'tcp'];
  const port = options.port === 0 ? await freePort(host) : (options.port ?? 5070);
  const maxCalls = options.maxCalls ?? 100;
  const mediaAddress = options.mediaAddress ?? host;
  const calls = new Map<string, SipCall>();
  /** Calls that ended recently: late ACK/BYE retransmissions still find their dialog. */
  const recent = new Map<string, SipCall>();
  const counters = { invites: 0, rejected: 0, answered: 0, ended: 0 };
  const onError = options.onError ?? (() => undefined);
  const pool =
    (options.mediaWorkers ?? 0) > 0
      ? await MediaWorkerPool.start(options.mediaWorkers!, {
          spareAddress: options.mediaAddress ?? options.host ?? '127.0.0.1',
        })
      : null;
  const openMedia: MediaOpener | undefined = pool ? (opts) => pool.open(opts) : undefined;
  const findCall = (callId: string) => calls.get(callId) ?? recent.get(callId);

  const contactFor = (remote: SipRemote, user: string) =>
    `sip:${encodeURIComponent(user || 'ivr')}@${host.includes(':') ? `[${host}]` : host}:${port}${remote.protocol.toUpperCase() === 'TCP' ? ';transport=tcp' : ''}`;

  let stack: SipStack;
  const reply = (rq: SipRequest, status: number, reason: string, headers: Record<string, unknown> = {}) => {
    const rs = sip.makeResponse(rq, status, reason);
    if (status > 100 && rq.headers.to && !rq.headers.to.params?.tag)
      rs.headers.to = { ...rq.headers.to, params: { ...rq.headers.to.params, tag: newTag() } };
    Object.assign(rs.headers, headers);
    stack.send(rs);
  };

  async function onInvite(rq: SipRequest, remote: SipRemote): Promise<void> {
    if (rq.headers.to.params.tag) {
      const call = findCall(rq.headers['call-id']);
      if (!call?.dialog.matches(rq) || call.session.state === 'ended')
        return reply(rq, 481, 'Call/Transaction Does Not Exist');
      return call.onReInvite(rq);
    }
    if (findCall(rq.headers['call-id'])) return; // a retransmission that outlived its transaction
    counters.invites++;
    const refuse = (status: number, reason: string, warning?: string) => {
      counters.rejected++;
      reply(rq, status, reason, warning ? { warning: `399 ivr-studio "${warning.replace(/"/g, "'")}"` } : {});
    };
    if (calls.size >= maxCalls)
      return refuse(
        options.busyStatus ?? 486,
        options.busyStatus === 503 ? 'Service Unavailable' : 'Busy Here',
        `over ${maxCalls} calls`,
      );
    const uri = sip.parseUri(rq.uri);
    const route = routeCall(uri?.user, programs, pbx, options.now?.() ?? new Date());
    if (!route.ok)
      return refuse(route.status, route.status === 404 ? 'Not Found' : 'Temporarily Unavailable', route.reason);
    const offer = parseOffer(rq.content ?? '');
    if (!(rq.content ?? '').trim())
      return refuse(488, 'Not Acceptable Here', 'no SDP offer (late offer is not supported)');
    if (!offer.ok)
      return refuse(offer.status, offer.status === 488 ? 'Not Acceptable Here' : 'Bad Request', offer.reason);

    const account = route.program.environment.account(route.account);
    const call = new SipCall({
      stack,
      invite: rq,
      remote,
      offer: offer.offer,
      program: route.program,
      account,
      why: route.why,
      ...(route.startParameter ? { startParameter: route.startParameter } : {}),
      contact: contactFor(remote, uri?.user ?? ''),
      mediaAddress,
      ...(openMedia ? { openMedia } : {}),
      ...(options.mailer ? { mailer: options.mailer } : {}),
    });
    calls.set(call.callId, call);
    reply(rq, 100, 'Trying');
    try {
      await call.openMedia();
    } catch (err) {
      calls.delete(call.callId);
      call.session.remoteEnded();
      return refuse(503, 'Service Unavailable', `no RTP port: ${err instanceof Error ? err.message : String(err)}`);
    }
    void call.session.whenEnded().then(() => {
      calls.delete(call.callId);
      counters.ended++;
      recent.set(call.callId, call);
      setTimeout(() => recent.delete(call.callId), 64 * 500).unref();
    });
    try {
      options.onCall?.(call);
    } catch (err) {
      onError(`onCall failed: ${String(err)}`);
    }
    if (call.session.state === 'ended') return; // CANCELled while the RTP socket was being bound
    if (options.ring ?? true) call.dialog.respond(180, 'Ringing');
    void runProgram(call);
  }

  async function runProgram(call: SipCall): Promise<void> {
    let host: HostResult | null = null;
    try {
      host =
        options.target === 'js'
          ? await runJsHost(call.program, call.session)
          : await runCgplHost(call.program, call.session);
    } catch (err) {
      call.trace.add({
        kind: 'error',
        severity: 'error',
        code: 'RUN499',
        line: 1,
        column: 1,
        message: `the program host failed: ${err instanceof Error ? err.message : String(err)}`,
        file: call.program.file,
      });
    }
    if (call.session.state === 'connected' || call.session.state === 'answering') counters.answered++;
    // A program that ends without answering leaves the call unanswered: CommuniGate rejects it.
    if (call.session.state !== 'ended') await call.session.disconnect();
    const result: SipCallResult = {
      endedBy: call.session.endedBy,
      transfer: call.session.transferTarget,
      host,
      digits: call.session.digits.map((d) => d.digit).join(''),
    };
    try {
      options.onCallEnd?.(call, result);
    } catch (err) {
      onError(`onCallEnd failed: ${String(err)}`);
    }
  }

  function inDialog(rq: SipRequest): SipCall | null {
    const call = findCall(rq.headers['call-id']);
    if (!call?.dialog.matches(rq)) {
      if (rq.method !== 'ACK') reply(rq, 481, 'Call/Transaction Does Not Exist');
      return null;
    }
    return call;
  }

  function dispatch(rq: SipRequest, remote: SipRemote): void {
    const refusal = checkRequest(rq);
    if (refusal) {
      if (rq.method !== 'ACK') reply(rq, refusal.status, refusal.reason);
      return;
    }
    switch (rq.method) {
      case 'INVITE':
        onInvite(rq, remote).catch((err) => failed(rq, err));
        return;
      case 'ACK':
        inDialog(rq)?.onAck();
        return;
      case 'BYE':
        inDialog(rq)?.onBye(rq);
        return;
      case 'INFO':
        inDialog(rq)?.onInfo(rq);
        return;
      case 'CANCEL': {
        const call = findCall(rq.headers['call-id']);
        const branch = (v: SipRequest) => v.headers.via[0]?.params.branch;
        if (!call || branch(call.dialog.invite) !== branch(rq))
          return reply(rq, 481, 'Call/Transaction Does Not Exist');
        call.onCancel(rq);
        return;
      }
      case 'OPTIONS':
        return reply(rq, 200, 'OK', {
          allow: ALLOW,
          accept: 'application/sdp, application/dtmf-relay, application/dtmf',
          supported: '',
        });
      case 'REGISTER':
        // A softphone pointed at us registers first; we have no registrar, but it may go on calling.
        return reply(rq, 200, 'OK', { contact: rq.headers.contact, expires: '3600' });
      default:
        return reply(rq, 501, 'Not Implemented', { allow: ALLOW });
    }
  }

  function failed(rq: SipRequest, err: unknown): void {
    onError(`${rq.method} ${rq.uri}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    try {
      if (rq.method !== 'ACK') reply(rq, 500, 'Server Internal Error');
    } catch {
      // nothing more to say to this peer
    }
  }

  stack = await startStack(
    {
      host,
      port,
      transports,
      logger: {
        recv: (m, r) =>
          safely(() => {
            const c = findCall(String(m.headers?.['call-id']));
            if (c && m !== c.dialog.invite) c.log('in', m, r);
          }),
        send: (m, r) => safely(() => findCall(String(m.headers?.['call-id']))?.log('out', m, r)),
        error: (e) => onError(`sip: ${e instanceof Error ? e.message : String(e)}`),
      },
    },
    (rq, remote) => {
      try {
        dispatch(rq, remote);
      } catch (err) {
        failed(rq, err);
      }
    },
  );

  return {
    address: host,
    port,
    transports,
    calls,
    counters,
    mediaWorkers: pool?.size ?? 0,
    async close() {
      for (const call of [...calls.values()]) {
        try {
          await call.session.disconnect();
        } catch {
          // closing anyway
        }
      }
      // Let the BYEs leave before the sockets close.
      if (calls.size > 0 || recent.size > 0) await new Promise((r) => setTimeout(r, 50));
      for (const call of [...calls.values(), ...recent.values()]) {
        call.dialog.stopRetransmit();
        call.media?.stop();
      }
      recent.clear();
      stack.destroy();
      await pool?.close();
    },
  };
}

function safely(f: () => void): void {
  try {
    f();
  } catch {
    // a log entry is never worth a failed request
  }
}
