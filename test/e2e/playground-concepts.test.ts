// End to end: the playground's concept sections in a real browser (Debian's chromium driven by
// playwright-core): one backpropagation update step by step, an image becoming 784 inputs, categorical codes,
// changing resolution, and the CNN's filters and the activations of every layer. Each is checked to be on the
// page and to do what its text says; screenshots go to test-results/playground/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Playground } from '../../src/cli/playground.js';
import { openPlayground, type PlaygroundSession, SHOTS, skipWithoutChromium, watchErrors } from './playground-page.js';

const text = async (page: Page, selector: string) => (await page.locator(selector).first().textContent()) ?? '';
const attr = (page: Page, selector: string, name: string) => page.locator(selector).getAttribute(name);

describe('the playground concepts in a browser', { skip: skipWithoutChromium, timeout: 120_000 }, () => {
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

  test('backpropagation: one update step by step, new = old - lr * gradient, and the loss falls', async () => {
    const section = page.locator('#backprop');
    await section.scrollIntoViewIfNeeded();
    assert.ok(await page.locator('nav a[href="#backprop"]').isVisible());
    assert.match(await text(page, '#bp-status'), /step 1 of 7/);
    // before the backward steps no gradient is shown
    assert.equal(await text(page, '#bp-params td.grad'), '·');
    for (let i = 0; i < 6; i++) await page.locator('#bp-next').click();
    assert.match(await text(page, '#bp-status'), /step 7 of 7: The update/);
    const lr = Number(await page.locator('#bp-lr').inputValue());
    const rows = await page.locator('#bp-params tbody tr').evaluateAll((trs) =>
      trs.map((tr) => {
        // no named functions in here: tsx would wrap them in a helper the page does not have
        const cells = ['old', 'grad', 'new'].map((c) => tr.querySelector(`td.${c}`) as HTMLElement);
        return { name: tr.getAttribute('data-param')!, shown: cells.map((c) => c.textContent ?? ''), exact: cells.map((c) => Number(c.dataset.value)) };
      }),
    );
    assert.equal(rows.length, 9, '6 weights and 3 biases');
    for (const { name, shown, exact } of rows) {
      const [old, grad, next] = shown.map(Number);
      // as displayed (rounded to 4 decimals / 4 significant digits)
      assert.ok(Math.abs(next - (old - lr * grad)) < 2e-4, `${name}: ${next} != ${old} - ${lr} * ${grad}`);
      assert.ok(Math.abs(exact[2] - (exact[0] - lr * exact[1])) < 1e-6, `${name} exactly`);
      assert.notEqual(grad, 0, `${name} has a gradient`);
    }
    // the gradients are the loss's true derivatives: finite differences of the same network in float64
    const p = Object.fromEntries(rows.map((r) => [r.name, r.exact[0]]));
    const loss = (q: Record<string, number>) => {
      const s = (z: number) => 1 / (1 + Math.exp(-z));
      const h1 = s(0.05 * q.w1 + 0.1 * q.w3 + q.b1);
      const h2 = s(0.05 * q.w2 + 0.1 * q.w4 + q.b2);
      return (s(h1 * q.w5 + h2 * q.w6 + q.b3) - 0.01) ** 2;
    };
    const forward = Number(await attr(page, '#bp-forward dd[data-key="loss"]', 'data-value'));
    assert.ok(Math.abs(forward - loss(p)) < 1e-6, `loss ${forward} vs ${loss(p)}`);
    for (const r of rows) {
      const e = 1e-5;
      const fd = (loss({ ...p, [r.name]: p[r.name] + e }) - loss({ ...p, [r.name]: p[r.name] - e })) / (2 * e);
      assert.ok(Math.abs(fd - r.exact[1]) < 1e-5 + 1e-3 * Math.abs(fd), `${r.name}: autograd ${r.exact[1]} vs finite differences ${fd}`);
    }
    const newLoss = Number(await attr(page, '#bp-forward dd[data-key="new-loss"]', 'data-value'));
    assert.ok(newLoss < forward, `the loss went ${forward} -> ${newLoss}`);
    await section.screenshot({ path: join(SHOTS, 'laptop-backprop.png') });
    // the next update starts from the new weights
    await page.locator('#bp-next').click();
    assert.match(await text(page, '#bp-status'), /Update 2, step 1/);
    assert.equal(Number(await attr(page, '#bp-params tr[data-param="w5"] td.old', 'data-value')), rows[6].exact[2]);
    await page.locator('#bp-prev').click();
    assert.deepEqual(errors, []);
  });

  test('28x28 = 784: Flatten lays the rows end to end, 784 inputs for a Dense layer, an image for the CNN', async () => {
    const section = page.locator('#flatten');
    await section.scrollIntoViewIfNeeded();
    await page.getByRole('button', { name: 'Show an MNIST 5 as a vector' }).click();
    assert.equal(await attr(page, '#fl-vector', 'data-cells'), '784');
    assert.equal(await page.locator('#fl-vector').evaluate((c) => (c as HTMLCanvasElement).width), 784);
    assert.match(await text(page, '#fl-vector-caption'), /\[1, 784\], 784 inputs/);
    assert.match(await text(page, '#fl-dense-text'), /\[1, 128\].*100,480 parameters/);
    assert.match(await text(page, '#fl-conv-text'), /\[1, 26, 26, 8\].*80 parameters/);
    // tap pixel (row 14, column 9): it is input 14 * 28 + 9 = 401
    // the page above may still grow (the CNN section's model loading): wait until the image holds still, then
    // click at a position relative to it, which Playwright resolves when it clicks
    const picture = page.locator('#fl-image');
    await picture.click({ trial: true });
    const box = (await picture.boundingBox())!;
    await picture.click({ position: { x: ((9 + 0.5) / 28) * box.width, y: ((14 + 0.5) / 28) * box.height } });
    assert.equal(await attr(page, '#fl-where', 'data-index'), String(14 * 28 + 9));
    assert.match(await text(page, '#fl-where'), /row 14, column 9\).* is input 14 · 28 \+ 9 = 401/);
    // every cell of the vector is the image's pixel at row floor(i / 28), column i % 28; the chosen one is marked
    const [image, vector] = await Promise.all(
      ['#fl-image', '#fl-vector'].map((s) =>
        page.locator(s).evaluate((c) => {
          const canvas = c as HTMLCanvasElement;
          return Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data);
        }),
      ),
    );
    assert.equal(image.length, 784 * 4);
    assert.deepEqual(vector, image, 'the vector holds the image row after row');
    assert.deepEqual(vector.slice(401 * 4, 401 * 4 + 3), [230, 126, 34], 'the chosen input is marked');
    assert.ok(
      image.some((v, i) => i % 4 === 0 && v > 200),
      'the digit has ink',
    );
    assert.match(await text(page, '#fl-row-caption'), /inputs 392 to 419 of the vector, which are row 14/);
    await section.screenshot({ path: join(SHOTS, 'laptop-flatten.png') });
    // it follows the CNN section's digit
    const before = await attr(page, '#fl-where', 'data-value');
    await page.getByRole('button', { name: 'Load an MNIST test image of a 7' }).click();
    await page.waitForFunction((b) => document.getElementById('fl-where')!.dataset.value !== b, before);
    assert.deepEqual(errors, []);
  });

  test('categorical data: editing a colour or a size updates the one-hot and ordinal codes', async () => {
    const section = page.locator('#categorical');
    await section.scrollIntoViewIfNeeded();
    const headers = async () => (await page.locator('#cat-table thead th').allTextContents()).slice(2, -2);
    const vector = (row: number) => text(page, `#cat-table tr[data-row="${row}"] td.vector`);
    assert.deepEqual(await headers(), ['colour_blue', 'colour_green', 'colour_red']);
    assert.equal(await vector(0), '[0, 0, 1, 0]', 'red, S');
    assert.equal(await vector(2), '[1, 0, 0, 2]', 'blue, L');
    // one-hot: red -> green moves the 1
    await page.getByLabel('Colour of row 1').fill('green');
    assert.equal(await vector(0), '[0, 1, 0, 0]');
    // ordinal: S -> L is code 2, M is 1
    await page.getByLabel('Size of row 1').selectOption('L');
    assert.equal(await vector(0), '[0, 1, 0, 2]');
    await page.getByLabel('Size of row 1').selectOption('M');
    assert.equal(await text(page, '#cat-table tr[data-row="0"] td.ordinal'), '1');
    // a new colour is a new one-hot column; a row has exactly one 1 among them
    // typed key by key, as a learner does (the table is redrawn after each key and keeps the focus)
    await page.getByLabel('Colour of row 2').fill('');
    await page.getByLabel('Colour of row 2').pressSequentially('purple');
    assert.deepEqual(await headers(), ['colour_blue', 'colour_green', 'colour_purple', 'colour_red']);
    assert.equal(await vector(1), '[0, 0, 1, 0, 1]');
    assert.equal(await page.locator('#cat-table tr[data-row="1"] td.onehot.hot').count(), 1);
    await page.locator('#cat-add').click();
    assert.equal(await page.locator('#cat-table tbody tr').count(), 5);
    assert.match(await text(page, '#cat-note'), /4 colours seen, so 4 one-hot inputs/);
    await section.screenshot({ path: join(SHOTS, 'laptop-categorical.png') });
    assert.deepEqual(errors, []);
  });

  test('changing resolution: upsampling doubles (or triples) the picture; nearest repeats pixels; a stamp kernel equals nearest', async () => {
    const section = page.locator('#resolution');
    await section.scrollIntoViewIfNeeded();
    const pixels = (id: string) =>
      page.locator(`#res-${id}`).evaluate((c) => {
        const canvas = c as HTMLCanvasElement;
        return { w: canvas.width, h: canvas.height, data: Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data) };
      });
    for (const f of [2, 3]) {
      await page.locator('#res-factor').selectOption(String(f));
      const input = await pixels('input');
      assert.deepEqual([input.w, input.h], [8, 8]);
      for (const id of ['nearest', 'bilinear', 'transpose']) {
        const out = await pixels(id);
        assert.deepEqual([out.w, out.h], [8 * f, 8 * f], `${id} at ${f}x`);
        assert.equal(await attr(page, `#res-${id}-caption`, 'data-shape'), `1,${8 * f},${8 * f},3`);
      }
      // nearest: output pixel (y, x) is input pixel (floor(y / f), floor(x / f))
      const nearest = await pixels('nearest');
      for (let y = 0; y < 8 * f; y++)
        for (let x = 0; x < 8 * f; x++)
          for (let c = 0; c < 3; c++) assert.equal(nearest.data[4 * (y * 8 * f + x) + c], input.data[4 * (Math.floor(y / f) * 8 + Math.floor(x / f)) + c]);
      // bilinear blends: it has colours the picture does not have, each within the picture's range per channel
      const bilinear = await pixels('bilinear');
      const colours = (d: number[]) => new Set(Array.from({ length: d.length / 4 }, (_, i) => d.slice(4 * i, 4 * i + 3).join()));
      assert.ok(colours(bilinear.data).size > colours(input.data).size + 5, 'bilinear makes in-between colours');
      // a transposed convolution with a stamp kernel is nearest upsampling
      await page.locator('#res-kernel').selectOption('stamp');
      assert.deepEqual((await pixels('transpose')).data, nearest.data);
      await page.locator('#res-kernel').selectOption('tent');
    }
    await page.locator('#res-factor').selectOption('2');
    await section.screenshot({ path: join(SHOTS, 'laptop-resolution.png') });
    assert.deepEqual(errors, []);
  });

  test('the CNN: filters as images, activations of every layer, canvases kept and repainted per prediction', async () => {
    await page.locator('#cnn-inside').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.getElementById('cnn-model')!.textContent!.startsWith('Model:'), undefined, { timeout: 15_000 });
    // filters: conv1 has 8 of 3x3 on the image, conv2 16 of 3x3 on each of 8 maps
    assert.equal(await page.locator('#cnn-filters [data-layer="conv1"] canvas').count(), 8);
    assert.equal(await page.locator('#cnn-filters [data-layer="conv2"] canvas').count(), 16 * 8);
    const filter = await page
      .locator('#cnn-filters [data-layer="conv1"] canvas')
      .first()
      .evaluate((c) => {
        const canvas = c as HTMLCanvasElement;
        return {
          size: [canvas.width, canvas.height],
          weights: canvas.dataset.weights!.split(',').map(Number),
          pixels: Array.from(canvas.getContext('2d')!.getImageData(0, 0, 3, 3).data),
        };
      });
    assert.deepEqual(filter.size, [3, 3]);
    // blue (positive) weights have more blue than red, orange (negative) ones more red
    filter.weights.forEach((w, i) => {
      const [r, , b] = filter.pixels.slice(4 * i, 4 * i + 3);
      if (Math.abs(w) > 0.05) assert.equal(b > r, w > 0, `weight ${w} drawn as rgb(${r}, ?, ${b})`);
    });

    await page.getByRole('button', { name: 'Load an MNIST test image of a 2' }).click();
    await page.waitForFunction(() => document.getElementById('cnn-prediction')!.textContent === '2');
    // every layer is shown: the conv maps, then pooling, flatten and dense
    assert.deepEqual(await page.locator('#cnn-layers .layer-block').evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.layer)), [
      'pool1',
      'pool2',
      'flatten',
      'probabilities',
    ]);
    assert.equal(await page.locator('#cnn-layers [data-layer="pool1"] canvas').count(), 8);
    assert.equal(await page.locator('#cnn-layers [data-layer="pool2"] canvas').count(), 16);
    const sizes = await page.locator('#cnn-layers canvas.vector-strip').evaluateAll((cs) => cs.map((c) => (c as HTMLCanvasElement).width));
    assert.deepEqual(sizes, [5 * 5 * 16, 10], 'flatten (5x5x16) and the 10 dense outputs');
    // pooling keeps the strongest of each 2x2 block: pool1's map is conv1's, halved, with the max (= least red)
    const planes = await page.evaluate(() =>
      ['#cnn-maps canvas', '#cnn-layers [data-layer="pool1"] canvas'].map((sel) => {
        const canvas = document.querySelector(sel) as HTMLCanvasElement;
        return {
          w: canvas.width,
          red: Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data).filter((_, i) => i % 4 === 0),
        };
      }),
    );
    const [conv1, pool1] = planes;
    assert.deepEqual([conv1.w, pool1.w], [26, 13]);
    for (let y = 0; y < 13; y++)
      for (let x = 0; x < 13; x++) {
        const block = [0, 1].flatMap((dy) => [0, 1].map((dx) => conv1.red[(2 * y + dy) * 26 + 2 * x + dx]));
        assert.ok(Math.abs(pool1.red[y * 13 + x] - Math.min(...block)) <= 1, `pool1 (${y}, ${x})`);
      }
    // the dense outputs' strongest cell is the predicted digit
    const dense = await page
      .locator('#cnn-layers [data-layer="probabilities"] canvas')
      .evaluate((c) => Array.from((c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 10, 1).data).filter((_, i) => i % 4 === 0));
    assert.equal(dense.indexOf(Math.min(...dense)), 2);

    // another digit repaints the same canvases: none is rebuilt
    await page.evaluate(() => {
      (window as unknown as { kept: Element[] }).kept = [...document.querySelectorAll('#cnn canvas')];
    });
    const before = await page
      .locator('#cnn-layers [data-layer="pool2"] canvas')
      .first()
      .evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    await page.getByRole('button', { name: 'Load an MNIST test image of a 0' }).click();
    await page.waitForFunction(() => document.getElementById('cnn-prediction')!.textContent === '0');
    await page.locator('#cnn-clear').click();
    assert.ok(await page.locator('#cnn-layers-empty').isVisible(), 'a cleared canvas says what to do');
    await page.getByRole('button', { name: 'Load an MNIST test image of a 9' }).click();
    await page.waitForFunction(() => document.getElementById('cnn-prediction')!.textContent === '9');
    const kept = await page.evaluate(() => {
      const old = (window as unknown as { kept: Element[] }).kept;
      const now = [...document.querySelectorAll('#cnn canvas')];
      return { same: now.length === old.length && now.every((c, i) => c === old[i]), count: now.length };
    });
    assert.ok(kept.same, `the CNN section's ${kept.count} canvases were rebuilt`);
    const after = await page
      .locator('#cnn-layers [data-layer="pool2"] canvas')
      .first()
      .evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    assert.notEqual(after, before, 'the kept canvases were repainted');
    await page.locator('#cnn-inside').screenshot({ path: join(SHOTS, 'laptop-cnn-inside.png') });
    assert.deepEqual(errors, []);
  });

  test('phone: the concept sections fit a 390 px screen and keep 44 px tap targets', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const phone = await context.newPage();
    const phoneErrors = watchErrors(phone);
    await phone.goto(playground.url);
    await phone.waitForFunction(() => document.getElementById('cnn-model')!.textContent!.startsWith('Model:'), undefined, { timeout: 15_000 });
    await phone.getByRole('button', { name: 'Load an MNIST test image of a 4' }).click();
    await phone.waitForFunction(() => document.getElementById('cnn-prediction')!.textContent === '4');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
    for (const id of ['backprop', 'categorical', 'cnn-inside', 'flatten', 'resolution']) {
      const small = await phone
        .locator(`#${id} button, #${id} select`)
        .evaluateAll((es) => es.filter((e) => e.getBoundingClientRect().height < 44).map((e) => e.id || e.textContent));
      assert.deepEqual(small, [], `#${id}: tap targets under 44 px`);
      await phone.locator(`#${id}`).screenshot({ path: join(SHOTS, `phone-${id}.png`) });
    }
    assert.deepEqual(phoneErrors, []);
    await context.close();
  });
});
