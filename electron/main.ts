// The Electron main process: one instance, the local server in-process on 127.0.0.1 (its token), one
// locked-down window on it, the native menu. Only wiring: the designer and the server do the work.
// Bundled to dist/electron/main.mjs by electron/build.ts; `ivr-studio start` launches it.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, startSipService, SAMPLES_DIR, type RunningServer } from '../runtime';
import type { DocumentState } from './bridge';
import { CHANNELS, DESKTOP_COMMANDS as D, isDesktopCommand } from './channels';
import type { BrowserWindow, ElectronMain, IpcMainInvokeEvent } from './electronApi';
import {
  chooseFlowToOpen,
  chooseSavePath,
  closeAfterSave,
  closeDecision,
  closeDialogOptions,
  createRecentFiles,
  formatTitle,
  isWorkspaceRelative,
  parseDocumentState,
  type DialogDeps,
} from './ipc';
import { buildMenuTemplate, interceptedShortcut, textEditCommand } from './menu';
import { DOCUMENT_STATE_SCRIPT, EDITING_TEXT_SCRIPT, runActionScript } from './pageScripts';
import { chooseWorkspace, copyTree, designerDir, startUrl } from './paths';
import { createSipController, type SipController } from './sip';
import {
  contentSecurityPolicy,
  externalUrl,
  isAllowedNavigation,
  isAllowedPermission,
  withCsp,
  windowOptions,
} from './windowOptions';

const {
  app,
  BrowserWindow: Window,
  Menu,
  dialog,
  ipcMain,
  shell,
} = createRequire(import.meta.url)('electron') as ElectronMain;
const HERE = dirname(fileURLToPath(import.meta.url));

let win: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  // No <webview>s, ever: they would escape the window's rules.
  app.on('web-contents-created', (_e, contents) =>
    contents.on('will-attach-webview', (event) => event.preventDefault()),
  );
  app.whenReady().then(start, (e: unknown) => fail(e));
}

function fail(e: unknown): void {
  dialog.showErrorBox('IVR Studio could not start', e instanceof Error ? e.message : String(e));
  app.exit(1);
}

async function start(): Promise<void> {
  const choice = chooseWorkspace({
    env: process.env.IVR_STUDIO_WORKSPACE,
    packaged: app.isPackaged,
    documentsDir: app.getPath('documents'),
    homeDir: app.getPath('home'),
    samplesDir: SAMPLES_DIR,
    exists: fs.existsSync,
  });
  if (choice.seedFrom) copyTree(fs, choice.seedFrom, choice.workspace);
  const workspace = choice.workspace;
  const port = Number(process.env.IVR_STUDIO_PORT ?? 0) || 0;
  const server = await startServer({
    port,
    workspace,
    staticDir: designerDir(HERE, process.env.IVR_STUDIO_DESIGNER_DIR),
    ...(process.env.IVR_STUDIO_OUTBOX ? { outboxDir: process.env.IVR_STUDIO_OUTBOX } : {}),
  }).catch((e: unknown) => {
    throw new Error(`the local server did not start: ${e instanceof Error ? e.message : String(e)}`);
  });
  openWindow(server, fs.realpathSync(workspace));
}

/** The one window: locked down, its document tracked, the menu and the IPC wired, the close guarded. */
function openWindow(server: RunningServer, workspace: string): void {
  const appOrigin = server.url;
  const w = new Window(windowOptions(join(HERE, 'preload.cjs')));
  win = w;
  const wc = w.webContents;
  lockDown(wc, appOrigin);
  const recent = createRecentFiles(fs, join(app.getPath('userData'), 'recent.json'));
  const doc = trackDocument(w, workspace, (path) => {
    recent.add(path);
    menu.update();
  });
  const dialogs: DialogDeps = { dialog, window: w, workspace };
  const sip = createSipController(startSipService, {
    started: (lines) => {
      menu.update();
      void dialog.showMessageBox(w, { type: 'info', message: 'The SIP runtime is running', detail: lines.join('\n') });
    },
    stopped: (error) => {
      menu.update();
      if (error && !w.isDestroyed())
        void dialog.showMessageBox(w, { type: 'error', message: 'The SIP runtime stopped', detail: error });
    },
    log: (line) => process.stdout.write(`sip: ${line}\n`),
  });
  const command = desktopCommands({ w, workspace, dialogs, doc, recent, sip, updateMenu: () => menu.update() });
  const menu = installMenu(w, { recent, sip, command });
  handleIpc(appOrigin, dialogs, recent, doc);
  guardClose(w, doc, () => command(D.save));

  w.on('ready-to-show', () => w.show());
  w.on('closed', () => {
    win = null;
    sip.stop();
    void server.close();
    app.quit();
  });
  app.on('window-all-closed', () => app.quit());

  const firstFile = fs.existsSync(join(workspace, 'callback', 'flow.json')) ? 'callback/flow.json' : null;
  void w.loadURL(startUrl(server.url, server.token, firstFile)).catch((e: unknown) => fail(e));
}

