// Copy, paste and duplicate through JSON text, so nodes travel between flows.
import { EMPTY_SELECTION, isEmptySelection, removeSelection } from '../store/docOps';
import { clipToText, copySelection, parseClip, pasteClip } from '../store/clipboard';
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
  ctx.flow.getState().change((d) => {
    const r = pasteClip(d, clip, { x: offset, y: offset });
    selection = r.selection;
    return r.doc;
  });
  ctx.flow.getState().select(selection);
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
