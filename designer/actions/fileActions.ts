// Files and exports: open, new, save, save as, callback.sppr, the environment .tar, the JS module.
import type { LoadResult } from '../../compiler/flow/load';
import { FLOW_FORMAT } from '../../compiler/flow/model';
import type { FlowDocument } from '../../compiler/flow/schema';
import { formatProblem } from '../../compiler/flow/problems';
import { ApiError, modifiedMs } from '../api/client';
import { clearAutosave, readAutosave, shouldOfferRecovery } from '../store/autosave';
import { selectCgpl, selectJs } from '../store/derived';
import { emptyFlow, isDirty } from '../store/flowStore';
import type { Action, ActionContext } from './types';

const error = (ctx: ActionContext, text: string) => ctx.ui.getState().notify(text, 'error');
const info = (ctx: ActionContext, text: string) => ctx.ui.getState().notify(text);

function describe(e: unknown): string {
  if (e instanceof ApiError && e.problems.length > 0)
    return `${e.message}: ${e.problems
      .slice(0, 3)
      .map((p) => formatProblem(p))
      .join('; ')}`;
  return e instanceof Error ? e.message : String(e);
}

function needApi(ctx: ActionContext): NonNullable<ActionContext['api']> | null {
  if (!ctx.api) error(ctx, 'not connected to the IVR Studio server (open the URL that `ivr-studio serve` printed)');
  return ctx.api;
}

async function writeTo(ctx: ActionContext, path: string): Promise<boolean> {
  const api = needApi(ctx);
  if (!api) return false;
  const doc = ctx.flow.getState().doc;
  try {
    await api.writeFile(path, doc);
  } catch (e) {
    error(ctx, `could not save ${path}: ${describe(e)}`);
    return false;
  }
  const before = ctx.flow.getState().path;
  ctx.flow.getState().markSaved(path, doc);
  if (ctx.storage) {
    clearAutosave(ctx.storage, path);
    if (before !== path) clearAutosave(ctx.storage, before);
  }
  info(ctx, `saved ${path}`);
  return true;
}

/** "callback/flow" → "callback/flow.json"; leading slashes dropped (paths are workspace-relative). */
export function normaliseFlowPath(input: string): string {
  const p = input.trim().replace(/\\/g, '/').replace(/^\/+/, '');
  return p.endsWith('.json') ? p : `${p}.json`;
}

export const save: Action = {
  name: 'save',
  label: 'Save',
  shortcut: 'Mod+S',
  async perform(ctx) {
    const path = ctx.flow.getState().path;
    if (path === null) return saveAs.perform(ctx, undefined);
    await writeTo(ctx, path);
  },
};

export const saveAs: Action<{ path?: string } | undefined> = {
  name: 'saveAs',
  label: 'Save as…',
  shortcut: 'Mod+Shift+S',
  async perform(ctx, arg) {
    const s = ctx.flow.getState();
    const suggested = s.path ?? `${s.doc.name}/flow.json`;
    const answer = arg?.path ?? ctx.ask('Save the flow as (a path in the workspace):', suggested);
    if (!answer?.trim()) return;
    await writeTo(ctx, normaliseFlowPath(answer));
  },
};

export const newFlow: Action = {
  name: 'newFlow',
  label: 'New flow',
  perform(ctx) {
    if (isDirty(ctx.flow.getState()) && !ctx.confirm('Discard the unsaved changes to this flow?')) return;
    ctx.flow.getState().load(emptyFlow(), null);
    ctx.ui.getState().set({ recovery: null });
    ctx.canvas?.fitView();
  },
};

/** Opens a workspace file; offers recovery when an autosave of it is newer than the file. */
export const open: Action<{ path: string }> = {
  name: 'open',
  label: 'Open…',
  async perform(ctx, { path }) {
    const api = needApi(ctx);
    if (!api) return;
    if (isDirty(ctx.flow.getState()) && !ctx.confirm('Discard the unsaved changes to this flow?')) return;
    ctx.ui.getState().set({ opening: path });
    try {
      await openPath(ctx, api, path);
    } finally {
      if (ctx.ui.getState().opening === path) ctx.ui.getState().set({ opening: null });
    }
  },
};

/**
 * The server sends the document it checked with the same schema (defaults filled in): a quick look at
 * its shape is enough, and parsing a 1,000-node flow again would delay the first frame. Anything else
 * (an older server, say) goes through the full check, which says what is wrong.
 */
