// Simulation clarity and editing details (issue 16, defects 9–11): the pretended time is the flow's
// local time and says which zone; the trace explains a business-hours decision; the debugger names
// the paused node and highlights its CG/PL line; the phone shows the keys pressed. Undoing an added
// node leaves nothing selected; auto layout keeps a node's outputs in order; a pasted node lands
// clear of the others. In the desktop app, saving a new flow uses the native dialog of the preload
// bridge, never window.prompt (which Electron does not have).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { poll, readDoc, readSelection, setUpE2E, shot, type E2E } from './helpers';

let e2e: E2E;
beforeAll(async () => {
  e2e = await setUpE2E();
}, 120_000);
afterAll(async () => {
  await e2e?.close();
});

describe('simulation clarity', () => {
  it('runs at the flow-local time it says and explains the hours decision', async () => {
    const { page, errors } = await e2e.open('file=autosecretary/flow.json');
    await page.getByTestId('tab-phone').click();
    await page.getByTestId('call-at').fill('2026-11-29T23:00');
    expect(await page.getByTestId('call-at-zone').textContent()).toBe("in Europe/Moscow, the flow's time zone");
    await page.getByTestId('call').click();
    const trace = page.getByTestId('trace');
    await poll(() => trace.textContent(), 15_000).toContain(
      'Office hours (hours) — closed: Sunday 2026-11-29 23:00 Europe/Moscow (open Mon Tue Wed Thu Fri 09:00–18:00)',
    );
    await poll(() => page.getByTestId('call-status').textContent(), 15_000).toMatch(/In call|ended/);
    await page
      .getByTestId('hangup')
      .click()
      .catch(() => {});
    await poll(() => page.getByTestId('call-status').textContent(), 15_000).toContain('Call ended');
    await shot(page, 'sim-01-hours-explained');

    expect(errors).toEqual([]);
  }, 60_000);

  it('pauses at a breakpoint with its CG/PL line highlighted, and shows the keys pressed', async () => {
    // The callback flow: the autosecretary's Connect transfer runs it on the server thread, without the debugger.
    const { page, errors } = await e2e.open('file=callback/flow.json');
    await page.getByTestId('tab-phone').click();
    // A breakpoint on the number prompt, set as F9 would, by the action.
    await page.evaluate(() => (window as any).ivrStudio.runAction('toggleBreakpoint', { nodeId: 'number' }));
    await page.getByTestId('call').click();
    await poll(() => page.getByTestId('paused-at').textContent(), 15_000).toMatch(/^Paused in .+ at CG\/PL line \d+/);
    const line = Number(/line (\d+)/.exec((await page.getByTestId('paused-at').textContent()) ?? '')![1]);
    const highlighted = page.locator('[data-testid="code-cgpl"] .cm-paused-line');
    await poll(() => highlighted.count()).toBe(1);
    const cg = await page.evaluate(() => (window as any).ivrStudio.ctx.call.getState().sppr as string);
    expect((await highlighted.textContent())?.trim()).toBe(cg.split('\n')[line - 1]!.trim());
    await shot(page, 'sim-02-paused-line');
    await page.getByTestId('continue').click();
    await poll(() => page.getByTestId('call-status').textContent(), 15_000).toContain('In call');
    for (const key of ['5', '5', '1']) await page.getByTestId(`key-${key}`).click();
    await poll(() => page.getByTestId('digit-display').textContent()).toBe('551');
    await page.getByTestId('hangup').click();
    expect(errors).toEqual([]);
  }, 60_000);
});

async function boxes(page: Page): Promise<Map<string, DOMRect>> {
  const list = await page
    .locator('.react-flow__node')
    .evaluateAll((els) => els.map((e) => [e.getAttribute('data-id')!, e.getBoundingClientRect().toJSON()] as const));
  return new Map(list as [string, DOMRect][]);
}

