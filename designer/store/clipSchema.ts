// The shape of copied nodes, checked with zod. Only clipboard.ts loads this, lazily, on paste: zod and
// the flow schemas stay out of the page's start-up bundle.
import { z } from 'zod';
import { FlowEdge, FlowNode, Note, Prompt } from '../../compiler/flow/schema';
import { CLIP_FORMAT } from './clipboard';

export const Clip = z.object({
  format: z.literal(CLIP_FORMAT),
  nodes: z.array(FlowNode),
  edges: z.array(FlowEdge).default([]),
  notes: z.array(Note).default([]),
  /** Prompt library entries the copied nodes use, so a paste into another flow keeps them playable. */
  prompts: z.record(z.string(), Prompt).default({}),
});
export type Clip = z.infer<typeof Clip>;
