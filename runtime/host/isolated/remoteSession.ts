// The call as a program in a call worker sees it: a CallSession whose methods reach the session on
// the call's own thread. Operations that may wait go by message; those with an answer at once
// (DTMF(), IsConnected(), the clock…) block this thread on shared memory until the answer is there,
// which keeps them synchronous, as the interpreter and the compiled module expect.
import type { MessagePort } from 'node:worker_threads';
import type { CallSession, EmailRequest, Input, InputEvent, QueueEntry, QueueInfo, TaskRef } from '../../call/api';
import type { Directory } from '../../call/directory';
import type { CallMode } from '../../call/modes';
import type { AsyncMethod, FromWorker, SyncMethod, ToldMethod } from './protocol';

/** How long a synchronous question may go unanswered (the call's thread is stuck or gone). */
const SYNC_TIMEOUT_MS = 30_000;

export class RemoteSession implements CallSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly state: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly decoder = new TextDecoder();

  constructor(
    readonly id: string,
    private readonly port: MessagePort,
    sync: SharedArrayBuffer,
  ) {
    this.state = new Int32Array(sync, 0, 2);
    this.bytes = new Uint8Array(sync, 8);
  }

  /** An answer to an asynchronous call arrived. */
  reply(id: number, ok: boolean, value: unknown, error?: string): void {
    const waiter = this.pending.get(id);
    this.pending.delete(id);
    if (!waiter) return;
    if (ok) waiter.resolve(value);
    else waiter.reject(new Error(error ?? 'the call failed'));
  }

  private post(m: FromWorker): void {
    this.port.postMessage(m);
  }

  private ask<T>(method: AsyncMethod, ...args: unknown[]): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.post({ t: 'call', id, method, args });
    });
  }

  private answer<T>(method: SyncMethod, ...args: unknown[]): T {
    Atomics.store(this.state, 0, 0);
    this.post({ t: 'sync', method, args });
    if (Atomics.wait(this.state, 0, 0, SYNC_TIMEOUT_MS) === 'timed-out')
      throw new Error(`the call did not answer ${method}() within ${SYNC_TIMEOUT_MS / 1000} s`);
    const text = this.decoder.decode(this.bytes.slice(0, Atomics.load(this.state, 1)));
    const reply = JSON.parse(text) as { ok: boolean; value?: T; error?: string };
    if (!reply.ok) throw new Error(reply.error ?? `${method}() failed`);
    return reply.value as T;
  }

  private tell(method: ToldMethod, ...args: unknown[]): void {
    this.post({ t: 'tell', method, args });
  }

  accept = () => this.ask<string | null>('accept');
  playFile = (name: string, msec?: number) => this.ask<void>('playFile', name, msec);
  readInput = (seconds: number) => this.ask<Input>('readInput', seconds);
  sendEmail = (req: EmailRequest) => this.ask<string | null>('sendEmail', req);
  redirect = (uri: string | string[]) => this.ask<void>('redirect', uri);
  record = (seconds: number) => this.ask<Uint8Array | null>('record', seconds);
  disconnect = (code?: number, text?: string) => this.ask<void>('disconnect', code, text);
  sendDtmf = (symbol: string) => this.ask<string | null>('sendDtmf', symbol);
  dtmf = () => this.answer<string>('dtmf');
  isConnected = () => this.answer<boolean>('isConnected');
  remoteUri = () => this.answer<string>('remoteUri');
  localUri = () => this.answer<string>('localUri');
  myEmail = () => this.answer<string>('myEmail');
  myDomain = () => this.answer<string>('myDomain');
  getLanguage = () => this.answer<string>('getLanguage');
  getAccountPreference = (key: string) => this.answer<unknown>('getAccountPreference', key);
  now = () => new Date(this.answer<number>('now'));
  clearDtmf = () => this.tell('clearDtmf');
  setInterruptOnDtmf = (flag: boolean) => this.tell('setInterruptOnDtmf', flag);
  setLanguage = (lang: string | null) => this.tell('setLanguage', lang);
  node = (id: string) => this.tell('node', id);
  log = (text: string) => this.tell('log', text);
  // call modes, tasks, bridges, account data: the same methods, asked of the session's thread
  mode = () => this.answer<CallMode>('mode');
  reject = (code?: number | string) => this.ask<void>('reject', code);
  fork = (uri: string | string[]) => this.ask<void>('fork', uri);
  provision = (media: boolean) => this.ask<string | null>('provision', media);
  transfer = (destination: string) => this.ask<string | null>('transfer', destination);
  transferSupported = () => this.answer<boolean>('transferSupported');
  isHalfConnected = () => this.answer<boolean>('isHalfConnected');
  incomingRequestUri = () => this.answer<string | null>('incomingRequestUri');
  pendingRequestData = (field: string) => this.answer<string | null>('pendingRequestData', field);
  remoteAuthentication = () => this.answer<string | null>('remoteAuthentication');
  task = () => this.answer<TaskRef>('task');
  startParameter = () => this.answer<unknown>('startParameter') ?? undefined;
  sendEvent = (to: TaskRef, what: string, parameter?: unknown) =>
    this.answer<string | null>('sendEvent', { taskId: to.taskId }, what, parameter);
  startCall = (destination: string) => this.answer<string | null>('startCall', destination);
  cancelCall = () => this.tell('cancelCall');
  startBridge = (to: TaskRef) => this.ask<string | null>('startBridge', { taskId: to.taskId });
  acceptBridge = (event: InputEvent) => this.ask<string | null>('acceptBridge', plainEvent(event));
  rejectBridge = (event: InputEvent, error: string) => this.tell('rejectBridge', plainEvent(event), error);
  breakBridge = () => this.answer<string | null>('breakBridge');
  startBridgedCall = (destination: string, event: InputEvent) =>
    this.answer<string | null>('startBridgedCall', destination, plainEvent(event));
  enqueue = (queue: string, parameter: unknown, pty: string) =>
    this.answer<QueueInfo | null>('enqueue', queue, parameter, pty);
  checkQueue = (queue: string) => this.answer<QueueInfo | null>('checkQueue', queue);
  readQueue = (queue: string) => this.answer<QueueEntry | null>('readQueue', queue);
  dequeue = (queue: string) => this.tell('dequeue', queue);
  readGroupMembers = (group: string) => this.answer<string[] | null>('readGroupMembers', group);
  routeLocalUri = (uri: string) => this.answer<string | null>('routeLocalUri', uri);
  // A spawned task's program and the run's PBX data cannot cross threads: such programs run on the
  // session's own thread (runtime/server/ws/calls.ts chooses), so a worker never gets here.
  spawn = (): TaskRef => {
    throw new Error('spawn is not available to a program on a call worker');
  };
  directory = (): Directory => {
    throw new Error('ExecuteCLI is not available to a program on a call worker');
  };
}

/** An event as it crosses threads: the sender as a plain task reference. */
function plainEvent(event: InputEvent): InputEvent {
  const sender = event.sender;
  return {
    ...event,
    ...(sender !== undefined && typeof sender === 'object' ? { sender: { taskId: sender.taskId } } : {}),
  };
}
