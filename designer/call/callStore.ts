// The simulated call as the designer sees it: status, live trace, the node being executed and the
// path taken, the debugger's pause point, breakpoints, and the e-mail outbox.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TraceEvent } from '../../runtime/call/trace';
import type { OutboxEntry, ServerMessage } from '../api/client';
import { asVariables } from './formatValue';
import { SIP_OFF, isSipMessage, reduceSipMessage, type SipState } from './sipCalls';

export type CallStatus = 'idle' | 'starting' | 'running' | 'paused' | 'ended';
export type Target = 'cgpl' | 'js';

export interface CallState {
  status: CallStatus;
  callId: string | null;
  events: TraceEvent[];
  activeNodeId: string | null;
  /** Node ids in the order the call went through them. */
  visited: string[];
  /** Epoch ms when the current ReadInput times out, or null. */
  waitingUntil: number | null;
  paused: { nodeId: string | null; line: number | null; variables: Record<string, unknown> } | null;
  breakpoints: string[];
  outbox: OutboxEntry[];
  endedBy: string | null;
  error: string | null;
  // The call settings (Phone panel).
  account: string;
  language: string;
  at: string;
  target: Target;
  /** Vars().startParameter: "p1,p2" as app{p1,p2} gives it (an array), one value as a string. */
  startParameter: string;
  /** How dialled phones behave in this call: "ivanov=busy, petrov=noAnswer". */
  phones: string;
  /** The server's source map of the running program (line → node). */
  sppr: string | null;
  /** The call's clock at its start (ms since the epoch: the pretended time, or now); trace times add to it. */
  clockStart: number | null;
  /** The live SIP runtime and the calls softphones placed to it. */
  sip: SipState;
  set(patch: Partial<CallFields>): void;
}

export type CallFields = Omit<CallState, 'set'>;
export type CallStore = StoreApi<CallState>;

export const IDLE: Pick<
  CallFields,
  'status' | 'callId' | 'events' | 'activeNodeId' | 'visited' | 'waitingUntil' | 'paused' | 'endedBy' | 'error' | 'sppr'
> = {
  status: 'idle',
  callId: null,
  events: [],
  activeNodeId: null,
  visited: [],
  waitingUntil: null,
  paused: null,
  endedBy: null,
  error: null,
  sppr: null,
};

export function createCallStore(): CallStore {
  return createStore<CallState>()((set) => ({
    ...IDLE,
    breakpoints: [],
    outbox: [],
    account: '',
    language: '',
    at: '',
    target: 'cgpl',
    startParameter: '',
    phones: '',
    sip: SIP_OFF,
    clockStart: null,
    set: (patch) => set(patch),
  }));
}

/** How a server message changes the call state (pure, so it is tested without a socket). */
export function reduceServerMessage(s: CallFields, m: ServerMessage, now: number): Partial<CallFields> {
  if (isSipMessage(m)) return reduceSipMessage(s, m);
  switch (m.type) {
    case 'call.started':
      return { ...IDLE, status: 'running', callId: m.callId, sppr: m.sppr };
    case 'call.error':
      return { ...IDLE, status: 'ended', error: m.error };
    case 'error':
      return {};
    case 'outbox.changed': {
      const rest = s.outbox.filter((e) => e.id !== m.entry.id);
      return { outbox: [m.entry, ...rest] };
    }
    default:
      break;
  }
  if (m.callId !== s.callId) return {};
  switch (m.type) {
    case 'call.trace': {
      const e = m.event;
      const patch: Partial<CallFields> = { events: [...s.events, e] };
      if (e.kind === 'node') {
        patch.activeNodeId = e.id;
        patch.visited = [...s.visited, e.id];
      }
      if (e.kind === 'waiting') patch.waitingUntil = now + e.timeout * 1000;
      if (e.kind === 'digit' || e.kind === 'input-timeout' || e.kind === 'hangup' || e.kind === 'node')
        patch.waitingUntil = null;
      return patch;
    }
    case 'call.paused':
      return {
        status: 'paused',
        paused: { nodeId: m.nodeId, line: m.line, variables: asVariables(m.variables) },
        activeNodeId: m.nodeId ?? s.activeNodeId,
      };
    case 'call.resumed':
      // Only a paused call resumes: a late message must not bring an ended call back to life.
      return s.status === 'paused' ? { status: 'running', paused: null } : {};
    case 'call.ended':
      return {
        status: 'ended',
        endedBy: m.endedBy,
        error: m.error ?? null,
        waitingUntil: null,
        paused: null,
        activeNodeId: null,
      };
  }
}

/** Edge ids along the path taken: consecutive visited nodes joined by an edge. */
export function pathEdges(
  visited: readonly string[],
  edges: readonly { id: string; source: string; target: string }[],
): Set<string> {
  const out = new Set<string>();
  for (let i = 1; i < visited.length; i++) {
    const edge = edges.find((e) => e.source === visited[i - 1] && e.target === visited[i]);
    if (edge) out.add(edge.id);
  }
  return out;
}
