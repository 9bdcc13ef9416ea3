// Files and exports: open, new, save, save as, callback.sppr, the environment .tar, the JS module.
import type { LoadResult } from '../../compiler/flow/load';
import { FLOW_FORMAT } from '../../compiler/flow/model';
import type { FlowDocument } from '../../compiler/flow/schema';
import { formatProblem } from '../../compiler/flow/problems';
import { ApiError, modifiedMs, type Conflict, type WriteOptions } from '../api/client';
import { draftOfPath, shouldOfferRecovery } from '../store/autosave';
import { selectCgpl, selectJs } from '../store/derived';
import { emptyFlow, isDirty, promptHome } from '../store/flowStore';
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

type SaveMode = 'update' | 'create';

/** Writes the document to `path`: `update` is based on the version opened, `create` must not find a file. */
async function writeTo(
  ctx: ActionContext,
  path: string,
  mode: SaveMode,
  force: string | null = null,
): Promise<boolean> {
  const api = needApi(ctx);
  if (!api) return false;
  const s = ctx.flow.getState();
  const doc = s.doc;
  const options: WriteOptions = {
    draft: s.path === null ? s.draft : null,
    from: s.path !== null && s.path !== path ? s.path : null,
  };
  if (force !== null) options.ifMatch = force;
  else if (mode === 'update' && s.version) options.ifMatch = s.version;
  else if (mode === 'create') options.create = true;
  let written: Awaited<ReturnType<typeof api.writeFile>>;
  try {
    written = await api.writeFile(path, doc, options);
  } catch (e) {
    if (e instanceof ApiError && e.status === 409 && e.conflict)
      return resolveConflict(ctx, path, e.conflict, e.message);
    error(ctx, `could not save ${path}: ${describe(e)}`);
    return false;
  }
  const before = promptHome(s);
  ctx.flow.getState().markSaved(path, doc, written.version ?? null);
  if (ctx.autosave) {
    void ctx.autosave.clear(path);
    if (before && before !== path) void ctx.autosave.clear(before);
  }
  info(ctx, `saved ${path}`);
  return true;
}

/** The file on disk is not the one this save was based on: the user says what to do (never silently). */
async function resolveConflict(
  ctx: ActionContext,
  path: string,
  conflict: Conflict,
  message: string,
): Promise<boolean> {
  const when = conflict.modified ? ` (${new Date(conflict.modified).toLocaleString()})` : '';
  // The folder's pbx.json holds its accounts; the flow's environment is saved there (server pbxSplit).
  const file = conflict.file ?? path;
  const pbx = file !== path;
  if (conflict.reason === 'exists') {
    const answer = await ctx.choose({
      title: pbx ? "Replace the folder's accounts?" : 'Replace the existing flow?',
      message: pbx
        ? `${file} already holds other accounts${when}; saving ${path} there replaces them with this flow's.`
        : `${path} already exists in the workspace${when}. Replacing it loses what that file holds now.`,
      buttons: [
        { id: 'replace', label: 'Replace it', danger: true },
        { id: 'saveAs', label: 'Save as…', primary: true },
        { id: 'cancel', label: 'Cancel' },
      ],
    });
    if (answer === 'replace') return writeTo(ctx, path, 'update', conflict.version ?? null);
    // Another name in the same folder would meet the same pbx.json: offer another folder.
    if (answer === 'saveAs') return askAndSave(ctx, pbx ? otherFolder(path) : otherName(path));
    return false;
  }
  if (conflict.reason === 'deleted') {
    const answer = await ctx.choose({
      title: 'The file was deleted',
      message: `${message}. Save your version there again, or under another name?`,
      buttons: [
        { id: 'create', label: 'Save it again', primary: true },
        { id: 'saveAs', label: 'Save as…' },
        { id: 'cancel', label: 'Cancel' },
      ],
    });
    if (answer === 'create') return writeTo(ctx, path, 'create');
    if (answer === 'saveAs') return askAndSave(ctx, otherName(path));
    return false;
  }
  const answer = await ctx.choose({
    title: 'The file changed on disk',
    message: `${file} was saved by another tab or program${when} since you opened ${pbx ? path : 'it'}. Keep whose version?`,
    buttons: [
      { id: 'reload', label: 'Reload theirs (drop my changes)' },
      { id: 'overwrite', label: 'Overwrite with mine', danger: true },
      { id: 'saveAs', label: 'Save mine as…', primary: true },
      { id: 'cancel', label: 'Cancel' },
    ],
  });
  if (answer === 'overwrite') return writeTo(ctx, path, 'update', conflict.version ?? null);
  if (answer === 'saveAs') return askAndSave(ctx, otherName(path));
  if (answer === 'reload') {
    const api = needApi(ctx);
    if (api) await openPath(ctx, api, path);
  }
  return false;
}

/** "callback/flow.json" → "callback/flow-2.json": a name to start from that is not the taken one. */
function otherName(path: string): string {
  return path.replace(/(-(\d+))?\.json$/, (_m, _g, n: string | undefined) => `-${n ? Number(n) + 1 : 2}.json`);
}

/** "autosecretary/flow-2.json" → "autosecretary-2/flow-2.json"; "flow.json" → "flow/flow.json". */
function otherFolder(path: string): string {
  const slash = path.lastIndexOf('/');
  if (slash < 0) return `${path.replace(/\.json$/, '')}/flow.json`;
  const folder = path
    .slice(0, slash)
    .replace(/(-(\d+))?$/, (_m, _g, n: string | undefined) => `-${n ? Number(n) + 1 : 2}`);
  return folder + path.slice(slash);
}

