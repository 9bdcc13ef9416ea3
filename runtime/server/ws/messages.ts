// What the designer may send over the WebSocket, checked before anything acts on it. The message
// types are protocol.ts's (the one declaration the designer imports too); this schema must agree.
import { z } from 'zod';
import type { ClientMessage as Declared } from './protocol';

const CallId = z.string().min(1).max(100);
const Breakpoints = z.array(z.string().max(200)).max(1000);
const PartyBehaviour = z
  .object({
    status: z.enum(['answers', 'busy', 'noAnswer', 'unregistered', 'rejects']).optional(),
    ringSeconds: z.number().min(0).max(3600).optional(),
    talkSeconds: z.number().positive().max(86_400).optional(),
  })
  .strict();

export const ClientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('call.start'),
    flow: z.unknown(),
    path: z.string().max(1024).optional(),
    target: z.enum(['cgpl', 'js']).optional(),
    account: z.string().max(320).optional(),
    language: z.string().max(64).optional(),
    at: z.string().max(64).optional(),
    breakpoints: Breakpoints.optional(),
    /** 'refuse': SendEMail is refused at submission, to exercise the flow's `failed` branch. */
    smtp: z.enum(['up', 'refuse']).optional(),
    /** Vars().startParameter of the call's task (a string, or an array of them for app{p1,p2}). */
    startParameter: z.union([z.string().max(1024), z.array(z.string().max(1024)).max(32)]).optional(),
    /** How dialled parties' phones behave in this call, over the environment's. */
    parties: z.record(z.string().max(320), PartyBehaviour).optional(),
  }),
  /** Changes the SendEMail knob of a running test call. */
  z.object({ type: z.literal('call.smtp'), callId: CallId, smtp: z.enum(['up', 'refuse']) }),
  z.object({ type: z.literal('call.dtmf'), callId: CallId, digits: z.string().max(256) }),
  z.object({ type: z.literal('call.hangup'), callId: CallId }),
  z.object({ type: z.literal('call.pause'), callId: CallId }),
  z.object({ type: z.literal('call.continue'), callId: CallId }),
  z.object({ type: z.literal('call.step'), callId: CallId }),
  z.object({ type: z.literal('call.breakpoints'), callId: CallId, breakpoints: Breakpoints }),
  z.object({ type: z.literal('sip.start'), path: z.string().min(1).max(1024) }),
  z.object({ type: z.literal('sip.stop') }),
]);

export type ClientMessage = Declared;

// The schema accepts exactly the declared messages (a drift fails to compile).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaIsDeclared: Same<z.infer<typeof ClientMessage>, Declared> = true;
void schemaIsDeclared;

/** The message, or why it is not one (first issue, with its field). */
export function parseClientMessage(text: string): { message: ClientMessage } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: `the message is not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const parsed = ClientMessage.safeParse(value);
  if (parsed.success) return { message: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
  return { error: `not a message the server understands: ${issue?.message ?? 'invalid'}${where}` };
}
