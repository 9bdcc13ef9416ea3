// A new user rebuilds the callback flow from an empty canvas: palette drags, handle-to-handle
// connections, the inspector and the prompt library; saves it, exports callback.sppr (the same bytes
// the CLI compiles from the saved file), then calls it and types 5551234# on the keypad.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { main } from '../../runtime/cli/main';
import {
  answerPath,
  centreOf,
  dropFromPalette,
  mouseDrag,
  poll,
  readDoc,
  setUpE2E,
  shortWav,
  shot,
  type E2E,
} from './helpers';

const PROMPTS: [string, string][] = [
  ['CallbackBusy', 'At the moment, the specialist cannot pick up the phone.'],
  ['CallbackLater', 'If you wish, we can call you back soon.'],
  ['CallbackNumber', 'Dial your contact phone number and press the pound key.'],
  ['CallbackClearNumber', 'If you make a mistake, press the star key and dial the number again.'],
  ['CallbackTrailer', 'Your phone number is recorded. Our staff will contact you shortly.'],
  ['Failure', 'Error.'],
  ['CallbackNotAvailable', 'The service is not available. Please call back later.'],
];
const FLOW_PATH = 'new/callback/flow.json';

let e2e: E2E;
beforeAll(async () => {
  e2e = await setUpE2E();
}, 120_000);
afterAll(async () => {
  await e2e?.close();
});

/** The inspector's field whose label starts with `label` (fields are <label> elements). */
function field(page: Page, label: string) {
  return page
    .getByTestId('inspector')
    .locator('label.field')
    .filter({ has: page.locator('.field__label', { hasText: new RegExp(`^${label}$`) }) });
}

async function pickPrompts(page: Page, label: string, names: string[]): Promise<void> {
  const select = field(page, label).locator('select.prompt-add');
  for (const name of names) await select.selectOption(name);
  await poll(() => field(page, label).locator('.prompt-row__name').allTextContents()).toEqual(
    names.map((n) => `♪ ${n}`),
  );
}

async function select(page: Page, id: string): Promise<void> {
  await page.getByTestId(`node-${id}`).locator('.flow-node__header').click();
  await page
    .getByTestId('inspector')
    .locator('code', { hasText: new RegExp(`^${id}$`) })
    .waitFor();
}

async function connect(page: Page, source: string, handle: string, target: string): Promise<void> {
  const edges = (await readDoc(page)).edges.length;
  await mouseDrag(
    page,
    await centreOf(page, `handle-${source}-${handle}`),
    await centreOf(page, `handle-${target}-in`),
  );
  await poll(async () =>
    (await readDoc(page)).edges.some((e) => e.source === source && e.sourceHandle === handle && e.target === target),
  ).toBe(true);
  expect((await readDoc(page)).edges.length).toBe(edges + 1);
}

async function errorCount(page: Page): Promise<number> {
  return page.getByTestId('problems').locator('.problem.sev-error').count();
}

