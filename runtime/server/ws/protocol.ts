// The WebSocket protocol at /api/ws, declared once: the server (hub, calls, live SIP) sends these
// types and the designer (designer/api/client.ts, designer/call/*) receives them. Browser-safe: type
// imports only, plus the plain lists of message types (docs/server-api.md is the prose).
import type { Problem } from '../../../compiler/flow/problems';
import type { SourceMap } from '../../../compiler/generate/cgpl';
import type { TraceEvent } from '../../call/trace';
import type { OutboxEntry } from '../../mail/entry';
import type { SipLogEntry } from '../../sip/dialog';

export type SmtpKnob = 'up' | 'refuse';

/** How a dialled party's phone behaves in a test call (compiler/flow/pbx.ts PhoneBehaviour, all optional). */
export interface PartyBehaviour {
  status?: 'answers' | 'busy' | 'noAnswer' | 'unregistered' | 'rejects';
  ringSeconds?: number;
  talkSeconds?: number;
}

// ---- designer → server --------------------------------------------------------------------------

export type ClientMessage =
  | {
      type: 'call.start';
      /** The flow document (checked by the server). */
      flow: unknown;
      /** Workspace-relative: where prompts are found (a saved flow, or a draft's path). */
      path?: string;
      target?: 'cgpl' | 'js';
      account?: string;
      language?: string;
      /** ISO 8601: the call's clock starts there. */
      at?: string;
      breakpoints?: string[];
      /** 'refuse': SendEMail is refused at submission, to exercise the flow's `failed` branch. */
      smtp?: SmtpKnob;
      /** Vars().startParameter of the call's task (a string, or an array of them for app{p1,p2}). */
      startParameter?: string | string[];
      /** How dialled parties' phones behave in this call, over the environment's. */
      parties?: Record<string, PartyBehaviour>;
    }
  | { type: 'call.smtp'; callId: string; smtp: SmtpKnob }
  | { type: 'call.dtmf'; callId: string; digits: string }
  | { type: 'call.hangup'; callId: string }
  | { type: 'call.pause'; callId: string }
  | { type: 'call.continue'; callId: string }
  | { type: 'call.step'; callId: string }
  | { type: 'call.breakpoints'; callId: string; breakpoints: string[] }
  | { type: 'sip.start'; path: string }
  | { type: 'sip.stop' };

export const CLIENT_MESSAGE_TYPES = [
  'call.start',
  'call.smtp',
  'call.dtmf',
  'call.hangup',
  'call.pause',
  'call.continue',
  'call.step',
  'call.breakpoints',
  'sip.start',
  'sip.stop',
] as const satisfies readonly ClientMessage['type'][];

// ---- server → designer --------------------------------------------------------------------------

/** A trace event as sent: prompt events carry the workspace-relative WAV the page may play. */
export type SentTraceEvent = TraceEvent & { audio?: string | null };

/** One test call's messages, to the socket that started it. */
export type CallMessage =
  | { type: 'call.trace'; callId: string; event: SentTraceEvent }
  | { type: 'call.paused'; callId: string; nodeId: string | null; line: number; variables: Record<string, unknown> }
  | { type: 'call.resumed'; callId: string }
  | { type: 'call.ended'; callId: string; endedBy: string | null; error?: string };

/** The live SIP runtime's messages, to every socket. */
/** A phone registered with the live SIP runtime. */
export interface LiveRegistration {
  account: string;
  contact: string;
  source: string;
  userAgent: string | null;
  /** Epoch ms. */
  expiresAt: number;
}

export type SipMessage =
  | { type: 'sip.started'; uri: string; accounts: string[]; path: string; registrations?: LiveRegistration[] }
  /** The phones registered now (after each change), when the environment has passwords. */
  | { type: 'sip.registrations'; registrations: LiveRegistration[] }
  | { type: 'sip.stopped' }
  | { type: 'sip.error'; error: string; problems?: Problem[] }
  | { type: 'sip.call'; callId: string; from: string; to: string }
  | { type: 'sip.trace'; callId: string; event: SentTraceEvent }
  | { type: 'sip.message'; callId: string; entry: SipLogEntry }
  | { type: 'sip.ended'; callId: string; endedBy: string | null };

export type ServerMessage =
  | { type: 'call.started'; callId: string; sppr: string; sourceMap: SourceMap | null }
  | { type: 'call.error'; error: string; problems?: Problem[] }
  | CallMessage
  | { type: 'error'; error: string; callId?: string }
  | { type: 'outbox.changed'; entry: OutboxEntry }
  | SipMessage;

export const SERVER_MESSAGE_TYPES = [
  'call.started',
  'call.error',
  'call.trace',
  'call.paused',
  'call.resumed',
  'call.ended',
  'error',
  'outbox.changed',
  'sip.started',
  'sip.registrations',
  'sip.stopped',
  'sip.error',
  'sip.call',
  'sip.trace',
  'sip.message',
  'sip.ended',
] as const satisfies readonly ServerMessage['type'][];

// Both lists name every type of their union (a type left out fails to compile here).
type Missing<All extends string, Listed extends readonly string[]> = Exclude<All, Listed[number]>;
const everyClientType: Missing<ClientMessage['type'], typeof CLIENT_MESSAGE_TYPES> extends never ? true : never = true;
const everyServerType: Missing<ServerMessage['type'], typeof SERVER_MESSAGE_TYPES> extends never ? true : never = true;
void everyClientType;
void everyServerType;

const SERVER_TYPES = new Set<string>(SERVER_MESSAGE_TYPES);

/** A server message from the socket's text; null for anything that is not one (not JSON, unknown type). */
export function parseServerMessage(text: string): ServerMessage | null {
  try {
    const m = JSON.parse(text) as { type?: unknown } | null;
    return m && typeof m === 'object' && typeof m.type === 'string' && SERVER_TYPES.has(m.type)
      ? (m as ServerMessage)
      : null;
  } catch {
    return null;
  }
}
