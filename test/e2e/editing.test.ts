// Editing the callback sample with the mouse and the keyboard: undo/redo from the toolbar and from
// Ctrl+Z / Ctrl+Shift+Z, a node drag as one undo step, copy/paste with new ids, Delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mouseDrag, poll, readDoc, readSelection, setUpE2E, shot, type E2E } from './helpers';

let e2e: E2E;
beforeAll(async () => {
  e2e = await setUpE2E();
}, 120_000);
afterAll(async () => {
  await e2e?.close();
});

const flowNodes = (page: Page) => page.locator('[data-testid^="node-"]').count();

/** Where a node is drawn: React Flow's transform on the node's wrapper. */
async function drawnAt(page: Page, id: string): Promise<string> {
  return page.locator(`.react-flow__node[data-id="${id}"]`).evaluate((el) => (el as HTMLElement).style.transform);
}

async function positionOf(page: Page, id: string): Promise<{ x: number; y: number }> {
  const node = (await readDoc(page)).nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no node ${id}`);
  return node.position;
}

async function headerCentre(page: Page, id: string): Promise<{ x: number; y: number }> {
  const box = await page.getByTestId(`node-${id}`).locator('.flow-node__header').boundingBox();
  if (!box) throw new Error(`node ${id} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

describe('editing with undo/redo, drag, copy/paste and delete', () => {
  it('restores node count and positions, one step per gesture', async () => {
    const { page, context, errors } = await e2e.open('file=callback/flow.json');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.server.url });
    // The flow opens at 100 % at its start; Fit brings every node on screen.
    await page.getByTestId('node-start').waitFor();
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await poll(() => flowNodes(page)).toBe(8);
    const original = await readDoc(page);

    // A click on a palette item adds a node: the toolbar's undo and redo take it away and back.
    await page.getByTestId('palette-menu').click();
    await poll(() => flowNodes(page)).toBe(9);
    await shot(page, 'edit-01-node-added');
    await page.getByTestId('undo').click();
    await poll(() => flowNodes(page)).toBe(8);
    await page.getByTestId('redo').click();
    await poll(() => flowNodes(page)).toBe(9);
    await page
      .getByTestId('canvas')
      .locator('.react-flow__pane')
      .click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+z');
    await poll(() => flowNodes(page)).toBe(8);
    expect((await readDoc(page)).nodes).toEqual(original.nodes);
    await page.keyboard.press('Control+Shift+z');
    await poll(() => flowNodes(page)).toBe(9);
    expect(await page.getByTestId('redo').isDisabled()).toBe(true);

    // A drag moves the node on screen and in the document, and undoes as one step.
    const start = await positionOf(page, 'intro');
    const drawnBefore = await drawnAt(page, 'intro');
    const from = await headerCentre(page, 'intro');
    await mouseDrag(page, from, { x: from.x + 160, y: from.y + 40 }, 12);
    await poll(async () => (await positionOf(page, 'intro')).x).toBeGreaterThan(start.x + 50);
    const moved = await positionOf(page, 'intro');
    const drawnMoved = await drawnAt(page, 'intro');
    expect(drawnMoved).not.toBe(drawnBefore);
    await shot(page, 'edit-02-node-dragged');

    await page.keyboard.press('Control+z');
    await poll(() => positionOf(page, 'intro')).toEqual(start);
    await poll(() => drawnAt(page, 'intro')).toBe(drawnBefore);
    expect(await flowNodes(page)).toBe(9);
    await page.keyboard.press('Control+Shift+z');
    await poll(() => positionOf(page, 'intro')).toEqual(moved);
    await poll(() => drawnAt(page, 'intro')).toBe(drawnMoved);
    await page.getByTestId('undo').click();
    await poll(() => positionOf(page, 'intro')).toEqual(start);
    await page.getByTestId('redo').click();
    await poll(() => positionOf(page, 'intro')).toEqual(moved);

    // Copy and paste: a second e-mail node with a new id and the same settings; Delete removes it.
    await page.getByTestId('node-mail').locator('.flow-node__header').click();
    await poll(() => readSelection(page)).toEqual({ nodes: ['mail'], edges: [], notes: [] });
    const before = new Set((await readDoc(page)).nodes.map((n) => n.id));
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await poll(() => flowNodes(page)).toBe(10);
    const doc = await readDoc(page);
    const copies = doc.nodes.filter((n) => !before.has(n.id));
    expect(copies).toHaveLength(1);
    const copy = copies[0]!;
    const mail = doc.nodes.find((n) => n.id === 'mail')!;
    expect(copy.id).not.toBe('mail');
    expect(copy.type).toBe('sendEmail');
    expect(copy.data).toEqual(mail.data);
    expect(copy.position).not.toEqual(mail.position);
    expect((await readSelection(page)).nodes).toEqual([copy.id]);
    await page.getByTestId(`node-${copy.id}`).waitFor();
    await shot(page, 'edit-03-pasted');

    await page.keyboard.press('Delete');
    await poll(() => flowNodes(page)).toBe(9);
    expect(await page.getByTestId(`node-${copy.id}`).count()).toBe(0);
    expect((await readDoc(page)).nodes.some((n) => n.id === 'mail')).toBe(true);
    // The deletion is an undo step of its own too.
    await page.keyboard.press('Control+z');
    await poll(() => flowNodes(page)).toBe(10);
    await page.getByTestId(`node-${copy.id}`).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);
});
