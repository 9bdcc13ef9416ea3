// Where each new request goes: in-dialog requests to their call (481 when there is none), a new
// INVITE to invite.ts, OPTIONS answered here, REGISTER to the registrar or 405, anything else 501.
// A handler that throws answers 500 and is reported; it never takes the server down.
import { randomBytes } from 'node:crypto';
import type { IncomingRequest } from './engine';
import { allowed, type ServerContext } from './context';
import { onInvite } from './invite';
import type { SipCall } from './call';

const tag = () => randomBytes(6).toString('hex');

export function dispatch(ctx: ServerContext, rq: IncomingRequest): void {
  try {
    route(ctx, rq);
  } catch (err) {
    failed(ctx, rq, err);
  }
}

function route(ctx: ServerContext, rq: IncomingRequest): void {
  const method = rq.core.method;
  if (rq.core.toTag !== null && method !== 'OPTIONS') return inDialog(ctx, rq);
  switch (method) {
    case 'INVITE':
      onInvite(ctx, rq).catch((err) => failed(ctx, rq, err));
      return;
    case 'OPTIONS':
      return rq.respond(200, 'OK', {
        toTag: tag(),
        headers: [
          ['Allow', allowed(ctx)],
          ['Accept', 'application/sdp, application/dtmf-relay, application/dtmf'],
          ['Accept-Encoding', 'identity'],
          ['Supported', ''],
        ],
      });
    case 'REGISTER':
      if (ctx.registrar) return ctx.registrar.handle(rq);
      return rq.respond(405, 'Method Not Allowed', {
        toTag: tag(),
        headers: [['Allow', allowed(ctx)]],
        warning: 'this server has no registrar: call it directly',
      });
    case 'BYE':
    case 'INFO':
    case 'UPDATE':
      // Outside a dialog (no To tag): nothing to end or inform.
      return rq.respond(481, 'Call/Transaction Does Not Exist', { toTag: tag() });
    default:
      return rq.respond(501, 'Not Implemented', { toTag: tag(), headers: [['Allow', allowed(ctx)]] });
  }
}

function inDialog(ctx: ServerContext, rq: IncomingRequest): void {
  const call = ctx.calls.find(rq.core.callId);
  const leg = call ? undefined : ctx.legs.get(rq.core.callId);
  if (leg?.matches(rq)) return leg.onRequest(rq);
  if (!call?.dialog.matches(rq.core) || (rq.core.method === 'INVITE' && call.session.state === 'ended'))
    return rq.respond(481, 'Call/Transaction Does Not Exist', { toTag: rq.core.toTag ?? tag() });
  handle(ctx, call, rq);
}

function handle(ctx: ServerContext, call: SipCall, rq: IncomingRequest): void {
  switch (rq.core.method) {
    case 'BYE':
      return call.onBye(rq);
    case 'INFO':
      return call.onInfo(rq);
    case 'NOTIFY':
      return call.onNotify(rq);
    case 'INVITE':
      return call.onReInvite(rq);
    default:
      return call.dialog.respond(405, 'Method Not Allowed', { headers: [['Allow', allowed(ctx)]] }, rq);
  }
}

function failed(ctx: ServerContext, rq: IncomingRequest, err: unknown): void {
  ctx.onError(
    `${rq.core.method} ${rq.message.uri}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
  );
  try {
    rq.respond(500, 'Server Internal Error', { toTag: rq.core.toTag ?? tag() });
  } catch {
    // nothing more to say to this peer
  }
}
