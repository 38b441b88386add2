// End to end: the playground's two trained comparisons (Debian's chromium driven by playwright-core). In
// "28×28 = 784" a Dense network on the flattened pixels and a CNN on the images train in a Web Worker on the same
// MNIST digits and both test accuracies show, above chance; in "Changing resolution" the shipped upsampling model
// restores 14×14 MNIST digits with a lower mean squared error than bilinear upsampling, as displayed and as
// recomputed here from the canvases' pixels. Screenshots go to test-results/playground/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openPlayground, type PlaygroundSession, SHOTS, skipWithoutChromium } from './playground-page.js';

/** Grey levels (0 to 1) of a canvas, one per pixel (red channel; the pictures are grey). */
const grey = (page: Page, id: string) =>
  page.locator(id).evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    return Array.from({ length: c.width * c.height }, (_, i) => data[4 * i] / 255);
  });

function mse(a: number[], b: number[]): number {
  assert.equal(a.length, b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return sum / a.length;
}

describe('the playground compares Dense with a CNN, and upsampling with a trained model', { skip: skipWithoutChromium, timeout: 240_000 }, () => {
  let session: PlaygroundSession;
  let page: Page;
  let errors: string[];

  before(async () => {
    session = await openPlayground();
    ({ page, errors } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('Dense vs CNN: both train in a worker on the same digits, and both test accuracies are shown above chance', async () => {
    const box = page.locator('#fl-compare');
    await box.scrollIntoViewIfNeeded();
    await page.locator('#fl-compare-run').click();
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#fl-compare')?.dataset.state === 'done', null, { timeout: 180_000 });
    for (const [name, params] of [
      ['dense', 784 * 32 + 32 + 32 * 10 + 10],
      ['cnn', 8 * 10 + 16 * (9 * 8 + 1) + 400 * 10 + 10],
    ] as const) {
      const row = page.locator(`#fl-compare-table tr[data-network="${name}"]`);
      const accuracy = Number(await row.getAttribute('data-accuracy'));
      assert.ok(accuracy > 0.5, `${name}: test accuracy ${accuracy} is far above chance (0.1)`);
      assert.equal(Number(await row.getAttribute('data-params')), params, `${name}: parameter count`);
      const cells = await row.locator('td').allTextContents();
      assert.equal(cells[1], params.toLocaleString('en'));
      assert.equal(cells[2], `${(accuracy * 100).toFixed(1)}% of 500`);
    }
    assert.match(
      (await page.locator('#fl-compare-status').textContent()) ?? '',
      /the CNN reaches \d+\.\d% with 5,258 parameters, the Dense network \d+\.\d% with 4\.8 times as many/,
    );
    await box.screenshot({ path: join(SHOTS, 'dense-vs-cnn.png') });
  });

  test("the trained upsampler's error is below bilinear's, as shown and as recomputed from the pixels, on every sample digit", async () => {
    const box = page.locator('#res-restore');
    await box.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#res-restore')?.dataset.mseModel, null, { timeout: 60_000 });
    const buttons = page.locator('#res-restore .examples button');
    assert.equal(await buttons.count(), 10);
    for (let d = 0; d < 10; d++) {
      await buttons.nth(d).click();
      // (no named functions inside evaluate: tsx would wrap them in a helper the page lacks)
      const captions = await Promise.all(['nearest', 'bilinear', 'model'].map((v) => page.locator(`#res-mnist-${v}-caption`).textContent()));
      const [nearestShown, bilinearShown, modelShown] = captions.map((t) => Number(/error (\d\.\d+)/.exec(t ?? '')?.[1]));
      const shown = {
        nearest: nearestShown,
        bilinear: bilinearShown,
        model: modelShown,
        exact: { bilinear: Number(await box.getAttribute('data-mse-bilinear')), model: Number(await box.getAttribute('data-mse-model')) },
      };
      assert.ok(shown.model < shown.bilinear, `digit ${d}: shown model error ${shown.model} < bilinear ${shown.bilinear}`);
      assert.ok(shown.model < shown.nearest, `digit ${d}: shown model error ${shown.model} < nearest ${shown.nearest}`);
      const original = await grey(page, '#res-mnist-original');
      const small = await grey(page, '#res-mnist-small');
      assert.equal(original.length, 784);
      assert.equal(small.length, 196);
      const bilinear = mse(await grey(page, '#res-mnist-bilinear'), original);
      const model = mse(await grey(page, '#res-mnist-model'), original);
      assert.ok(model < bilinear, `digit ${d}: from the pixels, model ${model} < bilinear ${bilinear}`);
      // the canvases hold 8-bit grey levels: the recomputed errors match the shown ones to within rounding
      assert.ok(Math.abs(bilinear - shown.exact.bilinear) < 2e-4, `digit ${d}: bilinear ${bilinear} vs shown ${shown.exact.bilinear}`);
      assert.ok(Math.abs(model - shown.exact.model) < 2e-4, `digit ${d}: model ${model} vs shown ${shown.exact.model}`);
    }
    await box.screenshot({ path: join(SHOTS, 'resolution-restore.png') });
  });

  test('no console errors', () => {
    assert.deepEqual(errors, []);
  });
});
