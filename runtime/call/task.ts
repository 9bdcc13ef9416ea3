// One CommuniGate Task: the Call API (CallSession) over a call mode, an input queue and at most one
// peer at a time. Every channel shares it — the simulator's scripted caller and phones, the SIP
// dialog — and supplies only the peer (runtime/call/peer.ts). The mode rules of runtime/call/modes.ts
// are checked here, before a peer is asked for anything.
import type { SourceDiagnostic } from '../../compiler/diagnostics';
import {
  TaskHandle,
  type CallSession,
  type EmailRequest,
  type Input,
  type InputEvent,
  type QueueEntry,
  type QueueInfo,
  type TaskRef,
} from './api';
import { whileBusy } from './clock';
import type { Directory, AccountInfo } from './directory';
import { MISSING_PROMPT_MS, type CallEnvironment } from './environment';
import type { TaskHub } from './hub';
import { CallLinks } from './links';
import { CallInput } from './input';
import { type CallOperation, type CallMode, describeRefusal, MODE_ERRORS, MODE_RULES, ModeMachine } from './modes';
import type { Peer, PeerPrompt } from './peer';
import { playFileStep, readInputStep, type StepContext } from './steps';
import { hostFailure, type CutReason, type HangupBy, type Trace, type TraceBody, type TraceSink } from './trace';

/** What the mail side of a run needs (runtime/mail's Mailer fits): null once queued, else an error. */
export interface MailSender {
  send(req: EmailRequest, meta: EmailMeta): Promise<string | null>;
}

export interface EmailMeta {
  callId: string;
  account: string;
  /** Refuse at submission with this reason (the flow's `failed` branch); see SimulatedCallOptions.refuseEmail. */
  refuse?: string;
}

export interface SentEmail {
  request: EmailRequest;
  /** null = queued, else SendEMail's error string. */
  error: string | null;
}

export interface CallTaskOptions {
  hub: TaskHub;
  /** The session id (a call id for the first task); default the task id. */
  id?: string;
  account: AccountInfo;
  environment?: CallEnvironment;
  /** Default: the account's language. */
  language?: string;
  mailer?: MailSender;
  /** The incoming call this task was started for; none: the task starts disconnected. */
  peer?: Peer | null;
  startParameter?: unknown;
  /** The first task of a run: its trace events carry no task name. */
  main?: boolean;
  /** What a mailer-less run answers SendEMail with (null: accepted and kept). */
  noMailer?: string | null;
}

const EVENT_NAME = /^[A-Za-z]/;

export class CallTask implements CallSession {
  readonly id: string;
  readonly taskId: string;
  readonly ref: TaskRef;
  readonly trace: Trace;
  readonly input: CallInput;
  readonly modes: ModeMachine;
  readonly emails: SentEmail[] = [];
  readonly account: AccountInfo;
  endedBy: HangupBy | null = null;
  transferTarget: string | null = null;
  peer: Peer | null;

  private readonly sink: TraceSink;
  private readonly steps: StepContext;
  private language: string;
  /** The task's outgoing call and media bridge. */
  readonly links: CallLinks;
  private finished = false;

  constructor(private readonly o: CallTaskOptions) {
    this.taskId = o.hub.nextId();
    this.id = o.id ?? this.taskId;
    this.ref = new TaskHandle(this.taskId);
    this.trace = o.hub.trace;
    this.sink = this.trace.forTask(o.main ? undefined : this.taskId);
    this.input = new CallInput(this.sink);
    this.account = o.account;
    this.language = o.language || o.account.language;
    this.peer = o.peer ?? null;
    this.modes = new ModeMachine(this.peer?.incoming ? 'incoming' : 'disconnected', (from, to, why) =>
      this.note({ kind: 'mode', from, to, why }),
    );
    this.steps = {
      input: this.input,
      trace: this.sink,
      now: () => this.o.hub.clock.now().getTime(),
      language: () => this.language,
    };
    this.links = new CallLinks(this);
    this.peer?.attach(this.peerEvents());
    o.hub.add(this);
  }

  note(body: TraceBody): void {
    this.sink.add(body);
  }

  // ── the incoming call ────────────────────────────────────────────────────────────────────

  mode(): CallMode {
    return this.modes.mode;
  }

