// Unsaved work survives a reload and a restart of the server on another port (defect 3): the
// autosave is kept by the server in the workspace, offered back by the "Recover unsaved changes?"
// banner, and Recover brings the edit back (still unsaved: the file on disk is untouched). A new flow
// never saved comes back too.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../runtime/server';
import { poll, readDoc, setUpE2E, shot, type E2E } from './helpers';

let e2e: E2E;
beforeAll(async () => {
  e2e = await setUpE2E();
}, 120_000);
afterAll(async () => {
  await e2e?.close();
});

/** The autosaves the server keeps, as another tab would see them. */
async function autosaves(server: RunningServer): Promise<{ path: string }[]> {
  const res = await fetch(`${server.url}/api/autosaves`, { headers: { 'X-IVR-Token': server.token } });
  return ((await res.json()) as { autosaves: { path: string }[] }).autosaves;
}

describe('recovery', () => {
  it('offers the unsaved edit back after a reload and restores it', async () => {
    const { page, errors } = await e2e.open('file=callback/flow.json');
    const file = join(e2e.workspace, 'callback', 'flow.json');
    const onDisk = await readFile(file, 'utf8');
    const title = page.getByTestId('node-intro').locator('.flow-node__title');
    await poll(() => title.textContent()).toBe('Intro');

    await page.getByTestId('node-intro').locator('.flow-node__header').click();
    await page.getByTestId('inspector-label').fill('Intro (edited)');
    await poll(() => title.textContent()).toBe('Intro (edited)');
    await poll(() => page.locator('.dirty-dot').count()).toBe(1);
    // The autosave is written shortly after the change: wait for the server to have it.
    await poll(async () => (await autosaves(e2e.server)).map((a) => a.path)).toContain('callback/flow.json');
    await shot(page, 'recovery-01-edited');

    await page.reload();
    await page.getByTestId('recovery-banner').waitFor();
    expect(await page.getByTestId('recovery-banner').textContent()).toContain('Recover unsaved changes?');
    await poll(() => title.textContent()).toBe('Intro');
    await shot(page, 'recovery-02-banner');

    await page.getByTestId('recover').click();
    await poll(() => page.getByTestId('recovery-banner').count()).toBe(0);
    await poll(() => title.textContent()).toBe('Intro (edited)');
    expect((await readDoc(page)).nodes.find((n) => n.id === 'intro')?.data).toMatchObject({ label: 'Intro (edited)' });
    expect(await page.locator('.dirty-dot').count()).toBe(1);
    expect(await readFile(file, 'utf8')).toBe(onDisk);
    await shot(page, 'recovery-03-recovered');
    // Discarding it: gone from the server too.
    await page.reload();
    await page.getByTestId('discard').click();
    await poll(async () => (await autosaves(e2e.server)).map((a) => a.path)).not.toContain('callback/flow.json');
    expect(errors).toEqual([]);
  }, 60_000);

  it('finds the unsaved work of a crashed session when the server comes back on another port', async () => {
    const before = await e2e.startServer();
    const first = await e2e.open('file=autosecretary/flow.json', { server: before });
    await first.page.getByTestId('node-start').locator('.flow-node__header').click();
    await first.page.getByTestId('inspector-label').fill('Answer (before the crash)');
    await poll(async () => (await autosaves(before)).map((a) => a.path)).toContain('autosecretary/flow.json');
    // A new, never saved flow in another tab of the same session.
    const second = await e2e.open('', { server: before });
    await second.page.getByLabel('Application name').fill('scratchpad');
    await poll(async () => (await autosaves(before)).some((a) => a.path.startsWith('.ivr-studio/drafts/'))).toBe(true);
    await first.context.close();
    await second.context.close();
    await before.close();

    const after = await e2e.startServer();
    expect(after.port).not.toBe(before.port);
    const again = await e2e.open('file=autosecretary/flow.json', { server: after });
    await again.page.getByTestId('recovery-banner').waitFor();
    await again.page.getByTestId('recover').click();
    await poll(() => again.page.getByTestId('node-start').locator('.flow-node__title').textContent()).toBe(
      'Answer (before the crash)',
    );

    const blank = await e2e.open('', { server: after });
    await blank.page.getByTestId('recovery-banner').waitFor();
    await blank.page.getByTestId('recover').click();
    await poll(async () => (await readDoc(blank.page)).name).toBe('scratchpad');
    await poll(() => blank.page.getByTestId('doc-title').textContent()).toContain('unsaved');
    expect([...again.errors, ...blank.errors]).toEqual([]);
  }, 60_000);
});
