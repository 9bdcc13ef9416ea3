import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, interceptedShortcut, textEditCommand, type MenuState } from '../../electron/menu';
import { DESKTOP_COMMANDS as D } from '../../electron/channels';
import type { MenuItemTemplate } from '../../electron/electronApi';
import { actions } from '../../designer/actions';

const linux: MenuState = { recent: [], sipRunning: false, platform: 'linux' };

function build(state: Partial<MenuState> = {}) {
  const sent: Array<[string, unknown]> = [];
  const template = buildMenuTemplate({ ...linux, ...state }, (name, arg) => sent.push([name, arg]));
  const menu = (label: string) => {
    const m = template.find((t) => t.label === label);
    if (!m?.submenu) throw new Error(`no menu ${label}`);
    return m.submenu;
  };
  const item = (menuLabel: string, label: string): MenuItemTemplate => {
    const it = menu(menuLabel).find((i) => i.label === label);
    if (!it)
      throw new Error(
        `no ${menuLabel} ▸ ${label}; has ${menu(menuLabel)
          .map((i) => i.label)
          .join(', ')}`,
      );
    return it;
  };
  const click = (menuLabel: string, label: string) => {
    sent.length = 0;
    item(menuLabel, label).click!();
    return sent.slice();
  };
  return { template, menu, item, click, sent };
}

