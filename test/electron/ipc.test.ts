import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join, resolve } from 'node:path';
import {
  addRecent,
  chooseFlowToOpen,
  chooseSavePath,
  closeAfterSave,
  closeDecision,
  closeDialogOptions,
  createRecentFiles,
  formatTitle,
  isWorkspaceRelative,
  parseDocumentState,
  toWorkspacePath,
  type DialogDeps,
  type RecentFs,
} from '../../electron/ipc';
import type { BrowserWindow } from '../../electron/electronApi';

describe('the window title', () => {
  it('is "file • — IVR Studio" with the last two path parts and • for unsaved changes', () => {
    expect(formatTitle({ name: 'callback', path: 'callback/flow.json', dirty: false })).toBe(
      'callback/flow.json — IVR Studio',
    );
    expect(formatTitle({ name: 'callback', path: 'clients/acme/callback/flow.json', dirty: true })).toBe(
      'callback/flow.json • — IVR Studio',
    );
    expect(formatTitle({ name: 'menu', path: null, dirty: true })).toBe('menu (unsaved) • — IVR Studio');
    expect(formatTitle(null)).toBe('IVR Studio');
  });
});

describe('parseDocumentState (input from the page)', () => {
  it('accepts a well-formed state', () => {
    expect(parseDocumentState({ name: 'a', path: 'a/flow.json', dirty: true, extra: 1 })).toEqual({
      name: 'a',
      path: 'a/flow.json',
      dirty: true,
    });
    expect(parseDocumentState({ name: 'a', path: null, dirty: false })).toEqual({
      name: 'a',
      path: null,
      dirty: false,
    });
  });

  it('refuses anything else, paths leaving the workspace included', () => {
    for (const bad of [
      null,
      1,
      'x',
      [],
      { name: 'a', dirty: true },
      { name: 'a', path: null, dirty: 'yes' },
      { name: 'a', path: '../etc/passwd', dirty: false },
      { name: 'a', path: '/etc/passwd', dirty: false },
      { name: 'a', path: 'C:/x.json', dirty: false },
      { name: 'a', path: 'a\\..\\b', dirty: false },
      { name: 'x'.repeat(501), path: null, dirty: false },
    ]) {
      expect(parseDocumentState(bad), JSON.stringify(bad)).toBeNull();
    }
  });

  it('never throws, and what it accepts is a clean state (property)', () => {
    const anyState = fc.oneof(
      fc.anything(),
      fc.record({
        name: fc.string(),
        path: fc.oneof(fc.constant(null), fc.string()),
        dirty: fc.oneof(fc.boolean(), fc.anything()),
      }),
    );
    fc.assert(
      fc.property(anyState, (v) => {
        const s = parseDocumentState(v);
        if (s === null) return;
        expect(Object.keys(s).sort()).toEqual(['dirty', 'name', 'path']);
        if (s.path !== null) expect(isWorkspaceRelative(s.path)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('workspace paths from dialogs', () => {
  const ws = resolve('/home/pbx/flows');
  it('maps a file inside the workspace to its / path, and refuses one outside', () => {
    expect(toWorkspacePath(join(ws, 'callback', 'flow.json'), ws)).toBe('callback/flow.json');
    expect(toWorkspacePath(resolve('/home/pbx/other/flow.json'), ws)).toBeNull();
    expect(toWorkspacePath(resolve('/home/pbx/flows-old/flow.json'), ws)).toBeNull();
    expect(toWorkspacePath(ws, ws)).toBeNull();
    expect(toWorkspacePath('relative/flow.json', ws)).toBeNull();
  });

  function fakeDialog(answer: { open?: string[]; save?: string }) {
    const calls: Array<[string, unknown]> = [];
    const deps: DialogDeps = {
      workspace: ws,
      window: {} as BrowserWindow,
      dialog: {
        showOpenDialog: async (_w, o) => (
          calls.push(['open', o]),
          answer.open ? { canceled: false, filePaths: answer.open } : { canceled: true, filePaths: [] }
        ),
        showSaveDialog: async (_w, o) => (
          calls.push(['save', o]), answer.save ? { canceled: false, filePath: answer.save } : { canceled: true }
        ),
        showMessageBox: async (_w, o) => (calls.push(['message', o]), { response: 0 }),
      },
    };
    return { deps, calls };
  }

  it('Open: the chosen flow, starting in the workspace; cancel → null; outside → a warning and null', async () => {
    const ok = fakeDialog({ open: [join(ws, 'a', 'flow.json')] });
    expect(await chooseFlowToOpen(ok.deps)).toBe('a/flow.json');
    expect(ok.calls[0]![1]).toMatchObject({ defaultPath: ws, properties: ['openFile'] });
    expect(await chooseFlowToOpen(fakeDialog({}).deps)).toBeNull();
    const out = fakeDialog({ open: [resolve('/tmp/flow.json')] });
    expect(await chooseFlowToOpen(out.deps)).toBeNull();
    expect(out.calls.map((c) => c[0])).toEqual(['open', 'message']);
  });

  it('Save as: starts at the suggested path, adds .json, refuses outside the workspace', async () => {
    const ok = fakeDialog({ save: join(ws, 'menu', 'main') });
    expect(await chooseSavePath(ok.deps, 'menu/flow.json')).toBe('menu/main.json');
    expect(ok.calls[0]![1]).toMatchObject({ defaultPath: join(ws, 'menu', 'flow.json') });
    const sneaky = fakeDialog({ save: join(ws, 'x.json') });
    await chooseSavePath(sneaky.deps, '../../etc/passwd');
    expect(sneaky.calls[0]![1]).toMatchObject({ defaultPath: ws });
    const out = fakeDialog({ save: resolve('/tmp/flow.json') });
    expect(await chooseSavePath(out.deps, 'a/flow.json')).toBeNull();
    expect(out.calls.map((c) => c[0])).toEqual(['save', 'message']);
    expect(await chooseSavePath(fakeDialog({}).deps, 'a/flow.json')).toBeNull();
  });
});

describe('recent files', () => {
  function memoryFs(initial?: string) {
    const files = new Map<string, string>(initial === undefined ? [] : [['/u/recent.json', initial]]);
    const fs: RecentFs & { files: Map<string, string> } = {
      files,
      readFileSync: (p) => {
        const t = files.get(p);
        if (t === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
        return t;
      },
      writeFileSync: (p, d) => void files.set(p, d),
    };
    return fs;
  }

  it('addRecent: newest first, no duplicates, at most 10', () => {
    expect(addRecent(['a', 'b', 'c'], 'b')).toEqual(['b', 'a', 'c']);
    const many = Array.from({ length: 12 }, (_, i) => `f${i}/flow.json`).reduce<string[]>(
      (l, p) => addRecent(l, p),
      [],
    );
    expect(many).toHaveLength(10);
    expect(many[0]).toBe('f11/flow.json');
    expect(many).not.toContain('f0/flow.json');
  });

  it('addRecent keeps the list unique and bounded (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l')), (adds) => {
        const list = adds.reduce<string[]>((l, p) => addRecent(l, p), []);
        expect(new Set(list).size).toBe(list.length);
        expect(list.length).toBeLessThanOrEqual(10);
        if (adds.length) expect(list[0]).toBe(adds.at(-1));
      }),
    );
  });

  it('is persisted as JSON and read back; a missing or damaged file is an empty list', () => {
    const fs = memoryFs();
    const r = createRecentFiles(fs, '/u/recent.json');
    expect(r.list()).toEqual([]);
    r.add('callback/flow.json');
    r.add('autosecretary/flow.json');
    r.add('callback/flow.json');
    expect(JSON.parse(fs.files.get('/u/recent.json')!)).toEqual({
      recent: ['callback/flow.json', 'autosecretary/flow.json'],
    });
    expect(createRecentFiles(fs, '/u/recent.json').list()).toEqual(['callback/flow.json', 'autosecretary/flow.json']);
    r.remove('callback/flow.json');
    expect(createRecentFiles(fs, '/u/recent.json').list()).toEqual(['autosecretary/flow.json']);
    r.clear();
    expect(createRecentFiles(fs, '/u/recent.json').list()).toEqual([]);
    for (const bad of ['{', '[]', '{"recent": 3}', 'null'])
      expect(createRecentFiles(memoryFs(bad), '/u/recent.json').list()).toEqual([]);
  });

  it('drops unsafe and duplicate entries from the file, and ignores adding an unsafe path', () => {
    const fs = memoryFs(
      JSON.stringify({ recent: ['a/flow.json', '../x.json', 7, 'a/flow.json', '/etc/passwd', 'b/flow.json'] }),
    );
    const r = createRecentFiles(fs, '/u/recent.json');
    expect(r.list()).toEqual(['a/flow.json', 'b/flow.json']);
    expect(r.add('../../secret.json')).toEqual(['a/flow.json', 'b/flow.json']);
  });

  it('still works for this run when the file cannot be written', () => {
    const r = createRecentFiles(
      {
        readFileSync: () => '{}',
        writeFileSync: () => {
          throw new Error('EROFS');
        },
      },
      '/u/recent.json',
    );
    expect(r.add('a/flow.json')).toEqual(['a/flow.json']);
    expect(r.list()).toEqual(['a/flow.json']);
  });
});

describe('closing with unsaved changes', () => {
  it('asks Save / Don’t Save / Cancel about the file, Save the default, Cancel for Esc', () => {
    const o = closeDialogOptions({ name: 'callback', path: 'callback/flow.json', dirty: true });
    expect(o.buttons).toEqual(['Save', "Don't Save", 'Cancel']);
    expect(o.defaultId).toBe(0);
    expect(o.cancelId).toBe(2);
    expect(o.message).toBe('Save the changes to callback/flow.json?');
    expect(closeDialogOptions({ name: 'menu', path: null, dirty: true }).message).toBe('Save the changes to “menu”?');
  });

  it('maps the answer to save / discard / cancel; anything unexpected cancels', () => {
    expect([0, 1, 2, 3, -1, NaN].map(closeDecision)).toEqual([
      'save',
      'discard',
      'cancel',
      'cancel',
      'cancel',
      'cancel',
    ]);
  });

  it('closes after Save only when the flow is really saved now (not after a cancelled Save as)', () => {
    expect(closeAfterSave({ name: 'a', path: 'a/flow.json', dirty: false })).toBe(true);
    expect(closeAfterSave({ name: 'a', path: null, dirty: true })).toBe(false);
    expect(closeAfterSave({ name: 'a', path: 'a/flow.json', dirty: true })).toBe(false);
    expect(closeAfterSave(null)).toBe(false);
  });
});
