// The page's stores and ports, given to components through one React context.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ActionContext } from '../actions/types';
import type { FlowStoreState } from '../store/flowStore';
import type { UiState } from '../store/uiStore';
import type { CallState } from '../call/callStore';
import { problemsOf, type ProblemsState } from '../store/problems';

export const AppContext = createContext<ActionContext | null>(null);

export function useApp(): ActionContext {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside <AppContext.Provider>');
  return ctx;
}

export function useFlow<T>(selector: (s: FlowStoreState) => T): T {
  return useStore(useApp().flow, selector);
}

export function useUi<T>(selector: (s: UiState) => T): T {
  return useStore(useApp().ui, selector);
}

export function useCall<T>(selector: (s: CallState) => T): T {
  return useStore(useApp().call, selector);
}

export function useHistory(): { canUndo: boolean; canRedo: boolean } {
  const t = useApp().flow.temporal;
  const canUndo = useStore(t, (s) => s.pastStates.length > 0);
  const canRedo = useStore(t, (s) => s.futureStates.length > 0);
  return { canUndo, canRedo };
}

/** The problems the page shows (store/problems.ts: a big flow is checked after it is drawn). */
export function useProblems<T>(selector: (s: ProblemsState) => T): T {
  return useStore(problemsOf(useApp().flow), selector);
}
