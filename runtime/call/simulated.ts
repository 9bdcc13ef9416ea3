// A call with a scripted caller and no audio: prompts "play" for their WAV length on the call's clock,
// the caller presses keys, sends events and hangs up, and everything lands in the trace. It follows
// CommuniGate's rules for PlayFile and ReadInput (see runtime/call/api.ts and docs/runtime.md).
import { randomUUID } from 'node:crypto';
import type { CallSession, EmailRequest, Input } from './api';
import { VirtualClock, whileBusy, type Clock } from './clock';
import { Trace, type CutReason, type HangupBy } from './trace';
import { CallInput } from './input';
import { playFileStep, readInputStep, type StepContext } from './steps';
import {
  resolveAccount,
  MISSING_PROMPT_MS,
  type AccountInfo,
  type CallEnvironment,
  type ResolvedPrompt,
} from './environment';

/** One step of the scripted caller, run from the moment the call is answered. */
export type CallerStep =
  | { wait: number }
  | { dtmf: string }
  | { hangup: true }
  /** Listen until the program waits for input (its prompts have played), then go on. */
  | { listen: true }
  | { event: string; parameter?: unknown; sender?: string };

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

export interface SimulatedCallOptions {
  id?: string;
  environment?: CallEnvironment;
  /** Account name or e-mail; default: the environment's default account. */
  account?: string;
  /** Default: the account's language. */
  language?: string;
  callerUri?: string;
  /** Where a virtual clock starts (ignored when `clock` is given). Default: now. */
  now?: Date | string;
  /** Default: a VirtualClock starting at `now`. */
  clock?: Clock;
  mailer?: MailSender;
  trace?: Trace;
  caller?: CallerStep[];
  /** What Record() captures: silence of the recorded length (default), these bytes, or nothing (null). */
  recording?: Uint8Array | null;
  /** The caller gives up (hangs up) after this long; keeps endless menus finite. Default one hour. */
  maxCallMs?: number;
  /**
   * SendEMail is refused at submission (as by a full queue), so the flow takes its `failed` branch:
   * a scenario's `"smtp": "refuse"`, the designer's test call. Relay trouble never does that: the
   * message is queued and the outbox retries it.
   */
  refuseEmail?: boolean;
}

export interface SentEmail {
  request: EmailRequest;
  /** null = queued, else SendEMail's error string. */
  error: string | null;
}

export interface CallResult {
  endedBy: HangupBy | null;
  transfer: string | null;
  emails: SentEmail[];
  trace: Trace;
}

/**
 * @example
 *   const call = createSimulatedCall({ environment: env, caller: [{ dtmf: '5551234#' }] });
 *   const result = await call.run((session) => runCgplHost(program, session));
 *   console.log(result.trace.toText());
 */
export function createSimulatedCall(options: SimulatedCallOptions = {}): SimulatedCall {
  return new SimulatedCall(options);
}

export class SimulatedCall implements CallSession {
  readonly id: string;
  readonly clock: Clock;
  readonly trace: Trace;
  readonly account: AccountInfo;
  readonly emails: SentEmail[] = [];
  endedBy: HangupBy | null = null;
  transferTarget: string | null = null;

  private state: 'ringing' | 'connected' | 'ended' = 'ringing';
  private refuseEmail: boolean;
  private readonly input: CallInput;
  private readonly steps: StepContext;
  private language: string;
  private readonly startMs: number;
  private readonly stopScript = new AbortController();
  private script: Promise<void> | null = null;
  /** Callers of the script waiting for the program to ask for input. */
  private listeners: (() => void)[] = [];

  constructor(private readonly options: SimulatedCallOptions = {}) {
    this.id = options.id ?? `sim-${randomUUID()}`;
    const start = options.now === undefined ? new Date() : new Date(options.now);
    this.clock = options.clock ?? new VirtualClock(Number.isNaN(start.getTime()) ? new Date() : start);
    this.trace = options.trace ?? new Trace(this.clock);
    this.input = new CallInput(this.trace);
    this.steps = {
      input: this.input,
      trace: this.trace,
      now: () => this.clock.now().getTime(),
      language: () => this.language,
    };
    this.startMs = this.clock.now().getTime();
    this.account = options.environment?.account(options.account) ?? resolveAccount(undefined, options.account);
    this.language = options.language || this.account.language;
    this.refuseEmail = options.refuseEmail === true;
  }

