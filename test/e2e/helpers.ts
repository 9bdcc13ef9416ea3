// The browser tests' world: a production build of the designer, the local server on a temporary
// workspace (a copy of the samples with 0.2 s prompts, plus an empty folder for new flows), Debian's
// Chromium driven by playwright-core, and screenshots under test-output/e2e.
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { expect } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, SAMPLES_DIR, type RunningServer } from '../../runtime/server';
import type { FlowDocument } from '../../compiler/flow/schema';
import { ensureDesignerBuilt, ROOT } from './build';
import { launchBrowser } from './browser';

export const SHOTS = join(ROOT, 'test-output', 'e2e');
export const PROMPT_MS = 200;

/** 8 kHz mono 16-bit silence: every prompt plays for `ms` on the server's real clock. */
export function shortWav(ms = PROMPT_MS): Uint8Array {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, 8000, '16', new Int16Array(Math.round((ms * 8000) / 1000)));
  return wav.toBuffer();
}

async function shortenPrompts(dir: string): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) await shortenPrompts(full);
    else if (e.name.toLowerCase().endsWith('.wav')) await writeFile(full, shortWav());
  }
}

export interface E2E {
  server: RunningServer;
  browser: Browser;
  workspace: string;
  /** A fresh browser context (its own localStorage) with a page on the designer (of `server`, default the first). */
  open(query?: string, options?: OpenOptions): Promise<AppPage>;
  /** Another server on the same workspace (a new port, as after a restart); closed with the rest. */
  startServer(): Promise<RunningServer>;
  close(): Promise<void>;
}

export interface OpenOptions {
  server?: RunningServer;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  /** Scripts run in the page before the designer (e.g. a fake desktop bridge). */
  initScript?: string;
}

export interface AppPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught errors in the page: a test ends by checking there were none. */
  errors: string[];
}

