// A big flow zoomed far out: the overview draws every node (no React Flow node elements), and the
// gestures still work there — click selects, drag moves (one undo step), Shift-drag selects a
// rectangle, a click on empty canvas clears, double-click and the problems list zoom in on a node,
// the zoom shortcuts and the minimap move the view. Its 116 warnings are listed 100 at first.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { gridFlow } from '../bench/bigFlow';
import { poll, readDoc, readSelection, settled, setUpE2E, shot, type E2E } from './helpers';

let e2e: E2E;
beforeAll(async () => {
  e2e = await setUpE2E();
  await mkdir(join(e2e.workspace, 'big'), { recursive: true });
  await writeFile(join(e2e.workspace, 'big', 'flow.json'), JSON.stringify(gridFlow(700), null, 2));
}, 120_000);
afterAll(async () => {
  await e2e?.close();
});

interface View {
  tx: number;
  ty: number;
  zoom: number;
  left: number;
  top: number;
}

async function view(page: Page): Promise<View> {
  return page.locator('.react-flow__viewport').evaluate((el) => {
    const m = /translate\(([-\d.]+)px, ([-\d.]+)px\) scale\(([\d.]+)\)/.exec((el as HTMLElement).style.transform);
    const r = el.parentElement!.getBoundingClientRect();
    return { tx: Number(m![1]), ty: Number(m![2]), zoom: Number(m![3]), left: r.left, top: r.top };
  });
}

/** Where a point of the flow is on the screen. */
async function onScreen(page: Page, p: { x: number; y: number }): Promise<{ x: number; y: number }> {
  const v = await view(page);
  return { x: v.left + v.tx + p.x * v.zoom, y: v.top + v.ty + p.y * v.zoom };
}

/** The middle of a node's header band, on screen. */
async function nodePoint(page: Page, id: string): Promise<{ x: number; y: number }> {
  const n = (await readDoc(page)).nodes.find((x) => x.id === id)!;
  return onScreen(page, { x: n.position.x + 60, y: n.position.y + 20 });
}

const nodeElements = (page: Page) => page.locator('.react-flow__node').count();

