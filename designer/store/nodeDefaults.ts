// The data a new node starts with: the schema's defaults, written out so adding a node does not need
// zod (which the page loads only to check untrusted JSON). test/designer/nodeDefaults.test.ts checks
// these against FlowNode.parse, so a default changed in schema.ts cannot silently drift from here.
import type { NodeOf, NodeType } from '../../compiler/flow/schema';

type DataOf<T extends NodeType> = NodeOf<T>['data'];

// Functions, not objects: every node gets its own arrays, as a parse would give it.
const DEFAULTS: { [T in NodeType]: () => DataOf<T> } = {
  start: () => ({}),
  play: () => ({ prompts: [], interruptible: true }),
  menu: () => ({
    prompts: [],
    options: [],
    timeout: 5,
    retries: 3,
    invalidPrompts: [],
    noInputPrompts: [],
    replayAnnouncement: true,
  }),
  collectDigits: () => ({
    prompts: [],
    endKey: '#',
    clearKey: '*',
    clearPrompts: [],
    maxDigits: 0,
    firstDigitTimeout: 20,
    interDigitTimeout: 20,
    variable: 'digits',
  }),
  sendEmail: () => ({ from: '{{account}}', to: '', subject: '', body: '', attachRecording: '' }),
  businessHours: () => ({ timeZone: '', schedule: [], holidays: [] }),
  transfer: () => ({ target: '', mode: 'connect', ringSeconds: 20 }),
  condition: () => ({ variable: '', operator: 'equals', value: '' }),
  setVariable: () => ({ variable: '', value: '' }),
  recordVoicemail: () => ({ prompts: [], maxSeconds: 60, variable: 'recording' }),
  hangup: () => ({}),
  code: () => ({ code: '', exits: ['next'], answer: true }),
  moduleCall: () => ({ module: '', routine: '', kind: 'procedure', args: [], result: '', answer: true }),
};

/** A fresh copy of the default data of a node type. */
export function defaultNodeData<T extends NodeType>(type: T): DataOf<T> {
  return DEFAULTS[type]();
}
