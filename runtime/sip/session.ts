// The Call API on a live SIP call. PlayFile and ReadInput follow the same CommuniGate rules as the
// simulated channel (runtime/call/simulated.ts): a prompt is skipped when keys were typed ahead or an
// event waits, and cut when a key arrives (unless SetInterruptOnDTMF(false)), an event is queued or
// the caller hangs up; ReadInput takes a buffered key first, then an event, then Disconnect once the
// call has ended. Time is the wall clock; audio goes out through the call's RtpStream.
import type { CallSession, EmailRequest, Input } from '../call/api';
import type { Clock } from '../call/clock';
import type { Trace, CutReason, HangupBy } from '../call/trace';
import { CallInput } from '../call/input';
import { playFileStep, readInputStep, type FoundPrompt, type StepContext } from '../call/steps';
import { MISSING_PROMPT_MS, type AccountInfo, type CallEnvironment, type ResolvedPrompt } from '../call/environment';
import { silentWav, type MailSender } from '../call/simulated';
import { loadPrompt, type MediaChannel } from './media';
import type { Codec } from './sdp';

/** What the session asks of the signalling side (server.ts implements it per call). */
export interface CallControl {
  /** Sends 200 with our SDP and waits for the ACK: null, or why the call could not be answered. */
  answer(): Promise<string | null>;
  /** The program hangs up: BYE when answered, else a final error response. */
  hangup(status?: number, reason?: string): void;
  /** RedirectCall: 302 before the answer, else BYE (we have no REFER); returns what was done. */
  transfer(target: string): string;
  readonly media: MediaChannel | null;
  readonly codec: Codec;
}

export interface SipSessionOptions {
  id: string;
  control: CallControl;
  clock: Clock;
  trace: Trace;
  environment: CallEnvironment;
  account: AccountInfo;
  remoteUri: string;
  localUri: string;
  mailer?: MailSender;
}

const SAMPLES_PER_MS = 8;

export class SipCallSession implements CallSession {
  readonly id: string;
  readonly trace: Trace;
  state: 'ringing' | 'answering' | 'connected' | 'ended' = 'ringing';
  endedBy: HangupBy | null = null;
  transferTarget: string | null = null;
  /** Every key, in order, whatever its source (for tests and the benchmark). */
  readonly digits: { digit: string; source: string; at: number }[] = [];
  private readonly input: CallInput;
  private readonly steps: StepContext;
  private language: string;
  private readonly ended: Promise<void>;
  private markEnded: () => void = () => undefined;

  constructor(private readonly o: SipSessionOptions) {
    this.id = o.id;
    this.trace = o.trace;
    this.input = new CallInput(o.trace);
    this.steps = {
      input: this.input,
      trace: o.trace,
      now: () => this.o.clock.now().getTime(),
      language: () => this.language,
    };
    this.language = o.account.language;
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
  }

  // ── the signalling side ──────────────────────────────────────────────────────────────────

  /** A key from RTP (rfc4733 / inband) or SIP INFO. */
  pressDigit(raw: string, source: string): void {
    if (this.input.press(raw, source)) this.digits.push({ digit: raw.toUpperCase(), source, at: Date.now() });
  }

  sendEvent(what: string, parameter?: unknown, sender?: string): void {
    this.input.event(what, parameter, sender);
  }

  /** The caller hung up (BYE, CANCEL) or the call failed (no ACK). */
  remoteEnded(): void {
    this.end('caller');
  }

  /** Resolves when the call has ended, whoever ended it. */
  whenEnded(): Promise<void> {
    return this.ended;
  }

  // ── the program's side (CallSession) ─────────────────────────────────────────────────────

  async accept(): Promise<string | null> {
    if (this.state === 'ended') return 'call is already disconnected';
    if (this.state === 'connected') return null;
    this.state = 'answering';
    const error = await this.o.control.answer();
    if (error !== null) return error;
    if (this.state !== 'answering') return 'call is already disconnected';
    this.state = 'connected';
    this.trace.add({ kind: 'answered' });
    return null;
  }

  async playFile(name: string, msec?: number): Promise<void> {
    await playFileStep(
      this.steps,
      name,
      () => this.find(name),
      (prompt, cutsPrompt) => this.until(cutsPrompt, (signal) => this.sound(prompt.audio, msec, signal)),
    );
  }

