// Deploy… in the designer, in Chromium, against the test CLI server (written from CommuniGate's CLI
// documentation): a refused password is shown as the server's answer; Preview lists what would be
// stored and every command, storing nothing; Deploy stores with progress and says what it did; with
// the account settings, the changes are previewed before Deploy applies them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCliServer, type CliTestServer } from '../deploy/cliServer';
import { SEED_ACCOUNTS } from '../deploy/helpers';
import { poll, setUpE2E, shot, type E2E } from './helpers';

let e2e: E2E;
let cg: CliTestServer;
beforeAll(async () => {
  e2e = await setUpE2E();
  cg = await startCliServer({ domains: SEED_ACCOUNTS });
}, 120_000);
afterAll(async () => {
  await cg?.close();
  await e2e?.close();
});

describe('the Deploy… dialog', () => {
  it('previews, deploys with progress, and applies the account settings after showing them', async () => {
    const { page, errors } = await e2e.open('file=callback/flow.json');
    await page.getByTestId('deploy').click();
    const dialog = page.getByTestId('deploy-dialog');
    await dialog.waitFor();
    expect(await page.getByTestId('deploy-env').inputValue()).toBe('callback');
    expect(await page.getByTestId('deploy-domain').inputValue()).toBe('company.com');
    expect(await page.getByTestId('deploy-preview').isDisabled()).toBe(true);
    await page.getByTestId('deploy-server').fill(`127.0.0.1:${cg.port}`);
    await page.getByTestId('deploy-password').fill('wrong');
    await page.getByTestId('deploy-preview').click();
    await poll(() => page.getByTestId('deploy-error').textContent()).toBe(
      `127.0.0.1:${cg.port}: login refused: 515 Incorrect password or account name`,
    );
    await shot(page, 'deploy-01-refused');

    await page.getByTestId('deploy-password').fill('Pw-4-test');
    await page.getByTestId('deploy-preview').click();
    await poll(() => page.getByTestId('deploy-result').textContent()).toBe(
      `PWD 127.0.0.1:${cg.port}: preview, nothing changed: would create the environment and the russian folder, would store 15 files, 0 unchanged`,
    );
    expect(await page.getByTestId('deploy-plan').textContent()).toContain('callback.sppr (new, 822 bytes)');
    await page.locator('.deploy-conversation summary').click();
    const conversation = (await page.getByTestId('deploy-conversation').textContent()) ?? '';
    expect(conversation).toContain('C: APOP postmaster <digest>');
    expect(conversation).toContain('C: CREATEDOMAINPBX "company.com"   (dry run: not sent)');
    expect(conversation.match(/C: STOREDOMAINPBXFILE .*\(dry run: not sent\)/g)).toHaveLength(15);
    expect(conversation).not.toContain('Pw-4-test');
    expect(cg.domain('company.com').pbx).toBeNull();
    await shot(page, 'deploy-02-preview');

    await page.getByTestId('deploy-start').click();
    await poll(() => page.getByTestId('deploy-result').textContent()).toBe(
      `PWD 127.0.0.1:${cg.port}: created the environment and the russian folder, stored 15 files, 0 unchanged`,
    );
    expect([...cg.domain('company.com').pbx!.files.keys()]).toContain('callback.sppr');
    expect(cg.domain('company.com').pbx!.files.size).toBe(15);
    await shot(page, 'deploy-03-deployed');

    // the account settings: seen in a preview before Deploy may apply them
    await page.getByTestId('deploy-accounts-check').check();
    expect(await page.getByTestId('deploy-start').isDisabled()).toBe(true);
    expect(await page.getByTestId('deploy-blocked').textContent()).toBe(
      'Preview first: the account changes are shown before they are made.',
    );
    await page.getByTestId('deploy-preview').click();
    await poll(() => page.getByTestId('deploy-result').textContent()).toContain('would change 4 accounts');
    expect(await page.getByTestId('deploy-accounts').textContent()).toContain('Language: (default) → russian');
    expect(cg.domain('company.com').accounts.get('ivanov')!.prefs.size).toBe(0);
    await page.getByTestId('deploy-start').click();
    await poll(() => page.getByTestId('deploy-result').textContent()).toBe(
      `PWD 127.0.0.1:${cg.port}: stored 0 files, 15 unchanged, changed 4 accounts`,
    );
    expect(cg.domain('company.com').accounts.get('ivanov')!.prefs.get('Language')).toBe('russian');
    await shot(page, 'deploy-04-accounts');

    await page.keyboard.press('Escape');
    await poll(() => dialog.count()).toBe(0);
    expect(errors).toEqual([]);
  }, 90_000);

  it('refuses to deploy unsaved changes, and shows an unknown domain as the server answer', async () => {
    const { page, errors } = await e2e.open('file=autosecretary/flow.json');
    await page.getByTestId('deploy').click();
    await page.getByTestId('deploy-server').fill(`127.0.0.1:${cg.port}`);
    await page.getByTestId('deploy-domain').fill('nowhere.example');
    await page.getByTestId('deploy-password').fill('Pw-4-test');
    await page.getByTestId('deploy-start').click();
    await poll(() => page.getByTestId('deploy-error').textContent()).toBe(
      `creating the PBX environment of nowhere.example: PWD 127.0.0.1:${cg.port} answered 512 Unknown domain name; nothing was stored`,
    );
    await page.getByTestId('deploy-close').click();

    // an edit not saved yet: the deploy would read the old file, so it waits for the save
    await page.evaluate(() =>
      (
        window as unknown as {
          ivrStudio: { ctx: { flow: { getState(): { change(f: (d: object) => object): void } } } };
        }
      ).ivrStudio.ctx.flow
        .getState()
        .change((d) => ({ ...d, description: 'edited' })),
    );
    await page.getByTestId('deploy').click();
    expect(await page.getByTestId('deploy-server').inputValue()).toBe(`127.0.0.1:${cg.port}`); // remembered
    expect(await page.getByTestId('deploy-password').inputValue()).toBe(''); // never remembered
    await page.getByTestId('deploy-password').fill('Pw-4-test');
    expect(await page.getByTestId('deploy-start').isDisabled()).toBe(true);
    expect(await page.getByTestId('deploy-blocked').textContent()).toBe(
      'Save your changes first (Ctrl+S): the deploy reads the saved files.',
    );
    expect(errors).toEqual([]);
  }, 60_000);
});
