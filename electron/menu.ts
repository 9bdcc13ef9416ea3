// The application menu as a template. Pure: each item's click calls `send` with a designer action name
// (designer/actions) or one of the shell's own commands (DESKTOP_COMMANDS); main.ts routes them.
import { DESKTOP_COMMANDS as D } from './channels';
import type { MenuItemTemplate } from './electronApi';

export interface MenuState {
  /** Workspace-relative paths, newest first. */
  recent: string[];
  sipRunning: boolean;
  platform: string;
}

export type Send = (action: string, arg?: unknown) => void;

/**
 * @example Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({ recent, sipRunning: false, platform: process.platform }, route)))
 */
export function buildMenuTemplate(state: MenuState, send: Send): MenuItemTemplate[] {
  const mac = state.platform === 'darwin';
  const item = (label: string, action: string, accelerator?: string, arg?: unknown): MenuItemTemplate => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => (arg === undefined ? send(action) : send(action, arg)),
  });
  const sep: MenuItemTemplate = { type: 'separator' };

  const recent: MenuItemTemplate[] =
    state.recent.length === 0
      ? [{ label: 'No recent files', enabled: false }]
      : [
          ...state.recent.map((path) => item(path, D.openRecent, undefined, path)),
          sep,
          item('Clear Recent', D.clearRecent),
        ];

  const file: MenuItemTemplate = {
    label: 'File',
    submenu: [
      item('New', 'newFlow', 'CmdOrCtrl+N'),
      item('Open…', D.open, 'CmdOrCtrl+O'),
      { label: 'Open Recent', submenu: recent },
      sep,
      item('Save', D.save, 'CmdOrCtrl+S'),
      item('Save As…', D.saveAs, 'CmdOrCtrl+Shift+S'),
      sep,
      item('Export callback.sppr…', 'exportSppr', 'CmdOrCtrl+E'),
      item('Export environment .tar…', 'exportTar', 'CmdOrCtrl+Shift+E'),
      item('Export JS module…', 'exportJs'),
      item('Deploy to CommuniGate…', 'deploy'),
      // macOS has Quit in the application menu.
      ...(mac ? [] : [sep, { label: 'Quit', role: 'quit', accelerator: 'CmdOrCtrl+Q' } satisfies MenuItemTemplate]),
    ],
  };

  const edit: MenuItemTemplate = {
    label: 'Edit',
    submenu: [
      item('Undo', 'undo', 'CmdOrCtrl+Z'),
      item('Redo', 'redo', 'CmdOrCtrl+Shift+Z'),
      sep,
      item('Cut', 'cut', 'CmdOrCtrl+X'),
      item('Copy', 'copy', 'CmdOrCtrl+C'),
      item('Paste', 'paste', 'CmdOrCtrl+V'),
      item('Select All', 'selectAll', 'CmdOrCtrl+A'),
      sep,
      item('Find', 'find', 'CmdOrCtrl+F'),
    ],
  };

  const view: MenuItemTemplate = {
    label: 'View',
    submenu: [
      item('Fit to Window', 'fitView', 'CmdOrCtrl+Shift+F'),
      item('Auto-layout', 'autoLayout', 'CmdOrCtrl+L'),
      sep,
      item('Code Panel', 'toggleCodePanel', 'CmdOrCtrl+J'),
      item('Simulator', 'showPhone'),
      sep,
      { label: 'Zoom In', role: 'zoomIn', accelerator: 'CmdOrCtrl+=' },
      { label: 'Zoom Out', role: 'zoomOut', accelerator: 'CmdOrCtrl+-' },
      { label: 'Actual Size', role: 'resetZoom', accelerator: 'CmdOrCtrl+0' },
      sep,
      { label: 'Toggle Full Screen', role: 'togglefullscreen' },
    ],
  };

  const call: MenuItemTemplate = {
    label: 'Call',
    submenu: [
      item('Start Simulated Call', 'startCall', 'F5'),
      item('Hang Up', 'hangup', 'Shift+F5'),
      sep,
      state.sipRunning ? item('Stop SIP Runtime', D.stopSip) : item('Start SIP Runtime', D.startSip),
    ],
  };

  const help: MenuItemTemplate = {
    label: 'Help',
    submenu: [
      item('Keyboard Shortcuts', 'showShortcuts', 'CmdOrCtrl+/'),
      ...(mac ? [] : [sep, item('About IVR Studio', D.about)]),
    ],
  };

  const appMenu: MenuItemTemplate = {
    label: 'IVR Studio',
    submenu: [
      item('About IVR Studio', D.about),
      sep,
      { role: 'services' },
      sep,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      sep,
      { label: 'Quit IVR Studio', role: 'quit', accelerator: 'Cmd+Q' },
    ],
  };

  return [...(mac ? [appMenu] : []), file, edit, view, call, help];
}

/** Edit commands that act on the focused text field instead of the graph while one is being typed in. */
const TEXT_EDIT = ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'] as const;
export type TextEditCommand = (typeof TEXT_EDIT)[number];

export function textEditCommand(action: string): TextEditCommand | null {
  return (TEXT_EDIT as readonly string[]).includes(action) ? (action as TextEditCommand) : null;
}

/** A key press as Electron's before-input-event reports it. */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  meta: boolean;
  shift: boolean;
  alt: boolean;
}

/**
 * Keys the shell takes before the page: the designer's own Save / Save As would ask for a path with
 * window.prompt, which Electron does not have, so these go to the native dialogs instead.
 */
export function interceptedShortcut(input: KeyInput, platform: string): string | null {
  if (input.type !== 'keyDown' || input.alt) return null;
  const mod = platform === 'darwin' ? input.meta && !input.control : input.control && !input.meta;
  if (!mod) return null;
  const key = input.key.toLowerCase();
  if (key === 's') return input.shift ? D.saveAs : D.save;
  if (key === 'o' && !input.shift) return D.open;
  return null;
}
