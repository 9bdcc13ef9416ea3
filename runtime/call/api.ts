// One Call API shared by every channel (simulated, SIP) and every program host (the CG/PL
// interpreter, the compiled JS module). The PBX built-ins of CG/PL map one-to-one onto it. One
// CallSession is one Task: its call (if any), its mode, its input, its bridges and its account.
import type { Directory } from './directory';
import type { SourceDiagnostic } from '../../compiler/diagnostics';
import type { CallMode } from './modes';

/** A task handle: what `spawn` and ThisTask() give and SendEvent and StartBridge take. */
export interface TaskRef {
  readonly taskId: string;
}

/** The one task handle value: the Call API hands these out, CG/PL holds them as "task" values. */
export class TaskHandle implements TaskRef {
  constructor(readonly taskId: string) {}
  /** The task id ("t2"). */
  get id(): string {
    return this.taskId;
  }
}

/**
 * An event from ReadInput: `what`, the task that sent it (`sender`: a task handle, or a plain name
 * for events a script sends), and `parameter`. System events: Disconnect (no sender), CallProvision
 * and CallCompleted (StartCall's progress; a failed call's parameter is the error code string),
 * StartBridge and BreakBridge (sender: the other task).
 */
export interface InputEvent {
  what: string;
  sender?: TaskRef | string;
  parameter?: unknown;
}

/** ReadInput's result: one DTMF symbol, an event, or null (nothing in time). */
export type Input = string | InputEvent | null;

export interface EmailPart {
  /** e.g. "audio/wav" */
  contentType: string;
  fileName?: string;
  body: string | Uint8Array;
}

export interface EmailRequest {
  from: string;
  subject: string;
  to: string;
  /** Extra header fields (name → value), or null. */
  headers: Record<string, string> | null;
  /** Text body, or MIME parts (first text, then attachments). */
  content: string | Uint8Array | (string | EmailPart)[];
}

/** Enqueue's and CheckQueue's answer: the queue's length and (when enqueued) the task's place (0 = next). */
export interface QueueInfo {
  length: number;
  position?: number;
}

/** ReadQueue's answer: the task taken off the queue and what it enqueued with. */
export interface QueueEntry {
  id: TaskRef;
  parameter: unknown;
  pty: string;
}

export interface CallSession {
  readonly id: string;
  /** The task's call mode (runtime/call/modes.ts). */
  mode(): CallMode;

  // ── the incoming call ────────────────────────────────────────────────────────────────────
  /** AcceptCall(): null once answered, else an error string. */
  accept(): Promise<string | null>;
  /** RejectCall(code | error string): ends an incoming call; nothing outside incoming/provisioned. */
  reject(code?: number | string): Promise<void>;
  /** RedirectCall(uri): the call leaves this task (the task is disconnected); incoming/provisioned only. */
  redirect(uri: string | string[]): Promise<void>;
  /** ForkCall(uri): the call also rings there; the task stays as it was (incoming/provisioned only). */
  fork(uri: string | string[]): Promise<void>;
  /** ProvisionCall(media): a provisional response; with media the task becomes provisioned. */
  provision(media: boolean): Promise<string | null>;
  /** TransferCall(dest): a blind transfer of the connected peer; null once it is done. */
  transfer(destination: string): Promise<string | null>;
  transferSupported(): boolean;
  isConnected(): boolean;
  /** connected or provisioned */
  isHalfConnected(): boolean;
  /** The pending INVITE's request-URI; null when no request is pending. */
  incomingRequestUri(): string | null;
  /** PendingRequestData(field): Call-ID, From, To … of the pending request, else null. */
  pendingRequestData(field: string): string | null;
  /** The peer's URI; null when there is no call. */
  remoteUri(): string | null;
  localUri(): string;
  /** The authenticated e-mail of the peer, or null. */
  remoteAuthentication(): string | null;
  /** Disconnect() / the program ended: we hang up. */
  disconnect(code?: number, text?: string): Promise<void>;