describe('rebuilding the callback flow from an empty canvas', () => {
  it('draws, fills in, saves, exports and calls the flow', async () => {
    const { page, errors } = await e2e.open();
    await shot(page, '01-empty-flow');

    // The flow's name, with nothing selected.
    await page.getByLabel('Application name').fill('callback');
    await poll(() => page.getByTestId('export-sppr').textContent()).toBe('Export callback.sppr');

    // The prompt library: names and what they say.
    await page.getByTestId('tab-prompts').click();
    for (const [name, text] of PROMPTS) {
      await page.getByPlaceholder('NewPromptName').fill(name);
      await page.getByPlaceholder('NewPromptName').press('Enter');
      const card = page.locator('.prompt-card', {
        has: page.locator('.prompt-card__name', { hasText: new RegExp(`^${name}$`) }),
      });
      await card.locator('textarea').fill(text);
    }
    await poll(() => page.locator('.prompt-card').count()).toBe(PROMPTS.length);
    await page.getByTestId('tab-palette').click();

    // The new flow's own start node goes; a start is dragged from the palette like everything else.
    await select(page, 'start');
    await page.keyboard.press('Delete');
    await poll(() => page.getByTestId('node-start').count()).toBe(0);

    const start = await dropFromPalette(page, 'start', { x: 170, y: 40 });
    const intro = await dropFromPalette(page, 'play', { x: 170, y: 190 });
    const number = await dropFromPalette(page, 'collectDigits', { x: 170, y: 400 });
    const mail = await dropFromPalette(page, 'sendEmail', { x: 170, y: 580 });
    const trailer = await dropFromPalette(page, 'play', { x: 560, y: 40 });
    const failure = await dropFromPalette(page, 'play', { x: 560, y: 250 });
    const bye = await dropFromPalette(page, 'hangup', { x: 560, y: 460 });
    await poll(() => page.locator('.react-flow__node').count()).toBe(7);
    await shot(page, '02-nodes-dropped');

    await connect(page, start, 'next', intro);
    await connect(page, intro, 'next', number);
    await connect(page, number, 'done', mail);
    await connect(page, number, 'empty', bye);
    await connect(page, mail, 'sent', trailer);
    await connect(page, mail, 'failed', failure);
    await connect(page, trailer, 'next', bye);
    await connect(page, failure, 'next', bye);
    await poll(() => page.locator('.react-flow__edge').count()).toBe(8);

    // The inspector, node by node.
    await select(page, start);
    await page.getByTestId('inspector-label').fill('Answer');
    await select(page, intro);
    await page.getByTestId('inspector-label').fill('Intro');
    await pickPrompts(page, 'Prompts', ['CallbackBusy', 'CallbackLater', 'CallbackNumber', 'CallbackClearNumber']);
    await select(page, number);
    await page.getByTestId('inspector-label').fill('Contact number');
    await pickPrompts(page, 'After clearing', ['CallbackClearNumber']);
    expect(await field(page, 'Store in variable').locator('input').inputValue()).toBe('digits');
    await select(page, mail);
    await page.getByTestId('inspector-label').fill('E-mail the account');
    await field(page, 'From').locator('input').fill('CallbackMailer@{{domain}}');
    await page.getByTestId('inspector-subject').fill('Contact phone: {{digits}}');
    await field(page, 'Body').locator('textarea').fill('Please call back {{digits}}.');
    await select(page, trailer);
    await page.getByTestId('inspector-label').fill('Number recorded');
    await pickPrompts(page, 'Prompts', ['CallbackTrailer']);
    await select(page, failure);
    await page.getByTestId('inspector-label').fill('Service not available');
    await pickPrompts(page, 'Prompts', ['Failure', 'CallbackNotAvailable']);
    await select(page, bye);
    await page.getByTestId('inspector-label').fill('Hang up');

    await poll(() => errorCount(page)).toBe(0);
    await poll(() => page.getByTestId('export-sppr').isEnabled()).toBe(true);
    const drawn = JSON.stringify((await readDoc(page)).nodes.map((n) => n.position));
    await page.getByRole('button', { name: 'Layout' }).click();
    await poll(async () => JSON.stringify((await readDoc(page)).nodes.map((n) => n.position))).not.toBe(drawn);
    await shot(page, '03-flow-complete');

    // Save as: the page asks for a workspace path, in its own dialog.
    await page.getByTestId('save').click();
    await answerPath(page, FLOW_PATH);
    await poll(() => page.getByTestId('doc-title').textContent()).toContain(FLOW_PATH);

    // Recordings: each prompt's WAV imported through its file picker (stored next to the flow).
    await page.getByTestId('tab-prompts').click();
    for (const [name] of PROMPTS) {
      const card = page.locator('.prompt-card', {
        has: page.locator('.prompt-card__name', { hasText: new RegExp(`^${name}$`) }),
      });
      await card
        .locator('input[type=file]')
        .setInputFiles({ name: `${name}.wav`, mimeType: 'audio/wav', buffer: Buffer.from(shortWav()) });
      await poll(() => card.locator('.mono').allTextContents()).toEqual([`${name}.wav`]);
    }
    await poll(() => page.getByTestId('problems').locator('.problem').count()).toBe(0);
    await page.keyboard.press('Control+s');
    await poll(() => page.locator('.dirty-dot').count()).toBe(0);
    const saved = JSON.parse(await readFile(join(e2e.workspace, FLOW_PATH), 'utf8')) as {
      nodes: unknown[];
      edges: unknown[];
      prompts: Record<string, { files: Record<string, string> }>;
    };
    expect(saved.nodes).toHaveLength(7);
    expect(saved.edges).toHaveLength(8);
    expect(saved.prompts.CallbackBusy!.files).toEqual({ english: 'CallbackBusy.wav' });
    await shot(page, '04-saved');

    // Export callback.sppr = what the CLI compiles from the saved file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-sppr').click()]);
    expect(download.suggestedFilename()).toBe('callback.sppr');
    const exported = await readFile(await download.path());
    const out = await mkdtemp(join(tmpdir(), 'ivr-e2e-cli-'));
    try {
      const err: string[] = [];
      const code = await main(
        ['node', 'ivr-studio', 'compile', join(e2e.workspace, FLOW_PATH), '-o', join(out, 'callback.sppr')],
        { out: () => {}, err: (t) => err.push(t) },
      );
      expect(code, err.join('')).toBe(0);
      const cli = await readFile(join(out, 'callback.sppr'));
      expect(exported.toString('utf8')).toBe(cli.toString('utf8'));
      expect(exported.equals(cli)).toBe(true);
      expect(exported.toString('utf8')).toContain('PlayFile');
    } finally {
      await rm(out, { recursive: true, force: true });
    }

    // The call: wait for the number prompt, then type the number on the keypad.
    await page.getByTestId('tab-phone').click();
    await page.getByTestId('call').click();
    await poll(() => page.getByTestId('call-status').textContent()).toContain('In call');
    await poll(() => page.getByTestId(`node-${number}`).getAttribute('class')).toMatch(/is-active/);
    await shot(page, '05-call-waiting-for-digits');
    for (const key of ['5', '5', '5', '1', '2', '3', '4', 'hash']) await page.getByTestId(`key-${key}`).click();
    await poll(() => page.getByTestId('call-status').textContent(), 15_000).toContain('Call ended (by program)');
    await shot(page, '06-call-ended');

    await page.getByTestId('tab-outbox').click();
    const item = page.getByTestId('outbox-item').filter({ hasText: 'Contact phone: 5551234' });
    await poll(() => item.count()).toBe(1);
    await item.locator('.outbox-item__head').click();
    await poll(() => item.locator('pre').textContent()).toContain('Please call back 5551234.');
    expect(await item.textContent()).toContain('From: CallbackMailer@company.com');
    await shot(page, '07-outbox');
    expect(errors).toEqual([]);
  }, 90_000);
});