type WebContents = BrowserWindow['webContents'];

/** CSP, permissions, navigation and new windows kept to the app's origin; exports get the Save dialog. */
function lockDown(wc: WebContents, appOrigin: string): void {
  const csp = contentSecurityPolicy(appOrigin);
  wc.session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withCsp(details.responseHeaders, csp) }),
  );
  wc.session.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(isAllowedPermission(permission, details.requestingUrl ?? '', appOrigin)),
  );
  wc.session.setPermissionCheckHandler((_wc, permission, origin) => isAllowedPermission(permission, origin, appOrigin));
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (isAllowedNavigation(url, appOrigin)) return;
    event.preventDefault();
    const external = externalUrl(url);
    if (external) void shell.openExternal(external);
  };
  wc.on('will-navigate', guard);
  wc.on('will-redirect', guard);
  wc.setWindowOpenHandler(({ url }) => {
    const external = isAllowedNavigation(url, appOrigin) ? null : externalUrl(url);
    if (external) void shell.openExternal(external);
    return { action: 'deny' };
  });
  // Exports (the designer's downloads) get the native Save dialog, starting where the last one went.
  let exportDir = app.getPath('documents');
  wc.session.on('will-download', (_e, item) => {
    item.setSaveDialogOptions({ title: 'Export', defaultPath: join(exportDir, item.getFilename()) });
    item.once('done', (_event, result) => {
      if (result === 'completed' && item.getSavePath()) exportDir = dirname(item.getSavePath());
    });
  });
}

interface DocumentTracker {
  current(): DocumentState | null;
  /** Asks the page (null before the designer is up). */
  read(): Promise<DocumentState | null>;
  apply(next: DocumentState | null): void;
}

/** The open document as the title bar shows it; `opened(path)` when another file is opened or saved as. */
function trackDocument(w: BrowserWindow, workspace: string, opened: (path: string) => void): DocumentTracker {
  let state: DocumentState | null = null;
  const tracker: DocumentTracker = {
    current: () => state,
    read: async () =>
      parseDocumentState(await w.webContents.executeJavaScript(DOCUMENT_STATE_SCRIPT).catch(() => null)),
    apply(next) {
      const before = state;
      state = next;
      if (w.isDestroyed()) return;
      w.setTitle(formatTitle(state));
      if (process.platform === 'darwin') {
        w.setDocumentEdited(!!state?.dirty);
        w.setRepresentedFilename(state?.path ? join(workspace, ...state.path.split('/')) : '');
      }
      if (next?.path && next.path !== before?.path) opened(next.path);
    },
  };
  // The designer keeps document.title current; each change is the cue to read its state.
  w.on('page-title-updated', (event) => {
    event.preventDefault();
    void tracker.read().then(tracker.apply);
  });
  return tracker;
}

interface CommandContext {
  w: BrowserWindow;
  workspace: string;
  dialogs: DialogDeps;
  doc: DocumentTracker;
  recent: ReturnType<typeof createRecentFiles>;
  sip: SipController;
  updateMenu(): void;
}

type Command = (name: string, arg?: unknown) => Promise<void>;

