// Readable at first sight (issue 16, defects 5–7): a flow opens at 100 % with text of 11 px or more
// and the minimap off the flow; side and bottom panels resize (mouse and keyboard) and collapse, and
// the sizes come back after a reload; a flow file with a JSON error, or too large, is listed in Files
// with the reason instead of vanishing.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { poll, settled, setUpE2E, shot, type E2E } from './helpers';

let e2e: E2E;
beforeAll(async () => {
  e2e = await setUpE2E();
}, 120_000);
afterAll(async () => {
  await e2e?.close();
});

async function zoom(page: Page): Promise<number> {
  const t = await page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
  return Number(/scale\(([\d.]+)\)/.exec(t)?.[1] ?? 'NaN');
}

/** The smallest text on screen inside nodes, in CSS pixels after the zoom. */
async function smallestNodeText(page: Page): Promise<number> {
  const z = await zoom(page);
  const px = await page.evaluate(() => {
    let min = Number.POSITIVE_INFINITY;
    for (const el of document.querySelectorAll('.flow-node *')) {
      const hasText = [...el.childNodes].some((n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '');
      if (hasText) min = Math.min(min, Number.parseFloat(getComputedStyle(el).fontSize));
    }
    return min;
  });
  return px * z;
}

const width = async (page: Page, testId: string) => (await page.getByTestId(testId).boundingBox())!.width;

describe('the opening view', () => {
  for (const viewport of [
    { width: 1024, height: 768 },
    { width: 1600, height: 1000 },
  ])
    it(`at ${viewport.width} px: 100 %, no text under 11 px, the minimap off the flow`, async () => {
      const { page, errors } = await e2e.open('file=callback/flow.json', { viewport });
      await page.getByTestId('node-intro').waitFor();
      await settled(page);
      expect(await zoom(page)).toBeGreaterThanOrEqual(1);
      expect(await smallestNodeText(page)).toBeGreaterThanOrEqual(11);
      const map = page.locator('.doc-minimap');
      if ((await map.count()) > 0) {
        const m = (await map.boundingBox())!;
        for (const box of await page
          .locator('.react-flow__node')
          .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect)))
          expect(
            box.right <= m.x || box.x >= m.x + m.width || box.bottom <= m.y || box.y >= m.y + m.height,
            'a node under the minimap',
          ).toBe(true);
      }
      // The start node is in view: the flow reads from its top.
      const start = (await page.getByTestId('node-start').boundingBox())!;
      const canvas = (await page.locator('.canvas-host').boundingBox())!;
      expect(start.y).toBeGreaterThanOrEqual(canvas.y);
      expect(start.x + start.width).toBeLessThanOrEqual(canvas.x + canvas.width);
      await shot(page, `readable-${viewport.width}`);
      expect(errors).toEqual([]);
    }, 60_000);
});

