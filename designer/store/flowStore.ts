// The designer's document store: the FlowDocument is the single source of truth; undo/redo (zundo)
// tracks only the document. A node drag is one undo step, and typing in one inspector field is one.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { temporal, type TemporalState } from 'zundo';
import { FLOW_FORMAT } from '../../compiler/flow/model';
import type { FlowDocument } from '../../compiler/flow/schema';
import { EMPTY_SELECTION, type Selection, type XY, movePositions } from './docOps';

export interface FlowState {
  doc: FlowDocument;
  /** Workspace-relative path of the file, or null for a flow never saved. */
  path: string | null;
  /** The document as last loaded or saved: dirty = doc !== savedDoc. */
  savedDoc: FlowDocument | null;
  /** The server's version of the file as loaded or last saved: a save is based on it (If-Match). */
  version: string | null;
  /**
   * A flow never saved has a draft: its prompts are generated or imported into the server's draft
   * folder, and move beside the flow on its first save (draftPath).
   */
  draft: string | null;
  selection: Selection;
}

export interface LoadOptions {
  /** false: the loaded document counts as unsaved (recovered work). Default true. */
  saved?: boolean;
  version?: string | null;
  draft?: string | null;
}

export interface FlowActions {
  /** A tracked change. Changes with the same `group` within GROUP_MS make one undo step. */
  change(recipe: (doc: FlowDocument) => FlowDocument, group?: string): void;
  /** Replaces the document (open, new, recover): clears history. */
  load(doc: FlowDocument, path: string | null, options?: LoadOptions): void;
  markSaved(path: string | null, doc?: FlowDocument, version?: string | null): void;
  select(selection: Selection): void;
  beginDrag(): void;
  /** A drag is under way (its moves are not undo steps yet). */
  dragging(): boolean;
  dragTo(positions: Record<string, XY>): void;
  endDrag(positions?: Record<string, XY>): void;
  undo(): void;
  redo(): void;
}

export type FlowStoreState = FlowState & FlowActions;
type Tracked = { doc: FlowDocument };
export type FlowStore = StoreApi<FlowStoreState> & { temporal: StoreApi<TemporalState<Tracked>> };

export const GROUP_MS = 1500;

export function emptyFlow(name = 'untitled'): FlowDocument {
  return {
    format: FLOW_FORMAT,
    name,
    description: '',
    languages: ['english'],
    defaultLanguage: 'english',
    prompts: {},
    variables: [],
    nodes: [{ id: 'start', type: 'start', position: { x: 250, y: 0 }, data: { label: 'Answer' } }],
    edges: [],
    notes: [],
    environment: {
      domain: 'company.com',
      defaultAccount: '',
      timeZone: '',
      accounts: [],
      groups: [],
      aliases: {},
      parties: {},
    },
  };
}

export interface FlowStoreOptions {
  doc?: FlowDocument;
  path?: string | null;
  /** The clock for grouping edits (tests pass a fake one). */
  now?: () => number;
  historyLimit?: number;
}

/**
 * @example
 *   const store = createFlowStore({ doc: flow, path: 'callback/flow.json' });
 *   store.getState().change((d) => addNode(d, 'play', { x: 0, y: 0 }).doc);
 *   store.getState().undo();
 */
export function createFlowStore(options: FlowStoreOptions = {}): FlowStore {
  const now = options.now ?? (() => Date.now());
  let lastGroup: { key: string; at: number } | null = null;
  let dragStart: FlowDocument | null = null;

  const initial = options.doc ?? emptyFlow();
  const store = createStore<FlowStoreState>()(
    temporal(
      (set, get) => ({
        doc: initial,
        path: options.path ?? null,
        savedDoc: initial,
        version: null,
        draft: options.path ? null : newDraftId(),
        selection: EMPTY_SELECTION,

        change(recipe, group) {
          const before = get().doc;
          const after = recipe(before);
          if (after === before) return;
          const t = now();
          const history = store.temporal.getState();
          const joins = group !== undefined && lastGroup?.key === group && t - lastGroup.at < GROUP_MS;
          lastGroup = group === undefined ? null : { key: group, at: t };
          if (joins && history.isTracking) {
            history.pause();
            set({ doc: after });
            history.resume();
          } else {
            set({ doc: after });
          }
        },

        load(doc, path, { saved = true, version = null, draft } = {}) {
          lastGroup = null;
          set({
            doc,
            path,
            savedDoc: saved ? doc : null,
            version,
            draft: path ? null : (draft ?? newDraftId()),
            selection: EMPTY_SELECTION,
          });
          store.temporal.getState().clear();
        },

        markSaved(path, doc, version) {
          set({ path, savedDoc: doc ?? get().doc, version: version ?? null, draft: path ? null : get().draft });
        },

        select(selection) {
          set({ selection });
        },

        beginDrag() {
          if (dragStart) return;
          dragStart = get().doc;
          lastGroup = null;
          store.temporal.getState().pause();
        },

        dragging: () => dragStart !== null,

        dragTo(positions) {
          set({ doc: movePositions(get().doc, positions) });
        },

        endDrag(positions) {
          if (positions) set({ doc: movePositions(get().doc, positions) });
          const before = dragStart;
          dragStart = null;
          const history = store.temporal.getState();
          history.resume();
          // The whole drag is one step: the document as it was before the first move.
          if (before && before !== get().doc) {
            store.temporal.setState({ pastStates: [...history.pastStates, { doc: before }], futureStates: [] });
          }
        },

        // The selection keeps only what still exists: undoing an added node must not leave it selected.
        undo() {
          lastGroup = null;
          store.temporal.getState().undo();
          set({ selection: pruneSelection(get().doc, get().selection) });
        },

        redo() {
          lastGroup = null;
          store.temporal.getState().redo();
          set({ selection: pruneSelection(get().doc, get().selection) });
        },
      }),
      {
        partialize: (s): Tracked => ({ doc: s.doc }),
        equality: (a, b) => a.doc === b.doc,
        limit: options.historyLimit ?? 200,
      },
    ),
  ) as FlowStore;
  return store;
}

export function isDirty(s: FlowState): boolean {
  return s.doc !== s.savedDoc;
}

/** The path the server knows an unsaved flow by: prompts and autosaves of a draft live there. */
export function draftPath(draft: string): string {
  return `.ivr-studio/drafts/${draft}/flow.json`;
}

/** Where the flow's prompts are (its file, or its draft's folder), for the server's prompt routes. */
export function promptHome(s: Pick<FlowState, 'path' | 'draft'>): string | null {
  return s.path ?? (s.draft ? draftPath(s.draft) : null);
}

export function newDraftId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `d${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

function pruneSelection(doc: FlowDocument, sel: Selection): Selection {
  const nodes = new Set(doc.nodes.map((n) => n.id));
  const edges = new Set(doc.edges.map((e) => e.id));
  const notes = new Set(doc.notes.map((n) => n.id));
  const next = {
    nodes: sel.nodes.filter((id) => nodes.has(id)),
    edges: sel.edges.filter((id) => edges.has(id)),
    notes: sel.notes.filter((id) => notes.has(id)),
  };
  return next.nodes.length === sel.nodes.length &&
    next.edges.length === sel.edges.length &&
    next.notes.length === sel.notes.length
    ? sel
    : next;
}