/** The shell's own commands (open, save, recent files, SIP, about); anything else goes to the page. */
function desktopCommands(c: CommandContext): Command {
  const wc = c.w.webContents;
  const sendAction = (name: string, arg?: unknown) => wc.send(CHANNELS.runAction, name, arg);
  /** Runs an action in the page and waits for it (the close prompt's save must finish first). */
  const runAndWait = async (name: string, arg?: unknown) => {
    const script = runActionScript(name, arg);
    if (script) await wc.executeJavaScript(script).catch(() => false);
  };
  async function saveAs(): Promise<void> {
    const s = await c.doc.read();
    if (!s) return;
    const path = await chooseSavePath(c.dialogs, s.path ?? `${s.name}/flow.json`);
    if (path) await runAndWait('saveAs', { path });
  }
  async function startSip(): Promise<void> {
    const s = await c.doc.read();
    if (!s?.path) {
      void dialog.showMessageBox(c.w, {
        type: 'info',
        message: 'Save the flow first',
        detail: 'The SIP runtime answers calls with the saved flow file.',
      });
      return;
    }
    c.sip.start(join(c.workspace, ...s.path.split('/')), join(c.workspace, '.outbox'));
    c.updateMenu();
  }
  async function command(name: string, arg?: unknown): Promise<void> {
    switch (name) {
      case D.open: {
        const path = await chooseFlowToOpen(c.dialogs);
        if (path) sendAction('open', { path });
        return;
      }
      case D.openRecent:
        if (typeof arg === 'string' && isWorkspaceRelative(arg)) sendAction('open', { path: arg });
        return;
      case D.clearRecent:
        c.recent.clear();
        return c.updateMenu();
      case D.save: {
        const s = await c.doc.read();
        if (s && s.path === null) return saveAs();
        return runAndWait('save');
      }
      case D.saveAs:
        return saveAs();
      case D.startSip:
        return startSip();
      case D.stopSip:
        return c.sip.stop();
      case D.about:
        void dialog.showMessageBox(c.w, {
          type: 'info',
          message: `IVR Studio ${app.getVersion()}`,
          detail: `Electron ${process.versions.electron ?? '?'} · Node ${process.versions.node}\nWorkspace: ${c.workspace}`,
        });
        return;
    }
  }
  return async (name, arg) => {
    if (isDesktopCommand(name)) return command(name, arg);
    const edit = textEditCommand(name);
    if (edit && (await wc.executeJavaScript(EDITING_TEXT_SCRIPT).catch(() => false)) === true) {
      wc[edit]();
      return;
    }
    sendAction(name, arg);
  };
}

/** The native menu (rebuilt when the recent files or the SIP state change) and its shortcuts. */
function installMenu(
  w: BrowserWindow,
  c: { recent: ReturnType<typeof createRecentFiles>; sip: SipController; command: Command },
): { update(): void } {
  const send = (name: string, arg?: unknown) =>
    void c.command(name, arg).catch((e: unknown) => process.stderr.write(`menu ${name}: ${String(e)}\n`));
  const update = () =>
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({ recent: c.recent.list(), sipRunning: c.sip.running, platform: process.platform }, send),
      ),
    );
  update();
  w.webContents.on('before-input-event', (event, input) => {
    const cmd = interceptedShortcut(input, process.platform);
    if (!cmd) return;
    event.preventDefault();
    send(cmd);
  });
  return { update };
}

/** IPC from the preload, answered only for the app's own pages. */
function handleIpc(
  appOrigin: string,
  dialogs: DialogDeps,
  recent: ReturnType<typeof createRecentFiles>,
  doc: DocumentTracker,
): void {
  const trusted = (e: IpcMainInvokeEvent) => !!e.senderFrame && isAllowedNavigation(e.senderFrame.url, appOrigin);
  ipcMain.handle(CHANNELS.chooseFlowToOpen, (e) => (trusted(e) ? chooseFlowToOpen(dialogs) : null));
  ipcMain.handle(CHANNELS.chooseSavePath, (e, suggested) =>
    trusted(e) ? chooseSavePath(dialogs, typeof suggested === 'string' ? suggested : '') : null,
  );
  ipcMain.handle(CHANNELS.recentFiles, (e) => (trusted(e) ? recent.list() : []));
  ipcMain.on(CHANNELS.documentChanged, (e, value) => {
    if (!trusted(e)) return;
    const next = parseDocumentState(value);
    if (next) doc.apply(next);
  });
}

/**
 * Closing with unsaved changes: the designer's beforeunload blocks the close, Electron then asks us,
 * and we ask the user (save, discard or cancel).
 */
function guardClose(w: BrowserWindow, doc: DocumentTracker, save: () => Promise<void>): void {
  let closeApproved = false;
  w.webContents.on('will-prevent-unload', (event) => {
    if (closeApproved) return event.preventDefault();
    const decision = closeDecision(dialog.showMessageBoxSync(w, closeDialogOptions(doc.current())));
    if (decision === 'discard') {
      closeApproved = true;
      event.preventDefault();
    } else if (decision === 'save') {
      void (async () => {
        await save();
        if (closeAfterSave(await doc.read())) {
          closeApproved = true;
          w.close();
        }
      })();
    }
  });
}
