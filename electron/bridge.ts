// The desktop bridge as the page sees it: `window.ivrDesktop` (set by electron/preload.ts) — absent in
// a plain browser. The designer imports these TYPES only (`import type`), never this module's code.

/** What the shell needs to know about the open document: the window title, recent files, the close prompt. */
export interface DocumentState {
  /** The flow's name (doc.name). */
  name: string;
  /** Workspace-relative path of the saved file; null while the flow was never saved. */
  path: string | null;
  /** Unsaved changes. */
  dirty: boolean;
}

export interface IvrDesktopBridge {
  readonly isDesktop: true;
  /** process.platform of the shell: 'darwin', 'win32', 'linux'. */
  readonly platform: string;
  /** The native Open dialog in the workspace; the chosen workspace-relative path, or null (cancelled or outside the workspace). */
  chooseFlowToOpen(): Promise<string | null>;
  /** The native Save dialog; `suggested` is workspace-relative; answers a workspace-relative path or null. */
  chooseSavePath(suggested: string): Promise<string | null>;
  /** Call on every change of name, path or dirty: the shell keeps the title and the recent list. */
  documentChanged(state: DocumentState): void;
  /** Recently opened files, newest first (workspace-relative). */
  recentFiles(): Promise<string[]>;
}

declare global {
  interface Window {
    ivrDesktop?: IvrDesktopBridge;
  }
}
