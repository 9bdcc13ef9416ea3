// The simulator's peers: the scripted caller of a simulated call, and the scripted phone a dialled
// party answers with. Both have virtual media: a prompt "plays" for its WAV length on the call's
// clock, a recording is silence of the recorded length. They follow what the task asks; the rules
// (modes, what interrupts a prompt) live in the task.
import type { PhoneBehaviour } from '../../compiler/flow/pbx';
import { type Clock, whileBusy } from './clock';
import { MISSING_PROMPT_MS, type CallEnvironment } from './environment';
import type { Dialer } from './parties';
import type { IncomingSignalling, Peer, PeerEvents, PeerMedia, PeerPrompt } from './peer';
import type { TraceBody } from './trace';

/** One step of the scripted caller, run from the moment the program starts using the call. */
export type CallerStep =
  | { wait: number }
  | { dtmf: string }
  | { hangup: true }
  /** Listen until the program waits for input (its prompts have played), then go on. */
  | { listen: true }
  | { event: string; parameter?: unknown; sender?: string };

/** Prompts of the environment, played for their length on the clock; recordings are silence. */
export class VirtualMedia implements PeerMedia {
  constructor(
    private readonly clock: Clock,
    private readonly environment: CallEnvironment | undefined,
    private readonly recording?: Uint8Array | null,
  ) {}

  async find(name: string, language: string): Promise<PeerPrompt> {
    if (!this.environment) return { language, path: null, problem: 'no environment', durationMs: MISSING_PROMPT_MS };
    const found = await whileBusy(this.clock, this.environment.resolvePrompt(name, language));
    return {
      language: found.language,
      path: found.path,
      durationMs: found.durationMs,
      ...(found.problem ? { problem: found.problem } : {}),
    };
  }

  play(prompt: PeerPrompt, msec: number | undefined, signal: AbortSignal): Promise<void> {
    const once = prompt.path === null ? MISSING_PROMPT_MS : (prompt.durationMs ?? MISSING_PROMPT_MS);
    const length = msec !== undefined && msec > 0 ? msec : msec !== undefined && msec < 0 ? Infinity : once;
    return this.clock.sleep(length, signal);
  }

  async record(ms: number, signal: AbortSignal): Promise<Uint8Array | null> {
    const started = this.clock.now().getTime();
    await this.clock.sleep(ms, signal);
    const took = this.clock.now().getTime() - started;
    if (took <= 0) return null;
    return this.recording === undefined ? silentWav(took) : this.recording;
  }
}

export interface ScriptedCallerOptions {
  clock: Clock;
  environment?: CallEnvironment;
  steps: CallerStep[];
  uri: string;
  localUri: string;
  callId: string;
  /** The caller is this local account, authenticated (RemoteAuthentication). */
  authenticated?: string | null;
  /** Whether the caller's phone accepts TransferCall (REFER); default yes. */
  canTransfer?: boolean;
  recording?: Uint8Array | null;
  dialer: Dialer;
  note: (body: TraceBody) => void;
}

/** The caller of a simulated call: its keys, events and hang-up come from a script. */
export class ScriptedCaller implements Peer {
  readonly uri: string;
  readonly localUri: string;
  readonly authenticated: string | null;
  readonly canTransfer: boolean;
  readonly media: PeerMedia;
  readonly name = 'caller';
  incoming: IncomingSignalling | null;
  private events: PeerEvents | null = null;
  private readonly stopScript = new AbortController();
  private script: Promise<void> | null = null;
  private listeners: (() => void)[] = [];
  private gone = false;
  /** Events the caller's side sends (scripted { event }); set by the simulated call. */
  onEvent: (what: string, parameter?: unknown, sender?: string) => void = () => undefined;

  constructor(private readonly o: ScriptedCallerOptions) {
    this.uri = o.uri;
    this.localUri = o.localUri;
    this.authenticated = o.authenticated ?? null;
    this.canTransfer = o.canTransfer ?? true;
    this.media = new VirtualMedia(o.clock, o.environment, o.recording);
    this.incoming = this.signalling();
  }

  attach(events: PeerEvents): void {
    this.events = events;
  }

  /** The caller types keys (non-DTMF characters are ignored by the task's input). */
  press(digits: string, source = 'caller'): void {
    for (const digit of digits) this.events?.key(digit, source);
  }

  /** The caller hangs up. */
  hangUp(): void {
    if (this.gone) return;
    this.gone = true;
    this.incoming = null;
    this.wake();
    this.events?.ended();
  }

