// The flow document's plain constants and helpers, without zod: the designer's start-up bundle imports
// these, and loads the zod schemas (schema.ts) only for the rare paths that check untrusted JSON.
// schema.ts re-exports everything here, so other importers need not care which file holds what.
import type { FlowNode, NodeType } from './schema';

export const FLOW_FORMAT = 'ivr-studio/flow@1';

/** Weekday names as used in time ranges; schema.ts builds its `Weekday` enum from this tuple. */
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

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
      return ['failed'];
    case 'condition':
      return ['true', 'false'];
    case 'setVariable':
      return ['next'];
    case 'recordVoicemail':
      return ['recorded', 'empty'];
    case 'hangup':
      return [];
  }
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
