// End to end: live CNN training in the playground (Debian's chromium driven by playwright-core). The page, as
// `dendrite playground` serves it, is cross-origin isolated; the section's worker runs dendrite's wasm backend on
// threads there; training a few steps from random weights lifts test accuracy above chance and repaints the
// filters and feature maps. A screenshot goes to test-results/playground/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Playground } from '../../src/cli/playground.js';
import { openPlayground, type PlaygroundSession, SHOTS, skipWithoutChromium, watchErrors } from './playground-page.js';

const data = (page: Page, name: string) => page.locator('#live-cnn').evaluate((el, n) => (el as HTMLElement).dataset[n] ?? '', name);
/** Every canvas of a filter grid as a data URL: a repaint changes them. */
const pixels = (page: Page, grid: string) =>
  page.locator(`${grid} canvas`).evaluateAll((canvases) => canvases.map((c) => (c as HTMLCanvasElement).toDataURL()));

describe('live CNN training in the playground', { skip: skipWithoutChromium, timeout: 180_000 }, () => {
  let session: PlaygroundSession;
  let playground: Playground;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async () => {
    session = await openPlayground();
    ({ playground, browser, page, errors } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('the page is cross-origin isolated and the training worker runs wasm on threads', async () => {
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.equal(await page.evaluate(() => typeof SharedArrayBuffer), 'function');
    await page.locator('#live-cnn').scrollIntoViewIfNeeded();
    assert.ok(await page.locator('nav a[href="#live-cnn"]').isVisible());
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#live-cnn')?.dataset.paints, null, { timeout: 60_000 });
    assert.equal(await data(page, 'isolated'), 'true');
    assert.equal(await data(page, 'backend'), 'wasm');
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    assert.equal(Number(await data(page, 'threads')), Math.min(cores, 8), 'wasm takes a thread per core');
    assert.ok(cores < 2 || Number(await data(page, 'threads')) > 1, 'more than one thread where there are cores for it');
    assert.match((await page.locator('#live-runtime').textContent()) ?? '', /2,000 training and 500 test digits; backend wasm .*cross-origin isolated/);
  });

  test('a few training steps lift test accuracy above chance and repaint the filters and feature maps', async () => {
    const start = Number(await data(page, 'accuracy'));
    assert.ok(start < 0.3, `untrained accuracy ${start} is near chance`);
    const filters1 = await pixels(page, '#live-filters1');
    const filters2 = await pixels(page, '#live-filters2');
    const maps1 = await pixels(page, '#live-maps1');
    assert.equal(filters1.length, 8);
    assert.equal(filters2.length, 16 * 8);
    assert.equal(maps1.length, 8);
    const canvases = await page.locator('#live-cnn canvas').elementHandles();
    const paints = Number(await data(page, 'paints'));

    await page.click('#live-step'); // 20 steps of 32
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('#live-cnn')!.dataset.steps) >= 20, null, { timeout: 120_000 });
    await page.waitForFunction(() => document.querySelector('#live-train')?.textContent === 'Train', null, { timeout: 10_000 });
    const accuracy = Number(await data(page, 'accuracy'));
    assert.ok(accuracy > 0.3, `test accuracy ${accuracy} after 20 steps is above chance (0.1) by far`);
    assert.ok(Number(await data(page, 'paints')) > paints + 1, 'repainted while training, not only at the end');
    assert.ok(Number(await data(page, 'samplesPerSecond')) > 0);
    assert.match(
      (await page.locator('#live-stats').textContent()) ?? '',
      /20 steps of 32 \(640 samples\), [\d,]+ samples\/s; loss [\d.]+; test accuracy [\d.]+%/,
    );

    const after1 = await pixels(page, '#live-filters1');
    assert.ok(
      after1.some((u, i) => u !== filters1[i]),
      'conv1 filters repainted',
    );
    const after2 = await pixels(page, '#live-filters2');
    assert.ok(
      after2.some((u, i) => u !== filters2[i]),
      'conv2 filters repainted',
    );
    const now = await page.locator('#live-cnn canvas').elementHandles();
    assert.equal(now.length, canvases.length);
    for (let i = 0; i < now.length; i++) assert.ok(await now[i].evaluate((el, old) => el === old, canvases[i]), 'the same canvases are repainted, not rebuilt');
    // wasm's threads have started by now (the GEMMs of a batch of 32 pass the split threshold)
    const threads = Number(await data(page, 'threads'));
    assert.equal(Number(await data(page, 'threadsRunning')), threads, 'every wasm thread is running');

    await page.locator('#live-cnn').screenshot({ path: join(SHOTS, 'live-cnn.png') });
    assert.deepEqual(errors, []);
  });

  test('Reset goes back to random weights at chance', async () => {
    await page.click('#live-reset');
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('#live-cnn')!.dataset.steps) === 0, null, { timeout: 30_000 });
    assert.ok(Number(await data(page, 'accuracy')) < 0.3);
    assert.deepEqual(errors, []);
  });

  test('phone: the section fits a 390 px screen with 44 px tap targets, and trains there', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const phone = await context.newPage();
    const phoneErrors = watchErrors(phone);
    await phone.goto(playground.url);
    await phone.locator('#live-cnn').scrollIntoViewIfNeeded();
    await phone.waitForFunction(() => document.querySelector<HTMLElement>('#live-cnn')?.dataset.paints, null, { timeout: 60_000 });
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
    const small = await phone.locator('#live-cnn button').evaluateAll((es) => es.filter((e) => e.getBoundingClientRect().height < 44).map((e) => e.id));
    assert.deepEqual(small, [], 'tap targets under 44 px');
    await phone.locator('#live-step').tap();
    await phone.waitForFunction(() => Number(document.querySelector<HTMLElement>('#live-cnn')!.dataset.steps) >= 20, null, { timeout: 120_000 });
    await phone.locator('#live-cnn').screenshot({ path: join(SHOTS, 'phone-live-cnn.png') });
    assert.deepEqual(phoneErrors, []);
    await context.close();
  });
});