describe('panels', () => {
  it('resize with the mouse and the keyboard, collapse, and keep their sizes after a reload', async () => {
    const { page, errors } = await e2e.open('file=callback/flow.json', { viewport: { width: 1024, height: 768 } });
    await page.getByTestId('node-intro').waitFor();
    const left = await width(page, 'panel-left');
    const sep = page.getByRole('separator', { name: 'Resize the left panel' });
    const box = (await sep.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 120, box.y + box.height / 2, { steps: 6 });
    await page.mouse.up();
    await poll(() => width(page, 'panel-left')).toBeGreaterThan(left + 100);

    // The right panel from the keyboard: wider, so the prompt names are not cut off.
    const right = await width(page, 'panel-right');
    await page.getByRole('separator', { name: 'Resize the right panel' }).focus();
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowLeft');
    await poll(() => width(page, 'panel-right')).toBeGreaterThan(right + 40);
    await page.getByTestId('node-intro').locator('.flow-node__header').click();
    const names = page.getByTestId('inspector').locator('.prompt-row__name');
    await poll(() => names.count()).toBe(4);
    for (const cut of await names.evaluateAll((els) => els.map((e) => e.scrollWidth > e.clientWidth + 1)))
      expect(cut).toBe(false);

    // The drawer taller: the program shows more lines.
    await page.getByTestId('tab-cgpl').click();
    const lines = () =>
      page.locator('[data-testid="code-cgpl"] .cm-line').evaluateAll((els) => {
        const scroller = document.querySelector('[data-testid="code-cgpl"] .cm-scroller')!.getBoundingClientRect();
        return els.filter((e) => {
          const r = e.getBoundingClientRect();
          return r.top >= scroller.top && r.bottom <= scroller.bottom;
        }).length;
      });
    await poll(lines).toBeGreaterThan(3);
    const shown = await lines();
    const drawer = (await page.getByRole('separator', { name: 'Resize the problems and code panel' }).boundingBox())!;
    await page.mouse.move(drawer.x + 200, drawer.y + drawer.height / 2);
    await page.mouse.down();
    await page.mouse.move(drawer.x + 200, drawer.y - 200, { steps: 6 });
    await page.mouse.up();
    await poll(lines).toBeGreaterThan(shown + 5);

    // Collapse the left panel; after a reload it is still collapsed and the right keeps its width.
    await page.getByTestId('collapse-left').click();
    await poll(() => width(page, 'panel-left')).toBeLessThan(40);
    const rightNow = await width(page, 'panel-right');
    await shot(page, 'panels-01-resized');
    const collapsedOnServer = async () => {
      const res = await fetch(`${e2e.server.url}/api/prefs`, { headers: { 'X-IVR-Token': e2e.server.token } });
      return ((await res.json()) as { prefs: { collapsed?: string[] } }).prefs.collapsed ?? [];
    };
    await poll(collapsedOnServer).toContain('left');
    const again = await e2e.open('file=callback/flow.json', { viewport: { width: 1024, height: 768 } });
    await again.page.getByTestId('node-intro').waitFor();
    await again.page.getByTestId('expand-left').waitFor();
    expect(Math.abs((await width(again.page, 'panel-right')) - rightNow)).toBeLessThan(3);
    await again.page.getByTestId('expand-left').click();
    await poll(() => width(again.page, 'panel-left')).toBeGreaterThan(150);
    // Kept by the server too (the next pages open with it), not only on this page.
    await poll(collapsedOnServer).not.toContain('left');
    // The date and time field fits its panel.
    await again.page.getByTestId('tab-phone').click();
    const field = (await again.page.getByTestId('call-at').boundingBox())!;
    const panel = (await again.page.getByTestId('panel-right').boundingBox())!;
    expect(field.x + field.width).toBeLessThanOrEqual(panel.x + panel.width);
    expect([...errors, ...again.errors]).toEqual([]);
  }, 60_000);
});

describe('the Files list', () => {
  it('lists a flow with a JSON error (line:col) and one over the size limit, with the reason', async () => {
    await mkdir(join(e2e.workspace, 'broken'), { recursive: true });
    await writeFile(
      join(e2e.workspace, 'broken', 'flow.json'),
      '{\n  "format": "ivr-studio/flow@1",\n  "name": "x",,\n}\n',
    );
    await mkdir(join(e2e.workspace, 'huge'), { recursive: true });
    await writeFile(
      join(e2e.workspace, 'huge', 'flow.json'),
      `{"format":"ivr-studio/flow@1","name":"huge","description":"${'x'.repeat(6 * 1024 * 1024)}"}`,
    );
    const { page, errors } = await e2e.open();
    await page.getByTestId('tab-files').click();
    const broken = page.getByTestId('file-broken/flow.json');
    await poll(() => broken.textContent()).toMatch(/3:\d+: invalid JSON/);
    const huge = page.getByTestId('file-huge/flow.json');
    await poll(() => huge.textContent()).toMatch(/huge\/flow\.json is 6 MB, more than the 5 MB limit/);
    await broken.click();
    await poll(() => page.locator('.toast--error').textContent()).toMatch(/cannot open broken\/flow\.json: 3:\d+/);
    await shot(page, 'files-04-broken-listed');
    expect(errors).toEqual([]);
  }, 60_000);
});