  // ── the caller's side ──────────────────────────────────────────────────────────────────────

  /** Runs a program host on this call; the caller script starts when the call is answered. */
  async run(host: (session: SimulatedCall) => Promise<unknown>): Promise<CallResult> {
    this.trace.add({
      kind: 'call-started',
      account: this.account.email,
      language: this.language,
      from: this.remoteUri(),
      to: this.localUri(),
    });
    try {
      await host(this);
    } catch (err) {
      this.trace.add({
        kind: 'error',
        line: 0,
        col: 0,
        message: `the program host failed: ${err instanceof Error ? err.message : String(err)}`,
        file: '',
      });
    }
    if (this.state !== 'ended') await this.disconnect();
    this.stopScript.abort();
    await this.script;
    return { endedBy: this.endedBy, transfer: this.transferTarget, emails: this.emails, trace: this.trace };
  }

  /** The caller types keys (non-DTMF characters are ignored). They go to the DTMF buffer. */
  pressDigits(digits: string, source = 'caller'): void {
    for (const digit of digits) this.input.press(digit, source);
  }

  /** Queues an event for ReadInput (what the caller's side or another task sends). */
  sendEvent(what: string, parameter?: unknown, sender?: string): void {
    this.input.event(what, parameter, sender);
  }

  /** The caller hangs up. */
  hangup(): void {
    this.end('caller');
  }

  /** From now on SendEMail is refused at submission (true) or submitted as usual (false). */
  setEmailRefused(refuse: boolean): void {
    this.refuseEmail = refuse;
  }

  // ── the program's side (CallSession) ───────────────────────────────────────────────────────

  async accept(): Promise<string | null> {
    if (this.state === 'ended') return 'call is already disconnected';
    if (this.state === 'ringing') {
      this.state = 'connected';
      this.trace.add({ kind: 'answered' });
    }
    this.startScript();
    return null;
  }

  async playFile(name: string, msec?: number): Promise<void> {
    this.startScript();
    await playFileStep(
      this.steps,
      name,
      () => this.resolve(name),
      (prompt, cutsPrompt) => {
        const length =
          msec !== undefined && msec > 0 ? msec : msec !== undefined && msec < 0 ? Infinity : prompt.durationMs;
        return this.wait(length, cutsPrompt);
      },
    );
  }

