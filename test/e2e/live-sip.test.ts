// Live SIP in a real browser: the callback sample is started from the Phone panel, SIPp calls the
// address the page shows and keys 5551234# as SIP INFO, and the page lists the call, draws its ladder
// and shows the e-mail the flow sent in the Outbox.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SipServer } from '../../runtime/sip';
import { HAVE_SIPP, infoKeys, killPeers, sipp } from '../sip/helpers';
import { poll, setUpE2E, shot, type E2E } from './helpers';
import { SIPP } from '../helpers/tools';

const DIGITS = '5551234#';

let e2e: E2E;
beforeAll(async () => {
  e2e = await setUpE2E();
}, 120_000);
afterEach(() => killPeers());
afterAll(async () => {
  await e2e?.close();
});

describe.skipIf(!HAVE_SIPP)(`Live SIP from the Phone panel${SIPP.skipped}`, () => {
  it('starts the saved flow, takes a real SIPp call and shows it, its ladder and its e-mail', async () => {
    const { page, errors } = await e2e.open('file=callback/flow.json');
    // Live SIP runs the saved file: pressed before ?file= has loaded, it would ask to save a new one.
    await page.getByTestId('node-mail').waitFor();
    await poll(() =>
      page.evaluate(
        () =>
          (
            window as unknown as { ivrStudio: { ctx: { flow: { getState(): { path: string | null } } } } }
          ).ivrStudio.ctx.flow.getState().path,
      ),
    ).toBe('callback/flow.json');
    await page.getByTestId('tab-phone').click();
    await page.getByTestId('sip-start').click();
    const address = page.getByTestId('sip-address');
    await address.waitFor();
    const uri = (await address.textContent()) ?? '';
    expect(uri).toMatch(/^sip:callback@127\.0\.0\.1:\d+$/);
    const port = Number(/:(\d+)$/.exec(uri)![1]);
    await poll(() => page.getByTestId('sip-start').textContent()).toBe('Restart SIP');
    await shot(page, 'live-sip-01-started');

    // sipp() only needs the port of the runtime it calls.
    const run = await sipp({ port } as SipServer, {
      scenario: 'uac-info-digits.xml',
      service: 'callback',
      replace: { '<!--KEYS-->': infoKeys(DIGITS) },
      timeoutMs: 25_000,
    });
    expect(run.code, run.errors + run.stderr).toBe(0);

    const calls = page.getByTestId('sip-calls').locator('li');
    await poll(() => calls.count()).toBe(1);
    await poll(() => calls.first().textContent()).toMatch(/sipp@127\.0\.0\.1.*ended by program/);

    // The caller's 200 to our BYE is the last row; wait for it before reading the ladder.
    const ladder = page.getByTestId('sip-ladder');
    const rows = () => ladder.locator('.trace-line__text').allTextContents();
    await poll(async () => (await rows()).at(-1)).toBe('SIP/2.0 200 OK ──▶');
    const lines = await rows();
    expect(lines[0]).toMatch(/^INVITE sip:callback@127\.0\.0\.1:\d+ ──▶$/);
    expect(lines).toContain('◀── SIP/2.0 200 OK');
    expect(lines.some((l) => /^ACK sip:\S+ ──▶$/.test(l))).toBe(true);
    expect(lines.filter((l) => /^INFO sip:\S+ ──▶$/.test(l))).toHaveLength(DIGITS.length);
    expect(lines.some((l) => /^◀── BYE sip:\S+$/.test(l))).toBe(true);
    expect(lines.indexOf('◀── SIP/2.0 200 OK')).toBeLessThan(lines.findIndex((l) => l.startsWith('ACK ')));
    // The call's trace heard the keys the INFOs carried.
    await poll(() => page.getByTestId('sip-trace').textContent()).toContain('5551234');
    await ladder.scrollIntoViewIfNeeded();
    await shot(page, 'live-sip-02-ladder');

    await page.getByTestId('tab-outbox').click();
    const mail = page.getByTestId('outbox-item').filter({ hasText: 'Contact phone: 5551234' });
    await mail.waitFor();
    expect(await mail.count()).toBe(1);
    await shot(page, 'live-sip-03-outbox');

    await page.getByTestId('tab-phone').click();
    await page.getByTestId('sip-stop').click();
    await address.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  }, 40_000);
});