/** Build (when stale), workspace, server and browser. Call in beforeAll; close() in afterAll. */
export async function setUpE2E(): Promise<E2E> {
  const staticDir = await ensureDesignerBuilt();
  const root = await mkdtemp(join(tmpdir(), 'ivr-e2e-'));
  const workspace = join(root, 'workspace');
  await cp(SAMPLES_DIR, workspace, { recursive: true, filter: (src) => !src.includes('.outbox') });
  await shortenPrompts(workspace);
  await mkdir(join(workspace, 'new'), { recursive: true });
  await mkdir(SHOTS, { recursive: true });
  const server = await startServer({ port: 0, workspace, staticDir, outboxDir: join(root, 'outbox') });
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (err) {
    await server.close();
    throw err;
  }
  const contexts: BrowserContext[] = [];
  const servers: RunningServer[] = [];
  return {
    server,
    browser,
    workspace,
    async startServer() {
      const another = await startServer({ port: 0, workspace, staticDir, outboxDir: join(root, 'outbox') });
      servers.push(another);
      return another;
    },
    async open(query = '', options: OpenOptions = {}) {
      const on = options.server ?? server;
      const context = await browser.newContext({
        viewport: options.viewport ?? { width: 1600, height: 1000 },
        acceptDownloads: true,
        ...(options.colorScheme ? { colorScheme: options.colorScheme } : {}),
      });
      if (options.initScript) await context.addInitScript(options.initScript);
      contexts.push(context);
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      const app: AppPage = { page, context, errors: [] };
      // The designer asks in its own dialogs; only beforeunload (leaving unsaved work) is native.
      page.on('dialog', (d) => void (d.type() === 'beforeunload' ? d.accept() : d.dismiss()));
      page.on('pageerror', (err) => app.errors.push(err.stack ?? err.message));
      const sep = query ? '&' : '';
      await page.goto(`${on.url}/?token=${on.token}${sep}${query}`);
      await page.getByTestId('canvas').waitFor();
      return app;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close().catch(() => {});
      for (const s of servers) await s.close().catch(() => {});
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Answers the in-app "Save as" dialog with `path` (the field starts with the suggestion). */
export async function answerPath(page: Page, path: string): Promise<void> {
  const input = page.getByTestId('modal-input');
  await input.waitFor();
  await input.fill(path);
  await page.getByTestId('modal-ok').click();
}

/** Clicks a button of the in-app question dialog (its id: replace, cancel, reload, overwrite …). */
export async function answerChoice(page: Page, id: string): Promise<string> {
  await page.getByTestId('modal').waitFor();
  const message = (await page.getByTestId('modal-message').textContent()) ?? '';
  await page.getByTestId(`modal-${id}`).click();
  // Gone, or already replaced by the dialog the answer opens (Save as… asks for a name at once).
  await poll(
    async () =>
      (await page.getByTestId('modal').count()) === 0 ||
      !(await page.getByTestId('modal-message').allTextContents()).includes(message),
  ).toBe(true);
  return message;
}

/** A screenshot of the page once the canvas has stopped moving. */
export async function shot(page: Page, name: string): Promise<void> {
  await settled(page);
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** The page's document (read only: assertions look at what the UI did). */
export function readDoc(page: Page): Promise<FlowDocument> {
  return page.evaluate(
    () =>
      (
        window as unknown as { ivrStudio: { ctx: { flow: { getState(): { doc: FlowDocument } } } } }
      ).ivrStudio.ctx.flow.getState().doc,
  );
}

export function readSelection(page: Page): Promise<{ nodes: string[]; edges: string[]; notes: string[] }> {
  return page.evaluate(
    () =>
      (
        window as unknown as {
          ivrStudio: {
            ctx: { flow: { getState(): { selection: { nodes: string[]; edges: string[]; notes: string[] } } } };
          };
        }
      ).ivrStudio.ctx.flow.getState().selection,
  );
}

/**
 * A real HTML5 drag from a palette item to a point of the canvas (relative to its top-left corner):
 * Playwright's mouse drives Chromium's native drag and drop, so the palette's dragstart fills the
 * DataTransfer and the canvas's drop reads it. Returns the id of the node that appeared.
 */
export async function dropFromPalette(page: Page, type: string, at: { x: number; y: number }): Promise<string> {
  const before = new Set((await readDoc(page)).nodes.map((n) => n.id));
  await page.dragAndDrop(`[data-testid="palette-${type}"]`, '[data-testid="canvas"]', { targetPosition: at });
  const added = async () =>
    (await readDoc(page)).nodes.filter((n) => !before.has(n.id)).map((n) => `${n.type}:${n.id}`);
  await poll(async () => (await added()).length).toBe(1);
  const [kind, id] = (await added())[0]!.split(':') as [string, string];
  expect(kind).toBe(type);
  await page.getByTestId(`node-${id}`).waitFor();
  return id;
}

/** Presses the mouse on `from`'s centre, moves in steps to `to`'s centre and releases. */
export async function mouseDrag(
  page: Page,
  from: { x: number; y: number },
  to: { x: number; y: number },
  steps = 8,
): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 4, from.y + 4);
  await page.mouse.move(to.x, to.y, { steps });
  await page.mouse.up();
}

export async function centreOf(page: Page, testId: string): Promise<{ x: number; y: number }> {
  const box = await page.getByTestId(testId).boundingBox();
  if (!box) throw new Error(`${testId} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** vitest's expect.poll with a browser-friendly timeout: tests wait for conditions, never for time. */
export function poll<T>(fn: () => T | Promise<T>, timeout = 10_000) {
  return expect.poll(fn, { timeout, interval: 50 });
}

/** Waits until the canvas stops moving (fit view and layout animate the viewport). */
export async function settled(page: Page): Promise<void> {
  const read = () => page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
  await poll(async () => {
    const a = await read();
    await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
    return a === (await read());
  }).toBe(true);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core (from npm, injected into the page) on what the page shows now: the serious and critical
 * violations, each with the elements it found (the designer's acceptance: none on the main views).
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const { createRequire } = await import('node:module');
  const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: unknown[] }> } })
      .axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations as { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
  });
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
}
