// Shared by the concept tests of the playground: where Debian's chromium is, how it is launched offline, and
// a watch on a page's console errors. (test/e2e/playground.test.ts has its own copies of the same settings.)
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = fileURLToPath(new URL('../../test-results/playground/', import.meta.url));
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** A reason to skip when there is no browser, else false. */
export const skipWithoutChromium = existsSync(CHROMIUM) ? false : `no browser at ${CHROMIUM} (install Debian's chromium, or set CHROMIUM_PATH)`;

/** Collects console errors, uncaught exceptions and failed requests of a page. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  return errors;
}
