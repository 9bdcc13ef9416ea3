// Import CG/PL… in the designer, in Chromium: the seed's callback.sppr becomes a new unsaved flow of
// ordinary nodes, laid out and drawn; a program with a syntax error is refused with file:line:column;
// a code node's problems name the line and column inside the block.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../helpers/seed';
import { poll, readDoc, setUpE2E, shot, type E2E } from './helpers';

let e2e: E2E;
beforeAll(async () => {
  e2e = await setUpE2E();
}, 120_000);
afterAll(async () => {
  await e2e?.close();
});

describe('Import CG/PL…', () => {
  it('turns the seed program into a drawn flow, and refuses a broken one with its position', async () => {
    const { page, errors } = await e2e.open();
    const input = page.getByTestId('import-cgpl');
    await input.setInputFiles({ name: 'callback.sppr', mimeType: 'text/plain', buffer: await readFile(SEED) });
    await poll(() => page.locator('.toast').last().textContent()).toContain(
      'imported callback.sppr: 5 nodes (1 start, 2 play, 1 sendEmail, 1 collectDigits)',
    );
    await poll(() => page.locator('.react-flow__node').count()).toBe(5);
    const doc = await readDoc(page);
    expect(doc.name).toBe('callback');
    expect(doc.nodes.map((n) => n.type).sort()).toEqual(['collectDigits', 'play', 'play', 'sendEmail', 'start']);
    // laid out: no two nodes at one place
    expect(new Set(doc.nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(5);
    expect(await page.getByTestId('doc-title').textContent()).toContain('unsaved');
    await shot(page, 'import-01-seed');

    await input.setInputFiles({
      name: 'broken.sppr',
      mimeType: 'text/plain',
      buffer: Buffer.from('entry Main is\n  PlayFile("a")\n  stop;\nend;\n'),
    });
    await poll(() => page.locator('.toast').last().textContent()).toContain(
      "broken.sppr was not imported: broken.sppr:2:16: error CGPL112: expected ';' after the call to PlayFile",
    );
    expect((await readDoc(page)).name).toBe('callback');
    expect(errors).toEqual([]);
  });

  it('shows a code node of an imported program, its problems at line:column in the block', async () => {
    const { page, errors } = await e2e.open();
    const program =
      'entry Main is\n  n = 0;\n  while n < 2 loop\n    PlayFile("CallbackBusy");\n    n = n + 1;\n  end loop;\nend;\n';
    await page
      .getByTestId('import-cgpl')
      .setInputFiles({ name: 'loop.sppr', mimeType: 'text/plain', buffer: Buffer.from(program) });
    await poll(() => page.locator('.react-flow__node-code').count()).toBe(1);
    await page.locator('.react-flow__node-code').click();
    const code = page.getByTestId('inspector-code');
    expect(await code.inputValue()).toBe(
      'n = 0;\nwhile n < 2 loop\n  PlayFile("CallbackBusy");\n  n = n + 1;\nend loop;',
    );
    await code.fill('n = 0;\nwhile n < 2 loop\n  PlayFle("CallbackBusy");\nend loop;');
    const problems = page.locator('.field-problems li');
    await poll(async () => (await problems.allTextContents()).find((t) => t.startsWith('3:3: '))).toMatch(
      /^3:3: unknown .*PlayFle/,
    );
    await shot(page, 'import-02-code-node');
    expect(errors).toEqual([]);
  });
});
