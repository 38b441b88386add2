// End to end: the playground in a real browser (Debian's chromium driven by playwright-core). Builds and
// serves the page, trains XOR to 100%, shows a single neuron failing on it, trains on the spirals, compares
// the two output layers, watches gradients vanish, draws digits for the CNN, checks that nothing was logged
// as an error, and saves screenshots at laptop and phone widths in test-results/playground/.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startPlayground, type Playground } from '../../src/cli/playground.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('../../test-results/playground/', import.meta.url));
const ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const skip = existsSync(CHROMIUM) ? false : `no browser at ${CHROMIUM} (install Debian's chromium, or set CHROMIUM_PATH)`;

/** Console errors and uncaught exceptions of a page. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  return errors;
}

// biome-ignore lint/performance/useDomNodeTextContent: the read-outs as shown on screen are what a learner sees
const text = (page: Page, selector: string) => page.locator(selector).innerText();
const number = async (page: Page, selector: string) => Number((await text(page, selector)).replace('%', ''));

/** Clicks Train and waits until `done` holds (polled in the page), then stops if still running. */
async function trainUntil(page: Page, section: 'nl' | 'out' | 'vg', done: () => boolean, timeout = 30_000): Promise<void> {
  const button = page.locator(`#${section}-train`);
  // training goes on for a moment after the condition is seen (the stop arrives between slices), and a
  // last report may undo it (a point near the boundary flips): then train on until it holds when stopped
  for (let attempt = 0; attempt < 5; attempt++) {
    await button.click();
    await page.waitForFunction(done, undefined, { timeout, polling: 100 });
    if ((await button.getAttribute('aria-pressed')) === 'true') await button.click();
    await page.waitForFunction((id) => document.getElementById(id)!.getAttribute('aria-pressed') !== 'true', `${section}-train`);
    if (await page.evaluate(done)) return;
  }
}

/** Draws a polyline (canvas fractions 0..1) with the mouse. */
async function drawStroke(page: Page, points: [number, number][]): Promise<void> {
  const box = (await page.locator('#cnn-draw').boundingBox())!;
  const at = ([fx, fy]: [number, number]) => [box.x + fx * box.width, box.y + fy * box.height] as const;
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = at(points[i - 1]);
    const [x1, y1] = at(points[i]);
    for (let s = 1; s <= 8; s++) await page.mouse.move(x0 + ((x1 - x0) * s) / 8, y0 + ((y1 - y0) * s) / 8);
  }
  await page.mouse.up();
}

async function predictionAfterDrawing(page: Page, strokes: [number, number][][]): Promise<string> {
  await page.locator('#cnn-clear').click();
  await page.waitForFunction(() => document.getElementById('cnn-prediction')!.textContent === '—');
  for (const stroke of strokes) await drawStroke(page, stroke);
  await page.waitForFunction(() => document.getElementById('cnn-prediction')!.textContent !== '—');
  return text(page, '#cnn-prediction');
}