  active(): void {
    if (this.script === null) this.script = this.run(this.o.steps);
  }

  inputWanted(): void {
    this.wake();
  }

  /** Stops the script (the call is over) and waits for it to notice. */
  async stop(): Promise<void> {
    this.stopScript.abort();
    this.wake();
    await this.script;
  }

  async transfer(target: string): Promise<string | null> {
    const answer = await ring(this.o.dialer, this.o.uri, target, this.o.clock);
    if (answer.error !== null) return answer.error;
    answer.peer.hangup();
    this.leave();
    return null;
  }

  hangup(): void {
    this.leave();
  }

  async bridge(): Promise<string | null> {
    return null;
  }

  unbridge(): void {}

  private leave(): void {
    this.gone = true;
    this.incoming = null;
    this.stopScript.abort();
    this.wake();
  }

  private signalling(): IncomingSignalling {
    const o = this.o;
    return {
      requestUri: o.localUri,
      requestData: (field) => {
        const f = field.toLowerCase();
        if (f === 'call-id') return o.callId;
        if (f === 'from') return o.uri;
        if (f === 'to') return o.localUri;
        return null;
      },
      provision: async () => (this.gone ? 'call is already disconnected' : null),
      answer: async () => (this.gone ? 'call is already disconnected' : null),
      reject: () => this.leave(),
      redirect: () => this.leave(),
      fork: (targets, answeredElsewhere) => {
        for (const target of targets) {
          void ring(o.dialer, o.uri, target, o.clock, this.stopScript.signal).then((r) => {
            if (r.error === null && !this.gone) {
              r.peer.hangup();
              this.leave();
              answeredElsewhere(target);
            }
          });
        }
      },
    };
  }

  private wake(): void {
    const waiting = this.listeners;
    this.listeners = [];
    for (const wake of waiting) wake();
  }

  private async run(steps: CallerStep[]): Promise<void> {
    const stop = this.stopScript.signal;
    for (const step of steps) {
      if (stop.aborted || this.gone) return;
      if ('wait' in step) await this.o.clock.sleep(step.wait, stop);
      else if ('dtmf' in step) this.press(step.dtmf);
      else if ('hangup' in step) this.hangUp();
      else if ('listen' in step) await new Promise<void>((resolve) => this.listeners.push(resolve));
      else this.onEvent(step.event, step.parameter, step.sender);
    }
  }
}

/** A dialled party's phone once it answered: it stays, or hangs up after its talkSeconds. */
export class ScriptedPhone implements Peer {
  readonly uri: string;
  readonly localUri: string;
  readonly authenticated = null;
  readonly incoming = null;
  readonly canTransfer = true;
  readonly media: PeerMedia;
  private events: PeerEvents | null = null;
  private readonly gone = new AbortController();

  constructor(
    readonly name: string,
    uri: string,
    from: string,
    phone: PhoneBehaviour,
    clock: Clock,
    environment: CallEnvironment | undefined,
  ) {
    this.uri = uri;
    this.localUri = from;
    this.media = new VirtualMedia(clock, environment);
    if (phone.talkSeconds !== undefined) {
      void clock.sleep(phone.talkSeconds * 1000, this.gone.signal).then(() => {
        if (this.gone.signal.aborted) return;
        this.gone.abort();
        this.events?.ended();
      });
    }
  }

  attach(events: PeerEvents): void {
    this.events = events;
  }

  async transfer(): Promise<string | null> {
    return 'the party does not accept transfers here';
  }

  hangup(): void {
    this.gone.abort();
  }

  async bridge(): Promise<string | null> {
    return null;
  }

  unbridge(): void {}
}

/** Rings a target with the dialer; resolves when it answers or fails (30 s of ringing: no answer). */
function ring(
  dialer: Dialer,
  from: string,
  to: string,
  clock: Clock,
  signal?: AbortSignal,
): Promise<{ error: null; peer: Peer } | { error: string }> {
  return new Promise((resolve) => {
    const stop = new AbortController();
    const leg = dialer.dial(
      { task: 'caller', from, to },
      {
        ringing: () => undefined,
        answered: (peer) => (stop.abort(), resolve({ error: null, peer })),
        failed: (error) => (stop.abort(), resolve({ error })),
      },
    );
    if (typeof leg === 'string') return resolve({ error: leg });
    signal?.addEventListener('abort', () => (leg.cancel(), stop.abort()), { once: true });
    void clock.sleep(30_000, stop.signal).then(() => {
      if (stop.signal.aborted) return;
      leg.cancel();
      resolve({ error: 'no answer' });
    });
  });
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
