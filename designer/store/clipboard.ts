// Copy/paste as JSON text, so nodes move between flows (and between windows) through the system
// clipboard. Pasted nodes get fresh ids; edges are kept only when both ends were copied.
import type { FlowDocument, FlowNode } from '../../compiler/flow/schema';
import type { Clip } from './clipSchema';
import { freshId, nodeIds, type Selection, type XY } from './docOps';

export type { Clip } from './clipSchema';

export const CLIP_FORMAT = 'ivr-studio/clip@1';

export function copySelection(doc: FlowDocument, sel: Selection): Clip {
  const ids = new Set(sel.nodes);
  const nodes = doc.nodes.filter((n) => ids.has(n.id));
  const edges = doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  const notes = doc.notes.filter((n) => sel.notes.includes(n.id));
  const used = new Set(nodes.flatMap((n) => promptNames(n)));
  const prompts = Object.fromEntries(Object.entries(doc.prompts).filter(([name]) => used.has(name)));
  return { format: CLIP_FORMAT, nodes, edges, notes, prompts };
}

export function clipToText(clip: Clip): string {
  return JSON.stringify(clip, null, 2);
}

/** Reads clipboard text; never rejects. The zod check is loaded on the first paste of copied nodes. */
export async function parseClip(text: string): Promise<{ clip: Clip } | { error: string }> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'the clipboard does not hold IVR Studio nodes (it is not JSON)' };
  }
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== CLIP_FORMAT) {
    return { error: `the clipboard does not hold IVR Studio nodes (expected "format": "${CLIP_FORMAT}")` };
  }
  let schema: typeof import('./clipSchema');
  try {
    schema = await import('./clipSchema');
  } catch (e) {
    return { error: `could not load the paste check: ${e instanceof Error ? e.message : String(e)}` };
  }
  const parsed = schema.Clip.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { error: `the copied nodes are damaged at ${issue.path.join('.') || '(top)'}: ${issue.message}` };
  }
  return { clip: parsed.data };
}

/**
 * Adds a clip to a document: fresh node, edge and note ids, positions moved by `offset`.
 * Prompts missing from the target library are added; existing ones are left alone. A copied start
 * node is skipped when the document has one.
 */
export function pasteClip(doc: FlowDocument, clip: Clip, offset: XY): { doc: FlowDocument; selection: Selection } {
  const taken = nodeIds(doc);
  const rename = new Map<string, string>();
  // A flow has one start node: a copied one is left out when the target already has its own.
  const hasStart = doc.nodes.some((n) => n.type === 'start');
  const nodes = clip.nodes
    .filter((n) => !(hasStart && n.type === 'start'))
    .map((n) => {
      const id = freshId(n.type, taken);
      taken.add(id);
      rename.set(n.id, id);
      return { ...n, id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } } as FlowNode;
    });
  const edgeTaken = new Set(doc.edges.map((e) => e.id));
  const edges = clip.edges.flatMap((e) => {
    const source = rename.get(e.source);
    const target = rename.get(e.target);
    if (!source || !target) return [];
    const id = freshId(`${source}-${e.sourceHandle}-${target}-`, edgeTaken);
    edgeTaken.add(id);
    return [{ id, source, sourceHandle: e.sourceHandle, target }];
  });
  const noteTaken = new Set(doc.notes.map((n) => n.id));
  const notes = clip.notes.map((n) => {
    const id = freshId('note', noteTaken);
    noteTaken.add(id);
    return { ...n, id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } };
  });
  const prompts = { ...doc.prompts };
  for (const [name, prompt] of Object.entries(clip.prompts)) {
    if (!Object.hasOwn(prompts, name)) prompts[name] = prompt;
  }
  return {
    doc: {
      ...doc,
      prompts,
      nodes: [...doc.nodes, ...nodes],
      edges: [...doc.edges, ...edges],
      notes: [...doc.notes, ...notes],
    },
    selection: { nodes: nodes.map((n) => n.id), edges: edges.map((e) => e.id), notes: notes.map((n) => n.id) },
  };
}

/** Every prompt name a node plays. */
export function promptNames(node: FlowNode): string[] {
  const d = node.data as Record<string, unknown>;
  return ['prompts', 'invalidPrompts', 'noInputPrompts', 'clearPrompts'].flatMap((f) =>
    Array.isArray(d[f]) ? (d[f] as string[]) : [],
  );
}
