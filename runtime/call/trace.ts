// What happened on a call, in order: the simulator, the SIP channel and the program hosts write here;
// the CLI prints it, scenarios check it, the designer shows it live. Times come from the call's
// clock, so a virtual-clock run gives the same trace every time.
import type { Clock } from './clock';
import { formatDiagnostic, type SourceDiagnostic } from '../../compiler/diagnostics';

export type CutReason = 'dtmf' | 'event' | 'hangup';
/** Who ended a task's call: its caller, its program, a transfer/redirect, or the party it dialled. */
export type HangupBy = 'caller' | 'program' | 'transfer' | 'peer';
/** What happened to an outgoing call (a leg): ringing, then one final state. */
export type LegState = 'dialling' | 'ringing' | 'answered' | 'busy' | 'no-answer' | 'failed' | 'cancelled' | 'ended';

/** The kinds of trace events, each with its fields. */
export type TraceBody =
  | { kind: 'call-started'; account: string; language: string; from: string; to: string }
  | { kind: 'answered' }
  | { kind: 'prompt-started'; name: string; language: string; path: string | null }
  | { kind: 'prompt-finished'; name: string }
  | { kind: 'prompt-cut'; name: string; reason: CutReason; afterMs: number }
  /** PlayFile did not start: digits typed ahead, an event queued, or the call already ended. */
  | { kind: 'prompt-skipped'; name: string; reason: CutReason }
  | { kind: 'prompt-missing'; name: string; language: string; reason: string }
  | { kind: 'waiting'; timeout: number }
  | { kind: 'digit'; digit: string; source: string }
  | { kind: 'input-timeout'; timeout: number }
  | { kind: 'event'; what: string; sender?: string }
  | { kind: 'email-queued'; to: string; subject: string }
  | { kind: 'email-failed'; to: string; subject: string; error: string }
  | { kind: 'transfer'; target: string; how?: 'redirect' | 'blind' | 'fork' }
  /** The call mode changed (runtime/call/modes.ts). */
  | { kind: 'mode'; from: string; to: string; why: string }
  /** A call operation outside its documented modes: what the server would answer. */
  | { kind: 'refused'; op: string; mode: string; detail: string }
  /** A task started (spawn) or ended. */
  | { kind: 'task'; id: string; state: 'started' | 'ended'; by?: string }
  /** An outgoing call: `leg` names it, `to` is where it rings; `error` for failed ones. */
  | { kind: 'leg'; leg: string; to: string; state: LegState; error?: string; by?: string }
  /** A media bridge between two tasks' peers. */
  | { kind: 'bridge'; with: string; state: 'started' | 'broken' | 'rejected'; error?: string }
  | { kind: 'queue'; queue: string; action: 'enqueued' | 'read' | 'dequeued'; position?: number; task?: string }
  | { kind: 'record'; seconds: number; bytes: number }
  | { kind: 'hangup'; by: HangupBy }
  /** nodeId: the flow node the program was in (set when known, e.g. when its budget stopped it). */
  | ({ kind: 'error' } & SourceDiagnostic & { file: string })
  | { kind: 'node'; id: string }
  | { kind: 'log'; text: string }
  /** First in a trace that grew past its limit: how many of the oldest events were dropped. */
  | { kind: 'dropped'; count: number };

export type TraceKind = TraceBody['kind'];

/** A trace event: `t` is ms since the call started (call's clock), `wall` the ISO time. */
export type TraceEvent = TraceBody & { t: number; wall: string; task?: string };

/** A program host that threw (not the program's own runtime error): RUN499 at the top of the file. */
export function hostFailure(err: unknown, file: string): SourceDiagnostic & { file: string } {
  const message = `the program host failed: ${err instanceof Error ? err.message : String(err)}`;
  return { severity: 'error', code: 'RUN499', line: 1, column: 1, message, file };
}

/** What writes to a trace: the trace itself, or one task's view of it (events tagged with the task). */
export interface TraceSink {
  add(body: TraceBody): TraceEvent;
}

export type TraceListener = (event: TraceEvent) => void;

/**
 * The collector. `subscribe` for live views; `list` / `toText` / `toJSONLines` afterwards.
 * @example
 *   const trace = new Trace(clock);
 *   trace.subscribe((e) => console.log(formatTraceEvent(e)));
 */
export class Trace {
  private events: TraceEvent[] = [];
  private readonly listeners = new Set<TraceListener>();
  private readonly startMs: number;
  private readonly maxEvents: number;
  private dropped = 0;

  /** `maxEvents` (default 50,000): past it the oldest events go, and a `dropped` event says how many. */
  constructor(
    private readonly clock: Clock,
    options: { maxEvents?: number } = {},
  ) {
    this.startMs = clock.now().getTime();
    this.maxEvents = Math.max(10, options.maxEvents ?? DEFAULT_MAX_EVENTS);
  }

  add(body: TraceBody, task?: string): TraceEvent {
    const now = this.clock.now();
    const event = { ...body, t: now.getTime() - this.startMs, wall: now.toISOString() } as TraceEvent;
    if (task !== undefined) event.task = task;
    this.events.push(event);
    if (this.events.length > this.maxEvents) this.dropOldest();
    for (const listener of this.listeners) {
      // A broken live view must not break the call.
      try {
        listener(event);
      } catch {
        /* ignored */
      }
    }
    return event;
  }