  async accept(): Promise<string | null> {
    if (this.modes.is('disconnected') && this.endedBy !== null) return 'call is already disconnected';
    if (!this.modes.allows('AcceptCall')) return this.refuse('AcceptCall');
    const error = await this.peer!.incoming!.answer();
    if (this.modes.is('disconnected')) return error ?? 'call is already disconnected';
    if (error !== null) {
      this.endCall('program');
      return error;
    }
    this.modes.to('connected', 'AcceptCall');
    this.note({ kind: 'answered' });
    this.peer?.active?.();
    return null;
  }

  async reject(code?: number | string): Promise<void> {
    if (!this.modes.allows('RejectCall')) return void this.refuse('RejectCall');
    const status = typeof code === 'number' ? code : 603;
    this.peer!.incoming!.reject(status, typeof code === 'string' ? code : 'Declined');
    this.note({ kind: 'log', text: `RejectCall ${code ?? ''}`.trim() });
    this.endCall('program');
  }

  async redirect(uri: string | string[]): Promise<void> {
    if (!this.modes.allows('RedirectCall')) return void this.refuse('RedirectCall');
    const targets = Array.isArray(uri) ? uri : [uri];
    this.peer!.incoming!.redirect(targets);
    this.transferTarget = targets.join(', ');
    this.note({ kind: 'transfer', target: this.transferTarget, how: 'redirect' });
    this.endCall('transfer');
  }

  async fork(uri: string | string[]): Promise<void> {
    if (!this.modes.allows('ForkCall')) return void this.refuse('ForkCall');
    const targets = Array.isArray(uri) ? uri : [uri];
    this.note({ kind: 'transfer', target: targets.join(', '), how: 'fork' });
    this.peer!.incoming!.fork(targets, (who) => {
      if (!this.modes.allows('ForkCall')) return;
      this.transferTarget = who;
      this.note({ kind: 'log', text: `the forked call was answered by ${who}` });
      this.endCall('transfer');
    });
  }

  async provision(media: boolean): Promise<string | null> {
    if (!this.modes.allows('ProvisionCall')) return this.refuse('ProvisionCall');
    const error = await this.peer!.incoming!.provision(media);
    if (error !== null || this.modes.is('disconnected')) return error ?? 'call is already disconnected';
    if (media) {
      this.modes.to('provisioned', 'ProvisionCall');
      this.peer?.active?.();
    }
    return null;
  }

  async transfer(destination: string): Promise<string | null> {
    if (!this.modes.allows('TransferCall')) return this.refuse('TransferCall');
    if (!this.peer!.canTransfer) return 'the peer does not support transfers';
    const error = await this.peer!.transfer(destination);
    if (error !== null) {
      this.note({ kind: 'log', text: `TransferCall ${destination} failed: ${error}` });
      return error;
    }
    if (!this.peer) return null;
    this.transferTarget = destination;
    this.note({ kind: 'transfer', target: destination, how: 'blind' });
    this.endCall('transfer');
    return null;
  }

  transferSupported(): boolean {
    return this.modes.allows('TransferSupported') && this.peer!.canTransfer;
  }

  isConnected(): boolean {
    return this.modes.is('connected');
  }

  isHalfConnected(): boolean {
    return this.modes.is('connected', 'provisioned');
  }

  incomingRequestUri(): string | null {
    return this.modes.allows('IncomingRequestURI') ? this.peer!.incoming!.requestUri : null;
  }

  pendingRequestData(field: string): string | null {
    return this.modes.allows('PendingRequestData') ? this.peer!.incoming!.requestData(field) : null;
  }

  remoteUri(): string | null {
    if (!this.modes.allows('RemoteURI')) return null;
    return this.peer?.uri ?? this.links.dialTarget;
  }

  localUri(): string {
    return this.peer?.localUri ?? `sip:${this.account.email}`;
  }

  remoteAuthentication(): string | null {
    return this.modes.allows('RemoteAuthentication') ? (this.peer?.authenticated ?? null) : null;
  }

  async disconnect(code?: number, text?: string): Promise<void> {
    if (!this.modes.allows('Disconnect')) return void this.refuse('Disconnect');
    if (this.modes.is('dialling')) return this.cancelCall();
    this.peer?.hangup(code, text);
    this.endCall('program');
  }