async function checkedFlow(value: unknown): Promise<LoadResult> {
  const v = value as Partial<FlowDocument> | null;
  const looksChecked =
    !!v &&
    typeof v === 'object' &&
    v.format === FLOW_FORMAT &&
    typeof v.name === 'string' &&
    Array.isArray(v.nodes) &&
    Array.isArray(v.edges) &&
    Array.isArray(v.notes) &&
    Array.isArray(v.languages) &&
    !!v.environment &&
    typeof v.prompts === 'object' &&
    Array.isArray(v.variables);
  if (looksChecked) return { flow: v as FlowDocument, problems: [] };
  // The full check needs zod, which the page loads only here (and for autosave and paste).
  try {
    const { parseFlowObject } = await import('../../compiler/flow/load');
    return parseFlowObject(value);
  } catch (e) {
    return {
      flow: null,
      problems: [{ severity: 'error', code: 'FLOW399', message: `could not load the flow check: ${describe(e)}` }],
    };
  }
}

async function openPath(ctx: ActionContext, api: NonNullable<ActionContext['api']>, path: string): Promise<void> {
  let value: unknown;
  let modified: number | null = null;
  try {
    const opened = await api.openFlow(path);
    value = opened.flow;
    modified = modifiedMs(opened.modified);
  } catch (e) {
    error(ctx, `could not open ${path}: ${describe(e)}`);
    return;
  }
  const { flow, problems } = await checkedFlow(value);
  if (!flow) {
    error(
      ctx,
      `${path} is not a flow: ${problems
        .slice(0, 3)
        .map((p) => formatProblem(p))
        .join('; ')}`,
    );
    return;
  }
  ctx.flow.getState().load(flow, path);
  // Cleared at once: an offer for the previous file must not outlive it while this one's is read.
  if (ctx.ui.getState().recovery) ctx.ui.getState().set({ recovery: null });
  // At once and without animation: the first frame of the new flow is already the fitted view.
  ctx.canvas?.fitView({ instant: true });
  const record = ctx.storage ? await readAutosave(ctx.storage, path) : null;
  // Another file may have been opened while the autosave was read (and its check loaded).
  if (ctx.flow.getState().path !== path) return;
  ctx.ui.getState().set({ recovery: shouldOfferRecovery(record, flow, modified) ? record : null });
}

export const recover: Action = {
  name: 'recover',
  label: 'Recover unsaved changes',
  perform(ctx) {
    const record = ctx.ui.getState().recovery;
    if (!record) return;
    const s = ctx.flow.getState();
    // Recovered work is unsaved work: keep the file as the saved version, so the title shows "•".
    const saved = s.savedDoc;
    s.load(record.doc, s.path);
    ctx.flow.setState({ savedDoc: saved });
    ctx.ui.getState().set({ recovery: null });
  },
};

export const discardRecovery: Action = {
  name: 'discardRecovery',
  label: 'Discard unsaved changes',
  perform(ctx) {
    if (ctx.storage) clearAutosave(ctx.storage, ctx.flow.getState().path);
    ctx.ui.getState().set({ recovery: null });
  },
};

export const exportSppr: Action = {
  name: 'exportSppr',
  label: 'Export .sppr',
  perform(ctx) {
    const doc = ctx.flow.getState().doc;
    const compiled = selectCgpl(doc);
    if (!compiled.ok) return error(ctx, `cannot export: ${compiled.error}`);
    // A string Blob is UTF-8 without a BOM: the same bytes the CLI writes.
    ctx.download(`${doc.name}.sppr`, new Blob([compiled.value.text], { type: 'text/plain;charset=utf-8' }));
  },
};

export const exportJs: Action = {
  name: 'exportJs',
  label: 'Export JS module',
  perform(ctx) {
    const doc = ctx.flow.getState().doc;
    const compiled = selectJs(doc);
    if (!compiled.ok) return error(ctx, `cannot export: ${compiled.error}`);
    ctx.download(`${doc.name}.mjs`, new Blob([compiled.value.text], { type: 'text/javascript;charset=utf-8' }));
  },
};

export const exportTar: Action = {
  name: 'exportTar',
  label: 'Export environment .tar',
  async perform(ctx) {
    const api = needApi(ctx);
    if (!api) return;
    const { doc, path } = ctx.flow.getState();
    if (path === null) return error(ctx, 'save the flow first: prompt files are found next to the flow file');
    const compiled = selectCgpl(doc);
    if (!compiled.ok) return error(ctx, `cannot export: ${compiled.error}`);
    try {
      ctx.download(`${doc.name}.tar`, await api.exportTar(doc, path));
    } catch (e) {
      error(ctx, `export failed: ${describe(e)}`);
    }
  },
};
