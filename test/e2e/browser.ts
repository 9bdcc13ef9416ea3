// Debian's Chromium through playwright-core (never `npx playwright install`), headless, with the
// background services that would add noise (or network access) to tests and benchmarks turned off.
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM as BROWSER } from '../helpers/tools';

/** $CHROMIUM_BIN, else Debian's /usr/bin/chromium (see test/helpers/tools.ts). */
export const CHROMIUM = BROWSER.path ?? process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser(): Promise<Browser> {
  if (BROWSER.path === null)
    throw new Error(`the browser tests need Chromium at ${CHROMIUM}${BROWSER.skipped.replace(' (skipped: ', ' (')}`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
