// The sandboxed preload: exposes `window.ivrDesktop` (bridge.ts) and runs the menu's designer actions
// in the page. Bundled to dist/electron/preload.cjs; a sandboxed preload may require only 'electron'.
import type { DocumentState, IvrDesktopBridge } from './bridge';
import { CHANNELS } from './channels';
import type { ElectronPreload } from './electronApi';
import { runActionScript } from './pageScripts';

const { contextBridge, ipcRenderer, webFrame } = require('electron') as ElectronPreload;

const asPathOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

const bridge: IvrDesktopBridge = {
  isDesktop: true,
  platform: process.platform,
  chooseFlowToOpen: async () => asPathOrNull(await ipcRenderer.invoke(CHANNELS.chooseFlowToOpen)),
  chooseSavePath: async (suggested: string) =>
    asPathOrNull(await ipcRenderer.invoke(CHANNELS.chooseSavePath, String(suggested))),
  documentChanged: (state: DocumentState) => {
    ipcRenderer.send(CHANNELS.documentChanged, { name: state.name, path: state.path, dirty: state.dirty });
  },
  recentFiles: async () => {
    const list = await ipcRenderer.invoke(CHANNELS.recentFiles);
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
  },
};

contextBridge.exposeInMainWorld('ivrDesktop', bridge);

// Menu ▸ item → main → here → window.ivrStudio.runAction in the page's world.
ipcRenderer.on(CHANNELS.runAction, (_event, name, arg) => {
  const script = typeof name === 'string' ? runActionScript(name, arg) : null;
  if (script) void webFrame.executeJavaScript(script).catch(() => {});
});
