// `npm run bench:designer`: the designer's production build in headless Chromium on a generated
// 1,000-node flow — time to open it (navigation → every node in the DOM, and → every node measured
// and drawn), and frame times (requestAnimationFrame deltas collected in the page) while panning the
// canvas and while dragging a node. Printed against the goals, never asserted.
// DESIGNER_BENCH_RUNS sets how many times the flow is opened (default 3; the median is reported).
// DESIGNER_BENCH_DIST=<folder> measures another build of the designer (e.g. an older one, for an A/B
// run on the same busy machine) instead of building dist/designer.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { FlowDocument } from '../../compiler/flow/schema';
import { startServer, type RunningServer } from '../../runtime/server';
import { ensureDesignerBuilt } from '../e2e/build';
import { launchBrowser } from '../e2e/browser';
import { bigFlow } from './bigFlow';
import { printTable, type Row } from './table';

const NODES = 1000;
const FRAME_GOAL_MS = 16.7;
const OPEN_GOAL_MS = 1000;
const MOVES = 90;

/** bigFlow's sections, padded to exactly NODES and laid out on a grid so no node hides another. */
function thousandNodeFlow(): FlowDocument {
  const flow = bigFlow(NODES);
  const extra = NODES - flow.nodes.length;
  const last = flow.edges.find((e) => e.target === 'bye')!;
  let prev = last.source;
  let prevHandle = last.sourceHandle;
  const edges = flow.edges.filter((e) => e !== last);
  const nodes = flow.nodes.filter((n) => n.id !== 'bye');
  for (let i = 0; i < extra; i++) {
    const id = `pad${i}`;
    nodes.push({ id, type: 'play', position: { x: 0, y: 0 }, data: { prompts: ['Welcome'], interruptible: true } });
    edges.push({ id: `pad-e${i}`, source: prev, sourceHandle: prevHandle, target: id });
    prev = id;
    prevHandle = 'next';
  }
  nodes.push(flow.nodes.find((n) => n.id === 'bye')!);
  edges.push({ id: 'pad-bye', source: prev, sourceHandle: prevHandle, target: 'bye' });
  const columns = Math.ceil(Math.sqrt(NODES));
  const placed = nodes.map((n, i) => ({ ...n, position: { x: (i % columns) * 300, y: Math.floor(i / columns) * 220 } }));
  return { ...flow, name: 'big', nodes: placed, edges };
}

/**
 * Runs in the page before its scripts: the open milestones, and a frame recorder. Plain JS text: a
 * function handed to addInitScript would carry tsx's name helpers, which do not exist in the page.
 */
function pageProbe(total: number): string {
  return `(() => {
    const marks = {};
    window.__openMarks = marks;
    // The canvas draws only the nodes in view (onlyRenderVisibleElements): opened = the page holds the
    // ${total}-node document, and the node count stops changing, none of them hidden (React Flow hides
    // a node until it has measured it). Before the file arrives the page shows its start-up flow (one
    // start node): that must not count as the flow drawn.
    let lastCount = -1, stableSince = 0, stableFrames = 0;
    const check = () => {
      const doc = window.ivrStudio && window.ivrStudio.ctx.flow.getState().doc;
      if (!doc || doc.nodes.length !== ${total}) { requestAnimationFrame(check); return; }
      const nodes = document.querySelectorAll('.react-flow__node');
      let hidden = false;
      for (const n of nodes) if (n.style.visibility === 'hidden') { hidden = true; break; }
      const now = performance.now();
      if (nodes.length > 0 && marks.dom === undefined) marks.dom = now;
      if (nodes.length !== lastCount || hidden) { lastCount = nodes.length; stableSince = now; stableFrames = 0; }
      else if (nodes.length > 0 && ++stableFrames >= 5) { marks.drawn = stableSince; marks.count = nodes.length; return; }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);

    let deltas = [];
    let running = false;
    let last = 0;
    const tick = (t) => {
      if (!running) return;
      if (last) deltas.push(t - last);
      last = t;
      requestAnimationFrame(tick);
    };
    window.__frames = {
      start() { deltas = []; last = 0; running = true; requestAnimationFrame(tick); },
      stop() { running = false; return deltas; },
    };
  })();`;
}

