// Every user action is a named command: the toolbar, the keyboard, the Electron menu and the tests all
// go through the same objects.
import type { FlowStore } from '../store/flowStore';
import type { UiStore } from '../store/uiStore';
import type { CallStore } from '../call/callStore';
import type { ApiClient } from '../api/client';
import type { AutosavePort } from '../store/autosave';
import type { PrefsStore } from '../store/prefs';
import type { ModalButton } from '../store/uiStore';
import type { XY } from '../store/docOps';
import type { Size } from '../layout/sizes';

/** The system clipboard, or an in-memory stand-in. */
export interface ClipboardPort {
  writeText(text: string): Promise<void>;
  readText(): Promise<string>;
}

/** What the canvas offers actions (absent in tests and before the canvas mounts). */
export interface CanvasPort {
  /**
   * Fits every node of the document (rendered or not); instant = no animation (opening a file);
   * readable = the opening view (the whole flow only if it fits at 100 %, else 100 % at the start node).
   */
  fitView(options?: { instant?: boolean; readable?: boolean }): void;
  centreOn(nodeId: string): void;
  /** The flow position at the middle of the visible canvas. */
  viewportCentre(): XY;
  nodeSizes(): Record<string, Size>;
  /** Zooms about the middle of the canvas to this zoom (clamped to the canvas's range). */
  zoomTo(zoom: number): void;
  getZoom(): number;
}

/** Starts and drives simulated calls (the WebSocket session). */
export interface CallPort {
  start(): Promise<void>;
  send(type: 'call.hangup' | 'call.pause' | 'call.continue' | 'call.step'): void;
  dtmf(digits: string): void;
  syncBreakpoints(): void;
}

export interface ActionContext {
  flow: FlowStore;
  ui: UiStore;
  call: CallStore;
  api: ApiClient | null;
  clipboard: ClipboardPort;
  /** The page's own small memory (localStorage; per port): the deploy form's last server and user. */
  storage: { getItem(key: string): string | null; setItem(key: string, value: string): void } | null;
  /** Panel sizes, theme, minimap (absent in tests). */
  prefs?: PrefsStore;
  /** Where unsaved work is kept (the server's autosave API in the page). */
  autosave: AutosavePort | null;
  canvas: CanvasPort | null;
  calls: CallPort | null;
  download(name: string, data: Blob): void;
  /** Asks for a workspace path to save to (the native Save dialog in Electron); null = cancelled. */
  ask(question: string, initial: string): MaybePromise<string | null>;
  /** `yes`: the confirming button's label (default "OK"). */
  confirm(question: string, yes?: string): MaybePromise<boolean>;
  /** A question with buttons (the in-app dialog): the chosen button's id, or null when dismissed. */
  choose(o: { title: string; message: string; buttons: ModalButton[] }): MaybePromise<string | null>;
}

export type MaybePromise<T> = T | Promise<T>;

export interface Action<A = void> {
  name: string;
  label: string;
  /** Shown in menus and the cheat-sheet, e.g. "Mod+Shift+S" (Mod = Ctrl, or Cmd on macOS). */
  shortcut?: string;
  /** Extra shortcuts that do the same (Ctrl+Y for redo). */
  alsoShortcuts?: string[];
  /** Whether the action makes sense now (greyed out otherwise). */
  enabled?(ctx: ActionContext): boolean;
  perform(ctx: ActionContext, arg: A): void | Promise<void>;
}

/** The in-memory clipboard used when the page may not read the system one. */
export function memoryClipboard(): ClipboardPort {
  let text = '';
  return {
    writeText: async (t) => {
      text = t;
    },
    readText: async () => text,
  };
}