describe('the overview of a big flow', () => {
  it('draws the flow without node elements and keeps select, move, band-select, zoom and minimap', async () => {
    const { page, errors } = await e2e.open('file=big/flow.json');
    // A big flow opens readable, at 100 % at its start; Fit shows all of it, drawn by the overview.
    await page.getByTestId('node-start').waitFor();
    expect((await view(page)).zoom).toBe(1);
    await page.keyboard.press('Control+Shift+f');
    await page.getByTestId('overview').waitFor();
    await settled(page);
    const doc = await readDoc(page);
    expect(doc.nodes).toHaveLength(700);
    expect((await view(page)).zoom).toBeLessThan(0.5);
    expect(await nodeElements(page)).toBe(0);
    // One path per node type (plus headers), not one element per node.
    expect(await page.getByTestId('overview').locator('path').count()).toBeLessThan(40);
    await page.getByTestId('minimap').waitFor();
    // The file was read once, by index.html while the script loaded; the app took that response.
    const reads = await page.evaluate(
      () => performance.getEntriesByType('resource').filter((e) => /\/api\/(flow|file)\?/.test(e.name)).length,
    );
    expect(reads).toBe(1);
    await shot(page, 'overview-01-opened');

    // Click the node nearest the middle of the canvas: it is selected.
    const host = (await page.getByTestId('canvas').boundingBox())!;
    const middle = { x: host.x + host.width / 2, y: host.y + host.height / 2 };
    let target = doc.nodes[0]!;
    let best = Infinity;
    const v = await view(page);
    for (const n of doc.nodes) {
      const p = { x: v.left + v.tx + n.position.x * v.zoom, y: v.top + v.ty + n.position.y * v.zoom };
      const d = Math.hypot(p.x - middle.x, p.y - middle.y);
      if (d < best) {
        best = d;
        target = n;
      }
    }
    // gridFlow lays nodes out row by row: the next one is to the right, on the same row.
    const neighbour = doc.nodes[doc.nodes.indexOf(target) + 1]!;
    expect(neighbour.position.y).toBe(target.position.y);
    await page.mouse.click(...(Object.values(await nodePoint(page, target.id)) as [number, number]));
    await poll(() => readSelection(page)).toEqual({ nodes: [target.id], edges: [], notes: [] });
    await page.getByTestId('overview-selected').waitFor();

    // Drag it: it moves by the mouse's distance in flow units; Ctrl+Z puts it back in one step.
    const from = await nodePoint(page, target.id);
    const { zoom } = await view(page);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    for (let i = 1; i <= 6; i++) await page.mouse.move(from.x + 10 * i, from.y + 5 * i);
    await page.mouse.up();
    const moved = (await readDoc(page)).nodes.find((n) => n.id === target.id)!.position;
    expect(moved.x - target.position.x).toBeCloseTo(60 / zoom, -1);
    expect(moved.y - target.position.y).toBeCloseTo(30 / zoom, -1);
    await page.keyboard.press('Control+z');
    await poll(async () => (await readDoc(page)).nodes.find((n) => n.id === target.id)!.position).toEqual(
      target.position,
    );
    await page.keyboard.press('Control+Shift+z');
    await poll(async () => (await readDoc(page)).nodes.find((n) => n.id === target.id)!.position).toEqual(moved);
    await page.keyboard.press('Control+z');

    // A click on empty canvas clears the selection.
    const gap = await onScreen(page, { x: target.position.x + 10, y: target.position.y + 180 });
    await page.mouse.click(gap.x, gap.y);
    await poll(() => readSelection(page)).toEqual({ nodes: [], edges: [], notes: [] });

    // Shift-drag on empty canvas selects the nodes the rectangle touches: the target and its neighbour.
    const a = await onScreen(page, { x: target.position.x - 20, y: target.position.y - 20 });
    const b = await onScreen(page, { x: neighbour.position.x + 40, y: neighbour.position.y + 40 });
    await page.keyboard.down('Shift');
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await poll(async () => [...(await readSelection(page)).nodes].sort()).toEqual([target.id, neighbour.id].sort());
    await shot(page, 'overview-02-band-selected');

    // A call's position and path show in the overview (the call store is what a running call fills).
    const path = [doc.nodes[0]!.id, doc.nodes[1]!.id, target.id];
    await page.evaluate((visited) => {
      const call = (window as unknown as { ivrStudio: { ctx: { call: { setState(s: object): void } } } }).ivrStudio.ctx
        .call;
      call.setState({ activeNodeId: visited[visited.length - 1], visited });
    }, path);
    await page.getByTestId('overview-active').waitFor();
    await page.getByTestId('overview-visited').waitFor();
    expect((await page.getByTestId('overview-active').getAttribute('d'))!.match(/z/g)).toHaveLength(1);
    expect((await page.getByTestId('overview-visited').getAttribute('d'))!.match(/z/g)).toHaveLength(3);
    await page.evaluate(() =>
      (
        window as unknown as { ivrStudio: { ctx: { call: { setState(s: object): void } } } }
      ).ivrStudio.ctx.call.setState({ activeNodeId: null, visited: [] }),
    );
    await poll(() => page.getByTestId('overview-active').count()).toBe(0);

    // The minimap moves the view to where it is pressed.
    const before = await view(page);
    const map = (await page.getByTestId('minimap').locator('svg').boundingBox())!;
    await page.mouse.click(map.x + map.width * 0.8, map.y + map.height * 0.8);
    await poll(async () => (await view(page)).tx).not.toBe(before.tx);
    expect((await view(page)).zoom).toBeCloseTo(before.zoom, 5);

    // Double-click a node: the view zooms in on it and React Flow draws the nodes again.
    await page.keyboard.press('Control+Shift+f'); // fit: the whole flow again
    await settled(page);
    const dbl = await nodePoint(page, target.id);
    await page.mouse.dblclick(dbl.x, dbl.y);
    await settled(page);
    expect((await view(page)).zoom).toBeCloseTo(1, 5);
    await page.getByTestId(`node-${target.id}`).waitFor();
    expect(await page.getByTestId('overview').count()).toBe(0);
    await shot(page, 'overview-03-zoomed-in');

    // Ctrl+- zooms out step by step until the overview is back; Ctrl+0 is 100 %.
    for (let i = 0; i < 6 && (await page.getByTestId('overview').count()) === 0; i++) {
      await page.keyboard.press('Control+Minus');
      await settled(page);
    }
    await page.getByTestId('overview').waitFor();
    expect(await nodeElements(page)).toBe(0);
    await page.keyboard.press('Control+0');
    await settled(page);
    expect((await view(page)).zoom).toBeCloseTo(1, 5);
    expect(await nodeElements(page)).toBeGreaterThan(0);

    // The problems list shows the first 100 of its 116 warnings until asked for all.
    const warnings = (await page.getByTestId('problems-all').textContent())!;
    expect(warnings).toMatch(/Show all 116 problems \(16 more\)/);
    expect(await page.getByTestId('problem').count()).toBe(100);
    await page.getByTestId('problems-all').click();
    await poll(() => page.getByTestId('problem').count()).toBe(116);

    // Back to the overview; a problem in the list brings its node into view at a working zoom.
    await page.keyboard.press('Control+Shift+f');
    await settled(page);
    await page.getByTestId('overview').waitFor();
    const problem = page.getByTestId('problem').first();
    const id = (await problem.getAttribute('data-node'))!;
    expect(id).toBeTruthy();
    await problem.click();
    await settled(page);
    expect((await view(page)).zoom).toBeGreaterThanOrEqual(0.9);
    await page.getByTestId(`node-${id}`).waitFor();
    expect((await readSelection(page)).nodes).toEqual([id]);
    expect(errors).toEqual([]);
  });
});
