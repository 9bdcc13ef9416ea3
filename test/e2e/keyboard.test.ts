// Keyboard and screen readers (issue 16, defect 8): nodes and edges are focusable with a visible ring
// and named by their label, arrow keys move a node (one undo step), the inspector connects an output
// to another node, every control has a name — and axe-core finds no serious or critical violation on
// the main views, light and dark.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, poll, readDoc, setUpE2E, shot, type E2E } from './helpers';

let e2e: E2E;
beforeAll(async () => {
  e2e = await setUpE2E();
}, 120_000);
afterAll(async () => {
  await e2e?.close();
});

const nodeWrapper = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

/** Every view's violations, collected so one run reports them all. */
const found: Record<string, unknown[]> = {};
async function expectNoViolations(page: Page, view: string): Promise<void> {
  const v = await axeViolations(page);
  if (v.length > 0) found[view] = v;
}

describe('the canvas from the keyboard', () => {
  it('focuses a node with a ring and its name, moves it with the arrows, connects from the inspector', async () => {
    const { page, errors } = await e2e.open('file=callback/flow.json');
    await nodeWrapper(page, 'intro').waitFor();
    expect(await nodeWrapper(page, 'intro').getAttribute('aria-label')).toBe('Play node: Intro');
    const edge = page.locator('.react-flow__edge').first();
    expect(await edge.getAttribute('aria-label')).toMatch(/^Connection: .+, \w+, to .+$/);
    expect(await edge.getAttribute('tabindex')).toBe('0');

    // Tab reaches the nodes; the focused one shows a ring.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    for (let i = 0; i < 40 && !(await page.evaluate(() => !!document.activeElement?.closest('.react-flow__node'))); i++)
      await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('.react-flow__node'))).toBe(true);
    await nodeWrapper(page, 'intro').focus();
    const ring = await nodeWrapper(page, 'intro')
      .locator('.flow-node')
      .evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(ring).toBe('solid');
    await shot(page, 'keyboard-01-focus-ring');

    // Enter selects, arrows move it (5 px, Shift: 20 px), one undo step.
    const before = (await readDoc(page)).nodes.find((n) => n.id === 'intro')!.position;
    await page.keyboard.press('Enter');
    await poll(
      async () => await page.evaluate(() => (window as any).ivrStudio.ctx.flow.getState().selection.nodes),
    ).toEqual(['intro']);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowDown');
    await poll(async () => (await readDoc(page)).nodes.find((n) => n.id === 'intro')!.position).toEqual({
      x: before.x + 10,
      y: before.y + 20,
    });
    await page.getByTestId('undo').click();
    await poll(async () => (await readDoc(page)).nodes.find((n) => n.id === 'intro')!.position).toEqual(before);

    // "Then go to": the e-mail's failed branch, chosen by name in the inspector.
    await page.getByTestId('node-mail').locator('.flow-node__header').click();
    const failed = page.getByTestId('next-failed');
    await failed.selectOption({ label: 'Hang up (Hang up, bye)' }).catch(async () => {
      const options = await failed.locator('option').allTextContents();
      throw new Error(`no such option; there are ${options.join(' | ')}`);
    });
    await poll(
      async () => (await readDoc(page)).edges.find((e) => e.source === 'mail' && e.sourceHandle === 'failed')?.target,
    ).toBe('bye');
    await failed.selectOption('');
    await poll(async () =>
      (await readDoc(page)).edges.some((e) => e.source === 'mail' && e.sourceHandle === 'failed'),
    ).toBe(false);
    expect(errors).toEqual([]);
  }, 60_000);
});

describe('axe-core on the main views', () => {
  for (const scheme of ['light', 'dark'] as const)
    it(`finds no serious or critical violations (${scheme})`, async () => {
      for (const k of Object.keys(found)) delete found[k];
      const { page, errors } = await e2e.open('file=callback/flow.json', { colorScheme: scheme });
      await nodeWrapper(page, 'intro').waitFor();
      await expectNoViolations(page, 'canvas + inspector (flow)');
      await page.getByTestId('node-intro').locator('.flow-node__header').click();
      await page.getByTestId('inspector').waitFor();
      await expectNoViolations(page, 'node inspector');
      for (const tab of ['files', 'prompts', 'search']) {
        await page.getByTestId(`tab-${tab}`).click();
        // The list arrives from the server: checked with the open flow marked (its own colours).
        if (tab === 'files') await page.locator('.file-item.is-current').waitFor();
        await expectNoViolations(page, `${tab} tab`);
      }
      for (const tab of ['phone', 'outbox']) {
        await page.getByTestId(`tab-${tab}`).click();
        await expectNoViolations(page, `${tab} tab`);
      }
      for (const tab of ['cgpl', 'problems']) {
        await page.getByTestId(`tab-${tab}`).click();
        await expectNoViolations(page, `${tab} tab`);
      }
      await page.getByRole('button', { name: 'Save as…' }).first().click();
      await page.getByTestId('modal').waitFor();
      await expectNoViolations(page, 'save as dialog');
      await page.keyboard.press('Escape');
      expect(found, JSON.stringify(found, null, 1)).toEqual({});
      expect(errors).toEqual([]);
    }, 90_000);
});
