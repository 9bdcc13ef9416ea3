// The flow document: what the designer saves and the compiler reads ("format": "ivr-studio/flow@1").
// Documented in docs/flow-format.md. Parsing is lenient about missing optional fields (defaults are
// filled in) and strict about shape; semantic checks live in validate.ts.
import { z } from 'zod';
import { FLOW_FORMAT, TRANSFER_MODES } from './model';
import { TimeRange } from './hours';
import { PbxEnvironment } from './pbx';

export { TimeRange, Weekday } from './hours';

// The zod-free constants live in model.ts (the designer loads them without zod); re-exported here
// so importers of the schema see one module.
export {
  BUILTIN_VARIABLES,
  FLOW_FORMAT,
  NODE_TYPES,
  TRANSFER_MODES,
  UNCONNECTED_BEHAVIOUR,
  WEEKDAYS,
  outputHandles,
  codeExits,
  needsMedia,
} from './model';

export const Position = z.object({ x: z.number(), y: z.number() });

/** A list of prompt names from the prompt library, played in order. */
const Prompts = z.array(z.string()).default([]);

export const StartData = z.object({ label: z.string().optional() });

export const PlayData = z.object({
  label: z.string().optional(),
  prompts: Prompts,
  /** CG/PL default: digits typed ahead skip the remaining prompts (and stay buffered). */
  interruptible: z.boolean().default(true),
});

export const MenuOption = z.object({ digit: z.string(), label: z.string().optional() });

export const MenuData = z.object({
  label: z.string().optional(),
  prompts: Prompts,
  /** Each option is an output handle named by its digit ("1", "3", "0", "*", "#"). */
  options: z.array(MenuOption).default([]),
  timeout: z.number().default(5),
  /** How many times the caller may fail (no input or invalid digit) before `timeout`/`invalid`. */
  retries: z.number().default(3),
  invalidPrompts: Prompts,
  noInputPrompts: Prompts,
  /** Play the announcement again before each retry. */
  replayAnnouncement: z.boolean().default(true),
});

export const CollectDigitsData = z.object({
  label: z.string().optional(),
  prompts: Prompts,
  endKey: z.string().default('#'),
  /** Clears what was typed and plays clearPrompts ('' = no clear key). */
  clearKey: z.string().default('*'),
  /** Played after the clear key; empty = the last of `prompts`. */
  clearPrompts: Prompts,
  /** 0 = no limit. */
  maxDigits: z.number().default(0),
  firstDigitTimeout: z.number().default(20),
  interDigitTimeout: z.number().default(20),
  variable: z.string().default('digits'),
  /**
   * The seed article's loop: after clearing, the clear key itself is appended too (so "*" starts the
   * new number). Imported programs written that way keep their behaviour with this set.
   */
  clearKeepsKey: z.boolean().optional(),
});

export const SendEmailData = z.object({
  label: z.string().optional(),
  /** Templates: {{variable}} placeholders; built-ins {{account}} {{domain}} {{caller}}. */
  from: z.string().default('{{account}}'),
  /** '' = the account the program runs for (MyEmail()). */
  to: z.string().default(''),
  subject: z.string().default(''),
  body: z.string().default(''),
  /** A recordVoicemail variable to attach as audio/wav, or ''. */
  attachRecording: z.string().default(''),
});

export const BusinessHoursData = z.object({
  label: z.string().optional(),
  /** CommuniGate time zone name ('' = the server's). */
  timeZone: z.string().default(''),
  schedule: z.array(TimeRange).default([]),
  /** "YYYY-MM-DD" dates on which it is closed all day. */
  holidays: z.array(z.string()).default([]),
});

export const TransferData = z.object({
  label: z.string().optional(),
  /** An account name, an extension, a SIP URI, or a {{variable}} template. */
  target: z.string().default(''),
  /**
   * connect: ring the target and bridge the caller when it answers (outputs busy, noAnswer, failed);
   * blind: TransferCall, the caller leaves (output failed); redirect: RedirectCall, only before the
   * call is answered (output failed for an empty target).
   */
  mode: z.enum(TRANSFER_MODES).default('connect'),
  /** connect: how long the target rings before noAnswer. */
  ringSeconds: z.number().default(20),
});

export const ConditionData = z.object({
  label: z.string().optional(),
  variable: z.string().default(''),
  operator: z.enum(['equals', 'matches', 'empty']).default('equals'),
  /** Compared text (template) or, for `matches`, a POSIX extended regular expression. */
  value: z.string().default(''),
});

export const SetVariableData = z.object({
  label: z.string().optional(),
  variable: z.string().default(''),
  /** Template. */
  value: z.string().default(''),
});

export const RecordVoicemailData = z.object({
  label: z.string().optional(),
  prompts: Prompts,
  maxSeconds: z.number().default(60),
  variable: z.string().default('recording'),
});