async function askAndSave(ctx: ActionContext, suggested: string, given?: string): Promise<boolean> {
  const answer = given ?? (await ctx.ask('Save the flow as (a path in the workspace):', suggested));
  if (!answer?.trim()) return false;
  const path = normaliseFlowPath(answer);
  return writeTo(ctx, path, path === ctx.flow.getState().path ? 'update' : 'create');
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
    await writeTo(ctx, path, 'update');
  },
};

export const saveAs: Action<{ path?: string } | undefined> = {
  name: 'saveAs',
  label: 'Save as…',
  shortcut: 'Mod+Shift+S',
  async perform(ctx, arg) {
    const s = ctx.flow.getState();
    await askAndSave(ctx, s.path ?? `${s.doc.name}/flow.json`, arg?.path || undefined);
  },
};

/** Asks only when there is something to lose (no await otherwise: open sets `opening` at once). */
function askDiscard(ctx: ActionContext): Promise<boolean> | boolean {
  return ctx.confirm('Discard the unsaved changes to this flow?', 'Discard changes');
}

export const newFlow: Action = {
  name: 'newFlow',
  label: 'New flow',
  async perform(ctx) {
    if (isDirty(ctx.flow.getState()) && !(await askDiscard(ctx))) return;
    ctx.flow.getState().load(emptyFlow(), null);
    ctx.ui.getState().set({ recovery: null });
    ctx.canvas?.fitView({ readable: true });
  },
};

/** A copy of a shipped sample as a new, unsaved flow; its prompts come along (into the draft). */
export const newFromSample: Action<{ sample: string }> = {
  name: 'newFromSample',
  label: 'New from sample',
  async perform(ctx, { sample }) {
    const api = needApi(ctx);
    if (!api || (isDirty(ctx.flow.getState()) && !(await askDiscard(ctx)))) return;
    let draft: Awaited<ReturnType<typeof api.newDraft>>;
    try {
      draft = await api.newDraft(sample);
    } catch (e) {
      return error(ctx, `could not start from the ${sample} sample: ${describe(e)}`);
    }
    const { flow } = await checkedFlow(draft.flow);
    if (!flow) return error(ctx, `the ${sample} sample does not load`);
    ctx.flow.getState().load(flow, null, { draft: draft.id });
    ctx.ui.getState().set({ recovery: null });
    ctx.canvas?.fitView({ instant: true, readable: true });
    info(ctx, `new flow from the ${sample} sample: Save puts it in your workspace`);
  },
};

/** Opens a workspace file; offers recovery when an autosave of it is newer than the file. */
export const open: Action<{ path: string }> = {
  name: 'open',
  label: 'Open…',
  async perform(ctx, { path }) {
    const api = needApi(ctx);
    if (!api) return;
    if (isDirty(ctx.flow.getState()) && !(await askDiscard(ctx))) return;
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
  let version: string | null = null;
  try {
    const opened = await api.openFlow(path);
    value = opened.flow;
    modified = modifiedMs(opened.modified);
    version = opened.version ?? null;
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
  ctx.flow.getState().load(flow, path, { version });
  // Cleared at once: an offer for the previous file must not outlive it while this one's is read.
  if (ctx.ui.getState().recovery) ctx.ui.getState().set({ recovery: null });
  // At once and without animation: the first frame of the new flow is already the fitted view.
  ctx.canvas?.fitView({ instant: true, readable: true });
  const record = ctx.autosave ? await ctx.autosave.read(path) : null;
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
    const draft = draftOfPath(record.path);
    if (draft !== null) {
      // A new flow that was never saved: back as it was, still unsaved, with its draft's prompts.
      s.load(record.doc, null, { saved: false, draft });
    } else {
      // Recovered work is unsaved work: keep the file as the saved version, so the title shows "•".
      const { savedDoc, version } = s;
      s.load(record.doc, s.path, { version });
      ctx.flow.setState({ savedDoc });
    }
    ctx.ui.getState().set({ recovery: null });
    ctx.canvas?.fitView({ instant: true, readable: true });
  },
};

export const discardRecovery: Action = {
  name: 'discardRecovery',
  label: 'Discard unsaved changes',
  perform(ctx) {
    const record = ctx.ui.getState().recovery;
    if (record && ctx.autosave) void ctx.autosave.clear(record.path);
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
    const lines = compiled.value.text.split('\n').length;
    info(ctx, `exported ${doc.name}.sppr (${lines} lines): upload it in CommuniGate's Domain → PBX`);
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
    info(ctx, `exported ${doc.name}.mjs`);
  },
};

export const exportTar: Action = {
  name: 'exportTar',
  label: 'Export environment .tar',
  async perform(ctx) {
    const api = needApi(ctx);
    if (!api) return;
    const s = ctx.flow.getState();
    const { doc } = s;
    // An unsaved flow's prompts are in its draft.
    const path = promptHome(s);
    if (path === null) return error(ctx, 'save the flow first: prompt files are found next to the flow file');
    const compiled = selectCgpl(doc);
    if (!compiled.ok) return error(ctx, `cannot export: ${compiled.error}`);
    try {
      ctx.download(`${doc.name}.tar`, await api.exportTar(doc, path));
      info(ctx, `exported ${doc.name}.tar: upload it in CommuniGate's Domain → PBX`);
    } catch (e) {
      error(ctx, `export failed: ${describe(e)}`);
    }
  },
};
