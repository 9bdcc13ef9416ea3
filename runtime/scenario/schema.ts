// The scenario file (`*.scenario.json`): a scripted caller and what the call must do. Documented in
// docs/runtime.md. Reading it never throws: problems come back as `file: at path: message` lines.
import { z } from 'zod';
import { findSyntaxError, formatPath, lineColumn } from '../../compiler/flow/load';

const CallerStep = z
  .object({
    wait: z.number().int().min(0).optional(),
    dtmf: z
      .string()
      .regex(/^[0-9*#A-Da-d]+$/, 'only DTMF keys 0-9 * # A-D')
      .optional(),
    hangup: z.literal(true).optional(),
    /** Listen until the program waits for input (its prompts have played). */
    listen: z.literal(true).optional(),
  })
  .strict()
  .refine(
    (s) => Object.keys(s).length === 1,
    'a caller step is one of { "wait": ms }, { "dtmf": "keys" }, { "listen": true }, { "hangup": true }',
  );

const EmailExpectation = z
  .object({
    to: z.string().optional(),
    subjectContains: z.string().optional(),
    status: z.enum(['queued', 'failed']).optional(),
  })
  .strict();

const Party = z
  .object({
    status: z.enum(['answers', 'busy', 'noAnswer', 'unregistered', 'rejects']).optional(),
    ringSeconds: z.number().min(0).max(3600).optional(),
    talkSeconds: z.number().positive().max(86_400).optional(),
  })
  .strict();

const LegExpectation = z
  .object({
    /** Where it rang: an account name (as the trace names it) or the address dialled. */
    to: z.string(),
    outcome: z.enum(['answered', 'busy', 'no-answer', 'failed', 'cancelled', 'ringing']).optional(),
  })
  .strict();

export const Expectations = z
  .object({
    /** Prompts heard, in order: started (a prompt cut short counts; a skipped one does not). */
    prompts: z.array(z.string()).optional(),
    /** An e-mail that must have been sent, or null: none may be. */
    email: EmailExpectation.nullable().optional(),
    /** Where the caller was handed on (RedirectCall, TransferCall, a forked call answered elsewhere). */
    transfer: z.string().optional(),
    endedBy: z.enum(['caller', 'program', 'transfer']).optional(),
    /** The outgoing calls, in order (each with the fields given). */
    legs: z.array(LegExpectation).optional(),
    /** Who the caller was bridged with (the answered party), or false: never bridged. */
    bridged: z.union([z.string(), z.literal(false)]).optional(),
  })
  .strict();

export const Scenario = z
  .object({
    name: z.string().min(1),
    /** The flow.json or .sppr, relative to the scenario file. */
    program: z.string().min(1),
    target: z.enum(['cgpl', 'js']).default('cgpl'),
    account: z.string().optional(),
    language: z.string().optional(),
    /** When the call happens (virtual clock start); default: now. */
    at: z
      .string()
      .refine((s) => !Number.isNaN(Date.parse(s)), 'not a date and time (use ISO 8601, e.g. 2024-03-03T23:00:00+03:00)')
      .optional(),
    /**
     * up: the embedded outbox; down: the relay is unreachable (SendEMail still answers null, the
     * message stays queued for retry, as on CommuniGate); refuse: SendEMail is refused at submission,
     * so the flow takes its `failed` branch.
     */
    smtp: z.enum(['up', 'down', 'refuse']).default('up'),
    /** Vars().startParameter of the call's task (app{p1,p2} on a server). */
    startParameter: z.union([z.string(), z.array(z.string())]).optional(),
    /** The caller is this local account, authenticated (RemoteAuthentication). */
    callerAccount: z.string().optional(),
    /** How dialled parties' phones behave in this scenario, over the environment's (by account or address). */
    parties: z.record(z.string(), Party).optional(),
    caller: z.array(CallerStep).default([]),
    expect: Expectations,
  })
  .strict();

export type Scenario = z.infer<typeof Scenario>;
export type Expectations = z.infer<typeof Expectations>;

export type ParseScenarioResult = { scenario: Scenario; errors: [] } | { scenario: null; errors: string[] };

/** Parses the text of a scenario file; `file` prefixes every message. */
export function parseScenario(text: string, file: string): ParseScenarioResult {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const found = findSyntaxError(text);
    if (!found)
      return { scenario: null, errors: [`${file}: invalid JSON: ${err instanceof Error ? err.message : String(err)}`] };
    const { line, column } = lineColumn(text, found.offset);
    return { scenario: null, errors: [`${file}:${line}:${column}: invalid JSON: ${found.message}`] };
  }
  const parsed = Scenario.safeParse(value);
  if (parsed.success) return { scenario: parsed.data, errors: [] };
  return {
    scenario: null,
    errors: parsed.error.issues.map((issue) => `${file}: at ${formatPath(issue.path) || '(top)'}: ${issue.message}`),
  };
}