  // ── media ────────────────────────────────────────────────────────────────────────────────
  /**
   * PlayFile(name[, msec]): play an environment file (language folder first, then the root).
   * Skipped or cut short when the DTMF buffer is not empty (unless interruption is off), when an
   * event is queued, or when the call has ended. msec > 0 plays that long looping; < 0 forever.
   * Without a media channel (not provisioned or connected) nothing plays.
   */
  playFile(name: string, msec?: number): Promise<void>;
  /** ReadInput(seconds): first buffered DTMF symbol (removed), else first event, else null after the wait. */
  readInput(seconds: number): Promise<Input>;
  /** DTMF(): the buffered symbols, not removed. */
  dtmf(): string;
  clearDtmf(): void;
  setInterruptOnDtmf(flag: boolean): void;
  /** SendDTMF(symbol): one DTMF symbol to the peer; null once sent, else an error string. */
  sendDtmf?(symbol: string): Promise<string | null>;
  /** Record(seconds): WAV bytes, or null when nothing was recorded / cut off. */
  record(seconds: number): Promise<Uint8Array | null>;

  // ── tasks ────────────────────────────────────────────────────────────────────────────────
  /** ThisTask() */
  task(): TaskRef;
  /**
   * `spawn Entry(parameter)`: a new task for the same account, in disconnected mode; `run` is its
   * program (it receives the new task's session). Returns the new task's handle.
   */
  spawn(run: (session: CallSession) => Promise<unknown>, parameter?: unknown): TaskRef;
  /** The start parameter the task was started with (Vars().startParameter), or undefined. */
  startParameter(): unknown;
  /** SendEvent(task, what, parameter): null once queued for that task, else an error string. */
  sendEvent(to: TaskRef, what: string, parameter?: unknown): string | null;

  // ── outgoing calls and bridges ───────────────────────────────────────────────────────────
  /** StartCall(destination): null when the call is being placed (events follow), else an error. */
  startCall(destination: string): string | null;
  /** CancelCall(): drops the outgoing call being placed; no final event follows. */
  cancelCall(): void;
  /** StartBridge(task): waits until that task accepts (null) or rejects (an error string). */
  startBridge(to: TaskRef): Promise<string | null>;
  /** AcceptBridge(StartBridge event): null once the peers' media are bridged. */
  acceptBridge(event: InputEvent): Promise<string | null>;
  /** RejectBridge(StartBridge event, error): the other task's StartBridge returns `error`. */
  rejectBridge(event: InputEvent, error: string): void;
  /** BreakBridge(): null when a bridge was broken, else an error string. */
  breakBridge(): string | null;
  /** StartBridgedCall(destination, StartBridge event): StartCall whose answer bridges the ingress task. */
  startBridgedCall(destination: string, event: InputEvent): string | null;

  // ── mail, account, routing, queues ─────────────────────────────────────────────────────
  /** SendEMail: null once accepted for delivery, else an error string. */
  sendEmail(req: EmailRequest): Promise<string | null>;
  /** The account the task runs for, e.g. "ivanov@company.com". */
  myEmail(): string;
  myDomain(): string;
  setLanguage(lang: string | null): void;
  getLanguage(): string;
  /** One preference (case-insensitive name), null when unset; `""` → every effective preference. */
  getAccountPreference(key: string): unknown;
  /** Enqueue(queue, parameter, pty): null when the task could not be registered. */
  enqueue(queue: string, parameter: unknown, pty: string): QueueInfo | null;
  checkQueue(queue: string): QueueInfo | null;
  readQueue(queue: string): QueueEntry | null;
  dequeue(queue: string): void;
  /** Member e-mail addresses of a group (name or name@domain), null when there is no such group. */
  readGroupMembers(group: string): string[] | null;
  /** The local account an address routes to (aliases followed), null when it is not local. */
  routeLocalUri(uri: string): string | null;
  /** The PBX data of this run (read by ExecuteCLI; SETGROUP changes it for this run only). */
  directory(): Directory;

  /** The call's clock (real for live calls, virtual in tests and "pretend it is Sunday 23:00"). */
  now(): Date;
  /** The program entered a flow node (from the source map or the compiled JS). */
  node(id: string): void;
  /** SysLog(x) */
  log(text: string): void;
  /** A runtime error of the task's program (a spawned task's errors are reported here). */
  error?(e: SourceDiagnostic & { file: string }): void;
}