  async readInput(seconds: number): Promise<Input> {
    return readInputStep(this.steps, seconds, (ms) =>
      this.until(
        () => true,
        (signal) => this.o.clock.sleep(ms, signal),
      ),
    );
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
    let error: string | null = this.o.mailer ? null : 'no mailer is configured';
    if (this.o.mailer) {
      try {
        error = await this.o.mailer.send(req, { callId: this.id, account: this.o.account.email });
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
    }
    if (error === null) this.trace.add({ kind: 'email-queued', to: req.to, subject: req.subject });
    else this.trace.add({ kind: 'email-failed', to: req.to, subject: req.subject, error });
    return error;
  }

  async redirect(uri: string | string[]): Promise<void> {
    if (this.state === 'ended') return;
    const target = Array.isArray(uri) ? uri.join(', ') : uri;
    this.transferTarget = target;
    this.trace.add({ kind: 'transfer', target });
    const how = this.o.control.transfer(Array.isArray(uri) ? (uri[0] ?? '') : uri);
    this.log(how);
    this.end('transfer');
  }

  async record(seconds: number): Promise<Uint8Array | null> {
    const media = this.o.control.media;
    if (this.state === 'ended' || !(seconds > 0) || !media) return null;
    const parts: Int16Array[] = [];
    const onAudio = (pcm: Int16Array) => parts.push(pcm);
    media.on('audio', onAudio);
    const started = this.o.clock.now().getTime();
    // Any key ends a recording (the key stays buffered), as does an event or the caller hanging up.
    await this.until(
      () => true,
      (signal) => this.o.clock.sleep(seconds * 1000, signal),
    );
    media.off('audio', onAudio);
    const ms = this.o.clock.now().getTime() - started;
    const audio = ms <= 0 ? null : pcmWav(parts);
    this.trace.add({ kind: 'record', seconds: Math.round(ms / 100) / 10, bytes: audio?.length ?? 0 });
    return audio;
  }

  async disconnect(code?: number, text?: string): Promise<void> {
    if (this.state === 'ended') return;
    this.o.control.hangup(code, text);
    this.end('program');
  }

  isConnected(): boolean {
    return this.state === 'connected';
  }

  remoteUri(): string {
    return this.o.remoteUri;
  }

  localUri(): string {
    return this.o.localUri;
  }

  myEmail(): string {
    return this.o.account.email;
  }

  myDomain(): string {
    return this.o.account.domain;
  }

  setLanguage(lang: string | null): void {
    this.language = lang || this.o.environment.defaultLanguage;
  }

  getLanguage(): string {
    return this.language;
  }

  getAccountPreference(key: string): unknown {
    const prefs = this.o.account.preferences;
    if (Object.hasOwn(prefs, key)) return prefs[key];
    const found = Object.keys(prefs).find((k) => k.toLowerCase() === key.toLowerCase());
    return found === undefined ? null : prefs[found];
  }

  now(): Date {
    return this.o.clock.now();
  }

  node(id: string): void {
    this.trace.add({ kind: 'node', id });
  }

  log(text: string): void {
    this.trace.add({ kind: 'log', text });
  }

  // ── inside ───────────────────────────────────────────────────────────────────────────────

  private end(by: HangupBy): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.endedBy = by;
    this.trace.add({ kind: 'hangup', by });
    this.input.hangup();
    this.markEnded();
  }

  /** Runs work(signal) until it ends or something the waiter wants arrives; returns what cut it. */
  private async until(
    wants: (reason: CutReason) => boolean,
    work: (signal: AbortSignal) => Promise<unknown>,
  ): Promise<CutReason | null> {
    if (this.state === 'ended') return 'hangup';
    const reason = await this.input.until(wants, work);
    if (reason === null && !this.isLive()) return 'hangup';
    return reason;
  }

  /** The prompt's audio (looped for msec > 0, forever for msec < 0), or silence when there is none. */
  private async sound(audio: Uint8Array | null, msec: number | undefined, signal: AbortSignal): Promise<void> {
    const media = this.o.control.media;
    if (audio === null || audio.length === 0 || media === null) {
      const ms =
        msec !== undefined && msec !== 0
          ? msec < 0
            ? 2 ** 31 - 1
            : msec
          : audio === null
            ? MISSING_PROMPT_MS
            : audio.length / SAMPLES_PER_MS;
      await this.o.clock.sleep(ms, signal);
      return;
    }
    if (msec === undefined || msec === 0) {
      await media.play(audio, signal);
      return;
    }
    if (msec > 0) {
      const total = Math.round(msec * SAMPLES_PER_MS);
      const looped = new Uint8Array(total);
      for (let at = 0; at < total; at += audio.length)
        looped.set(audio.subarray(0, Math.min(audio.length, total - at)), at);
      await media.play(looped, signal);
      return;
    }
    while (!signal.aborted && this.isLive()) {
      if ((await media.play(audio, signal)) === 'cut') return;
    }
  }

  private isLive(): boolean {
    return this.state !== 'ended';
  }

  /** The prompt's recording in the call's codec, or why there is none. */
  private async find(name: string): Promise<FoundPrompt & { audio: Uint8Array | null }> {
    const prompt = await this.resolve(name);
    if (prompt.path === null)
      return { language: prompt.language, path: null, problem: prompt.problem ?? 'no file', audio: null };
    try {
      return {
        language: prompt.language,
        path: prompt.path,
        audio: await loadPrompt(prompt.path, this.o.control.codec),
      };
    } catch (err) {
      return {
        language: prompt.language,
        path: null,
        problem: err instanceof Error ? err.message : String(err),
        audio: null,
      };
    }
  }

  private async resolve(name: string): Promise<ResolvedPrompt> {
    try {
      return await this.o.environment.resolvePrompt(name, this.language);
    } catch (err) {
      return { name, language: this.language, path: null, durationMs: MISSING_PROMPT_MS, problem: String(err) };
    }
  }
}

/** Received audio as an 8 kHz 16-bit mono WAV. */
function pcmWav(parts: Int16Array[]): Uint8Array {
  const samples = parts.reduce((n, p) => n + p.length, 0);
  const wav = silentWav((samples * 1000) / 8000);
  const view = new DataView(wav.buffer, wav.byteOffset + 44);
  let at = 0;
  for (const p of parts)
    for (const s of p) {
      if (at + 2 > view.byteLength) break;
      view.setInt16(at, s, true);
      at += 2;
    }
  return wav;
}