  async readInput(seconds: number): Promise<Input> {
    this.startScript();
    return readInputStep(this.steps, seconds, (ms) => {
      this.wakeListeners();
      return this.wait(ms, () => true);
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

  async sendEmail(req: EmailRequest): Promise<string | null> {
    let error: string | null = null;
    const refuse = this.refuseEmail ? 'a refusal asked for by the test' : undefined;
    if (!this.options.mailer && refuse) error = `SendEMail: the outbox refused the message (${refuse})`;
    if (this.options.mailer) {
      const meta: EmailMeta = { callId: this.id, account: this.account.email, ...(refuse ? { refuse } : {}) };
      try {
        error = await whileBusy(this.clock, this.options.mailer.send(req, meta));
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
    }
    this.emails.push({ request: req, error });
    if (error === null) this.trace.add({ kind: 'email-queued', to: req.to, subject: req.subject });
    else this.trace.add({ kind: 'email-failed', to: req.to, subject: req.subject, error });
    return error;
  }

  async redirect(uri: string | string[]): Promise<void> {
    if (this.state === 'ended') return;
    const target = Array.isArray(uri) ? uri.join(', ') : uri;
    this.transferTarget = target;
    this.trace.add({ kind: 'transfer', target });
    this.end('transfer');
  }

  async record(seconds: number): Promise<Uint8Array | null> {
    this.startScript();
    if (this.state === 'ended' || !(seconds > 0)) return null;
    const started = this.clock.now().getTime();
    // Any key ends a recording (the key stays buffered), as does an event or the caller hanging up.
    await this.wait(seconds * 1000, () => true);
    const ms = this.clock.now().getTime() - started;
    const audio = ms <= 0 ? null : this.options.recording === undefined ? silentWav(ms) : this.options.recording;
    this.trace.add({ kind: 'record', seconds: Math.round(ms / 100) / 10, bytes: audio?.length ?? 0 });
    return audio;
  }

  async disconnect(_code?: number, _text?: string): Promise<void> {
    this.end('program');
  }

  isConnected(): boolean {
    return this.state === 'connected';
  }

  remoteUri(): string {
    return this.options.callerUri ?? 'sip:caller@example.net';
  }

  localUri(): string {
    return `sip:${this.account.email}`;
  }

  myEmail(): string {
    return this.account.email;
  }

  myDomain(): string {
    return this.account.domain;
  }

  setLanguage(lang: string | null): void {
    this.language = lang || (this.options.environment?.defaultLanguage ?? 'english');
  }

  getLanguage(): string {
    return this.language;
  }

  getAccountPreference(key: string): unknown {
    const prefs = this.account.preferences;
    if (Object.hasOwn(prefs, key)) return prefs[key];
    const found = Object.keys(prefs).find((k) => k.toLowerCase() === key.toLowerCase());
    return found === undefined ? null : prefs[found];
  }

  now(): Date {
    return this.clock.now();
  }

  node(id: string): void {
    this.trace.add({ kind: 'node', id });
  }

  log(text: string): void {
    this.trace.add({ kind: 'log', text });
  }

  // ── inside ─────────────────────────────────────────────────────────────────────────────────

  private end(by: HangupBy): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.endedBy = by;
    this.trace.add({ kind: 'hangup', by });
    this.input.hangup();
    this.wakeListeners();
    if (by !== 'caller') this.stopScript.abort();
  }

  private wakeListeners(): void {
    const waiting = this.listeners;
    this.listeners = [];
    for (const wake of waiting) wake();
  }

  private untilAskedForInput(): Promise<void> {
    return new Promise((resolve) => this.listeners.push(resolve));
  }

  /**
   * Waits ms on the call's clock unless something the waiter wants arrives; returns what cut it.
   * The caller gives up at maxCallMs, so even an endless wait ends.
   */
  private async wait(ms: number, wants: (reason: CutReason) => boolean): Promise<CutReason | null> {
    if (this.state === 'ended') return 'hangup';
    const left = this.startMs + (this.options.maxCallMs ?? 3_600_000) - this.clock.now().getTime();
    const reason = await this.input.until(wants, (signal) => this.clock.sleep(Math.min(ms, Math.max(0, left)), signal));
    if (reason === null && ms >= left) {
      this.log(`the caller gives up after ${Math.round((this.options.maxCallMs ?? 3_600_000) / 1000)} s`);
      this.hangup();
      return 'hangup';
    }
    return reason;
  }

  private async resolve(name: string): Promise<ResolvedPrompt> {
    const env = this.options.environment;
    if (!env)
      return { name, language: this.language, path: null, durationMs: MISSING_PROMPT_MS, problem: 'no environment' };
    try {
      return await whileBusy(this.clock, env.resolvePrompt(name, this.language));
    } catch (err) {
      return { name, language: this.language, path: null, durationMs: MISSING_PROMPT_MS, problem: String(err) };
    }
  }

  private startScript(): void {
    if (this.script !== null) return;
    this.script = this.runScript(this.options.caller ?? []);
  }

  private async runScript(steps: CallerStep[]): Promise<void> {
    const stop = this.stopScript.signal;
    for (const step of steps) {
      if (stop.aborted || this.state === 'ended') return;
      if ('wait' in step) await this.clock.sleep(step.wait, stop);
      else if ('dtmf' in step) this.pressDigits(step.dtmf);
      else if ('hangup' in step) this.hangup();
      else if ('listen' in step) await this.untilAskedForInput();
      else this.sendEvent(step.event, step.parameter, step.sender);
    }
  }
}

/** A WAV of silence: 8 kHz mono 16-bit PCM, telephone audio. */
export function silentWav(ms: number): Uint8Array {
  const dataSize = Math.round((ms * 8000) / 1000) * 2;
  const bytes = new Uint8Array(44 + dataSize);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) bytes[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataSize, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, 8000, true);
  view.setUint32(28, 16000, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataSize, true);
  return bytes;
}
