// A call with a scripted caller and no audio: the first task of a run, with the caller as its peer,
// scripted phones for the parties it dials, and the tasks it spawns — all on the call's clock, all in
// one trace. It follows CommuniGate's rules for call modes, PlayFile and ReadInput (runtime/call/
// task.ts, modes.ts, steps.ts; docs/runtime.md).
import { randomUUID } from 'node:crypto';
import { VirtualClock, type Clock } from './clock';
import { Directory } from './directory';
import { type CallEnvironment, resolveAccount } from './environment';
import { TaskHub } from './hub';
import { type PartyOverrides, ScriptedParties } from './parties';
import { type CallerStep, ScriptedCaller, ScriptedPhone } from './scripted';
import { CallTask, type MailSender, type SentEmail } from './task';
import { Trace, type HangupBy, type LegState } from './trace';

export type { CallerStep } from './scripted';
export { silentWav } from './scripted';
export type { MailSender, EmailMeta, SentEmail } from './task';

export interface SimulatedCallOptions {
  id?: string;
  environment?: CallEnvironment;
  /** Account name or e-mail; default: the environment's default account. */
  account?: string;
  /** Default: the account's language. */
  language?: string;
  /** The caller's URI; default sip:caller@example.net (or the caller account's address). */
  callerUri?: string;
  /** The caller is this local account, authenticated (RemoteAuthentication gives its e-mail). */
  callerAccount?: string;
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
  /** Vars().startParameter of the first task (app{p1,p2} on a server). */
  startParameter?: unknown;
  /** How dialled parties' phones behave in this run, over the environment's (scenario overrides). */
  parties?: PartyOverrides;
  /**
   * SendEMail is refused at submission (as by a full queue), so the flow takes its `failed` branch:
   * a scenario's `"smtp": "refuse"`, the designer's test call. Relay trouble never does that: the
   * message is queued and the outbox retries it.
   */
  refuseEmail?: boolean;
}

/** An outgoing call of the run, as the trace tells it: where it rang and how it ended. */
export interface LegResult {
  leg: string;
  to: string;
  task: string;
  outcome: LegState;
  error?: string;
}

export interface CallResult {
  endedBy: HangupBy | null;
  transfer: string | null;
  emails: SentEmail[];
  legs: LegResult[];
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

interface World {
  clock: Clock;
  hub: TaskHub;
  caller: ScriptedCaller;
  options: ConstructorParameters<typeof CallTask>[0];
}

function world(options: SimulatedCallOptions): World {
  const id = options.id ?? `sim-${randomUUID()}`;
  const start = options.now === undefined ? new Date() : new Date(options.now);
  const clock = options.clock ?? new VirtualClock(Number.isNaN(start.getTime()) ? new Date() : start);
  const trace = options.trace ?? new Trace(clock);
  const env = options.environment;
  const directory = env?.directory ?? new Directory(undefined, env?.defaultLanguage);
  const maxCallMs = options.maxCallMs ?? 3_600_000;
  const parties = new ScriptedParties({
    clock,
    directory,
    ...(options.parties ? { overrides: options.parties } : {}),
    answer: (who, uri, phone) => new ScriptedPhone(who, uri, `sip:${account.email}`, phone, clock, env),
  });
  const hub = new TaskHub({
    clock,
    trace,
    directory,
    dialer: parties,
    deadlineMs: clock.now().getTime() + maxCallMs,
  });
  hub.expiryText = `the caller gives up after ${Math.round(maxCallMs / 1000)} s`;
  hub.refuseEmail = options.refuseEmail === true;
  const account = env?.account(options.account) ?? resolveAccount(undefined, options.account);
  const callerEmail = options.callerAccount ? directory.account(options.callerAccount).email : null;
  const caller = new ScriptedCaller({
    clock,
    ...(env ? { environment: env } : {}),
    steps: options.caller ?? [],
    uri: options.callerUri ?? (callerEmail ? `sip:${callerEmail}` : 'sip:caller@example.net'),
    localUri: `sip:${account.email}`,
    callId: id,
    authenticated: callerEmail,
    ...(options.recording !== undefined ? { recording: options.recording } : {}),
    dialer: parties,
    note: (body) => trace.add(body),
  });
  return {
    clock,
    hub,
    caller,
    options: {
      hub,
      id,
      account,
      ...(env ? { environment: env } : {}),
      ...(options.language ? { language: options.language } : {}),
      ...(options.mailer ? { mailer: options.mailer } : {}),
      ...(options.startParameter !== undefined ? { startParameter: options.startParameter } : {}),
      peer: caller,
      main: true,
    },
  };
}

/** The first task of a simulated run: a CallSession whose peer is the scripted caller. */
export class SimulatedCall extends CallTask {
  readonly clock: Clock;
  private readonly caller: ScriptedCaller;

  constructor(options: SimulatedCallOptions = {}) {
    const w = world(options);
    super(w.options);
    this.clock = w.clock;
    this.caller = w.caller;
    this.caller.onEvent = (what, parameter, sender) => this.callerEvent(what, parameter, sender);
  }

  /** Runs a program host on this call and waits for every task it spawned; then the caller stops. */
  async run(host: (session: SimulatedCall) => Promise<unknown>): Promise<CallResult> {
    this.note({
      kind: 'call-started',
      account: this.account.email,
      language: this.getLanguage(),
      from: this.caller.uri,
      to: this.localUri(),
    });
    const main = this.runProgram(() => host(this));
    this.hub.track(main);
    await this.hub.settled();
    await this.caller.stop();
    return {
      endedBy: this.endedBy,
      transfer: this.transferTarget,
      emails: this.hub.emails,
      legs: legsOf(this.trace),
      trace: this.trace,
    };
  }

  /** The caller types keys (non-DTMF characters are ignored). They go to the DTMF buffer. */
  pressDigits(digits: string, source = 'caller'): void {
    this.caller.press(digits, source);
  }

  /** Queues an event for ReadInput, as the caller's side sends it (a plain sender name). */
  callerEvent(what: string, parameter?: unknown, sender?: string): void {
    this.input.event(what, parameter, sender);
  }

  /** The caller hangs up. */
  hangup(): void {
    this.caller.hangUp();
  }

  /** From now on SendEMail is refused at submission (true) or submitted as usual (false). */
  setEmailRefused(refuse: boolean): void {
    this.hub.refuseEmail = refuse;
  }
}

/** The run's outgoing calls and their final state, from the trace. */
export function legsOf(trace: Trace): LegResult[] {
  const legs = new Map<string, LegResult>();
  for (const e of trace.ofKind('leg')) {
    const leg = legs.get(e.leg) ?? { leg: e.leg, to: e.to, task: e.task ?? 't1', outcome: e.state };
    // An answered call stays "answered" when it ends later; ringing says nothing final.
    if (leg.outcome !== 'answered' && e.state !== 'ringing' && e.state !== 'dialling') leg.outcome = e.state;
    if (e.state === 'ringing' && leg.outcome === 'dialling') leg.outcome = 'ringing';
    if (e.error !== undefined) leg.error = e.error;
    legs.set(e.leg, leg);
  }
  return [...legs.values()];
}
