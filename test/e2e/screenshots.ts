// `npm run screenshots`: the designer's main views, light and dark, at 1024 and 1600 px wide, into
// docs/screenshots/ (the README shows them). The callback sample on a scratch copy of the samples.
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import wavefile from 'wavefile';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SAMPLES_DIR, startServer } from '../../runtime/server';
import { launchBrowser } from './browser';
import { ensureDesignerBuilt, ROOT } from './build';

const OUT = join(ROOT, 'docs', 'screenshots');
const WIDTHS = [1024, 1600] as const;
const THEMES = ['light', 'dark'] as const;

async function until(page: Page, check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`screenshots: timed out waiting for ${what}`);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  }
}

/** Prompts of 0.2 s, so the call reaches the number prompt at once. */
async function shortenPrompts(dir: string): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) await shortenPrompts(full);
    else if (e.name.toLowerCase().endsWith('.wav')) {
      const wav = new wavefile.WaveFile();
      wav.fromScratch(1, 8000, '16', new Int16Array(1600));
      await writeFile(full, wav.toBuffer());
    }
  }
}

const staticDir = await ensureDesignerBuilt();
const root = await mkdtemp(join(tmpdir(), 'ivr-shots-'));
const workspace = join(root, 'workspace');
await cp(SAMPLES_DIR, workspace, { recursive: true, filter: (src) => !src.includes('.outbox') });
await shortenPrompts(workspace);
await mkdir(OUT, { recursive: true });
const server = await startServer({ port: 0, workspace, staticDir, outboxDir: join(root, 'outbox') });
const browser = await launchBrowser();
const written: string[] = [];
try {
  for (const theme of THEMES)
    for (const width of WIDTHS) {
      const context = await browser.newContext({
        viewport: { width, height: width === 1024 ? 768 : 1000 },
        colorScheme: theme,
      });
      const page = await context.newPage();
      await page.goto(`${server.url}/?token=${server.token}&file=callback/flow.json`);
      await page.getByTestId('node-intro').waitFor();
      const shoot = async (view: string) => {
        await page.evaluate(
          () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))),
        );
        const file = join(OUT, `${view}-${theme}-${width}.png`);
        await page.screenshot({ path: file });
        written.push(file);
      };
      // The flow with a node in the inspector.
      await page.getByTestId('node-intro').locator('.flow-node__header').click();
      await shoot('designer');
      // A call waiting for the number: the phone, its digits and the trace.
      await page.getByTestId('tab-phone').click();
      await page.getByTestId('call').click();
      await until(
        page,
        async () => /is-active/.test((await page.getByTestId('node-number').getAttribute('class')) ?? ''),
        'the call',
      );
      for (const key of ['5', '5', '5']) await page.getByTestId(`key-${key}`).click();
      await until(page, async () => (await page.getByTestId('digit-display').textContent()) === '555', 'the digits');
      await shoot('call');
      await page.getByTestId('hangup').click();
      // The generated program beside the flow.
      await page.getByTestId('tab-cgpl').click();
      await page.locator('[data-testid="code-cgpl"] .cm-line').first().waitFor();
      await page.getByTestId('node-mail').locator('.flow-node__header').click();
      await shoot('code');
      await context.close();
    }
} finally {
  await browser.close();
  await server.close();
  await rm(root, { recursive: true, force: true });
}
process.stdout.write(`${written.map((f) => f.slice(ROOT.length)).join('\n')}\n`);