  // ── media ────────────────────────────────────────────────────────────────────────────────

  async playFile(name: string, msec?: number): Promise<void> {
    this.peer?.active?.();
    if (this.input.hungUp && this.modes.is('disconnected')) {
      // The call has just ended: the prompt is skipped for the hang-up, as it would be mid-call.
      return playFileStep(
        this.steps,
        name,
        async () => ({ language: this.language, path: null }),
        async () => null,
      );
    }
    if (!this.modes.allows('PlayFile') || this.links.bridged) return void this.refuse('PlayFile', name);
    const media = this.peer!.media;
    await playFileStep(
      this.steps,
      name,
      () => this.find(media, name),
      (prompt, cutsPrompt) => this.until(cutsPrompt, (signal) => media.play(prompt, msec, signal)),
    );
  }

  async readInput(seconds: number): Promise<Input> {
    this.peer?.active?.();
    return readInputStep(this.steps, seconds, (ms) => {
      this.peer?.inputWanted?.();
      return this.until(
        () => true,
        (signal) => this.o.hub.clock.sleep(ms, signal),
      );
    });
  }

  dtmf(): string {
    return this.input.dtmf();
  }

  clearDtmf(): void {
    this.input.clearDtmf();
  }

  setInterruptOnDtmf(flag: boolean): void {
    this.input.interruptOnDtmf = flag;
  }

