// End to end: the playground in a real browser (Debian's chromium driven by playwright-core). Builds and
// serves the page, trains XOR to 100%, shows a single neuron failing on it, trains on the spirals, compares
// the two output layers, watches gradients vanish, draws digits for the CNN, checks that nothing was logged
// as an error, and saves screenshots at laptop and phone widths in test-results/playground/.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startPlayground, type Playground } from '../../src/cli/playground.js';
import { CHROMIUM, CHROMIUM_ARGS as ARGS, SHOTS, skipWithoutChromium as skip, watchErrors } from './playground-page.js';

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

/** Waits for the first report of a fresh network (each reset blanks the read-outs). */
async function freshNetwork(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getElementById('nl-train-loss')!.textContent !== '—' && document.getElementById('nl-epoch')!.textContent === '0');
}

/** Sets the hidden layers and the neurons of each. */
async function setNetwork(page: Page, units: number[]): Promise<void> {
  await page.locator('#nl-layers').fill(String(units.length));
  await page.locator('#nl-layers').dispatchEvent('change');
  for (let i = 0; i < units.length; i++) {
    await page.locator(`#nl-units-${i + 1}`).fill(String(units[i]));
    await page.locator(`#nl-units-${i + 1}`).dispatchEvent('change');
  }
  await freshNetwork(page);
}

