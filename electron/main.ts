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
import { createSipController } from './sip';
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

function openWindow(server: RunningServer, workspace: string): void {
  const appOrigin = server.url;
  const w = new Window(windowOptions(join(HERE, 'preload.cjs')));
  win = w;
  const wc = w.webContents;
  const csp = contentSecurityPolicy(appOrigin);
  const recent = createRecentFiles(fs, join(app.getPath('userData'), 'recent.json'));
  let state: DocumentState | null = null;
  let closeApproved = false;
  let exportDir = app.getPath('documents');

  // ---- security: CSP, permissions, navigation, new windows --------------------------------------
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
  wc.session.on('will-download', (_e, item) => {
    item.setSaveDialogOptions({ title: 'Export', defaultPath: join(exportDir, item.getFilename()) });
    item.once('done', (_event, result) => {
      if (result === 'completed' && item.getSavePath()) exportDir = dirname(item.getSavePath());
    });
  });

  // ---- the document: title, recent files ---------------------------------------------------------
  const readState = async (): Promise<DocumentState | null> =>
    parseDocumentState(await wc.executeJavaScript(DOCUMENT_STATE_SCRIPT).catch(() => null));
  const applyState = (next: DocumentState | null) => {
    const before = state;
    state = next;
    if (w.isDestroyed()) return;
    w.setTitle(formatTitle(state));
    if (process.platform === 'darwin') {
      w.setDocumentEdited(!!state?.dirty);
      w.setRepresentedFilename(state?.path ? join(workspace, ...state.path.split('/')) : '');
    }
    if (next?.path && next.path !== before?.path) {
      recent.add(next.path);
      updateMenu();
    }
  };
  // The designer keeps document.title current; each change is the cue to read its state.
  w.on('page-title-updated', (event) => {
    event.preventDefault();
    void readState().then(applyState);
  });

  // ---- menu commands -----------------------------------------------------------------------------
  const dialogs: DialogDeps = { dialog, window: w, workspace };
  const sendAction = (name: string, arg?: unknown) => wc.send(CHANNELS.runAction, name, arg);
  /** Runs an action in the page and waits for it (the close prompt's save must finish first). */
  const runAndWait = async (name: string, arg?: unknown) => {
    const script = runActionScript(name, arg);
    if (script) await wc.executeJavaScript(script).catch(() => false);
  };
  const sip = createSipController(startSipService, {
    started: (lines) => {
      updateMenu();
      void dialog.showMessageBox(w, { type: 'info', message: 'The SIP runtime is running', detail: lines.join('\n') });
    },
    stopped: (error) => {
      updateMenu();
      if (error && !w.isDestroyed())
        void dialog.showMessageBox(w, { type: 'error', message: 'The SIP runtime stopped', detail: error });
    },
    log: (line) => process.stdout.write(`sip: ${line}\n`),
  });

  async function saveAs(): Promise<void> {
    const s = await readState();
    if (!s) return;
    const path = await chooseSavePath(dialogs, s.path ?? `${s.name}/flow.json`);
    if (path) await runAndWait('saveAs', { path });
  }

  async function command(name: string, arg?: unknown): Promise<void> {
    switch (name) {
      case D.open: {
        const path = await chooseFlowToOpen(dialogs);
        if (path) sendAction('open', { path });
        return;
      }
      case D.openRecent:
        if (typeof arg === 'string' && isWorkspaceRelative(arg)) sendAction('open', { path: arg });
        return;
      case D.clearRecent:
        recent.clear();
        return updateMenu();
      case D.save: {
        const s = await readState();
        if (s && s.path === null) return saveAs();
        return runAndWait('save');
      }
      case D.saveAs:
        return saveAs();
      case D.startSip: {
        const s = await readState();
        if (!s?.path) {
          void dialog.showMessageBox(w, {
            type: 'info',
            message: 'Save the flow first',
            detail: 'The SIP runtime answers calls with the saved flow file.',
          });
          return;
        }
        sip.start(join(workspace, ...s.path.split('/')), join(workspace, '.outbox'));
        return updateMenu();
      }
      case D.stopSip:
        return sip.stop();
      case D.about:
        void dialog.showMessageBox(w, {
          type: 'info',
          message: `IVR Studio ${app.getVersion()}`,
          detail: `Electron ${process.versions.electron ?? '?'} · Node ${process.versions.node}\nWorkspace: ${workspace}`,
        });
        return;
    }
  }

  async function route(name: string, arg?: unknown): Promise<void> {
    if (isDesktopCommand(name)) return command(name, arg);
    const edit = textEditCommand(name);
    if (edit && (await wc.executeJavaScript(EDITING_TEXT_SCRIPT).catch(() => false)) === true) {
      wc[edit]();
      return;
    }
    sendAction(name, arg);
  }
  const send = (name: string, arg?: unknown) =>
    void route(name, arg).catch((e: unknown) => process.stderr.write(`menu ${name}: ${String(e)}\n`));

  function updateMenu(): void {
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({ recent: recent.list(), sipRunning: sip.running, platform: process.platform }, send),
      ),
    );
  }
  updateMenu();

  wc.on('before-input-event', (event, input) => {
    const cmd = interceptedShortcut(input, process.platform);
    if (!cmd) return;
    event.preventDefault();
    send(cmd);
  });

  // ---- IPC from the preload: only from the app's own pages ---------------------------------------
  const trusted = (e: IpcMainInvokeEvent) => !!e.senderFrame && isAllowedNavigation(e.senderFrame.url, appOrigin);
  ipcMain.handle(CHANNELS.chooseFlowToOpen, (e) => (trusted(e) ? chooseFlowToOpen(dialogs) : null));
  ipcMain.handle(CHANNELS.chooseSavePath, (e, suggested) =>
    trusted(e) ? chooseSavePath(dialogs, typeof suggested === 'string' ? suggested : '') : null,
  );
  ipcMain.handle(CHANNELS.recentFiles, (e) => (trusted(e) ? recent.list() : []));
  ipcMain.on(CHANNELS.documentChanged, (e, value) => {
    if (!trusted(e)) return;
    const next = parseDocumentState(value);
    if (next) applyState(next);
  });

  // ---- closing with unsaved changes --------------------------------------------------------------
  // The designer's beforeunload blocks the close while there are unsaved changes; Electron then asks us.
  wc.on('will-prevent-unload', (event) => {
    if (closeApproved) return event.preventDefault();
    const decision = closeDecision(dialog.showMessageBoxSync(w, closeDialogOptions(state)));
    if (decision === 'discard') {
      closeApproved = true;
      event.preventDefault();
    } else if (decision === 'save') {
      void (async () => {
        await command(D.save);
        if (closeAfterSave(await readState())) {
          closeApproved = true;
          w.close();
        }
      })();
    }
  });

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
