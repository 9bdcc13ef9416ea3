// Copy, paste and duplicate through JSON text, so nodes travel between flows.
import { EMPTY_SELECTION, isEmptySelection, removeSelection } from '../store/docOps';
import { clipToText, copySelection, parseClip, pasteClip, type Clip } from '../store/clipboard';
import { outputHandles } from '../../compiler/flow/model';
import type { FlowDocument, FlowNode } from '../../compiler/flow/schema';
import { estimateSize, type Size } from '../layout/sizes';
import type { XY } from '../store/docOps';
import type { Action, ActionContext } from './types';

const STEP = 40;
// Pasting the same text again moves each copy a little further, so copies do not hide each other.
let lastPaste = { text: '', count: 0 };

async function copyToClipboard(ctx: ActionContext): Promise<boolean> {
  const { doc, selection } = ctx.flow.getState();
  if (selection.nodes.length + selection.notes.length === 0) {
    ctx.ui.getState().notify('select nodes to copy first');
    return false;
  }
  const text = clipToText(copySelection(doc, selection));
  lastPaste = { text, count: 0 };
  await ctx.clipboard.writeText(text);
  return true;
}

export const copy: Action = {
  name: 'copy',
  label: 'Copy',
  shortcut: 'Mod+C',
  enabled: (ctx) => !isEmptySelection(ctx.flow.getState().selection),
  async perform(ctx) {
    await copyToClipboard(ctx);
  },
};

export const cut: Action = {
  name: 'cut',
  label: 'Cut',
  shortcut: 'Mod+X',
  enabled: (ctx) => !isEmptySelection(ctx.flow.getState().selection),
  async perform(ctx) {
    if (!(await copyToClipboard(ctx))) return;
    const { selection, change, select } = ctx.flow.getState();
    change((d) => removeSelection(d, selection));
    select(EMPTY_SELECTION);
  },
};

/** Pastes clipboard text; text that is not copied nodes gives a message and changes nothing. */
export const paste: Action<{ text?: string } | undefined> = {
  name: 'paste',
  label: 'Paste',
  shortcut: 'Mod+V',
  async perform(ctx, arg) {
    let text: string;
    try {
      text = arg?.text ?? (await ctx.clipboard.readText());
    } catch {
      ctx.ui.getState().notify('the browser did not allow reading the clipboard', 'error');
      return;
    }
    const parsed = await parseClip(text);
    if ('error' in parsed) {
      ctx.ui.getState().notify(`cannot paste: ${parsed.error}`, 'error');
      return;
    }
    lastPaste = lastPaste.text === text ? { text, count: lastPaste.count + 1 } : { text, count: 1 };
    const offset = STEP * lastPaste.count;
    pasteInto(ctx, parsed.clip, offset);
  },
};

function pasteInto(ctx: ActionContext, clip: Parameters<typeof pasteClip>[1], offset: number): void {
  let selection = EMPTY_SELECTION;
  const at = freeOffset(ctx.flow.getState().doc, clip, offset, ctx.canvas?.nodeSizes() ?? {});
  ctx.flow.getState().change((d) => {
    const r = pasteClip(d, clip, at);
    selection = r.selection;
    return r.doc;
  });
  ctx.flow.getState().select(selection);
}

type Box = { x: number; y: number; width: number; height: number };
const GAP = 16;

function boxOf(
  n: { id: string; type: FlowNode['type']; position: XY } & Pick<FlowNode, 'data'>,
  sizes: Record<string, Size>,
): Box {
  const size = sizes[n.id] ?? estimateSize(n.type, outputHandles(n as FlowNode).length);
  return { x: n.position.x, y: n.position.y, ...size };
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP;

/**
 * Where the copies go: `step` down and right of the originals, then further until no copy sits on a
 * node of the flow (a pasted node landing on its neighbours hides them).
 */
export function freeOffset(doc: FlowDocument, clip: Clip, step: number, sizes: Record<string, Size> = {}): XY {
  const existing = doc.nodes.map((n) => boxOf(n, sizes));
  const copies = clip.nodes.map((n) => ({ ...boxOf(n, sizes), ...estimateSize(n.type, outputHandles(n).length) }));
  let offset = { x: step, y: step };
  for (let tries = 0; tries < 200; tries++) {
    const clash = copies.some((c) => existing.some((e) => overlaps({ ...c, x: c.x + offset.x, y: c.y + offset.y }, e)));
    if (!clash) return offset;
    // Down first (the flow reads top to bottom); every few rows, a column to the right.
    offset = tries % 8 === 7 ? { x: offset.x + 260, y: step } : { x: offset.x, y: offset.y + 60 };
  }
  return offset;
}

export const duplicate: Action = {
  name: 'duplicate',
  label: 'Duplicate',
  shortcut: 'Mod+D',
  enabled: (ctx) => !isEmptySelection(ctx.flow.getState().selection),
  perform(ctx) {
    const { doc, selection } = ctx.flow.getState();
    if (selection.nodes.length + selection.notes.length === 0) return;
    pasteInto(ctx, copySelection(doc, selection), STEP);
  },
};
