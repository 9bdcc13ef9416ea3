// What the shell does for the page, as functions of their dependencies: native dialogs mapped to
// workspace paths, the recent-files list, the window title, the unsaved-changes prompt on close.
// main.ts passes Electron's dialog and node:fs in; tests pass fakes.
import { isAbsolute, join, relative, sep } from 'node:path';
import type { DocumentState } from './bridge';
import type { BrowserWindow, Dialog, MessageBoxOptions } from './electronApi';

export const MAX_RECENT = 10;
const FLOW_FILTERS = [{ name: 'IVR Studio flow', extensions: ['json'] }];

// ---- window title -------------------------------------------------------------------------------

/** "callback/flow.json • — IVR Studio": the file (last two path parts) or "name (unsaved)", • for unsaved changes. */
export function formatTitle(state: DocumentState | null): string {
  if (!state) return 'IVR Studio';
  const file = state.path ? state.path.split('/').slice(-2).join('/') : `${state.name} (unsaved)`;
  return `${file}${state.dirty ? ' •' : ''} — IVR Studio`;
}

/** Untrusted input from the page: a DocumentState, or null when it is not one. */
export function parseDocumentState(value: unknown): DocumentState | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.name !== 'string' || v.name.length > 500) return null;
  if (v.path !== null && (typeof v.path !== 'string' || v.path.length > 4096 || !isWorkspaceRelative(v.path)))
    return null;
  if (typeof v.dirty !== 'boolean') return null;
  return { name: v.name, path: v.path as string | null, dirty: v.dirty };
}

/** A path the server accepts: relative, '/'-separated, no '..' part, no NUL. */
export function isWorkspaceRelative(path: string): boolean {
  if (path === '' || path.includes('\0') || path.includes('\\') || path.startsWith('/') || /^[A-Za-z]:/.test(path))
    return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

// ---- workspace paths ----------------------------------------------------------------------------

/** An absolute path chosen in a dialog → the workspace-relative '/' path the server wants, or null when outside. */
export function toWorkspacePath(absolute: string, workspace: string): string | null {
  if (!isAbsolute(absolute)) return null;
  const rel = relative(workspace, absolute);
  if (rel === '' || isAbsolute(rel)) return null;
  const posix = rel.split(sep).join('/');
  return isWorkspaceRelative(posix) ? posix : null;
}

export function ensureJson(path: string): string {
  return path.toLowerCase().endsWith('.json') ? path : `${path}.json`;
}

export interface DialogDeps {
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog' | 'showMessageBox'>;
  window: BrowserWindow;
  workspace: string;
}

function outsideWorkspace(deps: DialogDeps, chosen: string): Promise<unknown> {
  return deps.dialog.showMessageBox(deps.window, {
    type: 'warning',
    message: 'Choose a file inside the workspace folder',
    detail: `IVR Studio works on the flows in ${deps.workspace}; ${chosen} is outside it.`,
  });
}

/** The native Open dialog: a workspace-relative flow path, or null. */
export async function chooseFlowToOpen(deps: DialogDeps): Promise<string | null> {
  const r = await deps.dialog.showOpenDialog(deps.window, {
    title: 'Open flow',
    defaultPath: deps.workspace,
    filters: FLOW_FILTERS,
    properties: ['openFile'],
  });
  const chosen = r.canceled ? undefined : r.filePaths[0];
  if (!chosen) return null;
  const path = toWorkspacePath(chosen, deps.workspace);
  if (path === null) await outsideWorkspace(deps, chosen);
  return path;
}

/** The native Save dialog, starting at `suggested` (workspace-relative): a workspace-relative .json path, or null. */
export async function chooseSavePath(deps: DialogDeps, suggested: string): Promise<string | null> {
  const start = isWorkspaceRelative(suggested) ? join(deps.workspace, ...suggested.split('/')) : deps.workspace;
  const r = await deps.dialog.showSaveDialog(deps.window, {
    title: 'Save flow as',
    defaultPath: start,
    filters: FLOW_FILTERS,
  });
  if (r.canceled || !r.filePath) return null;
  const path = toWorkspacePath(r.filePath, deps.workspace);
  if (path === null) {
    await outsideWorkspace(deps, r.filePath);
    return null;
  }
  return ensureJson(path);
}

// ---- recent files -------------------------------------------------------------------------------

/** `path` first, no duplicates, at most `max`. */
export function addRecent(list: readonly string[], path: string, max = MAX_RECENT): string[] {
  return [path, ...list.filter((p) => p !== path)].slice(0, max);
}

/** The part of node:fs the recent list needs. */
export interface RecentFs {
  readFileSync(path: string, encoding: 'utf8'): string;
  writeFileSync(path: string, data: string): void;
}

export interface RecentFiles {
  list(): string[];
  add(path: string): string[];
  remove(path: string): string[];
  clear(): string[];
}

/**
 * The recent list kept as JSON (`{ "recent": [...] }`) in `file` (userData/recent.json). A missing or
 * damaged file is an empty list; a failed write keeps the list in memory.
 */
export function createRecentFiles(fs: RecentFs, file: string, max = MAX_RECENT): RecentFiles {
  let recent = load();
  function load(): string[] {
    try {
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { recent?: unknown };
      if (!Array.isArray(data.recent)) return [];
      const paths = data.recent.filter((p): p is string => typeof p === 'string' && isWorkspaceRelative(p));
      return [...new Set(paths)].slice(0, max);
    } catch {
      return [];
    }
  }
  function save(next: string[]): string[] {
    recent = next;
    try {
      fs.writeFileSync(file, JSON.stringify({ recent }, null, 2) + '\n');
    } catch {
      /* a read-only profile: the list still works for this run */
    }
    return [...recent];
  }
  return {
    list: () => [...recent],
    add: (path) => (isWorkspaceRelative(path) ? save(addRecent(recent, path, max)) : [...recent]),
    remove: (path) => save(recent.filter((p) => p !== path)),
    clear: () => save([]),
  };
}

// ---- closing with unsaved changes ---------------------------------------------------------------

export type CloseDecision = 'save' | 'discard' | 'cancel';

const CLOSE_BUTTONS = ['Save', "Don't Save", 'Cancel'] as const;

export function closeDialogOptions(state: DocumentState | null): MessageBoxOptions {
  const what = state?.path ?? (state ? `“${state.name}”` : 'this flow');
  return {
    type: 'warning',
    title: 'Unsaved changes',
    message: `Save the changes to ${what}?`,
    detail: 'Your changes will be lost if you don’t save them.',
    buttons: [...CLOSE_BUTTONS],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
  };
}

/** The button index the message box answered → what to do. Anything unexpected (Esc, a closed box) cancels. */
export function closeDecision(response: number): CloseDecision {
  if (response === 0) return 'save';
  if (response === 1) return 'discard';
  return 'cancel';
}

/** After a save started from the close prompt: close only when the flow really is saved now. */
export function closeAfterSave(stateAfterSave: DocumentState | null): boolean {
  return stateAfterSave !== null && !stateAfterSave.dirty;
}
