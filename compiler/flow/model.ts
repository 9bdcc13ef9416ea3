// The flow document's plain constants and helpers, without zod: the designer's start-up bundle imports
// these, and loads the zod schemas (schema.ts) only for the rare paths that check untrusted JSON.
// schema.ts re-exports everything here, so other importers need not care which file holds what.
import type { FlowNode, NodeType } from './schema';

export const FLOW_FORMAT = 'ivr-studio/flow@1';

/** Weekday names as used in time ranges; schema.ts builds its `Weekday` enum from this tuple. */
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** How a Transfer node hands the caller on (see TransferData in schema.ts). */
export const TRANSFER_MODES = ['connect', 'blind', 'redirect'] as const;

export const NODE_TYPES: readonly NodeType[] = [
  'start',
  'play',
  'menu',
  'collectDigits',
  'sendEmail',
  'businessHours',
  'transfer',
  'condition',
  'setVariable',
  'recordVoicemail',
  'hangup',
  'code',
  'moduleCall',
];

/** The output handles a node offers, in display order. */
export function outputHandles(node: FlowNode): string[] {
  switch (node.type) {
    case 'start':
      return ['next'];
    case 'play':
      return ['next'];
    case 'menu':
      return [...node.data.options.map((o) => o.digit), 'timeout', 'invalid'];
    case 'collectDigits':
      return ['done', 'empty'];
    case 'sendEmail':
      return ['sent', 'failed'];
    case 'businessHours':
      return ['open', 'closed'];
    case 'transfer':
      return (node.data.mode ?? 'connect') === 'connect' ? ['busy', 'noAnswer', 'failed'] : ['failed'];
    case 'condition':
      return ['true', 'false'];
    case 'setVariable':
      return ['next'];
    case 'recordVoicemail':
      return ['recorded', 'empty'];
    case 'hangup':
      return [];
    case 'code':
      return codeExits(node.data.exits);
    case 'moduleCall':
      return ['next'];
  }
}

/**
 * Whether a node needs the call answered before it runs (it plays, reads keys or records, or a
 * blind transfer needs a connected call). The compiler answers lazily just before such a node.
 */
export function needsMedia(node: FlowNode): boolean {
  switch (node.type) {
    case 'play':
    case 'menu':
    case 'collectDigits':
    case 'recordVoicemail':
      return true;
    case 'transfer':
      return node.data.mode === 'blind';
    case 'code':
    case 'moduleCall':
      return node.data.answer !== false;
    default:
      return false;
  }
}

/** A code node's outputs: its exits without repeats, `next` when it names none. */
export function codeExits(exits: readonly string[] | undefined): string[] {
  const out = [...new Set((exits ?? []).filter((e) => e !== ''))];
  return out.length > 0 ? out : ['next'];
}

/** What happens when an output is left unconnected (stated in validation warnings). */
export const UNCONNECTED_BEHAVIOUR = 'the call ends (stop)';

/**
 * Built-in template variables, available in every template. No prototype: `{{constructor}}` or
 * `{{__proto__}}` is a flow variable, not an inherited property.
 */
export const BUILTIN_VARIABLES: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    account: 'MyEmail()',
    domain: 'MyDomain()',
    caller: 'RemoteURI()',
  }),
);
