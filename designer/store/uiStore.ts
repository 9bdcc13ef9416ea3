// View state that is not part of the document: open panels, dialogs, messages, the recovery offer.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AutosaveRecord } from './autosave';

export type LeftTab = 'palette' | 'files' | 'prompts' | 'search';
export type RightTab = 'inspector' | 'phone' | 'outbox';
export type BottomTab = 'problems' | 'cgpl' | 'js' | 'trace';
export type Dialog = null | 'shortcuts' | 'saveAs' | 'open';

export interface ModalButton {
  id: string;
  label: string;
  primary?: boolean;
  danger?: boolean;
}

/** An in-app dialog waiting for an answer (window.prompt/confirm do not exist in Electron). */
export type ModalRequest =
  | { kind: 'choose'; title: string; message: string; buttons: ModalButton[]; resolve(id: string | null): void }
  | {
      kind: 'ask';
      title: string;
      message: string;
      label: string;
      initial: string;
      okLabel: string;
      /** A warning about the value typed so far (e.g. "exists: saving asks to replace it"). */
      hint?: (value: string) => string | null;
      resolve(value: string | null): void;
    };

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
  /** The dialog shown; more wait in `modalQueue`. */
  modal: ModalRequest | null;
  modalQueue: ModalRequest[];
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
    modal: null,
    modalQueue: [],
    findRequest: 0,
    opening: null,
    set: (patch) => set(patch),
    notify(text, kind = 'info') {
      const toast = { id: next++, text, kind };
      // The same message again replaces the old one instead of stacking up.
      set({
        toasts: [
          ...get()
            .toasts.filter((t) => t.text !== text)
            .slice(-2),
          toast,
        ],
      });
      if (typeof window !== 'undefined')
        window.setTimeout(() => get().dismiss(toast.id), kind === 'error' ? 8000 : 3500);
    },
    dismiss: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
  }));
}

/** Shows a dialog (after the ones already open) and resolves with its answer. */
function enqueue<T>(ui: UiStore, make: (resolve: (value: T) => void) => ModalRequest): Promise<T> {
  return new Promise<T>((resolve) => {
    const request = make((value) => {
      const { modalQueue } = ui.getState();
      ui.setState({ modal: modalQueue[0] ?? null, modalQueue: modalQueue.slice(1) });
      resolve(value);
    });
    const { modal, modalQueue } = ui.getState();
    if (modal) ui.setState({ modalQueue: [...modalQueue, request] });
    else ui.setState({ modal: request });
  });
}

/** @example await choose(ui, { title: 'Replace?', message: '…', buttons: [{ id: 'replace', label: 'Replace' }] }) */
export function choose(
  ui: UiStore,
  o: { title: string; message: string; buttons: ModalButton[] },
): Promise<string | null> {
  return enqueue<string | null>(ui, (resolve) => ({ kind: 'choose', ...o, resolve }));
}

export function ask(
  ui: UiStore,
  o: {
    title: string;
    message: string;
    label: string;
    initial: string;
    okLabel?: string;
    hint?: (v: string) => string | null;
  },
): Promise<string | null> {
  return enqueue<string | null>(ui, (resolve) => ({ kind: 'ask', okLabel: 'OK', ...o, resolve }));
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
