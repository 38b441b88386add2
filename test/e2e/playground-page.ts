// Shared by the playground's browser tests: Chromium's settings (test/chromium.ts), a watch on a page's console
// errors, and a served playground open in a laptop-sized page.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startPlayground, type Playground } from '../../src/cli/playground.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../chromium.js';

export { CHROMIUM, CHROMIUM_ARGS, skipWithoutChromium } from '../chromium.js';
export const SHOTS = fileURLToPath(new URL('../../test-results/playground/', import.meta.url));

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

/** A served playground (no model folder: the shipped model) open in Chromium, with its page's errors watched. */
export interface PlaygroundSession {
  playground: Playground;
  browser: Browser;
  page: Page;
  errors: string[];
  close(): Promise<void>;
}

/** Serves the playground on a free port and opens it in a 1366 x 900 page; screenshots' folder made. */
export async function openPlayground(): Promise<PlaygroundSession> {
  await mkdir(SHOTS, { recursive: true });
  const playground = await startPlayground({ port: 0, modelDir: null });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
  const errors = watchErrors(page);
  await page.goto(playground.url);
  return {
    playground,
    browser,
    page,
    errors,
    async close() {
      await browser.close();
      await playground.close();
    },
  };
}
