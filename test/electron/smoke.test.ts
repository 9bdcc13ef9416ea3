// The real thing: Electron launched by Playwright on the bundled shell, under Xvfb when there is no
// display. Runs wherever Electron's binary is installed (its download fails on some machines) and a
// display or Xvfb is there (Debian package xvfb); otherwise it is reported as skipped, with the reason.
// Besides opening the designer isolated with the desktop bridge, it saves a new flow the desktop way:
// the page's Save goes through the preload bridge to the native Save dialog (answered in the main
// process) and the file lands in the workspace.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDesktop, ROOT } from '../../electron/build';
import { findElectron } from '../../electron/locate';

const electron = findElectron();
const hasXvfb = spawnSync('sh', ['-c', 'command -v Xvfb'], { encoding: 'utf8' }).status === 0;
const display = process.env.DISPLAY || (hasXvfb ? 'xvfb' : null);
const designerBuilt = existsSync(join(ROOT, 'dist', 'designer', 'index.html'));
const skipped = !electron.ok
  ? `Electron binary not installed — ${electron.reason}`
  : !display
    ? 'no display and no Xvfb (apt-get install xvfb)'
    : null;
const name = skipped
  ? `Electron smoke (skipped: ${skipped})`
  : 'Electron smoke: the window opens the designer, isolated, with the desktop bridge, and saves through it';

/** A virtual display: Xvfb picks a free number and writes it to the pipe (-displayfd). */
async function startXvfb(): Promise<{ display: string; stop(): void }> {
  const x: ChildProcess = spawn('Xvfb', ['-displayfd', '1', '-nolisten', 'tcp', '-screen', '0', '1600x1000x24'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const number = await new Promise<string>((resolve, reject) => {
    let out = '';
    x.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.trim());
    });
    x.on('exit', (code) => reject(new Error(`Xvfb exited ${code}`)));
  });
  return { display: `:${number}`, stop: () => x.kill() };
}

describe('desktop app', () => {
  it.skipIf(skipped !== null)(
    name,
    async () => {
      if (!electron.ok) return;
      const { _electron } = await import('playwright-core');
      const { main } = await buildDesktop();
      const home = await mkdtemp(join(tmpdir(), 'ivr-smoke-'));
      const workspace = join(home, 'flows');
      await mkdir(workspace, { recursive: true });
      const x = process.env.DISPLAY ? null : await startXvfb();
      const app = await _electron.launch({
        executablePath: electron.binary,
        args: [main, ...(process.platform === 'linux' && process.env.CI ? ['--no-sandbox'] : [])],
        env: {
          ...process.env,
          DISPLAY: x?.display ?? process.env.DISPLAY ?? '',
          IVR_STUDIO_WORKSPACE: workspace,
          IVR_STUDIO_OUTBOX: join(home, 'outbox'),
        } as Record<string, string>,
      });
      try {
        const page = await app.firstWindow();
        await page.waitForLoadState('domcontentloaded');
        expect(page.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
        const seen = await page.evaluate(() => ({
          bridge: typeof window.ivrDesktop === 'object' && window.ivrDesktop?.isDesktop === true,
          node:
            typeof (globalThis as { require?: unknown }).require !== 'undefined' ||
            typeof (globalThis as { process?: unknown }).process !== 'undefined',
        }));
        expect(seen).toEqual({ bridge: true, node: false });
        if (!designerBuilt) return;
        await page.waitForFunction(() => 'ivrStudio' in window, null, { timeout: 15_000 });
        await expect
          .poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle() ?? ''))
          .toContain('IVR Studio');
        // The native Save dialog, answered in the main process: <workspace>/desk/smoke.
        await app.evaluate(
          ({ dialog }, target) => {
            dialog.showSaveDialog = (async () => ({
              canceled: false,
              filePath: target,
            })) as typeof dialog.showSaveDialog;
          },
          join(workspace, 'desk', 'smoke'),
        );
        await page.getByLabel('Application name').fill('smoke');
        await page.getByTestId('save').click();
        await expect.poll(() => existsSync(join(workspace, 'desk', 'smoke.json')), { timeout: 15_000 }).toBe(true);
        await expect.poll(() => page.getByTestId('doc-title').textContent()).toContain('desk/smoke.json');
      } finally {
        await app.close();
        x?.stop();
        await rm(home, { recursive: true, force: true });
      }
    },
    90_000,
  );
});
