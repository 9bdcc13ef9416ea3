// Unsaved work survives a reload: the autosave is offered back by the "Recover unsaved changes?"
// banner, and Recover brings the edit back (still unsaved: the file on disk is untouched).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll, readDoc, setUpE2E, shot, type E2E } from './helpers';

let e2e: E2E;
beforeAll(async () => {
  e2e = await setUpE2E();
}, 120_000);
afterAll(async () => {
  await e2e?.close();
});

const AUTOSAVE_KEY = 'ivr-studio.autosave:callback/flow.json';

describe('recovery after a reload', () => {
  it('offers the unsaved edit back and restores it', async () => {
    const { page, errors } = await e2e.open('file=callback/flow.json');
    const file = join(e2e.workspace, 'callback', 'flow.json');
    const onDisk = await readFile(file, 'utf8');
    const title = page.getByTestId('node-intro').locator('.flow-node__title');
    await poll(() => title.textContent()).toBe('Intro');

    await page.getByTestId('node-intro').locator('.flow-node__header').click();
    await page.getByTestId('inspector-label').fill('Intro (edited)');
    await poll(() => title.textContent()).toBe('Intro (edited)');
    await poll(() => page.locator('.dirty-dot').count()).toBe(1);
    // The autosave is written shortly after the change: wait for it, as a user would not notice.
    await poll(() => page.evaluate((key) => localStorage.getItem(key) ?? '', AUTOSAVE_KEY)).toContain('Intro (edited)');
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
    expect(errors).toEqual([]);
  }, 60_000);
});
