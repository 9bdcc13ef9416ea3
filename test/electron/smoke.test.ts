// The real thing: Electron launched by Playwright on the bundled shell. Runs only where Electron's
// binary is installed (its download fails on some machines); elsewhere it is reported as skipped.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDesktop, ROOT } from '../../electron/build';
import { findElectron } from '../../electron/locate';

const electron = findElectron();
const hasElectron = electron.ok;
const designerBuilt = existsSync(join(ROOT, 'dist', 'designer', 'index.html'));
const name = hasElectron
  ? 'Electron smoke: the window opens the designer, isolated, with the desktop bridge'
  : `Electron smoke (skipped: Electron binary not installed — ${electron.reason})`;

describe('desktop app', () => {
  it.skipIf(!hasElectron)(
    name,
    async () => {
      if (!electron.ok) return;
      const { _electron } = await import('playwright-core');
      const { main } = await buildDesktop();
      const home = await mkdtemp(join(tmpdir(), 'ivr-smoke-'));
      const app = await _electron.launch({
        executablePath: electron.binary,
        args: [main, ...(process.platform === 'linux' && process.env.CI ? ['--no-sandbox'] : [])],
        env: {
          ...process.env,
          IVR_STUDIO_WORKSPACE: join(ROOT, 'samples'),
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
        if (designerBuilt) {
          await page.waitForFunction(() => 'ivrStudio' in window, null, { timeout: 15_000 });
          await expect
            .poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle() ?? ''))
            .toContain('IVR Studio');
        }
      } finally {
        await app.close();
        await rm(home, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
