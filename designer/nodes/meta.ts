// How each node type is presented: name, one-line hint, colour and icon (palette and canvas).
import type { NodeType } from '../../compiler/flow/schema';

export interface NodeMeta {
  title: string;
  hint: string;
  /** CSS colour of the node's header stripe. */
  colour: string;
  icon: string;
}

export const NODE_META: Record<NodeType, NodeMeta> = {
  start: { title: 'Start', hint: 'Where the call enters (AcceptCall)', colour: '#16a34a', icon: '▶' },
  play: { title: 'Play', hint: 'Play prompts (PlayFile)', colour: '#2563eb', icon: '♪' },
  menu: { title: 'Menu', hint: 'Prompt, then branch on one key', colour: '#7c3aed', icon: '☰' },
  collectDigits: { title: 'Collect digits', hint: 'Read a number into a variable', colour: '#0891b2', icon: '#' },
  sendEmail: { title: 'Send e-mail', hint: 'SendEMail with {{templates}}', colour: '#ea580c', icon: '✉' },
  businessHours: { title: 'Business hours', hint: 'Open or closed now?', colour: '#ca8a04', icon: '◷' },
  transfer: { title: 'Transfer', hint: 'Redirect the call', colour: '#0d9488', icon: '⇄' },
  condition: { title: 'Condition', hint: 'Branch on a variable', colour: '#db2777', icon: '◇' },
  setVariable: { title: 'Set variable', hint: 'Assign a {{template}}', colour: '#4f46e5', icon: '=' },
  recordVoicemail: { title: 'Record voicemail', hint: 'Record the caller (Record)', colour: '#dc2626', icon: '●' },
  hangup: { title: 'Hang up', hint: 'End the call (stop)', colour: '#475569', icon: '✕' },
  code: { title: 'CG/PL code', hint: 'CG/PL statements with named exits', colour: '#334155', icon: '{}' },
  moduleCall: { title: 'Module call', hint: 'Call a routine of a .sppi module', colour: '#0f766e', icon: '::' },
};
