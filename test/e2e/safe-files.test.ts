// Files that are safe (issue 16, defects 1, 2 and 4): Save never overwrites an existing flow without
// asking, two tabs saving one flow get a conflict dialog instead of the last save winning silently,
// and a new flow's prompts can be generated and imported before it is first saved.
import { existsSync } from 'node:fs';
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { answerChoice, answerPath, poll, readDoc, setUpE2E, shortWav, shot, type E2E } from './helpers';

let e2e: E2E;
beforeAll(async () => {
  e2e = await setUpE2E();
}, 120_000);
afterAll(async () => {
  await e2e?.close();
});

async function rename(page: Page, id: string, label: string): Promise<void> {
  await page.getByTestId(`node-${id}`).locator('.flow-node__header').click();
  await page.getByTestId('inspector-label').fill(label);
  await poll(() => page.getByTestId(`node-${id}`).locator('.flow-node__title').textContent()).toBe(label);
}

const onDisk = async (path: string) => JSON.parse(await readFile(join(e2e.workspace, path), 'utf8'));

describe('saving never overwrites by surprise', () => {
  it('a new flow named "callback" asks before replacing callback/flow.json; Save as onto a flow asks too', async () => {
    const { page, errors } = await e2e.open();
    const sample = await readFile(join(e2e.workspace, 'callback', 'flow.json'), 'utf8');
    await page.getByLabel('Application name').fill('callback');
    await page.keyboard.press('Control+s');
    expect(await page.getByTestId('modal-input').inputValue()).toBe('callback/flow.json');
    await poll(() => page.getByTestId('modal-hint').textContent()).toContain('exists');
    await shot(page, 'files-01-save-as-exists');
    await page.getByTestId('modal-ok').click();
    expect(await answerChoice(page, 'cancel')).toMatch(/^callback\/flow\.json already exists/);
    expect(await readFile(join(e2e.workspace, 'callback', 'flow.json'), 'utf8')).toBe(sample);
    expect(await page.locator('.dirty-dot').count()).toBe(1);

    // Save as onto another flow, then "Save as…" from the question: a new name is offered.
    await page.getByRole('button', { name: 'Save as…' }).first().click();
    await answerPath(page, 'autosecretary/flow.json');
    const other = await readFile(join(e2e.workspace, 'autosecretary', 'flow.json'), 'utf8');
    await answerChoice(page, 'saveAs');
    expect(await page.getByTestId('modal-input').inputValue()).toBe('autosecretary/flow-2.json');
    const accounts = await readFile(join(e2e.workspace, 'autosecretary', 'pbx.json'), 'utf8');
    await page.getByTestId('modal-ok').click();
    // The folder's pbx.json holds the autosecretary's accounts: asked too, and another folder offered.
    await poll(() => page.getByTestId('modal-message').textContent()).toMatch(
      /^autosecretary\/pbx\.json already holds other accounts/,
    );
    await page.getByTestId('modal-saveAs').click();
    await poll(() => page.getByTestId('modal-input').inputValue()).toBe('autosecretary-2/flow-2.json');
    await page.getByTestId('modal-ok').click();
    await poll(() => page.getByTestId('doc-title').textContent()).toContain('autosecretary-2/flow-2.json');
    expect(await readFile(join(e2e.workspace, 'autosecretary', 'flow.json'), 'utf8')).toBe(other);
    expect(await readFile(join(e2e.workspace, 'autosecretary', 'pbx.json'), 'utf8')).toBe(accounts);
    expect(existsSync(join(e2e.workspace, 'autosecretary', 'flow-2.json'))).toBe(false);
    expect((await onDisk('autosecretary-2/flow-2.json')).name).toBe('callback');

    // Replacing on purpose works, and says so.
    await page.getByRole('button', { name: 'Save as…' }).first().click();
    await answerPath(page, 'callback/flow.json');
    await answerChoice(page, 'replace');
    await poll(async () => (await onDisk('callback/flow.json')).nodes.length).toBe(1);
    expect(errors).toEqual([]);
  }, 60_000);

  it('two tabs on one flow: the second save gets the conflict dialog (reload, or overwrite)', async () => {
    await cp(join(e2e.workspace, 'autosecretary'), join(e2e.workspace, 'two'), { recursive: true });
    const a = await e2e.open('file=two/flow.json');
    const b = await e2e.open('file=two/flow.json');
    await rename(a.page, 'start', 'Edited in A');
    await a.page.keyboard.press('Control+s');
    await poll(() => a.page.locator('.dirty-dot').count()).toBe(0);

    await rename(b.page, 'start', 'Edited in B');
    await b.page.keyboard.press('Control+s');
    await b.page.getByTestId('modal').waitFor();
    await shot(b.page, 'files-02-conflict');
    expect(await answerChoice(b.page, 'reload')).toMatch(/^two\/flow\.json was saved by another tab or program/);
    await poll(() => b.page.getByTestId('node-start').locator('.flow-node__title').textContent()).toBe('Edited in A');
    expect(await b.page.locator('.dirty-dot').count()).toBe(0);
    expect((await onDisk('two/flow.json')).nodes.find((n: { id: string }) => n.id === 'start').data.label).toBe(
      'Edited in A',
    );

    // Now A is the stale one: it overwrites on purpose.
    await rename(b.page, 'start', 'B again');
    await b.page.keyboard.press('Control+s');
    await poll(() => b.page.locator('.dirty-dot').count()).toBe(0);
    await rename(a.page, 'start', 'A wins');
    await a.page.keyboard.press('Control+s');
    await answerChoice(a.page, 'overwrite');
    await poll(
      async () => (await onDisk('two/flow.json')).nodes.find((n: { id: string }) => n.id === 'start').data.label,
    ).toBe('A wins');
    expect([...a.errors, ...b.errors]).toEqual([]);
  }, 60_000);
});