describe('the playground in a browser', { skip, timeout: 150_000 }, () => {
  let playground: Playground;
  let browser: Browser;

  before(async () => {
    await mkdir(SHOTS, { recursive: true });
    // the shipped model, whatever ./dendrite-models holds
    playground = await startPlayground({ port: 0, modelDir: null });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  after(async () => {
    await browser?.close();
    await playground?.close();
  });

  test('laptop: XOR, a single neuron, spirals, output layers, vanishing gradients and the CNN', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(playground.url);
    await page.waitForFunction(() => document.getElementById('nl-train-loss')!.textContent !== '—');

    // XOR with the default network (2 hidden layers of 4 tanh neurons) reaches 100%
    assert.equal(await page.locator('#nl-dataset').inputValue(), 'xor');
    await trainUntil(page, 'nl', () => document.getElementById('nl-train-acc')!.textContent === '100%');
    assert.equal(await text(page, '#nl-train-acc'), '100%');
    assert.ok((await number(page, '#nl-epoch')) > 0);
    await page.screenshot({ path: join(SHOTS, 'laptop-xor.png') });

    // one neuron draws one straight line: at most 3 of the 4 XOR clouds, however long it trains
    await page.getByRole('button', { name: '1 neuron' }).click();
    await page.waitForFunction(() => document.getElementById('nl-epoch')!.textContent === '0');
    await trainUntil(page, 'nl', () => Number(document.getElementById('nl-epoch')!.textContent) >= 150);
    assert.ok((await number(page, '#nl-train-acc')) <= 80, `a single neuron reached ${await text(page, '#nl-train-acc')} on XOR`);

    // the spirals, with three hidden layers: the loss falls
    await page.locator('#nl-dataset').selectOption('spirals');
    await page.getByRole('button', { name: '3 hidden layers' }).click();
    assert.equal(await page.locator('#nl-units input').count(), 3);
    // each reset blanks the read-outs, so this waits for the 3-layer network's first report
    await page.waitForFunction(() => document.getElementById('nl-train-loss')!.textContent !== '—' && document.getElementById('nl-epoch')!.textContent === '0');
    const initialLoss = await number(page, '#nl-train-loss');
    await trainUntil(page, 'nl', () => Number(document.getElementById('nl-epoch')!.textContent) >= 150);
    const spiralLoss = await number(page, '#nl-train-loss');
    assert.ok(spiralLoss < initialLoss * 0.8, `spiral loss ${initialLoss} -> ${spiralLoss}`);
    await page.screenshot({ path: join(SHOTS, 'laptop-spirals.png') });

    // keyboard: Reset is reachable and works with Enter
    await page.locator('#nl-reset').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('nl-epoch')!.textContent === '0');

    // output layers: 1 sigmoid and 2 softmax neurons both learn the circles
    for (const head of ['sigmoid', 'softmax']) {
      await page.locator(`#out-${head}`).check();
      await page.waitForFunction(() => document.getElementById('out-epoch')!.textContent === '0');
      await trainUntil(page, 'out', () => document.getElementById('out-status')!.textContent!.startsWith('Done'));
      assert.ok((await number(page, '#out-acc')) >= 95, `${head}: accuracy ${await text(page, '#out-acc')}`);
    }

    // vanishing gradients: layer 1's gradient is tiny next to the output layer's with sigmoids, not with ReLU + He
    const ratios: Record<string, number> = {};
    for (const kind of ['sigmoid', 'relu']) {
      await page.locator(`#vg-${kind}`).check();
      await page.waitForFunction(() => document.getElementById('vg-epoch')!.textContent === '0' && document.getElementById('vg-ratio')!.textContent !== '—');
      await trainUntil(page, 'vg', () => Number(document.getElementById('vg-epoch')!.textContent) >= 5);
      ratios[kind] = await number(page, '#vg-ratio');
    }
    assert.ok(ratios.sigmoid < 1e-3, `sigmoid layer-1/output gradient ratio ${ratios.sigmoid}`);
    assert.ok(ratios.relu > 1e-2, `relu layer-1/output gradient ratio ${ratios.relu}`);

    // the CNN: draw a 1 and a 7
    await page.locator('#cnn').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.getElementById('cnn-model')!.textContent!.startsWith('Model:'), undefined, { timeout: 15_000 });
    const one = await predictionAfterDrawing(page, [
      [
        [0.52, 0.15],
        [0.5, 0.5],
        [0.48, 0.85],
      ],
    ]);
    assert.equal(one, '1');
    const top = page.locator('.prob-row.top .fill');
    assert.equal(await page.locator('.prob-row').count(), 10);
    const topWidth = await top.evaluate((el) => parseFloat((el as HTMLElement).style.width));
    assert.ok(topWidth > 50, `the predicted digit's bar is ${topWidth}% long`);
    assert.equal(await page.locator('#cnn-maps canvas').count(), 8 + 16, 'feature maps of conv1 (8) and conv2 (16)');
    const seven = await predictionAfterDrawing(page, [
      [
        [0.25, 0.2],
        [0.75, 0.2],
        [0.45, 0.85],
      ],
    ]);
    assert.equal(seven, '7');
    await page.locator('#cnn').screenshot({ path: join(SHOTS, 'laptop-cnn.png') });
    await page.screenshot({ path: join(SHOTS, 'laptop-full.png'), fullPage: true });

    assert.deepEqual(errors, []);
    await context.close();
  });

  test('phone: the page fits a 390 px screen and the MNIST examples are recognised', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(playground.url);
    await page.waitForFunction(() => document.getElementById('nl-train-loss')!.textContent !== '—');
    await page.waitForFunction(() => document.getElementById('cnn-model')!.textContent!.startsWith('Model:'), undefined, { timeout: 15_000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
    await trainUntil(page, 'nl', () => document.getElementById('nl-train-acc')!.textContent === '100%');
    await page.screenshot({ path: join(SHOTS, 'phone-top.png') });
    await page.getByRole('button', { name: 'Load an MNIST test image of a 3' }).click();
    await page.waitForFunction(() => document.getElementById('cnn-prediction')!.textContent === '3');
    await page.locator('#cnn').screenshot({ path: join(SHOTS, 'phone-cnn.png') });
    await page.screenshot({ path: join(SHOTS, 'phone-full.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });
});