describe('the application menu', () => {
  it('has File, Edit, View, Call, Help in that order (and the app menu first on macOS)', () => {
    expect(build().template.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Call', 'Help']);
    expect(build({ platform: 'darwin' }).template.map((m) => m.label)).toEqual([
      'IVR Studio',
      'File',
      'Edit',
      'View',
      'Call',
      'Help',
    ]);
  });

  const clicks: Array<[string, string, string, string | undefined]> = [
    ['File', 'New', 'newFlow', 'CmdOrCtrl+N'],
    ['File', 'Open…', D.open, 'CmdOrCtrl+O'],
    ['File', 'Save', D.save, 'CmdOrCtrl+S'],
    ['File', 'Save As…', D.saveAs, 'CmdOrCtrl+Shift+S'],
    ['File', 'Export callback.sppr…', 'exportSppr', 'CmdOrCtrl+E'],
    ['File', 'Export environment .tar…', 'exportTar', 'CmdOrCtrl+Shift+E'],
    ['File', 'Export JS module…', 'exportJs', undefined],
    ['File', 'Deploy to CommuniGate…', 'deploy', undefined],
    ['Edit', 'Undo', 'undo', 'CmdOrCtrl+Z'],
    ['Edit', 'Redo', 'redo', 'CmdOrCtrl+Shift+Z'],
    ['Edit', 'Cut', 'cut', 'CmdOrCtrl+X'],
    ['Edit', 'Copy', 'copy', 'CmdOrCtrl+C'],
    ['Edit', 'Paste', 'paste', 'CmdOrCtrl+V'],
    ['Edit', 'Select All', 'selectAll', 'CmdOrCtrl+A'],
    ['Edit', 'Find', 'find', 'CmdOrCtrl+F'],
    ['View', 'Fit to Window', 'fitView', 'CmdOrCtrl+Shift+F'],
    ['View', 'Auto-layout', 'autoLayout', 'CmdOrCtrl+L'],
    ['View', 'Code Panel', 'toggleCodePanel', 'CmdOrCtrl+J'],
    ['View', 'Simulator', 'showPhone', undefined],
    ['Call', 'Start Simulated Call', 'startCall', 'F5'],
    ['Call', 'Hang Up', 'hangup', 'Shift+F5'],
    ['Call', 'Start SIP Runtime', D.startSip, undefined],
    ['Help', 'Keyboard Shortcuts', 'showShortcuts', 'CmdOrCtrl+/'],
    ['Help', 'About IVR Studio', D.about, undefined],
  ];

  it.each(clicks)('%s ▸ %s sends %s with accelerator %s', (menu, label, action, accelerator) => {
    const m = build();
    expect(m.item(menu, label).accelerator).toBe(accelerator);
    expect(m.click(menu, label)).toEqual([[action, undefined]]);
  });

  it('sends only names the designer has as actions, or the shell’s own commands', () => {
    const names = new Set<string>(Object.keys(actions));
    const shell = new Set<string>(Object.values(D));
    const sent = clicks.map(([, , action]) => action).filter((a) => !shell.has(a));
    expect(sent.filter((a) => !names.has(a))).toEqual([]);
  });

  it('accelerators match the designer’s own shortcuts where it has one', () => {
    const asMenu = (s: string) => s.replace('Mod+', 'CmdOrCtrl+');
    for (const [menu, label, action] of clicks) {
      const designer = (actions as Record<string, { shortcut?: string }>)[action]?.shortcut;
      if (designer && designer !== '?')
        expect(build().item(menu, label).accelerator, `${menu} ▸ ${label}`).toBe(asMenu(designer));
    }
  });

  it('zoom in/out/reset use Electron roles; Quit is in File except on macOS', () => {
    const m = build();
    expect(['Zoom In', 'Zoom Out', 'Actual Size'].map((l) => m.item('View', l).role)).toEqual([
      'zoomIn',
      'zoomOut',
      'resetZoom',
    ]);
    expect(m.item('File', 'Quit').role).toBe('quit');
    const mac = build({ platform: 'darwin' });
    expect(mac.menu('File').some((i) => i.role === 'quit')).toBe(false);
    expect(mac.menu('IVR Studio').some((i) => i.role === 'quit')).toBe(true);
    expect(mac.click('IVR Studio', 'About IVR Studio')).toEqual([[D.about, undefined]]);
  });

  it('Open Recent lists the paths, each opening itself, with Clear Recent; empty says so, disabled', () => {
    const empty = build().item('File', 'Open Recent').submenu!;
    expect(empty).toEqual([{ label: 'No recent files', enabled: false }]);
    const m = build({ recent: ['callback/flow.json', 'autosecretary/flow.json'] });
    const sub = m.item('File', 'Open Recent').submenu!;
    expect(sub.filter((i) => i.label).map((i) => i.label)).toEqual([
      'callback/flow.json',
      'autosecretary/flow.json',
      'Clear Recent',
    ]);
    sub[1]!.click!();
    sub[3]!.click!();
    expect(m.sent).toEqual([
      [D.openRecent, 'autosecretary/flow.json'],
      [D.clearRecent, undefined],
    ]);
  });

  it('the Call menu offers Stop SIP Runtime while it runs', () => {
    const m = build({ sipRunning: true });
    expect(m.menu('Call').some((i) => i.label === 'Start SIP Runtime')).toBe(false);
    expect(m.click('Call', 'Stop SIP Runtime')).toEqual([[D.stopSip, undefined]]);
  });

  it('every clickable item has a label; separators have nothing else', () => {
    const walk = (items: MenuItemTemplate[]): void => {
      for (const i of items) {
        if (i.type === 'separator') expect(Object.keys(i)).toEqual(['type']);
        if (i.click) expect(i.label).toBeTruthy();
        if (i.submenu) walk(i.submenu);
      }
    };
    walk(build({ recent: ['a/flow.json'] }).template);
  });
});

describe('text editing and intercepted keys', () => {
  it('undo/redo/cut/copy/paste/selectAll act on a focused text field; the rest never', () => {
    expect(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'].map(textEditCommand)).toEqual([
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'selectAll',
    ]);
    expect(['find', 'save', 'newFlow', 'constructor', ''].map(textEditCommand)).toEqual([null, null, null, null, null]);
  });

  const key = (
    k: string,
    mods: Partial<{ control: boolean; meta: boolean; shift: boolean; alt: boolean }> = {},
    type = 'keyDown',
  ) => ({ type, key: k, control: false, meta: false, shift: false, alt: false, ...mods });

  it('Ctrl+S / Ctrl+Shift+S / Ctrl+O go to the native dialogs (Cmd on macOS)', () => {
    expect(interceptedShortcut(key('s', { control: true }), 'linux')).toBe(D.save);
    expect(interceptedShortcut(key('S', { control: true, shift: true }), 'win32')).toBe(D.saveAs);
    expect(interceptedShortcut(key('o', { control: true }), 'linux')).toBe(D.open);
    expect(interceptedShortcut(key('s', { meta: true }), 'darwin')).toBe(D.save);
  });

  it('leaves every other key to the page', () => {
    expect(interceptedShortcut(key('s'), 'linux')).toBeNull();
    expect(interceptedShortcut(key('s', { meta: true }), 'linux')).toBeNull();
    expect(interceptedShortcut(key('s', { control: true }), 'darwin')).toBeNull();
    expect(interceptedShortcut(key('s', { control: true, alt: true }), 'linux')).toBeNull();
    expect(interceptedShortcut(key('s', { control: true }, 'keyUp'), 'linux')).toBeNull();
    expect(interceptedShortcut(key('z', { control: true }), 'linux')).toBeNull();
  });
});
