// The part of Electron's API the shell uses, as structural types. main.ts and preload.ts get the real
// module with require('electron') and view it through these, so `tsc --noEmit` is clean whether or not
// the electron package (whose binary download fails on some machines) is installed.
import type { KeyInput } from './menu';

export interface MenuItemTemplate {
  id?: string;
  label?: string;
  role?:
    | 'undo'
    | 'redo'
    | 'cut'
    | 'copy'
    | 'paste'
    | 'selectAll'
    | 'zoomIn'
    | 'zoomOut'
    | 'resetZoom'
    | 'togglefullscreen'
    | 'quit'
    | 'about'
    | 'hide'
    | 'hideOthers'
    | 'unhide'
    | 'services'
    | 'appMenu'
    | 'fileMenu'
    | 'editMenu'
    | 'viewMenu'
    | 'windowMenu'
    | 'minimize'
    | 'close'
    | 'toggleDevTools'
    | 'reload';
  type?: 'normal' | 'separator' | 'submenu';
  accelerator?: string;
  enabled?: boolean;
  submenu?: MenuItemTemplate[];
  click?: () => void;
}

export interface WebPreferences {
  preload: string;
  contextIsolation: boolean;
  sandbox: boolean;
  nodeIntegration: boolean;
  nodeIntegrationInWorker: boolean;
  nodeIntegrationInSubFrames: boolean;
  webSecurity: boolean;
  allowRunningInsecureContent: boolean;
  webviewTag: boolean;
  spellcheck: boolean;
  navigateOnDragDrop: boolean;
}

export interface BrowserWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  title: string;
  show: boolean;
  backgroundColor: string;
  webPreferences: WebPreferences;
}

export interface ElectronEvent {
  preventDefault(): void;
}

export interface HeadersDetails {
  url: string;
  responseHeaders?: Record<string, string[]>;
}

export interface DownloadItem {
  getFilename(): string;
  getSavePath(): string;
  once(event: 'done', listener: (event: ElectronEvent, state: 'completed' | 'cancelled' | 'interrupted') => void): void;
  setSaveDialogOptions(options: { defaultPath?: string; title?: string }): void;
}

export interface Session {
  webRequest: {
    onHeadersReceived(
      listener: (
        details: HeadersDetails,
        callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
      ) => void,
    ): void;
  };
  setPermissionRequestHandler(
    handler: (
      webContents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: { requestingUrl?: string },
    ) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (webContents: unknown, permission: string, requestingOrigin: string) => boolean,
  ): void;
  on(event: 'will-download', listener: (event: ElectronEvent, item: DownloadItem) => void): void;
}

export interface WebContents {
  session: Session;
  send(channel: string, ...args: unknown[]): void;
  executeJavaScript(code: string): Promise<unknown>;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: ElectronEvent, url: string) => void): void;
  on(event: 'will-attach-webview', listener: (event: ElectronEvent) => void): void;
  on(event: 'will-prevent-unload', listener: (event: ElectronEvent) => void): void;
  on(event: 'before-input-event', listener: (event: ElectronEvent, input: KeyInput) => void): void;
  undo(): void;
  redo(): void;
  cut(): void;
  copy(): void;
  paste(): void;
  selectAll(): void;
}

export interface BrowserWindow {
  webContents: WebContents;
  loadURL(url: string): Promise<void>;
  setTitle(title: string): void;
  setDocumentEdited(edited: boolean): void;
  setRepresentedFilename(path: string): void;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  close(): void;
  on(event: 'ready-to-show' | 'closed', listener: () => void): void;
  on(event: 'page-title-updated', listener: (event: ElectronEvent, title: string) => void): void;
}

export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface Dialog {
  showOpenDialog(
    window: BrowserWindow,
    options: {
      title?: string;
      defaultPath?: string;
      filters?: FileFilter[];
      properties?: Array<'openFile' | 'openDirectory'>;
    },
  ): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(
    window: BrowserWindow,
    options: {
      title?: string;
      defaultPath?: string;
      filters?: FileFilter[];
    },
  ): Promise<{ canceled: boolean; filePath?: string }>;
  showMessageBox(window: BrowserWindow, options: MessageBoxOptions): Promise<{ response: number }>;
  showMessageBoxSync(window: BrowserWindow, options: MessageBoxOptions): number;
  showErrorBox(title: string, content: string): void;
}

export interface MessageBoxOptions {
  type?: 'none' | 'info' | 'error' | 'question' | 'warning';
  title?: string;
  message: string;
  detail?: string;
  buttons?: string[];
  defaultId?: number;
  cancelId?: number;
  noLink?: boolean;
}

export interface IpcMainInvokeEvent {
  senderFrame: { url: string } | null;
}

export interface App {
  isPackaged: boolean;
  name: string;
  requestSingleInstanceLock(): boolean;
  quit(): void;
  exit(code?: number): void;
  whenReady(): Promise<void>;
  getPath(name: 'userData' | 'documents' | 'home'): string;
  getVersion(): string;
  setName(name: string): void;
  on(event: 'second-instance' | 'window-all-closed' | 'activate', listener: () => void): void;
  on(event: 'before-quit', listener: (event: ElectronEvent) => void): void;
  on(event: 'web-contents-created', listener: (event: ElectronEvent, contents: WebContents) => void): void;
}

/** require('electron') in the main process. */
export interface ElectronMain {
  app: App;
  BrowserWindow: new (options: BrowserWindowOptions) => BrowserWindow;
  Menu: {
    buildFromTemplate(template: MenuItemTemplate[]): unknown;
    setApplicationMenu(menu: unknown): void;
  };
  dialog: Dialog;
  ipcMain: {
    handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
    on(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => void): void;
  };
  shell: { openExternal(url: string): Promise<void> };
}

/** require('electron') in a sandboxed preload. */
export interface ElectronPreload {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    send(channel: string, ...args: unknown[]): void;
    on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
  };
  webFrame: { executeJavaScript(code: string): Promise<unknown> };
}
