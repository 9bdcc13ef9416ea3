// Outgoing calls on the wire: the Dialer a SIP call's tasks use (StartCall, StartBridgedCall, a
// Connect transfer). An account rings on every device registered for it (first answer wins, the others
// get CANCEL, §16.7-style forking done here); any other destination must be a SIP URI with an address.
// Final responses become the error strings the simulator uses (runtime/call/parties.ts), so a flow
// takes the same branch here as in a simulated call.
import { Directory } from '../call/directory';
import { PARTY_ERRORS, type Dialer, type DialRequest, type Leg, type LegListener } from '../call/parties';
import type { Trace } from '../call/trace';
import type { ServerContext } from './context';
import { describeFlow } from './dialog';
import type { Flow } from './engine';
import type { MediaChannel } from './media';
import { escapeUser, hostPort, parseSipUri } from './message';
import { OutgoingLeg, type LegTarget } from './outgoing';
import type { Codec } from './sdp';

/** The error string for a final response (null: nothing came back). */
export function legError(status: number | null, reason: string): string {
  if (status === 486 || status === 600) return PARTY_ERRORS.busy;
  if (status === 404 || status === 484 || status === 604) return PARTY_ERRORS.unknown;
  if (status === 603 || status === 403) return PARTY_ERRORS.rejects;
  if (status === null || status === 408 || status === 480) return PARTY_ERRORS.unregistered;
  return `failed: ${status} ${reason}`;
}

export interface CallSide {
  trace: Trace;
  /** The media of the call whose task dials (a bridge then stays on one media thread). */
  media(): MediaChannel | null;
  codec: Codec;
}

export class SipDialer implements Dialer {
  private seq = 0;
  private readonly directory: Directory;

  constructor(
    private readonly ctx: ServerContext,
    private readonly side: CallSide,
  ) {
    this.directory = new Directory(ctx.pbx);
  }

  dial(request: DialRequest, listener: LegListener): Leg | string {
    const id = `leg${++this.seq}`;
    const found = this.targets(request.to);
    if (typeof found === 'string') {
      const error = found;
      queueMicrotask(() => listener.failed(error));
      return { id, target: request.to, cancel: () => undefined };
    }
    const { who, targets } = found;
    const legs: OutgoingLeg[] = [];
    let done = false;
    const failures: string[] = [];
    const finish = () => {
      done = true;
      for (const l of legs) l.hangup();
    };
    for (const target of targets) {
      const leg: OutgoingLeg = new OutgoingLeg(
        {
          engine: this.ctx.engine,
          target,
          from: request.from,
          contact: this.contact(target.flow),
          rtpBind: this.ctx.addresses.rtpBind(target.flow),
          sdpAddress: this.ctx.addresses.sdp(target.flow),
          prefer: this.side.codec,
          ...(this.ctx.openMedia ? { openMedia: this.ctx.openMedia } : {}),
          near: this.side.media(),
          trace: this.side.trace,
        },
        {
          ringing: () => {
            if (!done) listener.ringing();
          },
          answered: (answered) => {
            if (done) return answered.hangup();
            done = true;
            for (const other of legs) if (other !== answered) other.hangup();
            listener.answered(answered.peer);
          },
          failed: (status, reason) => {
            this.ctx.legs.delete(leg.callId);
            failures.push(legError(status, reason));
            if (done || failures.length < legs.length) return;
            done = true;
            listener.failed(failures.includes(PARTY_ERRORS.busy) ? PARTY_ERRORS.busy : failures[0]!);
          },
          ended: () => this.ctx.legs.delete(leg.callId),
        },
      );
      legs.push(leg);
      this.ctx.legs.set(leg.callId, leg);
      void leg.start();
    }
    return { id, target: who, cancel: finish };
  }

  /** Where a destination rings: an account's devices, or one SIP URI; else why not. */
  private targets(to: string): { who: string; targets: LegTarget[] } | string {
    const email = this.directory.route(to);
    if (email !== null) {
      const account = this.directory.findAccount(email)!;
      const devices = this.ctx.registrar?.bindings(account.name) ?? [];
      if (devices.length === 0) return PARTY_ERRORS.unregistered;
      return {
        who: account.name,
        targets: devices.map((d) => ({
          uri: d.contact,
          to: `sip:${email}`,
          flow: d.flow,
          who: `${account.name} (${d.source})`,
        })),
      };
    }
    const uri = parseSipUri(to.trim().replace(/^<|>$/g, ''));
    if (!uri || uri.hostKind === 'name') return PARTY_ERRORS.unknown;
    const flow = this.flowTo({ address: uri.host, port: uri.port ?? 5060 });
    const text = `sip:${uri.user ? `${escapeUser(uri.user)}@` : ''}${hostPort(uri.host, uri.port)}`;
    return { who: text, targets: [{ uri: text, to: text, flow, who: `${text} (${describeFlow(flow)})` }] };
  }

  /** A UDP flow from our listening address to a URI's host. */
  private flowTo(remote: { address: string; port: number }): Flow {
    const bound = this.ctx.engine.listening.find((l) => l.transport === 'udp') ?? this.ctx.engine.listening[0]!;
    const wildcard = bound.address === '0.0.0.0' || bound.address === '::';
    const local = wildcard ? (remote.address.includes(':') ? '::1' : '127.0.0.1') : bound.address;
    return { transport: 'udp', local: { address: local, port: this.ctx.engine.port }, remote };
  }

  private contact(flow: Flow): string {
    const at = this.ctx.addresses.contact(flow);
    return `sip:ivr@${hostPort(at.address, at.port)}${flow.transport === 'tcp' ? ';transport=tcp' : ''}`;
  }
}