describe('prompts before the first save', () => {
  it('generates and imports recordings for a new flow; they move beside it when it is saved', async () => {
    const { page, errors } = await e2e.open();
    await page.getByLabel('Application name').fill('fresh');
    await page.getByTestId('tab-prompts').click();
    for (const name of ['Hello', 'Bye']) {
      await page.getByPlaceholder('NewPromptName').fill(name);
      await page.getByPlaceholder('NewPromptName').press('Enter');
    }
    const card = (name: string) =>
      page.locator('.prompt-card', { has: page.locator('.prompt-card__name', { hasText: new RegExp(`^${name}$`) }) });
    await card('Hello').locator('textarea').fill('Hello and welcome.');
    await card('Hello').getByRole('button', { name: 'Generate from text' }).click();
    await poll(() => card('Hello').locator('.mono').allTextContents()).toEqual(['Hello.wav']);
    await card('Bye')
      .locator('input[type=file]')
      .setInputFiles({ name: 'bye.wav', mimeType: 'audio/wav', buffer: Buffer.from(shortWav()) });
    await poll(() => card('Bye').locator('.mono').allTextContents()).toEqual(['Bye.wav']);
    expect(await page.locator('.toast--error').count()).toBe(0);
    await shot(page, 'files-03-prompts-unsaved');

    await page.keyboard.press('Control+s');
    await answerPath(page, 'new/fresh/flow.json');
    await poll(() => page.getByTestId('doc-title').textContent()).toContain('new/fresh/flow.json');
    expect(existsSync(join(e2e.workspace, 'new', 'fresh', 'Hello.wav'))).toBe(true);
    expect(existsSync(join(e2e.workspace, 'new', 'fresh', 'Bye.wav'))).toBe(true);
    expect((await readDoc(page)).prompts.Hello?.files).toEqual({ english: 'Hello.wav' });
    expect(errors).toEqual([]);
  }, 60_000);

  it('New from sample copies the sample and its prompts as an unsaved flow', async () => {
    const { page, errors } = await e2e.open();
    await page.getByTestId('tab-files').click();
    await page.getByTestId('sample-callback').click();
    await poll(async () => (await readDoc(page)).nodes.length).toBeGreaterThan(5);
    await poll(() => page.getByTestId('doc-title').textContent()).toContain('unsaved');
    await page.keyboard.press('Control+s');
    await answerPath(page, 'copies/callback/flow.json');
    await poll(() => page.getByTestId('doc-title').textContent()).toContain('copies/callback/flow.json');
    expect(existsSync(join(e2e.workspace, 'copies', 'callback', 'CallbackBusy.wav'))).toBe(true);
    await poll(() => page.getByTestId('problems').locator('.problem.sev-error').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);
});
