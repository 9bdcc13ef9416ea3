// A new INVITE: admitted (limits), routed (CommuniGate's addressing, only the environment's domain
// and accounts), its offer read; then the call is set up (RTP bound before the answer names its
// port), rings, and its program runs from the INVITE on, as a CommuniGate task does.
import { randomBytes } from 'node:crypto';
import { needsCallThread, runCgplHost, runIsolated, runJsHost } from '../host';
import type { HostResult } from '../host/common';
import { SipCall, type SipCallResult } from './call';
import type { ServerContext } from './context';
import type { IncomingRequest } from './engine';
import { escapeUser, hostPort } from './message';
import { routeCall, type Route } from './routing';
import { SipDialer } from './dialer';
import { Directory } from '../call/directory';
import { parseOffer, type MediaOffer } from './sdp';
import { hostFailure } from '../call/trace';

type Refuse = (status: number, reason: string, warning?: string) => void;

export async function onInvite(ctx: ServerContext, rq: IncomingRequest): Promise<void> {
  if (ctx.calls.find(rq.core.callId)) {
    // A new transaction for a Call-ID we have: a forked or reused INVITE, not ours to take.
    return rq.respond(482, 'Loop Detected', { toTag: randomBytes(6).toString('hex') });
  }
  ctx.calls.counters.invites++;
  const refuse: Refuse = (status, reason, warning) => {
    ctx.calls.counters.rejected++;
    rq.respond(status, reason, { toTag: randomBytes(6).toString('hex'), ...(warning ? { warning } : {}) });
  };
  const setup = plan(ctx, rq, refuse);
  if (!setup) return;
  const call = new SipCall({
    engine: ctx.engine,
    invite: rq,
    offer: setup.offer,
    program: setup.route.program,
    account: setup.route.program.environment.account(setup.route.account),
    why: setup.route.why,
    ...(setup.route.startParameter ? { startParameter: setup.route.startParameter } : {}),
    contact: contactUri(ctx, rq, rq.core.uri.user ?? ''),
    mediaBind: ctx.addresses.rtpBind(rq.flow),
    sdpAddress: ctx.addresses.sdp(rq.flow),
    ackTimeoutMs: 64 * ctx.timers.t1,
    clock: ctx.clock,
    ...(ctx.openMedia ? { openMedia: ctx.openMedia } : {}),
    ...(ctx.mailer ? { mailer: ctx.mailer } : {}),
    referTarget: (target) => referTarget(ctx, target),
    dialer: (c) => new SipDialer(ctx, { trace: c.trace, media: () => c.media, codec: setup.offer.codec }),
  });
  ctx.calls.add(call);
  const release = ctx.admission.hold(call.source);
  try {
    await call.openMedia();
  } catch (err) {
    ctx.calls.drop(call);
    release();
    call.session.remoteEnded();
    return refuse(503, 'Service Unavailable', `no RTP port: ${err instanceof Error ? err.message : String(err)}`);
  }
  void call.session.whenEnded().then(() => {
    release();
    ctx.calls.ended(call);
  });
  try {
    ctx.onCall?.(call);
  } catch (err) {
    ctx.onError(`onCall failed: ${String(err)}`);
  }
  if (call.session.state === 'ended') return; // CANCELled while the RTP socket was being bound
  if (ctx.ring) call.dialog.respond(180, 'Ringing');
  void runCall(ctx, call);
}

/** Admission, routing and the offer, in that order; null when the INVITE was refused. */
function plan(
  ctx: ServerContext,
  rq: IncomingRequest,
  refuse: Refuse,
): { route: Extract<Route, { ok: true }>; offer: MediaOffer } | null {
  const admitted = ctx.admission.admit(rq.flow.remote.address, ctx.calls.size);
  if (!admitted.ok) {
    refuse(admitted.status, admitted.reason, admitted.warning);
    return null;
  }
  const route = routeCall(
    { user: rq.core.uri.user ?? '', host: rq.core.uri.host },
    ctx.programs,
    ctx.pbx,
    ctx.clock.now(),
    (host) => ctx.addresses.ours(host, rq.flow),
  );
  if (!route.ok) {
    refuse(route.status, route.status === 404 ? 'Not Found' : 'Temporarily Unavailable', route.reason);
    return null;
  }
  const body = rq.message.body.toString('utf8');
  if (body.trim() === '') {
    refuse(488, 'Not Acceptable Here', 'no SDP offer (late offer is not supported)');
    return null;
  }
  const offer = parseOffer(body);
  if (!offer.ok) {
    refuse(offer.status, offer.status === 488 ? 'Not Acceptable Here' : 'Bad Request', offer.reason);
    return null;
  }
  return { route, offer: offer.offer };
}

function contactUri(ctx: ServerContext, rq: IncomingRequest, user: string): string {
  const at = ctx.addresses.contact(rq.flow);
  const transport = rq.flow.transport === 'tcp' ? ';transport=tcp' : '';
  return `sip:${escapeUser(user || 'ivr')}@${hostPort(at.address, at.port)}${transport}`;
}

async function runCall(ctx: ServerContext, call: SipCall): Promise<void> {
  let host: HostResult | null = null;
  try {
    if (!ctx.isolate || needsCallThread(call.program))
      host =
        ctx.target === 'js'
          ? await runJsHost(call.program, call.session)
          : await runCgplHost(call.program, call.session);
    // On a pooled call worker (--isolate): a runaway cannot hold up the SIP thread.
    else host = await runIsolated(call.program, call.session, { target: ctx.target }).result;
  } catch (err) {
    call.trace.add({ kind: 'error', ...hostFailure(err, call.program.file) });
  }
  if (call.session.state === 'connected' || call.session.state === 'answering') ctx.calls.counters.answered++;
  // A program that ends without answering leaves the call unanswered: CommuniGate rejects it.
  if (call.session.state !== 'ended') await call.session.disconnect();
  const result: SipCallResult = {
    endedBy: call.session.endedBy,
    transfer: call.session.transferTarget,
    host,
    digits: call.session.digits.map((d) => d.digit).join(''),
  };
  try {
    ctx.onCallEnd?.(call, result);
  } catch (err) {
    ctx.onError(`onCallEnd failed: ${String(err)}`);
  }
}

/** TransferCall's target as the caller can reach it: an account's first registered phone, else a URI. */
function referTarget(ctx: ServerContext, target: string): string {
  const directory = new Directory(ctx.pbx);
  const email = directory.route(target);
  const device = email ? ctx.registrar?.bindings(email)[0] : undefined;
  if (device) return device.contact;
  if (/^sips?:/i.test(target.trim())) return target.trim();
  return `sip:${email ?? target.trim()}`;
}
