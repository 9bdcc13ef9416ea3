// The problems the page shows: the validator's list for the document, kept in a small store beside
// the flow store. A small flow is checked at once, on every change, so panels and nodes always show
// the current list. A big flow (DEFER_ABOVE nodes) is checked after the page has painted the change:
// opening a 1,000-node flow draws it first and lists its problems a moment later, and typing in the
// inspector of a big flow does not wait for the whole flow to be checked on every key. Moves never
// re-check (derived.ts carries the list over to a document that differs only in positions).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { FlowDocument } from '../../compiler/flow/schema';
import type { Problem } from '../../compiler/flow/problems';
import { selectErrorCounts, selectProblems } from './derived';
import type { FlowStore } from './flowStore';

export interface ProblemsState {
  problems: readonly Problem[];
  /** Errors per node id. */
  errors: ReadonlyMap<string, number>;
  /** True until the flow has been checked once (a big flow just opened): "checking…". */
  pending: boolean;
}

export const DEFER_ABOVE = 200;

const NONE: ProblemsState = { problems: [], errors: new Map(), pending: true };
const stores = new WeakMap<FlowStore, StoreApi<ProblemsState>>();

function checked(doc: FlowDocument): ProblemsState {
  return { problems: selectProblems(doc), errors: selectErrorCounts(doc), pending: false };
}

const immediate = (doc: FlowDocument) => doc.nodes.length <= DEFER_ABOVE || selectProblems.peek(doc) !== undefined;

/** After the next paint in a page; on the next turn elsewhere (tests). */
function afterPaint(run: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(run, 0));
  else setTimeout(run, 0);
}

/** The problems store of a flow store (made on first use, one per flow store). */
export function problemsOf(flow: FlowStore): StoreApi<ProblemsState> {
  const known = stores.get(flow);
  if (known) return known;
  const first = flow.getState().doc;
  const store = createStore<ProblemsState>(() => (immediate(first) ? checked(first) : NONE));
  let waiting = !immediate(first);
  const run = () => {
    waiting = false;
    store.setState(checked(flow.getState().doc)); // the latest document: changes meanwhile coalesce
  };
  if (waiting) afterPaint(run);
  flow.subscribe((s, prev) => {
    if (s.doc === prev.doc) return;
    if (immediate(s.doc)) {
      store.setState(checked(s.doc));
    } else if (!waiting) {
      waiting = true;
      afterPaint(run);
    }
  });
  stores.set(flow, store);
  return store;
}