describe('editing details', () => {
  it('undo of an added node leaves no selection; layout keeps sent left of failed; paste lands clear', async () => {
    const { page, context, errors } = await e2e.open('file=callback/flow.json');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.server.url });
    await page.getByTestId('node-intro').waitFor();
    await page.getByTestId('palette-menu').click();
    await poll(async () => (await readSelection(page)).nodes.length).toBe(1);
    await page.getByTestId('undo').click();
    await poll(() => readSelection(page)).toEqual({ nodes: [], edges: [], notes: [] });
    expect(await page.getByText(/\d selected/).count()).toBe(0);

    await page.getByRole('button', { name: 'Layout' }).click();
    const sentLeft = async () => {
      const d = await readDoc(page);
      const at = (handle: string) => {
        const e = d.edges.find((x) => x.source === 'mail' && x.sourceHandle === handle)!;
        return d.nodes.find((n) => n.id === e.target)!.position.x;
      };
      return at('sent') < at('failed');
    };
    await poll(async () => JSON.stringify((await readDoc(page)).nodes.map((n) => n.position))).not.toBe('');
    await poll(sentLeft).toBe(true);
    await shot(page, 'edit-04-layout');

    await page.getByTestId('node-mail').locator('.flow-node__header').click();
    const before = new Set((await readDoc(page)).nodes.map((n) => n.id));
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await poll(async () => (await readDoc(page)).nodes.length).toBe(before.size + 1);
    const copy = (await readDoc(page)).nodes.find((n) => !before.has(n.id))!;
    await page.getByTestId(`node-${copy.id}`).waitFor();
    const all = await boxes(page);
    const mine = all.get(copy.id)!;
    for (const [id, b] of all) {
      if (id === copy.id || id.startsWith('note:')) continue;
      const apart = mine.right <= b.x || mine.x >= b.right || mine.bottom <= b.y || mine.y >= b.bottom;
      expect(apart, `the pasted node covers ${id}`).toBe(true);
    }
    expect(errors).toEqual([]);
  }, 60_000);
});

/** The preload bridge as the page sees it in Electron, and no window.prompt (Electron has none). */
const DESKTOP = `
  window.__asked = [];
  window.prompt = () => { throw new Error('prompt() is and will not be supported.'); };
  window.confirm = () => { throw new Error('confirm() is not used by IVR Studio'); };
  window.ivrDesktop = {
    isDesktop: true,
    platform: 'linux',
    chooseFlowToOpen: async () => null,
    chooseSavePath: async (suggested) => { window.__asked.push(suggested); return 'desk/' + suggested; },
    documentChanged: () => {},
    recentFiles: async () => [],
  };
`;

describe('the desktop app', () => {
  it('saves a new flow through the native Save dialog of the bridge', async () => {
    const { page, errors } = await e2e.open('', { initScript: DESKTOP });
    await page.getByLabel('Application name').fill('deskflow');
    await page.keyboard.press('Control+s');
    await poll(() => page.getByTestId('doc-title').textContent()).toContain('desk/deskflow/flow.json');
    expect(await page.evaluate(() => (window as any).__asked)).toEqual(['deskflow/flow.json']);
    expect(existsSync(join(e2e.workspace, 'desk', 'deskflow', 'flow.json'))).toBe(true);
    expect(await page.getByTestId('modal').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);
});

describe('the outbox', () => {
  it('counts the messages on its tab and clears the sent ones', async () => {
    const { page, errors } = await e2e.open('file=callback/flow.json');
    await page.getByTestId('tab-phone').click();
    await page.getByTestId('call').click();
    await poll(() => page.getByTestId('node-number').getAttribute('class'), 15_000).toMatch(/is-active/);
    for (const key of ['4', '2', 'hash']) await page.getByTestId(`key-${key}`).click();
    await poll(() => page.getByTestId('call-status').textContent(), 15_000).toContain('Call ended');
    await poll(() => page.getByTestId('tab-outbox').textContent()).toMatch(/^Outbox \(\d+\)$/);
    await page.getByTestId('tab-outbox').click();
    const item = page.getByTestId('outbox-item').filter({ hasText: 'Contact phone: 42' });
    await poll(() => item.locator('[data-testid="outbox-status"]').textContent()).toBe('sent');
    await shot(page, 'outbox-01-listed');
    await page.getByTestId('outbox-clear').click();
    await poll(() => page.getByTestId('outbox-item').count()).toBe(0);
    expect(await page.getByTestId('tab-outbox').textContent()).toBe('Outbox');
    const res = await fetch(`${e2e.server.url}/api/outbox`, { headers: { 'X-IVR-Token': e2e.server.token } });
    expect(((await res.json()) as { entries: unknown[] }).entries).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);
});
