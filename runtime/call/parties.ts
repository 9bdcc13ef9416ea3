// Outgoing calls: the Dialer seam and the simulator's scripted parties. A task's StartCall asks the
// hub's Dialer for a leg; the leg reports ringing, then answered (with the new peer) or failed (with
// an error code string). The simulator dials scripted phones on the virtual clock; a SIP dialer
// (engine `pbx`) sends real INVITEs and implements the same two interfaces.
import type { PhoneBehaviour } from '../../compiler/flow/pbx';
import type { Clock } from './clock';
import type { Directory } from './directory';
import type { Peer } from './peer';

export interface DialRequest {
  /** The task placing the call (for traces and the SIP From). */
  task: string;
  /** Who is calling: the task's account address. */
  from: string;
  /** The destination as the program gave it (a URI, an e-mail address, an account name or alias). */
  to: string;
}

export interface LegListener {
  /** A provisional response (ringing); may come several times. */
  ringing(): void;
  /** The party answered: the peer of the new call. */
  answered(peer: Peer): void;
  /** The call failed: an error code string. */
  failed(error: string): void;
}

export interface Leg {
  /** A short name for traces ("leg1"). */
  readonly id: string;
  /** Where it rings, as resolved ("ivanov"). */
  readonly target: string;
  /** CancelCall before the answer: no final response is reported. */
  cancel(): void;
}

export interface Dialer {
  /** Places a call; an error string when it cannot even start (nothing is reported then). */
  dial(request: DialRequest, listener: LegListener): Leg | string;
}

/** The error code strings a simulated call ends with, in one place (a server's words may differ). */
export const PARTY_ERRORS = {
  busy: 'busy',
  unregistered: 'not available',
  rejects: 'declined',
  unknown: 'not found',
} as const;

/** Per-scenario overrides: an account name, alias or address → how its phone behaves in this run. */
export type PartyOverrides = Record<string, Partial<PhoneBehaviour>>;

export interface ScriptedPartiesOptions {
  clock: Clock;
  directory: Directory;
  overrides?: PartyOverrides;
  /** Makes the answered party's peer (the simulator's scripted phone). */
  answer: (who: string, uri: string, phone: PhoneBehaviour, leg: string) => Peer;
}

/**
 * The simulator's dialer: each destination's phone (from the environment, overridable per scenario)
 * rings, then answers after ringSeconds, is busy, never answers, is not registered or rejects.
 */
export class ScriptedParties implements Dialer {
  private seq = 0;

  constructor(private readonly o: ScriptedPartiesOptions) {}

  /** How the phone at a destination behaves in this run, or null when nobody is there. */
  phoneFor(to: string): { who: string; uri: string; phone: PhoneBehaviour } | null {
    const found = this.o.directory.phoneAt(to);
    const override = this.override(to, found?.who);
    if (!found && !override) return null;
    const base: PhoneBehaviour = found?.phone ?? { status: 'answers' };
    const who = found?.who ?? to;
    const email = this.o.directory.route(to);
    return { who, uri: email ? `sip:${email}` : to, phone: { ...base, ...override } };
  }

  dial(request: DialRequest, listener: LegListener): Leg | string {
    const id = `leg${++this.seq}`;
    const found = this.phoneFor(request.to);
    const stop = new AbortController();
    const leg: Leg = { id, target: found?.who ?? request.to, cancel: () => stop.abort() };
    const after = (seconds: number, then: () => void) =>
      void this.o.clock.sleep(seconds * 1000, stop.signal).then(() => {
        if (!stop.signal.aborted) then();
      });
    if (!found) {
      after(0, () => listener.failed(PARTY_ERRORS.unknown));
      return leg;
    }
    const { phone } = found;
    const ring = phone.ringSeconds ?? (phone.status === 'answers' ? 3 : 0);
    if (phone.status === 'unregistered') {
      after(0, () => listener.failed(PARTY_ERRORS.unregistered));
      return leg;
    }
    after(0, () => listener.ringing());
    if (phone.status === 'noAnswer') return leg;
    after(ring, () => {
      if (phone.status === 'answers') listener.answered(this.o.answer(found.who, found.uri, phone, id));
      else listener.failed(phone.status === 'busy' ? PARTY_ERRORS.busy : PARTY_ERRORS.rejects);
    });
    return leg;
  }

  private override(to: string, who: string | undefined): Partial<PhoneBehaviour> | undefined {
    const overrides = this.o.overrides ?? {};
    const keys = [to, who, this.o.directory.route(to)].filter((k): k is string => !!k).map((k) => k.toLowerCase());
    const hit = Object.entries(overrides).find(([k]) => keys.includes(k.toLowerCase()));
    return hit?.[1];
  }
}
