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
import { gridFlow } from './bigFlow';
import { printTable, type Row } from './table';

const NODES = 1000;
const FRAME_GOAL_MS = 16.7;
/**
 * requestAnimationFrame times are vsync times coarsened to 0.1 ms: at 60 Hz an on-time frame measures
 * 16.6–16.8 ms (the idle page's own p95 is 16.8). A frame meets the 16.7 ms goal when it took one
 * vsync interval (16.67 ms) within that resolution.
 */
const ONE_VSYNC_MS = 1000 / 60 + 0.2;
const OPEN_GOAL_MS = 1000;
const MOVES = 90;
/** Just above FlowCanvas's FAR_ZOOM (0.5): the densest view drawn with React Flow's node elements. */
const NEAR_ZOOM = 0.52;

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
      // Zoomed far out the canvas draws the overview (one SVG of every node) instead of node elements.
      const overview = document.querySelector('[data-testid=overview] path');
      const nodes = document.querySelectorAll('.react-flow__node');
      let hidden = false;
      for (const n of nodes) if (n.style.visibility === 'hidden') { hidden = true; break; }
      const drawn = nodes.length + (overview ? doc.nodes.length : 0);
      const now = performance.now();
      if (drawn > 0 && marks.dom === undefined) marks.dom = now;
      if (drawn !== lastCount || hidden) { lastCount = drawn; stableSince = now; stableFrames = 0; }
      else if (drawn > 0 && ++stableFrames >= 5) { marks.drawn = stableSince; marks.count = drawn; requestAnimationFrame(listed); return; }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
    // A big flow is checked after it is drawn: when the problems panel lists the result.
    const listed = () => {
      if (document.querySelector('[data-testid=problems]')) marks.listed = performance.now();
      else requestAnimationFrame(listed);
    };

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

interface Opened {
  page: Page;
  domMs: number;
  drawnMs: number;
  listedMs: number;
}

async function openFlow(browser: Browser, server: RunningServer): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await context.addInitScript({ content: pageProbe(NODES) });
  const page = await context.newPage();
  await page.goto(`${server.url}/?token=${server.token}&file=big/flow.json`);
  try {
    await page.waitForFunction(
      () => (window as unknown as { __openMarks: { listed?: number } }).__openMarks.listed !== undefined,
      null,
      { timeout: 120_000 },
    );
  } catch (err) {
    const state = await page.evaluate(() => ({
      nodes: document.querySelectorAll('.react-flow__node').length,
      hidden: [...document.querySelectorAll<HTMLElement>('.react-flow__node')].filter(
        (n) => n.style.visibility === 'hidden',
      ).length,
      messages: document.querySelector('.toasts')?.textContent ?? '',
    }));
    throw new Error(`the flow did not finish drawing: ${JSON.stringify(state)}`, { cause: err });
  }
  const marks = await page.evaluate(
    () => (window as unknown as { __openMarks: { dom: number; drawn: number; listed: number } }).__openMarks,
  );
  if (process.env.DESIGNER_BENCH_DEBUG) {
    console.log(
      await page.evaluate(() =>
        JSON.stringify(
          performance
            .getEntriesByType('resource')
            .map((e) => [
              e.name.split('/').pop()!.slice(0, 30),
              Math.round(e.startTime),
              Math.round((e as PerformanceResourceTiming).responseEnd),
            ]),
        ),
      ),
    );
    console.log(
      await page.evaluate(() =>
        JSON.stringify(
          performance
            .getEntriesByType('long-animation-frame')
            .map((e) => [Math.round(e.startTime), Math.round(e.duration)]),
        ),
      ),
    );
  }
  return { page, domMs: marks.dom, drawnMs: marks.drawn, listedMs: marks.listed };
}

const nextFrame = (page: Page) => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => r())));