/** Sets a range input and fires its change, as a finished drag does. */
async function slide(page: Page, selector: string, value: number): Promise<void> {
  await page.locator(selector).evaluate((el, v) => {
    const input = el as HTMLInputElement;
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

/** Waits until the page has painted a frame (the plots are redrawn in requestAnimationFrame). */
async function nextFrame(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** [layer, unit, x, y, size] of each neuron of the network diagram, in CSS pixels of the canvas. */
async function neuronBoxes(page: Page): Promise<[number, number, number, number, number][]> {
  return JSON.parse((await page.locator('#nl-network').getAttribute('data-neurons'))!);
}

/** The mean colour of a rectangle of a canvas (CSS pixels). */
async function meanColor(page: Page, selector: string, x: number, y: number, w: number, h: number): Promise<number[]> {
  return page.locator(selector).evaluate(
    (el, [x, y, w, h]) => {
      const canvas = el as HTMLCanvasElement;
      const scale = canvas.width / canvas.clientWidth;
      const data = canvas.getContext('2d')!.getImageData(Math.round(x * scale), Math.round(y * scale), Math.round(w * scale), Math.round(h * scale)).data;
      const sum = [0, 0, 0, 0];
      for (let i = 0; i < data.length; i++) sum[i % 4] += data[i];
      return sum.map((v) => v / (data.length / 4));
    },
    [x, y, w, h],
  );
}

describe('the playground in a browser', { skip, timeout: 300_000 }, () => {
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
      if (head === 'softmax') {
        // this very run's two softmax neurons, rewritten as one sigmoid neuron of the difference, give the same P(class 1)
        const equiv = await text(page, '#out-equiv');
        const worst = Number(/largest difference ([\d.e+-]+)/.exec(equiv)?.[1]);
        assert.ok(worst < 1e-5, `sigmoid of the difference vs softmax: ${equiv}`);
      } else assert.match(await text(page, '#out-equiv'), /softmax\(\[0, z\]\) = \[1 − σ\(z\), σ\(z\)\]/);
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

  test('laptop: what the neurons section shows and does (issue 17)', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(playground.url);
    await freshNetwork(page);
    const epoch = () => number(page, '#nl-epoch');

    // 1. the p = 0.5 contour on XOR, the output's name and loss, the loss chart's axes
    await trainUntil(page, 'nl', () => Number(document.getElementById('nl-epoch')!.textContent) >= 30);
    await page.waitForFunction(() => Number(document.getElementById('nl-boundary')!.dataset.contourSegments) > 10, undefined, { timeout: 5000 });
    assert.match(await text(page, '#nl-head'), /1 sigmoid neuron.*binary cross-entropy/);
    assert.match((await page.locator('#nl-loss').getAttribute('aria-label'))!, /^Loss \(y axis\) against epoch \(x axis\)/);
    // "discretize output" repaints the plane with decisions only
    await nextFrame(page);
    const smooth = await page.locator('#nl-boundary').evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    await page.locator('#nl-discretize').check();
    await page.waitForFunction((before) => (document.getElementById('nl-boundary') as HTMLCanvasElement).toDataURL() !== before, smooth);
    await page.locator('#nl-discretize').uncheck();

    // 1. the perceptron: no hidden activation to choose, the lone neuron's line drawn and written out
    assert.ok(await page.locator('#nl-activation').isVisible());
    await page.getByRole('button', { name: '1 neuron' }).click();
    await freshNetwork(page);
    assert.ok(await page.locator('#nl-activation').isHidden(), 'the activation select is hidden with 0 hidden layers');
    await trainUntil(page, 'nl', () => Number(document.getElementById('nl-epoch')!.textContent) >= 20);
    await page.waitForFunction(() => document.getElementById('nl-boundary')!.dataset.line === 'true', undefined, { timeout: 5000 });
    assert.match(await text(page, '#nl-line'), /x1.*x2.*= 0/);

    // 2. the neuron: inputs x1 and x2, its bias drawn, its numbers on hover
    await nextFrame(page);
    const boxes = await neuronBoxes(page);
    const output = boxes.find(([layer]) => layer === 1)!;
    const [, , ox, oy, size] = output;
    const bias = await meanColor(page, '#nl-network', ox - size * 0.12, oy + size + 1, size * 0.1, size * 0.1);
    assert.ok(bias[3] > 200, `the bias square is drawn (alpha ${bias[3]})`);
    // the inputs' names: dark text (#111827) in the middle of each input's map, whose own colours are light
    for (const [, unit, ix, iy, isize] of boxes.filter(([layer]) => layer === 0)) {
      const dark = await page.locator('#nl-network').evaluate(
        (el, [x, y, w]) => {
          const canvas = el as HTMLCanvasElement;
          const scale = canvas.width / canvas.clientWidth;
          const d = canvas.getContext('2d')!.getImageData(Math.round(x * scale), Math.round(y * scale), Math.round(w * scale), Math.round(w * scale)).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i] < 70 && d[i + 1] < 70 && d[i + 2] < 80) n++;
          return n;
        },
        [ix + isize * 0.25, iy + isize * 0.25, isize * 0.5],
      );
      assert.ok(dark > 10, `input ${unit + 1}'s name x${unit + 1} is written on its map (${dark} dark pixels)`);
    }
    await page.locator('#nl-network').scrollIntoViewIfNeeded();
    const networkBox = (await page.locator('#nl-network').boundingBox())!;
    await page.mouse.move(networkBox.x + ox + size / 2, networkBox.y + oy + size / 2);
    await page.waitForFunction(() => document.getElementById('nl-neuron-info')!.textContent !== '');
    assert.match(await text(page, '#nl-neuron-info'), /^Output neuron 1: z = −?[\d.e-]+·x1 [+−] [\d.e-]+·x2 [+−] [\d.e-]+ \(bias\); output sigmoid\(z\)/);
    // a tap pins the neuron and makes its numbers editable: a bias of 5 puts every point on the blue side
    await page.mouse.click(networkBox.x + ox + size / 2, networkBox.y + oy + size / 2);
    assert.equal(await page.locator('#nl-neuron-edit input').count(), 3, 'w from x1, w from x2, bias');
    await page.locator('#nl-edit-bias').fill('5');
    await page.locator('#nl-edit-bias').dispatchEvent('change');
    await page.waitForFunction(() => document.getElementById('nl-neuron-info')!.textContent!.includes('+ 5.00 (bias)'));
    await page.waitForFunction(() => document.getElementById('nl-train-acc')!.textContent === '50%');
    // the plane is redrawn on the next frame: the line has left the square
    await page.waitForFunction(() => document.getElementById('nl-boundary')!.dataset.line === 'false');

    // 3. softmax outputs in their class colours (blobs), the regression's colour scale and head
    await page.locator('#nl-dataset').selectOption('blobs');
    await page.getByRole('button', { name: '1 hidden layer' }).click();
    await freshNetwork(page);
    assert.match(await text(page, '#nl-head'), /3 softmax neurons.*categorical cross-entropy/);
    await trainUntil(page, 'nl', () => Number(document.getElementById('nl-epoch')!.textContent) >= 40);
    await nextFrame(page);
    const outputs = (await neuronBoxes(page)).filter(([layer]) => layer === 2);
    assert.equal(outputs.length, 3);
    const [c0, c1, c2] = await Promise.all(outputs.map(([, , x, y, s]) => meanColor(page, '#nl-network', x + 2, y + 2, s - 4, s - 4)));
    assert.ok(c0[0] > c0[2], `class 0's unit is orange: ${c0}`);
    assert.ok(c1[2] > c1[0], `class 1's unit is blue: ${c1}`);
    assert.ok(c2[1] > c2[0] && c2[1] > c2[2], `class 2's unit is green: ${c2}`);
    assert.ok(await page.locator('#nl-scale').isHidden());
    await page.locator('#nl-dataset').selectOption('regression');
    await freshNetwork(page);
    assert.ok(await page.locator('#nl-scale').isVisible(), 'the regression plane has a colour scale');
    assert.match(await text(page, '#nl-head'), /1 linear neuron.*mean squared error/);

    // 4. overfitting on purpose: 20 noisy XOR points, half held out, a big network; then named under the chart
    await page.locator('#nl-dataset').selectOption('xor');
    await slide(page, '#nl-noise', 0.5);
    await slide(page, '#nl-samples', 20);
    await slide(page, '#nl-validation', 0.5);
    await setNetwork(page, [8, 8, 8, 8, 8, 8]);
    assert.equal(await page.locator('#nl-boundary').getAttribute('data-points'), '20 training, 20 validation');
    assert.ok(await page.locator('#nl-overfit').isHidden());
    await trainUntil(page, 'nl', () => !document.getElementById('nl-overfit')!.hidden, 60_000);
    assert.match(await text(page, '#nl-overfit'), /^Overfitting: validation loss has risen since epoch \d+/);
    // "regenerate data" draws new points
    await nextFrame(page);
    const before = await page.locator('#nl-boundary').evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    await page.locator('#nl-regenerate').click();
    await freshNetwork(page);
    // (repainted on the next frame)
    await page.waitForFunction((old) => (document.getElementById('nl-boundary') as HTMLCanvasElement).toDataURL() !== old, before, { timeout: 5000 });
    assert.ok(await page.locator('#nl-overfit').isHidden());
    await page.screenshot({ path: join(SHOTS, 'laptop-overfitting.png') });

    // 5. with dropout and L1, the curve's last training point is the training-loss figure; what was minimised is shown apart
    await page.locator('#nl-dropout').selectOption('0.3');
    await page.locator('#nl-l1').selectOption('0.001');
    await freshNetwork(page);
    await trainUntil(page, 'nl', () => Number(document.getElementById('nl-epoch')!.textContent) >= 10);
    const figure = await text(page, '#nl-train-loss');
    assert.match((await page.locator('#nl-loss').getAttribute('aria-label'))!, new RegExp(`training ${figure.replace('.', '\\.')}, `));
    assert.ok(await page.locator('#nl-objective-stat').isVisible());
    assert.notEqual(await text(page, '#nl-objective'), figure);

    // 6. a deep ReLU network with a big step dies: the hint says what to do
    await page.locator('#nl-dropout').selectOption('0');
    await page.locator('#nl-l1').selectOption('0');
    await slide(page, '#nl-noise', 0);
    await slide(page, '#nl-samples', 200);
    await slide(page, '#nl-validation', 0.25);
    await page.locator('#nl-activation').selectOption('relu');
    await page.locator('#nl-lr').selectOption('0.3');
    await page.locator('#nl-reset').click();
    await freshNetwork(page);
    await trainUntil(page, 'nl', () => !document.getElementById('nl-dead')!.hidden);
    assert.match(await text(page, '#nl-dead'), /learning rate.*He normal.*leaky ReLU/);

    // 7. the learning rate changes live: training goes on, the epoch counter keeps counting
    await page.locator('#nl-lr').selectOption('0.03');
    await page.locator('#nl-activation').selectOption('tanh');
    await freshNetwork(page);
    await page.locator('#nl-train').click();
    await page.waitForFunction(() => Number(document.getElementById('nl-epoch')!.textContent) >= 5);
    const atChange = await epoch();
    await page.locator('#nl-lr').selectOption('0.003');
    await page.waitForFunction((e) => Number(document.getElementById('nl-epoch')!.textContent) >= e + 20, atChange);
    assert.equal(await page.locator('#nl-train').getAttribute('aria-pressed'), 'true', 'still training after the change');
    await page.waitForFunction(() => document.getElementById('nl-status')!.textContent === 'Training at learning rate 0.003…');
    await page.locator('#nl-train').click();

    // 8. what is equal between 1 sigmoid and 2 softmax neurons, shown for any z
    assert.match(await text(page, '#outputs .lead'), /softmax\(\[0, z\]\) = \[1 − σ\(z\), σ\(z\)\]/);
    await page.locator('#out-z').fill('2.3');
    assert.equal(await text(page, '#out-sigma'), await text(page, '#out-softmax-1'));
    assert.equal(await text(page, '#out-one-minus'), await text(page, '#out-softmax-0'));
    assert.equal(await text(page, '#out-sigma'), (1 / (1 + Math.exp(-2.3))).toFixed(4));

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
    // the controls issue 17 added to the neurons and output sections are thumb-sized
    for (const selector of ['#nl-noise', '#nl-samples', '#nl-validation', '#nl-regenerate', 'label.check', '#out-z']) {
      const height = (await page.locator(selector).boundingBox())!.height;
      assert.ok(height >= 44, `${selector} is ${height} px tall`);
    }
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
