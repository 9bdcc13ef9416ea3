// Node sizes for layout, centring and the canvas, before React Flow has measured a node.
import type { NodeType } from '../../compiler/flow/schema';

export interface Size {
  width: number;
  height: number;
}
export const DEFAULT_SIZE: Size = { width: 220, height: 110 };
export const NOTE_SIZE: Size = { width: 220, height: 64 };

/** Room for one output label under a node. */
const HANDLE_SLOT = 46;

/** A node's width is fixed by its outputs (NodeFrame draws it so). */
export function nodeWidth(outputs: number): number {
  return Math.max(220, outputs * HANDLE_SLOT + 16);
}

// Heights as the sample flows draw them; the real height (prompt chips wrap) is measured once drawn.
const TYPICAL_HEIGHT: Record<NodeType, number> = {
  start: 87,
  play: 88,
  menu: 122,
  collectDigits: 122,
  sendEmail: 104,
  businessHours: 121,
  transfer: 87,
  condition: 87,
  setVariable: 87,
  recordVoicemail: 104,
  hangup: 65,
  code: 104,
  moduleCall: 87,
};

export function estimateSize(type: NodeType, outputs: number): Size {
  return { width: nodeWidth(outputs), height: TYPICAL_HEIGHT[type] ?? DEFAULT_SIZE.height };
}