  async sendDtmf(symbol: string): Promise<string | null> {
    if (!this.modes.allows('SendDTMF')) return this.refuse('SendDTMF');
    if (!/^[0-9*#A-D]$/i.test(symbol)) return `'${symbol}' is not one DTMF symbol`;
    const send = this.peer?.media.sendDigit;
    const error = send ? await send.call(this.peer!.media, symbol.toUpperCase()) : null;
    if (error === null) this.note({ kind: 'log', text: `SendDTMF ${symbol.toUpperCase()}` });
    return error;
  }

  async record(seconds: number): Promise<Uint8Array | null> {
    this.peer?.active?.();
    if (!this.modes.allows('Record') || this.links.bridged) return (this.refuse('Record'), null);
    if (!(seconds > 0) || this.input.interruption() === 'hangup') return null;
    const media = this.peer!.media;
    const started = this.o.hub.clock.now().getTime();
    const got: { audio: Uint8Array | null } = { audio: null };
    // Any key ends a recording (the key stays buffered), as does an event or the caller hanging up.
    await this.until(
      () => true,
      async (signal) => {
        got.audio = await media.record(seconds * 1000, signal);
      },
    );
    const ms = this.o.hub.clock.now().getTime() - started;
    const result = ms <= 0 ? null : got.audio;
    this.note({ kind: 'record', seconds: Math.round(ms / 100) / 10, bytes: result?.length ?? 0 });
    return result;
  }

  // ── tasks ────────────────────────────────────────────────────────────────────────────────

  task(): TaskRef {
    return this.ref;
  }

  spawn(run: (session: CallSession) => Promise<unknown>, parameter?: unknown): TaskRef {
    const child = new CallTask({
      hub: this.o.hub,
      account: this.account,
      language: this.language,
      ...(this.o.environment ? { environment: this.o.environment } : {}),
      ...(this.o.mailer ? { mailer: this.o.mailer } : {}),
      ...(parameter !== undefined ? { startParameter: parameter } : {}),
      ...(this.o.noMailer !== undefined ? { noMailer: this.o.noMailer } : {}),
    });
    this.note({ kind: 'task', id: child.taskId, state: 'started', by: `spawned by ${this.taskId}` });
    // The new task starts once this one waits, as a separate task would.
    this.o.hub.track(Promise.resolve().then(() => child.runProgram(run)));
    return child.ref;
  }

  /** Runs a program on this task and ends the task after it (its call, bridges, queue places). */
  async runProgram(run: (session: CallSession) => Promise<unknown>): Promise<void> {
    try {
      await run(this);
    } catch (err) {
      this.note({ kind: 'error', ...hostFailure(err, '') });
    }
    this.end();
  }

  startParameter(): unknown {
    return this.o.startParameter;
  }

  sendEvent(to: TaskRef, what: string, parameter?: unknown): string | null {
    const target = this.o.hub.find(to);
    if (!target) return 'no such task';
    if (!EVENT_NAME.test(what)) return 'an event name must start with a Latin letter';
    target.input.event(what, parameter, this.ref, this.taskId);
    return null;
  }

  /** The task's program ended: CommuniGate ends its call, its bridge and its place in queues. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.modes.is('dialling')) this.cancelCall();
    if (this.peer && !this.modes.is('disconnected')) {
      this.peer.hangup();
      this.endCall('program');
    }
    this.o.hub.remove(this);
    if (!this.o.main) this.note({ kind: 'task', id: this.taskId, state: 'ended' });
  }

  // ── outgoing calls and bridges ───────────────────────────────────────────────────────────

  startCall(destination: string): string | null {
    if (!this.modes.allows('StartCall')) return this.refuse('StartCall');
    return this.links.start(destination);
  }

  cancelCall(): void {
    if (!this.modes.allows('CancelCall')) return void this.refuse('CancelCall');
    this.links.cancel();
  }

  async startBridge(to: TaskRef): Promise<string | null> {
    if (!this.modes.allows('StartBridge')) return this.refuse('StartBridge');
    return this.links.startBridge(to);
  }

  async acceptBridge(event: InputEvent): Promise<string | null> {
    if (!this.modes.allows('AcceptBridge')) return this.refuse('AcceptBridge');
    return this.links.acceptBridge(event);
  }

  rejectBridge(event: InputEvent, error: string): void {
    this.links.rejectBridge(event, error);
  }

  breakBridge(): string | null {
    return this.links.breakBridge();
  }

  startBridgedCall(destination: string, event: InputEvent): string | null {
    if (!this.modes.allows('StartBridgedCall')) return this.refuse('StartBridgedCall');
    return this.links.startBridgedCall(destination, event);
  }

  // ── mail, account, routing, queues ─────────────────────────────────────────────────────

  async sendEmail(req: EmailRequest): Promise<string | null> {
    let error: string | null = this.o.noMailer ?? null;
    const refuse = this.o.hub.refuseEmail ? 'a refusal asked for by the test' : undefined;
    if (!this.o.mailer && refuse) error = `SendEMail: the outbox refused the message (${refuse})`;
    if (this.o.mailer) {
      const meta: EmailMeta = { callId: this.id, account: this.account.email, ...(refuse ? { refuse } : {}) };
      try {
        error = await whileBusy(this.o.hub.clock, this.o.mailer.send(req, meta));
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
    }
    this.emails.push({ request: req, error });
    this.o.hub.emails.push({ request: req, error });
    if (error === null) this.note({ kind: 'email-queued', to: req.to, subject: req.subject });
    else this.note({ kind: 'email-failed', to: req.to, subject: req.subject, error });
    return error;
  }

  myEmail(): string {
    return this.account.email;
  }

  myDomain(): string {
    return this.account.domain;
  }

  setLanguage(lang: string | null): void {
    this.language = lang || (this.o.environment?.defaultLanguage ?? this.directory().defaultLanguage);
  }

  getLanguage(): string {
    return this.language;
  }

  getAccountPreference(key: string): unknown {
    let prefs = this.account.preferences;
    let name = key;
    const other = /^~([^/]+)\/(.*)$/.exec(key);
    if (other) {
      prefs = this.directory().account(other[1]).preferences;
      name = other[2] as string;
    }
    if (name === '') return { ...prefs };
    if (Object.hasOwn(prefs, name)) return prefs[name];
    const found = Object.keys(prefs).find((k) => k.toLowerCase() === name.toLowerCase());
    return found === undefined ? null : prefs[found];
  }

  enqueue(queue: string, parameter: unknown, pty: string): QueueInfo | null {
    const info = this.o.hub.enqueue(this, queue, parameter, pty);
    this.note({ kind: 'queue', queue: queue || '(default)', action: 'enqueued', position: info.position! });
    return info;
  }

  checkQueue(queue: string): QueueInfo | null {
    return this.o.hub.check(this, queue);
  }

  readQueue(queue: string): QueueEntry | null {
    const entry = this.o.hub.read(this, queue);
    if (!entry) return null;
    this.note({ kind: 'queue', queue: queue || '(default)', action: 'read', task: entry.task.taskId });
    return { id: entry.id, parameter: entry.parameter, pty: entry.pty };
  }

  dequeue(queue: string): void {
    if (this.o.hub.dequeue(this, queue)) this.note({ kind: 'queue', queue: queue || '(default)', action: 'dequeued' });
  }

  readGroupMembers(group: string): string[] | null {
    return this.directory().groupMembers(group);
  }

  routeLocalUri(uri: string): string | null {
    return this.directory().route(uri);
  }

  directory(): Directory {
    return this.o.hub.directory;
  }

  now(): Date {
    return this.o.hub.clock.now();
  }

  node(id: string): void {
    this.note({ kind: 'node', id });
  }

  log(text: string): void {
    this.note({ kind: 'log', text });
  }

  error(e: SourceDiagnostic & { file: string }): void {
    this.note({ kind: 'error', ...e });
  }

  // ── inside ───────────────────────────────────────────────────────────────────────────────

  /** What the task's peer tells it: keys (not while bridged: they go to the other party) and the hang-up. */
  peerEvents() {
    return {
      key: (digit: string, source: string) => {
        if (this.links.bridged) {
          this.note({ kind: 'log', text: `key ${digit} goes to the bridged call` });
          return;
        }
        this.input.press(digit, source);
      },
      ended: () => this.endCall(this.peer?.incoming || this.o.main ? 'caller' : 'peer'),
    };
  }

  /** The task's call is over: mode disconnected, Disconnect queued, bridge broken. */
  endCall(by: HangupBy): void {
    if (this.modes.is('disconnected')) return;
    this.links.callEnding(by);
    this.endedBy = by;
    this.modes.to('disconnected', by === 'caller' || by === 'peer' ? 'the peer hung up' : `hung up by ${by}`);
    this.note({ kind: 'hangup', by });
    this.input.hangup();
    this.peer = null;
  }

  /** The hub of this task's run. */
  get hub(): TaskHub {
    return this.o.hub;
  }

  /** Traces an operation outside its modes and gives the documented answer (an error string or null). */
  private refuse(op: CallOperation, what?: string): string | null {
    const outside = MODE_RULES[op].outside as { kind: string; text?: string };
    const detail =
      this.links.bridged && this.modes.allows(op)
        ? `${op}: the media is bridged`
        : describeRefusal(op, this.modes.mode);
    this.note({ kind: 'refused', op, mode: this.modes.mode, detail: what ? `${detail} (${what})` : detail });
    return outside.kind === 'error' ? (outside.text ?? MODE_ERRORS.noPeer) : null;
  }

  /** Runs work until it ends or something the waiter wants arrives, never past the run's deadline. */
  private async until(
    wants: (reason: CutReason) => boolean,
    work: (signal: AbortSignal) => Promise<unknown>,
  ): Promise<CutReason | null> {
    const hub = this.o.hub;
    const left = hub.deadlineMs - hub.clock.now().getTime();
    if (left <= 0) {
      hub.expire();
      this.expireCall();
      return 'hangup';
    }
    let expired = false;
    const reason = await this.input.until(wants, (signal) => {
      const stop = new AbortController();
      signal.addEventListener('abort', () => stop.abort(), { once: true });
      const deadline = Number.isFinite(left)
        ? hub.clock.sleep(left, stop.signal).then(() => {
            if (!stop.signal.aborted) expired = true;
          })
        : new Promise<void>(() => undefined);
      return Promise.race([work(stop.signal).finally(() => stop.abort()), deadline]).finally(() => stop.abort());
    });
    if (expired) {
      hub.expire();
      return 'hangup';
    }
    return reason;
  }

  private async find(media: Peer['media'], name: string): Promise<PeerPrompt> {
    try {
      return await whileBusy(this.o.hub.clock, media.find(name, this.language));
    } catch (err) {
      return { language: this.language, path: null, problem: String(err), durationMs: MISSING_PROMPT_MS };
    }
  }

  /** Whether this task was started for an incoming call (the first task of a run). */
  isCallerTask(): boolean {
    return this.o.main === true;
  }

  /** The run gave up (the simulator's caller gives up): the call ends as if the peer hung up. */
  expireCall(): void {
    if (this.modes.is('dialling')) this.cancelCall();
    if (!this.peer || this.modes.is('disconnected')) return;
    this.endCall(this.peer.incoming || this.o.main ? 'caller' : 'peer');
  }
}
