// A task's call mode, as CommuniGate documents it, and what each call operation needs. One state
// machine for every channel (the simulator, SIP): the Call API checks MODE_RULES before it touches
// the peer, and answers outside the documented modes the way the documentation says (an error string,
// a null-value, or nothing at all) — never more leniently than the server.

/**
 * - incoming: an incoming call waits for the program (AcceptCall, RejectCall, RedirectCall …).
 * - provisioned: ProvisionCall sent a provisional response with media (early media: PlayFile works).
 * - connected: the call is answered (ours, or an outgoing call that was answered).
 * - disconnected: no call (a spawned task, or after a hang-up, a redirect, a rejection, a transfer).
 * - dialling: StartCall (or StartBridgedCall) is waiting for the final response.
 */
export type CallMode = 'incoming' | 'provisioned' | 'connected' | 'disconnected' | 'dialling';

export const CALL_MODES: readonly CallMode[] = ['incoming', 'provisioned', 'connected', 'disconnected', 'dialling'];

/** The mode changes a call can make; anything else is a bug in a channel. */
const TRANSITIONS: Record<CallMode, readonly CallMode[]> = {
  incoming: ['provisioned', 'connected', 'disconnected'],
  provisioned: ['connected', 'disconnected'],
  connected: ['disconnected'],
  disconnected: ['dialling'],
  dialling: ['connected', 'disconnected'],
};

/**
 * What a call operation answers outside its modes:
 * - error: returns this error code string (functions that report failures);
 * - null: returns a null-value (queries);
 * - ignored: does nothing (procedures documented as acting "if there is one").
 */
export type Outside = { kind: 'error'; text: string } | { kind: 'null' } | { kind: 'ignored'; why: string };

export interface ModeRule {
  modes: readonly CallMode[];
  outside: Outside;
}

const PENDING: readonly CallMode[] = ['incoming', 'provisioned'];
/** Modes with a Task Media Channel: PlayFile, Record and DTMF work. */
export const MEDIA_MODES: readonly CallMode[] = ['provisioned', 'connected'];
const WITH_PEER: readonly CallMode[] = ['incoming', 'provisioned', 'connected', 'dialling'];

/** The error strings, in one place so a server's exact wording can replace them. */
export const MODE_ERRORS = {
  notIncoming: 'no incoming call',
  notConnected: 'call is not connected',
  busyTask: 'the task already has a call',
  noPeer: 'no call',
} as const;

/** Each call operation of the Call API, named by its CG/PL built-in. */
export const MODE_RULES = {
  AcceptCall: { modes: PENDING, outside: { kind: 'error', text: MODE_ERRORS.notIncoming } },
  RejectCall: { modes: PENDING, outside: { kind: 'ignored', why: 'there is no incoming call to reject' } },
  RedirectCall: {
    modes: PENDING,
    outside: { kind: 'ignored', why: 'RedirectCall works only while the call is incoming or provisioned' },
  },
  ForkCall: {
    modes: PENDING,
    outside: { kind: 'ignored', why: 'ForkCall works only while the call is incoming or provisioned' },
  },
  ProvisionCall: { modes: PENDING, outside: { kind: 'error', text: MODE_ERRORS.notIncoming } },
  TransferCall: { modes: ['connected'], outside: { kind: 'error', text: MODE_ERRORS.notConnected } },
  TransferSupported: { modes: ['connected'], outside: { kind: 'null' } },
  IncomingRequestURI: { modes: PENDING, outside: { kind: 'null' } },
  PendingRequestData: { modes: PENDING, outside: { kind: 'null' } },
  RemoteURI: { modes: WITH_PEER, outside: { kind: 'null' } },
  RemoteAuthentication: { modes: WITH_PEER, outside: { kind: 'null' } },
  PlayFile: { modes: MEDIA_MODES, outside: { kind: 'ignored', why: 'there is no media channel' } },
  Record: { modes: MEDIA_MODES, outside: { kind: 'null' } },
  SendDTMF: { modes: ['connected'], outside: { kind: 'error', text: MODE_ERRORS.notConnected } },
  Disconnect: { modes: WITH_PEER, outside: { kind: 'ignored', why: 'there is no call to end' } },
  StartCall: { modes: ['disconnected'], outside: { kind: 'error', text: MODE_ERRORS.busyTask } },
  StartBridgedCall: { modes: ['disconnected'], outside: { kind: 'error', text: MODE_ERRORS.busyTask } },
  CancelCall: { modes: ['dialling'], outside: { kind: 'ignored', why: 'there is no outgoing call being placed' } },
  StartBridge: {
    modes: ['incoming', 'provisioned', 'connected'],
    outside: { kind: 'error', text: MODE_ERRORS.noPeer },
  },
  AcceptBridge: { modes: ['connected'], outside: { kind: 'error', text: MODE_ERRORS.notConnected } },
} as const satisfies Record<string, ModeRule>;

export type CallOperation = keyof typeof MODE_RULES;

export type ModeListener = (from: CallMode, to: CallMode, why: string) => void;

/**
 * @example
 *   const modes = new ModeMachine('incoming', (from, to, why) => trace.add({ kind: 'mode', from, to, why }));
 *   if (!modes.allows('AcceptCall')) return modes.refusal('AcceptCall');
 *   modes.to('connected', 'AcceptCall');
 */
export class ModeMachine {
  private current: CallMode;

  constructor(
    initial: CallMode,
    private readonly listener: ModeListener = () => undefined,
  ) {
    this.current = initial;
  }

  get mode(): CallMode {
    return this.current;
  }

  is(...modes: CallMode[]): boolean {
    return modes.includes(this.current);
  }

  allows(op: CallOperation): boolean {
    return (MODE_RULES[op].modes as readonly CallMode[]).includes(this.current);
  }

  /** Moves to `to`; staying in the same mode is a no-op. Throws on a change no call can make. */
  to(to: CallMode, why: string): void {
    const from = this.current;
    if (from === to) return;
    if (!TRANSITIONS[from].includes(to)) throw new Error(`internal error: a call cannot go from ${from} to ${to}`);
    this.current = to;
    this.listener(from, to, why);
  }
}

/** How an operation's refusal reads in the trace: "RedirectCall ignored: … (the call is connected)". */
export function describeRefusal(op: CallOperation, mode: CallMode): string {
  const outside: Outside = MODE_RULES[op].outside;
  const allowed = (MODE_RULES[op].modes as readonly CallMode[]).join(' or ');
  const detail =
    outside.kind === 'error' ? `returns "${outside.text}"` : outside.kind === 'null' ? 'returns null' : outside.why;
  return `${op} in ${mode} mode (needs ${allowed}): ${detail}`;
}
