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
  selection: Selection;
}

export interface FlowActions {
  /** A tracked change. Changes with the same `group` within GROUP_MS make one undo step. */
  change(recipe: (doc: FlowDocument) => FlowDocument, group?: string): void;
  /** Replaces the document (open, new, recover): clears history. */
  load(doc: FlowDocument, path: string | null, saved?: boolean): void;
  markSaved(path: string | null, doc?: FlowDocument): void;
  select(selection: Selection): void;
  beginDrag(): void;
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

        load(doc, path, saved = true) {
          lastGroup = null;
          set({ doc, path, savedDoc: saved ? doc : null, selection: EMPTY_SELECTION });
          store.temporal.getState().clear();
        },

        markSaved(path, doc) {
          set({ path, savedDoc: doc ?? get().doc });
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

        undo() {
          lastGroup = null;
          store.temporal.getState().undo();
        },

        redo() {
          lastGroup = null;
          store.temporal.getState().redo();
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
