// Live SIP as the designer sees it: the runtime's address, the calls softphones placed (newest
// first) with their trace and SIP ladder, and which one is selected. The selected call drives the
// canvas highlight (activeNodeId / visited) whenever no test call is running, so nodes light up the
// same way for both.
import type { TraceEvent } from '../../runtime/call/trace';
import type { SipLogEntry } from '../../runtime/sip/dialog';
import type { CallFields } from './callStore';
import { SERVER_MESSAGE_TYPES, type LiveRegistration, type SipMessage } from '../../runtime/server/ws/protocol';

export type { SipLogEntry };

/** Server → client messages of the live SIP runtime (declared in runtime/server/ws/protocol.ts). */
export type SipServerMessage = SipMessage;

/** A phone registered with the runtime. */
export type SipRegistrationView = LiveRegistration;

export interface SipCallView {
  callId: string;
  from: string;
  to: string;
  live: boolean;
  endedBy: string | null;
  events: TraceEvent[];
  messages: SipLogEntry[];
  activeNodeId: string | null;
  visited: string[];
}

export interface SipState {
  status: 'off' | 'starting' | 'on';
  uri: string | null;
  accounts: string[];
  /** The phones registered now. */
  registrations: SipRegistrationView[];
  /** The flow file the runtime was started with. */
  path: string | null;
  error: string | null;
  calls: SipCallView[];
  selected: string | null;
}

export const SIP_OFF: SipState = {
  status: 'off',
  uri: null,
  accounts: [],
  registrations: [],
  path: null,
  error: null,
  calls: [],
  selected: null,
};

/** Recent calls kept; older ones (and their ladders) are dropped so a long session stays small. */
export const MAX_SIP_CALLS = 20;
/** Per call: a caller who stays on for hours must not grow the page without bound. */
export const MAX_SIP_LINES = 2000;

const SIP_TYPES = new Set<string>(SERVER_MESSAGE_TYPES.filter((t) => t.startsWith('sip.')));

export function isSipMessage(m: { type: string }): m is SipServerMessage {
  return SIP_TYPES.has(m.type);
}

/** How a sip.* message changes the state (pure). */
export function reduceSipMessage(s: CallFields, m: SipServerMessage): Partial<CallFields> {
  const sip = s.sip;
  switch (m.type) {
    case 'sip.started':
      return {
        sip: {
          ...sip,
          status: 'on',
          uri: m.uri,
          accounts: m.accounts,
          registrations: m.registrations ?? [],
          path: m.path ?? sip.path,
          error: null,
        },
      };
    case 'sip.registrations':
      return { sip: { ...sip, registrations: m.registrations } };
    case 'sip.stopped':
      // The calls stay listed: their traces are worth reading after the runtime stopped.
      return {
        sip: {
          ...sip,
          status: 'off',
          uri: null,
          accounts: [],
          registrations: [],
          calls: sip.calls.map((c) => (c.live ? { ...c, live: false } : c)),
        },
      };
    case 'sip.error':
      return { sip: { ...sip, status: sip.uri ? 'on' : 'off', error: m.error } };
    case 'sip.call': {
      if (sip.calls.some((c) => c.callId === m.callId)) return {};
      const call: SipCallView = {
        callId: m.callId,
        from: m.from,
        to: m.to,
        live: true,
        endedBy: null,
        events: [],
        messages: [],
        activeNodeId: null,
        visited: [],
      };
      const calls = [call, ...sip.calls].slice(0, MAX_SIP_CALLS);
      // Follow the new call unless the user is watching another one that is still going on.
      const current = sip.calls.find((c) => c.callId === sip.selected);
      const follow = !current?.live;
      const next = { ...sip, calls, selected: follow ? call.callId : sip.selected };
      return follow ? { sip: next, ...highlight(s, call) } : { sip: next };
    }
    case 'sip.trace':
      return update(s, m.callId, (c) => {
        const e = m.event;
        const events = capped(c.events, e);
        return e.kind === 'node'
          ? { ...c, events, activeNodeId: e.id, visited: capped(c.visited, e.id) }
          : { ...c, events };
      });
    case 'sip.message':
      return update(s, m.callId, (c) => ({ ...c, messages: capped(c.messages, m.entry) }));
    case 'sip.ended':
      return update(s, m.callId, (c) => ({ ...c, live: false, endedBy: m.endedBy, activeNodeId: null }));
  }
}

/** Selects a call of the list (null: none); the canvas shows its path. */
export function selectSipCall(s: CallFields, callId: string | null): Partial<CallFields> {
  const call = s.sip.calls.find((c) => c.callId === callId) ?? null;
  const sip = { ...s.sip, selected: call?.callId ?? null };
  return call
    ? { sip, ...highlight(s, call) }
    : { sip, ...(simulatorOwnsCanvas(s) ? {} : { activeNodeId: null, visited: [] }) };
}

function update(s: CallFields, callId: string, change: (c: SipCallView) => SipCallView): Partial<CallFields> {
  const i = s.sip.calls.findIndex((c) => c.callId === callId);
  if (i < 0) return {};
  const call = change(s.sip.calls[i]!);
  const calls = s.sip.calls.slice();
  calls[i] = call;
  const patch: Partial<CallFields> = { sip: { ...s.sip, calls } };
  return callId === s.sip.selected ? { ...patch, ...highlight(s, call) } : patch;
}

function highlight(s: CallFields, call: SipCallView): Partial<CallFields> {
  return simulatorOwnsCanvas(s) ? {} : { activeNodeId: call.activeNodeId, visited: call.visited };
}

/** A running test call keeps the canvas; a SIP call shows its path only when no test call runs. */
function simulatorOwnsCanvas(s: CallFields): boolean {
  return s.status === 'running' || s.status === 'paused' || s.status === 'starting';
}

function capped<T>(list: readonly T[], item: T): T[] {
  const next = [...list, item];
  return next.length > MAX_SIP_LINES ? next.slice(next.length - MAX_SIP_LINES) : next;
}
