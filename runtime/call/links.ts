// A task's links to other parties: the outgoing call it places (StartCall, the Dialer's leg and its
// events) and the media bridge it is in (StartBridge, AcceptBridge, StartBridgedCall, BreakBridge).
// The task checks the call mode before it asks; this file keeps the state and does the work.
import type { InputEvent, TaskRef } from './api';
import type { BridgeRequest } from './hub';
import type { Leg } from './parties';
import type { Peer } from './peer';
import type { CallTask } from './task';
import type { HangupBy } from './trace';

export class CallLinks {
  /** The task whose peer ours is bridged with. */
  bridged: CallTask | null = null;
  /** The outgoing call being placed, or answered. */
  leg: Leg | null = null;
  /** Where the outgoing call rings (RemoteURI while dialling). */
  dialTarget: string | null = null;
  /** The StartBridge request a StartBridgedCall answers. */
  private legBridge: BridgeRequest | null = null;

  constructor(private readonly task: CallTask) {}

  start(destination: string): string | null {
    const t = this.task;
    const dialer = t.hub.dialer;
    if (!dialer) return 'outgoing calls are not supported by this runtime';
    const leg = dialer.dial(
      { task: t.taskId, from: `sip:${t.account.email}`, to: destination },
      {
        ringing: () => this.ringing(leg),
        answered: (peer) => void this.answered(leg, peer),
        failed: (error) => this.failed(leg, error),
      },
    );
    if (typeof leg === 'string') return leg;
    this.leg = leg;
    this.dialTarget = destination;
    t.input.reopen();
    t.modes.to('dialling', 'StartCall');
    t.note({ kind: 'leg', leg: leg.id, to: leg.target, state: 'dialling' });
    return null;
  }

  cancel(): void {
    const leg = this.leg!;
    leg.cancel();
    this.leg = null;
    this.dialTarget = null;
    this.task.note({ kind: 'leg', leg: leg.id, to: leg.target, state: 'cancelled' });
    this.task.modes.to('disconnected', 'CancelCall');
  }

  async startBridge(to: TaskRef): Promise<string | null> {
    const t = this.task;
    const target = t.hub.find(to);
    if (!target || target === t) return 'no such task';
    if (this.bridged) return 'already bridged';
    const waiting = new Promise<string | null>((settle) => {
      t.hub.request(t, target, settle);
      target.input.event('StartBridge', undefined, t.ref, t.taskId);
    });
    // Nobody answering must not hold a simulated run forever: the run's deadline ends the wait.
    const left = t.hub.deadlineMs - t.hub.clock.now().getTime();
    const stop = new AbortController();
    const timeout = t.hub.clock.sleep(left, stop.signal).then(() => 'the other task did not answer');
    const result = await Promise.race([waiting, timeout]);
    stop.abort();
    return result;
  }

  async acceptBridge(event: InputEvent): Promise<string | null> {
    const request = this.requestOf(event);
    if (typeof request === 'string') return request;
    const error = await request.from.links.bridgeWith(this.task);
    this.task.hub.settle(request, error);
    return error;
  }

  rejectBridge(event: InputEvent, error: string): void {
    const request = this.requestOf(event);
    if (typeof request === 'string') return void this.task.note({ kind: 'log', text: `RejectBridge: ${request}` });
    this.task.note({ kind: 'bridge', with: request.from.taskId, state: 'rejected', error });
    this.task.hub.settle(request, error || 'rejected');
  }

  breakBridge(): string | null {
    if (!this.bridged) return 'not bridged';
    this.unbridge();
    return null;
  }

  startBridgedCall(destination: string, event: InputEvent): string | null {
    const request = this.requestOf(event);
    if (typeof request === 'string') return request;
    this.legBridge = request;
    const error = this.start(destination);
    if (error !== null) this.legBridge = null;
    return error;
  }

  /** Bridges this task's peer with `other`'s (answering this task's incoming call first). */
  async bridgeWith(other: CallTask): Promise<string | null> {
    const t = this.task;
    if (this.bridged || other.links.bridged) return 'already bridged';
    if (t.modes.is('incoming', 'provisioned')) {
      const error = await t.accept();
      if (error !== null) return error;
    }
    if (!t.peer || !other.peer) return 'the call is disconnected';
    const error = await t.peer.bridge(other.peer);
    if (error !== null) return error;
    this.bridged = other;
    other.links.bridged = t;
    t.note({ kind: 'bridge', with: other.taskId, state: 'started' });
    other.note({ kind: 'bridge', with: t.taskId, state: 'started' });
    return null;
  }

  /** The task's call is ending: the bridge breaks, a pending bridged call fails, the leg ends. */
  callEnding(by: HangupBy): void {
    const t = this.task;
    if (this.bridged) this.unbridge();
    if (this.legBridge) t.hub.settle(this.legBridge, 'the call is disconnected');
    this.legBridge = null;
    if (this.leg && t.modes.is('connected')) {
      const by_ = by === 'peer' ? this.leg.target : 'program';
      t.note({ kind: 'leg', leg: this.leg.id, to: this.leg.target, state: 'ended', by: by_ });
    }
    this.leg = null;
    this.dialTarget = null;
  }

  /** Ends the bridge; the other task gets a BreakBridge event. */
  private unbridge(): void {
    const t = this.task;
    const other = this.bridged;
    if (!other) return;
    t.peer?.unbridge();
    other.peer?.unbridge();
    this.bridged = null;
    other.links.bridged = null;
    t.note({ kind: 'bridge', with: other.taskId, state: 'broken' });
    other.note({ kind: 'bridge', with: t.taskId, state: 'broken' });
    other.input.event('BreakBridge', undefined, t.ref, t.taskId);
  }

  private requestOf(event: InputEvent): BridgeRequest | string {
    const t = this.task;
    const sender = typeof event.sender === 'object' ? t.hub.find(event.sender) : undefined;
    if (event.what !== 'StartBridge' || !sender) return 'not a StartBridge event';
    return t.hub.pending(sender, t) ?? 'that StartBridge request is no longer pending';
  }

  private ringing(leg: Leg | string): void {
    if (typeof leg === 'string' || leg !== this.leg) return;
    this.task.note({ kind: 'leg', leg: leg.id, to: leg.target, state: 'ringing' });
    this.task.input.event('CallProvision');
    this.legBridge?.from.note({ kind: 'log', text: `ringing ${leg.target} (relayed from ${this.task.taskId})` });
  }

  private async answered(leg: Leg | string, peer: Peer): Promise<void> {
    const t = this.task;
    if (typeof leg === 'string' || leg !== this.leg) return peer.hangup();
    t.peer = peer;
    peer.attach(t.peerEvents());
    t.modes.to('connected', 'the outgoing call was answered');
    t.note({ kind: 'leg', leg: leg.id, to: leg.target, state: 'answered' });
    t.input.event('CallCompleted');
    const request = this.legBridge;
    this.legBridge = null;
    if (request) t.hub.settle(request, await request.from.links.bridgeWith(t));
  }

  private failed(leg: Leg | string, error: string): void {
    const t = this.task;
    if (typeof leg === 'string' || leg !== this.leg) return;
    this.leg = null;
    this.dialTarget = null;
    t.note({ kind: 'leg', leg: leg.id, to: leg.target, state: error === 'busy' ? 'busy' : 'failed', error });
    t.modes.to('disconnected', `the outgoing call failed: ${error}`);
    t.input.event('CallCompleted', error);
    const request = this.legBridge;
    this.legBridge = null;
    if (request) t.hub.settle(request, error);
  }
}
