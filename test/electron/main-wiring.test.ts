// electron/main.ts bundled as Electron runs it, but under Node with a fake 'electron' module: checks the
// wiring (server on 127.0.0.1 with its token, window options, CSP on the real responses, navigation,
// menu → page, IPC channels, close) on machines where Electron's binary cannot be installed.
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDesktop, ROOT } from '../../electron/build';
import { CHANNELS } from '../../electron/channels';

const OUT = join(ROOT, 'dist', `electron-test-${process.pid}`);
let home = '';
let report: Record<string, any> = {};

beforeAll(async () => {
  await buildDesktop(OUT);
  // Found before any real electron package: resolution starts beside the bundle.
  await mkdir(join(OUT, 'node_modules', 'electron'), { recursive: true });
  await copyFile(
    join(import.meta.dirname, 'fixtures', 'fake-electron.cjs'),
    join(OUT, 'node_modules', 'electron', 'index.js'),
  );
  await writeFile(
    join(OUT, 'node_modules', 'electron', 'package.json'),
    '{"name":"electron","main":"index.js","type":"commonjs"}',
  );
  home = await mkdtemp(join(tmpdir(), 'ivr-electron-'));
  const workspace = join(home, 'flows');
  const designer = join(home, 'designer');
  await mkdir(join(home, 'userData'), { recursive: true });
  await mkdir(workspace, { recursive: true });
  await mkdir(designer, { recursive: true });
  await writeFile(join(designer, 'index.html'), '<!doctype html><title>IVR Studio</title>');
  const child = spawn(process.execPath, [join(OUT, 'main.mjs')], {
    env: {
      ...process.env,
      FAKE_ELECTRON_HOME: home,
      IVR_STUDIO_WORKSPACE: workspace,
      IVR_STUDIO_DESIGNER_DIR: designer,
    },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  const line = out.split('\n').find((l) => l.startsWith('REPORT '));
  if (code !== 0 || !line) throw new Error(`main.mjs exited ${code}\n${out}\n${err}`);
  report = JSON.parse(line.slice(7));
}, 60_000);

afterAll(async () => {
  await rm(OUT, { recursive: true, force: true });
  if (home) await rm(home, { recursive: true, force: true });
});

describe('electron/main.ts wiring (fake Electron)', () => {
  it('starts the local server on 127.0.0.1 and opens the window on it with the token', () => {
    expect(report.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}$/);
    expect(report.status).toBe(200);
    expect(report.api).toBe(200);
  });

  it('creates the window locked down, with the bundled preload', () => {
    expect(report.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(report.options.webPreferences.preload).toBe(join(OUT, 'preload.cjs'));
  });

  it('puts the CSP on the server’s responses, connect-src on its own origin and WebSocket', () => {
    const origin = new URL(report.url).origin;
    expect(report.csp[0]).toContain("default-src 'self'");
    expect(report.csp[0]).toContain(`connect-src 'self' ${origin} ${origin.replace('http:', 'ws:')}`);
  });

  it('keeps navigation on the app, sends web links to the OS browser, never file:', () => {
    expect(report.navigation).toEqual({ own: false, external: true, file: true });
    expect(report.windowOpen).toEqual({ action: 'deny' });
    expect(report.opened).toEqual(['https://example.com/', 'https://www.communigate.com/']);
    expect(report.permissions).toEqual({ clipboard: true, camera: false });
  });

  it('builds the menu, and a menu click reaches the page as a designer action', () => {
    expect(report.menuLabels).toEqual(['File', 'Edit', 'View', 'Call', 'Help']);
    expect(report.sent).toContainEqual([CHANNELS.runAction, 'undo', null]);
  });

  it("saves through the preload bridge: the page's chooseSavePath opens the native Save dialog in the workspace", () => {
    // The designer calls window.ivrDesktop.chooseSavePath for Save as and a new flow's Save (never
    // window.prompt, which Electron lacks; test/e2e/fixes.test.ts drives that side in the browser).
    expect(report.bridge).toEqual({ isDesktop: true, saved: 'desk/deskflow.json', outside: null });
    expect(report.dialogs[0]).toBe(join(home, 'flows', 'deskflow', 'flow.json'));
  });

  it('takes Ctrl+S for the native dialog, answers the preload’s channels, and closes on "Don’t Save"', () => {
    expect(report.ctrlS).toBe(true);
    expect(report.ipc.sort()).toEqual(
      Object.values(CHANNELS)
        .filter((c) => c !== CHANNELS.runAction)
        .sort(),
    );
    expect(report.discardOnClose).toBe(true);
    expect(report.events).toContain('quit');
  });
});