/** Moves the mouse one step per frame, as a hand does, while the page records frame times. */
async function recordGesture(
  page: Page,
  from: { x: number; y: number },
  to: { x: number; y: number },
): Promise<number[]> {
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

/**
 * A point of the empty canvas (panning starts on the pane, not on a node). Zoomed far out the nodes are
 * drawn by the overview, which lets events through to the pane: the point must also miss every node's
 * box (taken generously) in the document.
 */
async function panePoint(page: Page): Promise<{ x: number; y: number }> {
  const point = await page.evaluate(() => {
    const host = document.querySelector('.canvas-host')!.getBoundingClientRect();
    const viewport = document.querySelector('.react-flow__viewport') as HTMLElement;
    const m = /translate\(([-\d.]+)px, ([-\d.]+)px\) scale\(([\d.]+)\)/.exec(viewport.style.transform);
    const [tx, ty, zoom] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 1];
    const doc = (
      window as unknown as { ivrStudio: { ctx: { flow: { getState(): { doc: FlowDocument } } } } }
    ).ivrStudio.ctx.flow.getState().doc;
    const rect = viewport.parentElement!.getBoundingClientRect();
    // (No named functions in here: tsx would wrap them in a helper the page does not have.)
    for (let y = host.top + host.height * 0.3; y < host.bottom - 150; y += 3) {
      for (let x = host.left + host.width * 0.3; x < host.right - 200; x += 3) {
        if (!document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) continue;
        const fx = (x - rect.left - tx) / zoom,
          fy = (y - rect.top - ty) / zoom;
        if (
          !doc.nodes.some(
            (n) =>
              fx >= n.position.x - 10 &&
              fx <= n.position.x + 330 &&
              fy >= n.position.y - 10 &&
              fy <= n.position.y + 170,
          )
        )
          return { x, y };
      }
    }
    return null;
  });
  if (!point) throw new Error('no empty canvas to start a pan from');
  return point;
}

/** Nodes of the document inside the visible canvas (drawn as nodes or by the overview). */
async function nodesInView(page: Page): Promise<{ inView: number; elements: number }> {
  return page.evaluate(() => {
    const host = document.querySelector('.canvas-host')!.getBoundingClientRect();
    const viewport = document.querySelector('.react-flow__viewport') as HTMLElement;
    const m = /translate\(([-\d.]+)px, ([-\d.]+)px\) scale\(([\d.]+)\)/.exec(viewport.style.transform);
    const [tx, ty, zoom] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 1];
    const doc = (
      window as unknown as { ivrStudio: { ctx: { flow: { getState(): { doc: FlowDocument } } } } }
    ).ivrStudio.ctx.flow.getState().doc;
    const w = host.width / zoom,
      h = host.height / zoom,
      x0 = -tx / zoom,
      y0 = -ty / zoom;
    const inView = doc.nodes.filter(
      (n) => n.position.x + 220 > x0 && n.position.x < x0 + w && n.position.y + 90 > y0 && n.position.y < y0 + h,
    ).length;
    return { inView, elements: document.querySelectorAll('.react-flow__node').length };
  });
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
const frameVerdict = (p95: number) => verdict(p95, ONE_VSYNC_MS);