interface Opened { page: Page; domMs: number; drawnMs: number }

async function openFlow(browser: Browser, server: RunningServer): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await context.addInitScript({ content: pageProbe(NODES) });
  const page = await context.newPage();
  await page.goto(`${server.url}/?token=${server.token}&file=big/flow.json`);
  try {
    await page.waitForFunction(() => (window as unknown as { __openMarks: { drawn?: number } }).__openMarks.drawn !== undefined, null, { timeout: 120_000 });
  } catch (err) {
    const state = await page.evaluate(() => ({
      nodes: document.querySelectorAll('.react-flow__node').length,
      hidden: [...document.querySelectorAll<HTMLElement>('.react-flow__node')].filter((n) => n.style.visibility === 'hidden').length,
      messages: document.querySelector('.toasts')?.textContent ?? '',
    }));
    throw new Error(`the flow did not finish drawing: ${JSON.stringify(state)}`, { cause: err });
  }
  const marks = await page.evaluate(() => (window as unknown as { __openMarks: { dom: number; drawn: number } }).__openMarks);
  return { page, domMs: marks.dom, drawnMs: marks.drawn };
}

const nextFrame = (page: Page) => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => r())));

/** Moves the mouse one step per frame, as a hand does, while the page records frame times. */
async function recordGesture(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<number[]> {
  await page.mouse.move(from.x, from.y);
  await nextFrame(page);
  await page.evaluate(() => (window as unknown as { __frames: { start(): void } }).__frames.start());
  await page.mouse.down();
  for (let i = 1; i <= MOVES; i++) {
    const f = i / MOVES;
    await page.mouse.move(from.x + (to.x - from.x) * f, from.y + (to.y - from.y) * f);
    await nextFrame(page);
  }
  await page.mouse.up();
  await nextFrame(page);
  await nextFrame(page);
  return page.evaluate(() => (window as unknown as { __frames: { stop(): number[] } }).__frames.stop());
}

async function idleFrames(page: Page, frames = 60): Promise<number[]> {
  await page.evaluate(() => (window as unknown as { __frames: { start(): void } }).__frames.start());
  for (let i = 0; i < frames; i++) await nextFrame(page);
  return page.evaluate(() => (window as unknown as { __frames: { stop(): number[] } }).__frames.stop());
}

/** A point of the empty canvas (panning starts on the pane, not on a node). */
async function panePoint(page: Page): Promise<{ x: number; y: number }> {
  const point = await page.evaluate(() => {
    const host = document.querySelector('.canvas-host')!.getBoundingClientRect();
    for (let y = host.top + host.height * 0.3; y < host.bottom - 150; y += 3) {
      for (let x = host.left + host.width * 0.3; x < host.right - 200; x += 3) {
        if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
      }
    }
    return null;
  });
  if (!point) throw new Error('no empty canvas to start a pan from');
  return point;
}

async function nodeHeader(page: Page, id: string): Promise<{ x: number; y: number }> {
  const box = await page.getByTestId(`node-${id}`).locator('.flow-node__header').boundingBox();
  if (!box) throw new Error(`node ${id} is not on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

const median = (values: number[]) => percentile(values, 50);
const verdict = (value: number, goal: number) => (value <= goal ? 'yes' : 'NO');

async function main(): Promise<void> {
  const runs = Math.max(1, Number(process.env.DESIGNER_BENCH_RUNS ?? 3));
  const other = process.env.DESIGNER_BENCH_DIST;
  if (!other) console.log('building the designer (production) if it is stale…');
  const staticDir = other ? resolve(other) : await ensureDesignerBuilt();
  const root = await mkdtemp(join(tmpdir(), 'ivr-bench-designer-'));
  const workspace = join(root, 'workspace');
  await mkdir(join(workspace, 'big'), { recursive: true });
  const flow = thousandNodeFlow();
  await writeFile(join(workspace, 'big', 'flow.json'), JSON.stringify(flow, null, 2));
  const server = await startServer({ port: 0, workspace, staticDir, outboxDir: join(root, 'outbox') });
  const browser = await launchBrowser();
  try {
    const opens: Opened[] = [];
    for (let i = 0; i < runs; i++) {
      const opened = await openFlow(browser, server);
      opens.push(opened);
      if (i < runs - 1) await opened.page.context().close();
    }
    const page = opens[opens.length - 1]!.page;
    const idle = await idleFrames(page);

    // Pan at the zoom the flow opens with (fitted, at the minimum zoom: hundreds of nodes on screen).
    const onScreen = await page.evaluate(() => {
      const host = document.querySelector('.canvas-host')!.getBoundingClientRect();
      return [...document.querySelectorAll('.react-flow__node')].filter((n) => {
        const r = n.getBoundingClientRect();
        return r.right > host.left && r.left < host.right && r.bottom > host.top && r.top < host.bottom;
      }).length;
    });
    const from = await panePoint(page);
    const pan = await recordGesture(page, from, { x: from.x - 300, y: from.y - 200 });

    // Drag one node at a working zoom.
    const target = flow.nodes[Math.floor(NODES / 2)]!.id;
    await page.evaluate((id) => (window as unknown as { ivrStudio: { ctx: { canvas: { centreOn(id: string): void } } } }).ivrStudio.ctx.canvas.centreOn(id), target);
    await page.waitForFunction(() => {
      const t = (document.querySelector('.react-flow__viewport') as HTMLElement | null)?.style.transform ?? '';
      return /scale\((0\.9|1)\)/.test(t);
    });
    await idleFrames(page, 20);
    const grab = await nodeHeader(page, target);
    const moved = flow.nodes.find((n) => n.id === target)!.position;
    const drag = await recordGesture(page, grab, { x: grab.x + 250, y: grab.y + 120 });
    const after = await page.evaluate((id) => (window as unknown as { ivrStudio: { ctx: { flow: { getState(): { doc: FlowDocument } } } } }).ivrStudio.ctx.flow.getState().doc.nodes.find((n) => n.id === id)!.position, target);
    if (after.x === moved.x && after.y === moved.y) console.warn(`warning: the drag did not move node ${target}`);

    const domMs = median(opens.map((o) => o.domMs));
    const drawnMs = median(opens.map((o) => o.drawnMs));
    const rows: Row[] = [
      { measure: `open → the file's first nodes in the DOM (median of ${runs})`, value: domMs, unit: 'ms', goal: '', met: '' },
      { measure: `open → the nodes in view drawn (median of ${runs})`, value: drawnMs, unit: 'ms', goal: `≤ ${OPEN_GOAL_MS}`, met: verdict(drawnMs, OPEN_GOAL_MS) },
      { measure: `idle frame p50 (${idle.length} frames, baseline)`, value: median(idle), unit: 'ms', goal: '', met: '' },
      { measure: `pan frame p50 (${pan.length} frames, ${onScreen} nodes on screen)`, value: median(pan), unit: 'ms', goal: '', met: '' },
      { measure: 'pan frame p95', value: percentile(pan, 95), unit: 'ms', goal: `≤ ${FRAME_GOAL_MS}`, met: verdict(percentile(pan, 95), FRAME_GOAL_MS) },
      { measure: `drag frame p50 (${drag.length} frames)`, value: median(drag), unit: 'ms', goal: '', met: '' },
      { measure: 'drag frame p95', value: percentile(drag, 95), unit: 'ms', goal: `≤ ${FRAME_GOAL_MS}`, met: verdict(percentile(drag, 95), FRAME_GOAL_MS) },
    ];
    printTable(`Designer, ${NODES}-node flow, production build, headless Chromium (${process.env.DESIGNER_BENCH_RUNS ? '' : 'default '}${runs} opens)`, rows);
    console.log(`open runs (dom/drawn ms): ${opens.map((o) => `${o.domMs.toFixed(0)}/${o.drawnMs.toFixed(0)}`).join(', ')}; pan max ${Math.max(...pan).toFixed(1)} ms, drag max ${Math.max(...drag).toFixed(1)} ms`);
  } finally {
    await browser.close().catch(() => {});
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : String(err));
  process.exit(1);
});
