// View state that is not part of the document: open panels, dialogs, messages, the recovery offer.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AutosaveRecord } from './autosave';

export type LeftTab = 'palette' | 'files' | 'prompts' | 'search';
export type RightTab = 'inspector' | 'phone' | 'outbox';
export type BottomTab = 'problems' | 'cgpl' | 'js' | 'trace';
export type Dialog = null | 'shortcuts' | 'saveAs' | 'open';

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

export interface UiState {
  leftTab: LeftTab;
  rightTab: RightTab;
  bottomTab: BottomTab;
  bottomOpen: boolean;
  dialog: Dialog;
  toasts: Toast[];
  recovery: AutosaveRecord | null;
  /** Bumped by the find action so the search box takes focus. */
  findRequest: number;
  /** The file being opened, until its document is in the flow store (or the open failed). */
  opening: string | null;
  set(patch: Partial<Omit<UiState, 'set' | 'notify' | 'dismiss'>>): void;
  notify(text: string, kind?: Toast['kind']): void;
  dismiss(id: number): void;
}

export type UiStore = StoreApi<UiState>;

export function createUiStore(): UiStore {
  let next = 1;
  return createStore<UiState>()((set, get) => ({
    leftTab: 'palette',
    rightTab: 'inspector',
    bottomTab: 'problems',
    bottomOpen: true,
    dialog: null,
    toasts: [],
    recovery: null,
    findRequest: 0,
    opening: null,
    set: (patch) => set(patch),
    notify(text, kind = 'info') {
      const toast = { id: next++, text, kind };
      set({ toasts: [...get().toasts.slice(-3), toast] });
      if (typeof window !== 'undefined')
        window.setTimeout(() => get().dismiss(toast.id), kind === 'error' ? 8000 : 3500);
    },
    dismiss: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
  }));
}

/** Resolves once no file is being opened (at once when none is): actions that act on "the file"
 * wait here instead of seeing the empty flow the page starts with. */
export function whenOpened(ui: UiStore): Promise<void> {
  if (ui.getState().opening === null) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = ui.subscribe((s) => {
      if (s.opening !== null) return;
      stop();
      resolve();
    });
  });
}