async function main(): Promise<void> {
  const runs = Math.max(1, Number(process.env.DESIGNER_BENCH_RUNS ?? 3));
  const other = process.env.DESIGNER_BENCH_DIST;
  if (!other) console.log('building the designer (production) if it is stale…');
  const staticDir = other ? resolve(other) : await ensureDesignerBuilt();
  const root = await mkdtemp(join(tmpdir(), 'ivr-bench-designer-'));
  const workspace = join(root, 'workspace');
  await mkdir(join(workspace, 'big'), { recursive: true });
  const flow = gridFlow(NODES);
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

    // A big flow opens at 100 % at its start; Fit shows every node, drawn by the overview: pan there.
    await page.evaluate(() =>
      (
        window as unknown as { ivrStudio: { ctx: { canvas: { fitView(o: { instant: boolean }): void } } } }
      ).ivrStudio.ctx.canvas.fitView({ instant: true }),
    );
    await page.waitForFunction(() => !!document.querySelector('[data-testid=overview]'));
    await idleFrames(page, 30);
    const farView = await nodesInView(page);
    let from = await panePoint(page);
    const pan = await recordGesture(page, from, { x: from.x - 300, y: from.y - 200 });

    // Pan just above the overview's zoom: the most nodes React Flow draws as nodes at once.
    await page.evaluate(
      (zoom) =>
        (
          window as unknown as { ivrStudio: { ctx: { canvas: { zoomTo(z: number): void } } } }
        ).ivrStudio.ctx.canvas.zoomTo(zoom),
      NEAR_ZOOM,
    );
    await page.waitForFunction(
      () =>
        document.querySelectorAll('.react-flow__node').length > 0 && !document.querySelector('[data-testid=overview]'),
    );
    await idleFrames(page, 30);
    const nearView = await nodesInView(page);
    from = await panePoint(page);
    const panNear = await recordGesture(page, from, { x: from.x - 300, y: from.y - 200 });

    // Drag one node at a working zoom.
    const target = flow.nodes[Math.floor(NODES / 2)]!.id;
    await page.evaluate(
      (id) =>
        (
          window as unknown as { ivrStudio: { ctx: { canvas: { centreOn(id: string): void } } } }
        ).ivrStudio.ctx.canvas.centreOn(id),
      target,
    );
    await page.waitForFunction(() => {
      const t = (document.querySelector('.react-flow__viewport') as HTMLElement | null)?.style.transform ?? '';
      return /scale\((0\.9|1)\)/.test(t);
    });
    await idleFrames(page, 20);
    const grab = await nodeHeader(page, target);
    const moved = flow.nodes.find((n) => n.id === target)!.position;
    const cdp = process.env.DESIGNER_BENCH_PROFILE ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    if (process.env.DESIGNER_BENCH_TRACE)
      await browser.startTracing(page, {
        path: process.env.DESIGNER_BENCH_TRACE,
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
      });
    const drag = await recordGesture(page, grab, { x: grab.x + 250, y: grab.y + 120 });
    if (process.env.DESIGNER_BENCH_TRACE) await browser.stopTracing();
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      await writeFile(process.env.DESIGNER_BENCH_PROFILE!, JSON.stringify(profile));
    }
    const after = await page.evaluate(
      (id) =>
        (
          window as unknown as { ivrStudio: { ctx: { flow: { getState(): { doc: FlowDocument } } } } }
        ).ivrStudio.ctx.flow
          .getState()
          .doc.nodes.find((n) => n.id === id)!.position,
      target,
    );
    if (after.x === moved.x && after.y === moved.y) console.warn(`warning: the drag did not move node ${target}`);

    const domMs = median(opens.map((o) => o.domMs));
    const drawnMs = median(opens.map((o) => o.drawnMs));
    const rows: Row[] = [
      {
        measure: `open → the file's first nodes in the DOM (median of ${runs})`,
        value: domMs,
        unit: 'ms',
        goal: '',
        met: '',
      },
      {
        measure: `open → the nodes in view drawn (median of ${runs})`,
        value: drawnMs,
        unit: 'ms',
        goal: `≤ ${OPEN_GOAL_MS}`,
        met: verdict(drawnMs, OPEN_GOAL_MS),
      },
      {
        measure: `open → its problems listed (median of ${runs})`,
        value: median(opens.map((o) => o.listedMs)),
        unit: 'ms',
        goal: '',
        met: '',
      },
      {
        measure: `idle frame p50 (${idle.length} frames, baseline)`,
        value: median(idle),
        unit: 'ms',
        goal: '',
        met: '',
      },
      {
        measure: 'idle frame p95 (baseline: one vsync, 0.1 ms timer)',
        value: percentile(idle, 95),
        unit: 'ms',
        goal: '',
        met: '',
      },
      {
        measure: `pan, fitted (overview: ${farView.inView} nodes in view) p50`,
        value: median(pan),
        unit: 'ms',
        goal: '',
        met: '',
      },
      {
        measure: `pan, fitted p95`,
        value: percentile(pan, 95),
        unit: 'ms',
        goal: `≤ ${FRAME_GOAL_MS}`,
        met: frameVerdict(percentile(pan, 95)),
      },
      {
        measure: `pan, zoom ${NEAR_ZOOM} (${nearView.elements} node elements) p50`,
        value: median(panNear),
        unit: 'ms',
        goal: '',
        met: '',
      },
      {
        measure: `pan, zoom ${NEAR_ZOOM} p95`,
        value: percentile(panNear, 95),
        unit: 'ms',
        goal: `≤ ${FRAME_GOAL_MS}`,
        met: frameVerdict(percentile(panNear, 95)),
      },
      { measure: `drag frame p50 (${drag.length} frames)`, value: median(drag), unit: 'ms', goal: '', met: '' },
      {
        measure: 'drag frame p95',
        value: percentile(drag, 95),
        unit: 'ms',
        goal: `≤ ${FRAME_GOAL_MS}`,
        met: frameVerdict(percentile(drag, 95)),
      },
    ];
    printTable(
      `Designer, ${NODES}-node flow, production build, headless Chromium (${process.env.DESIGNER_BENCH_RUNS ? '' : 'default '}${runs} opens)`,
      rows,
    );
    console.log(
      `open runs (dom/drawn/listed ms): ${opens.map((o) => `${o.domMs.toFixed(0)}/${o.drawnMs.toFixed(0)}/${o.listedMs.toFixed(0)}`).join(', ')}; pan max ${Math.max(...pan).toFixed(1)}/${Math.max(...panNear).toFixed(1)} ms, drag max ${Math.max(...drag).toFixed(1)} ms`,
    );
  } finally {
    await browser.close().catch(() => {});
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