export const HangupData = z.object({ label: z.string().optional() });

/** Answer the call (if not yet) before the node runs: a code block or module routine usually plays or reads keys. */
const Answer = z.boolean().default(true);

export const CodeData = z.object({
  label: z.string().optional(),
  /** CG/PL statements, as in the body of an entry (see docs/flow-format.md, "code"). */
  code: z.string().default(''),
  /** The node's outputs; the block picks one with `exit = "name";` (else the first). */
  exits: z.array(z.string()).default(['next']),
  answer: Answer,
});

export const ModuleCallData = z.object({
  label: z.string().optional(),
  /** The module file's name without `.sppi`, in the PBX environment. */
  module: z.string().default(''),
  /** The procedure or function the module defines. */
  routine: z.string().default(''),
  kind: z.enum(['procedure', 'function']).default('procedure'),
  /** One template per parameter: each is passed as a string. */
  args: z.array(z.string()).default([]),
  /** A function's value goes to this variable ('' = dropped). */
  result: z.string().default(''),
  answer: Answer,
});

const base = { id: z.string().min(1), position: Position.default({ x: 0, y: 0 }) };

export const FlowNode = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('start'), data: StartData.default({}) }),
  z.object({ ...base, type: z.literal('play'), data: PlayData.prefault({}) }),
  z.object({ ...base, type: z.literal('menu'), data: MenuData.prefault({}) }),
  z.object({ ...base, type: z.literal('collectDigits'), data: CollectDigitsData.prefault({}) }),
  z.object({ ...base, type: z.literal('sendEmail'), data: SendEmailData.prefault({}) }),
  z.object({ ...base, type: z.literal('businessHours'), data: BusinessHoursData.prefault({}) }),
  z.object({ ...base, type: z.literal('transfer'), data: TransferData.prefault({}) }),
  z.object({ ...base, type: z.literal('condition'), data: ConditionData.prefault({}) }),
  z.object({ ...base, type: z.literal('setVariable'), data: SetVariableData.prefault({}) }),
  z.object({ ...base, type: z.literal('recordVoicemail'), data: RecordVoicemailData.prefault({}) }),
  z.object({ ...base, type: z.literal('hangup'), data: HangupData.default({}) }),
  z.object({ ...base, type: z.literal('code'), data: CodeData.prefault({}) }),
  z.object({ ...base, type: z.literal('moduleCall'), data: ModuleCallData.prefault({}) }),
]);

export const FlowEdge = z.object({
  id: z.string().min(1),
  source: z.string(),
  /** The output handle of the source node: 'next', 'done', 'empty', a menu digit, … */
  sourceHandle: z.string(),
  target: z.string(),
});

export const Prompt = z.object({
  /** language → file path relative to the flow file's folder, e.g. { english: "prompts/X.wav" } */
  files: z.record(z.string(), z.string()).default({}),
  /** language → text, used for a spoken placeholder when there is no recording. */
  text: z.record(z.string(), z.string()).default({}),
});

export const Variable = z.object({
  name: z.string(),
  initial: z.string().optional(),
  description: z.string().optional(),
});

// The PBX environment (accounts, groups, aliases, how phones behave in a simulation) lives in
// pbx.ts; a flow may still carry one inline (`environment`), which a folder's pbx.json replaces.
export { Account, DivertRule, PbxEnvironment, PhoneBehaviour, Group, PBX_FORMAT, PBX_FILE } from './pbx';

export const Note = z.object({ id: z.string(), position: Position, text: z.string().default('') });

export const FlowDocument = z.object({
  format: z.literal(FLOW_FORMAT),
  /** The application name: the .sppr file is `${name}.sppr`. */
  name: z.string().min(1),
  description: z.string().default(''),
  languages: z.array(z.string()).default(['english']),
  /** The root (unfoldered) language of the environment. */
  defaultLanguage: z.string().default('english'),
  prompts: z.record(z.string(), Prompt).default({}),
  variables: z.array(Variable).default([]),
  nodes: z.array(FlowNode),
  edges: z.array(FlowEdge).default([]),
  notes: z.array(Note).default([]),
  environment: PbxEnvironment.prefault({}),
  /**
   * CG/PL declarations the program has besides entry Main — procedures, functions, other entries,
   * task variables, constants (an imported program's): printed before entry Main, callable from code nodes.
   */
  declarations: z.string().optional(),
});

export type FlowDocument = z.infer<typeof FlowDocument>;
export type FlowNode = z.infer<typeof FlowNode>;
export type FlowEdge = z.infer<typeof FlowEdge>;
export type NodeType = FlowNode['type'];
export type NodeOf<T extends NodeType> = Extract<FlowNode, { type: T }>;
export type Prompt = z.infer<typeof Prompt>;
