// The callback sample opened from the URL: a node's CG/PL lines light up in the code panel, a code
// line selects its node, and a problem (made by clearing a field), shown with its code, selects its node when clicked.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFlowObject } from '../../compiler/flow/load';
import { compileToCgpl } from '../../compiler/generate/cgpl';
import { poll, readSelection, setUpE2E, shot, type E2E } from './helpers';

let e2e: E2E;
beforeAll(async () => {
  e2e = await setUpE2E();
}, 120_000);
afterAll(async () => {
  await e2e?.close();
});

describe('code panel and problems', () => {
  it('links nodes, CG/PL lines and problems both ways', async () => {
    const { flow } = parseFlowObject(JSON.parse(await readFile(join(e2e.workspace, 'callback', 'flow.json'), 'utf8')));
    if (!flow) throw new Error('the callback sample does not load');
    const { text, sourceMap } = compileToCgpl(flow);
    const lines = text.split('\n');
    const expected = (id: string) => sourceMap.nodes[id]!.map((n) => lines[n - 1]!.trim()).filter((l) => l !== '');

    const { page, errors } = await e2e.open('file=callback/flow.json');
    await page.getByTestId('node-mail').waitFor();
    await page.getByTestId('tab-cgpl').click();
    const code = page.getByTestId('code-cgpl');
    await poll(() => code.locator('.cm-line').count()).toBeGreaterThan(10);
    expect(await code.locator('.cm-marked-line').count()).toBe(0);

    // A node → its lines.
    await page.getByTestId('node-mail').locator('.flow-node__header').click();
    const marked = async () =>
      (await code.locator('.cm-marked-line').allTextContents()).map((l) => l.trim()).filter((l) => l !== '');
    expect(expected('mail').some((l) => l.includes('SendEMail'))).toBe(true);
    await poll(marked).toEqual(expected('mail'));
    await shot(page, 'code-01-node-lines');

    await page.getByTestId('node-number').locator('.flow-node__header').click();
    await poll(marked).toEqual(expected('number'));

    // A line → its node.
    // A short program: CodeMirror has every line in the DOM, so the n-th .cm-line is line n.
    const introLine = sourceMap.nodes.intro![0]!;
    const line = code.locator('.cm-line').nth(introLine - 1);
    expect(await line.textContent()).toBe(lines[introLine - 1]);
    await line.click();
    await poll(() => readSelection(page)).toEqual({ nodes: ['intro'], edges: [], notes: [] });
    await poll(() => page.getByTestId('node-intro').getAttribute('class')).toMatch(/is-selected/);

    // A problem: the e-mail's From cleared.
    await page.getByTestId('node-mail').locator('.flow-node__header').click();
    const from = page
      .getByTestId('inspector')
      .locator('label.field')
      .filter({ has: page.locator('.field__label', { hasText: /^From$/ }) })
      .locator('input');
    await from.fill('');
    // under the field too, with the code
    const fieldProblem = page.getByTestId('inspector').locator('.field-problems li[data-code="FLOW330"]');
    await poll(() => fieldProblem.textContent()).toBe('must not be empty FLOW330');
    await page.getByTestId('tab-problems').click();
    const problem = page
      .getByTestId('problem')
      .filter({ hasText: 'E-mail the account (Send e-mail)' })
      .filter({ hasText: 'must not be empty' });
    await poll(() => problem.count()).toBe(1);
    // the designer shows the code the CLI prints (issue 11): one formatter, one catalogue
    expect(await problem.textContent()).toMatch(/node mail \(sendEmail\) field from: error FLOW330: must not be empty/);
    expect(await page.getByTestId('export-sppr').isDisabled()).toBe(true);

    // Select something else, then the problem brings the node back.
    await page.getByTestId('node-intro').locator('.flow-node__header').click();
    await poll(() => readSelection(page)).toEqual({ nodes: ['intro'], edges: [], notes: [] });
    await problem.click();
    await poll(() => readSelection(page)).toEqual({ nodes: ['mail'], edges: [], notes: [] });
    await poll(() => page.getByTestId('node-mail').getAttribute('class')).toMatch(/is-selected/);
    await poll(() => page.getByTestId('inspector').locator('code').first().textContent()).toBe('mail');
    await shot(page, 'code-02-problem-selected');
    expect(errors).toEqual([]);
  }, 60_000);
});