  /** Keeps the newest 90 % (so this happens once every maxEvents / 10 events), behind one marker. */
  private dropOldest(): void {
    const marked = this.dropped > 0 ? 1 : 0;
    const keep = Math.floor(this.maxEvents * 0.9);
    const gone = this.events.length - marked - keep;
    this.dropped += gone;
    const first = this.events[marked + gone]!;
    const marker = { kind: 'dropped', count: this.dropped, t: first.t, wall: first.wall } as TraceEvent;
    this.events = [marker, ...this.events.slice(marked + gone)];
  }

  /** The trace as one task writes it: every event names the task (the first task's view is the trace). */
  forTask(task: string | undefined): TraceSink {
    return task === undefined ? this : { add: (body) => this.add(body, task) };
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: TraceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): readonly TraceEvent[] {
    return this.events;
  }

  /** Events of some kinds, typed. */
  ofKind<K extends TraceKind>(kind: K): Extract<TraceEvent, { kind: K }>[] {
    return this.events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
  }

  toJSONLines(): string {
    return this.events.map((e) => JSON.stringify(e) + '\n').join('');
  }

  toText(options: TextOptions = {}): string {
    return this.events
      .filter((e) => options.verbose || !QUIET.has(e.kind))
      .map((e) => formatTraceEvent(e) + '\n')
      .join('');
  }
}

export interface TextOptions {
  /** Include node and prompt-finished lines (left out by default: they repeat what the next line says). */
  verbose?: boolean;
}

const QUIET = new Set<TraceKind>(['node', 'prompt-finished', 'mode']);
const DEFAULT_MAX_EVENTS = 50_000;

/** Kinds the text trace leaves out unless verbose: they repeat what the next line says. */
export function isQuietKind(kind: TraceKind): boolean {
  return QUIET.has(kind);
}

/** "00:00.000  prompt  CallbackBusy (english: samples/callback/CallbackBusy.wav)" */
export function formatTraceEvent(e: TraceEvent): string {
  const [label, text] = describe(e);
  const task = e.task === undefined ? '' : `[${e.task}] `;
  return `${formatOffset(e.t)}  ${label.padEnd(7)} ${task}${text}`.trimEnd();
}

/** mm:ss.mmm (minutes keep counting past 59). */
export function formatOffset(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const minutes = Math.floor(total / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  const millis = total % 1000;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}.${String(millis).padStart(3, '0')}`;
}

function describe(e: TraceBody): [string, string] {
  switch (e.kind) {
    case 'call-started':
      return ['call', `${e.from} → ${e.to} (account ${e.account}, ${e.language})`];
    case 'answered':
      return ['answer', 'AcceptCall'];
    case 'prompt-started':
      return ['prompt', `${e.name} (${e.language}: ${e.path ?? 'no file'})`];
    case 'prompt-finished':
      return ['played', e.name];
    case 'prompt-cut':
      return ['cut', `${e.name} after ${seconds(e.afterMs)} (${e.reason})`];
    case 'prompt-skipped':
      return ['skipped', `${e.name} (${e.reason})`];
    case 'prompt-missing':
      return ['missing', `${e.name} (${e.language}): ${e.reason}`];
    case 'waiting':
      return ['wait', `ReadInput ${e.timeout} s`];
    case 'digit':
      return ['digit', `${e.digit} (${e.source})`];
    case 'input-timeout':
      return ['timeout', `no input in ${e.timeout} s`];
    case 'event':
      return ['event', e.sender ? `${e.what} from ${e.sender}` : e.what];
    case 'email-queued':
      return ['email', `to ${e.to}: ${JSON.stringify(e.subject)} queued`];
    case 'email-failed':
      return ['email', `to ${e.to}: ${JSON.stringify(e.subject)} FAILED: ${e.error}`];
    case 'transfer':
      return ['transfer', e.how && e.how !== 'redirect' ? `${e.target} (${e.how})` : e.target];
    case 'mode':
      return ['mode', `${e.from} → ${e.to} (${e.why})`];
    case 'refused':
      return ['refused', e.detail];
    case 'task':
      return ['task', `${e.id} ${e.state}${e.by ? ` (${e.by})` : ''}`];
    case 'leg':
      return ['leg', `${e.leg} → ${e.to}: ${e.state}${e.error ? ` (${e.error})` : ''}${e.by ? ` by ${e.by}` : ''}`];
    case 'bridge':
      return ['bridge', `${e.state} with ${e.with}${e.error ? ` (${e.error})` : ''}`];
    case 'queue':
      return [
        'queue',
        `${e.queue}: ${e.task ? `${e.task} ` : ''}${e.action}${e.position !== undefined ? ` at position ${e.position}` : ''}`,
      ];
    case 'record':
      return ['record', `${e.seconds} s, ${e.bytes} bytes`];
    case 'hangup':
      return ['hangup', `by ${e.by}`];
    case 'error':
      return ['error', formatDiagnostic(e)];
    case 'node':
      return ['node', e.id];
    case 'log':
      return ['log', e.text];
    case 'dropped':
      return ['dropped', `${e.count} earlier events (the trace keeps the newest)`];
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}
