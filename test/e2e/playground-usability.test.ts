// End to end: the playground's usability (issue 17). A link holds the neurons section's whole setup and
// restores it; a malformed link leaves the defaults without an error; on a 390 px phone the Train button and
// the data-set choice sit in the section's first screen, every control is a 44 px tap target, nothing scrolls
// sideways and the network's layer names do not overlap at 6 hidden layers. Screenshots go to
// test-results/playground/.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type Playground, startPlayground } from '../../src/cli/playground.js';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS, skipWithoutChromium, watchErrors } from './playground-page.js';

/** A setup unlike the defaults in every control the link carries. */
const SETUP: Record<string, string> = {
  dataset: 'circles',
  noise: '0.1',
  points: '100',
  validation: '0.3',
  layers: '3',
  units: '5,3,2',
  activation: 'relu',
  init: 'heNormal',
  lr: '0.1',
  optimizer: 'rmsprop',
  batch: '32',
  l1: '0.0001',
  l2: '0.001',
  dropout: '0.1',
  discretize: '1',
  seed: '11',
  dataSeed: '9',
};
/** Control id and the value it must show for each parameter of SETUP that is a control. */
const CONTROLS: [string, string][] = [
  ['nl-dataset', 'circles'],
  ['nl-noise', '0.1'],
  ['nl-samples', '100'],
  ['nl-validation', '0.3'],
  ['nl-layers', '3'],
  ['nl-units-1', '5'],
  ['nl-units-2', '3'],
  ['nl-units-3', '2'],
  ['nl-activation', 'relu'],
  ['nl-init', 'heNormal'],
  ['nl-lr', '0.1'],
  ['nl-optimizer', 'rmsprop'],
  ['nl-batch', '32'],
  ['nl-l1', '0.0001'],
  ['nl-l2', '0.001'],
  ['nl-dropout', '0.1'],
];

const value = (page: Page, id: string) => page.locator(`#${id}`).inputValue();
const ready = (page: Page) => page.waitForFunction(() => document.getElementById('nl-train-loss')!.textContent !== '—', null, { timeout: 30_000 });
/** Hidden layer sizes as the network diagram drew them (layer 0 is the inputs, the last the output). */
const drawnLayers = (page: Page) =>
  page.locator('#nl-network').evaluate((el) => {
    const boxes = JSON.parse((el as HTMLElement).dataset.neurons ?? '[]') as number[][];
    const counts: number[] = [];
    for (const [layer] of boxes) counts[layer] = (counts[layer] ?? 0) + 1;
    return counts;
  });

describe('playground usability: a shareable link and the phone layout', { skip: skipWithoutChromium, timeout: 180_000 }, () => {
  let playground: Playground;
  let browser: Browser;

  before(async () => {
    await mkdir(SHOTS, { recursive: true });
    playground = await startPlayground({ port: 0, modelDir: null });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await playground?.close();
  });

  test('a link restores every control of the neurons section, and the network trains with that setup', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    const errors = watchErrors(page);
    await page.goto(`${playground.url}?${new URLSearchParams(SETUP)}#neurons`);
    await ready(page);
    for (const [id, want] of CONTROLS) assert.equal(await value(page, id), want, `#${id}`);
    assert.equal(await page.locator('#nl-discretize').isChecked(), true);
    // the data follow the link: 100 training points, and 30% of all points held out
    assert.equal(await page.locator('#nl-boundary').getAttribute('data-points'), '100 training, 43 validation');
    assert.deepEqual(await drawnLayers(page), [2, 5, 3, 2, 1]);
    // the page's own address is the same setup (the link it would copy)
    const params = new URL(page.url()).searchParams;
    for (const [key, want] of Object.entries(SETUP)) assert.equal(params.get(key), want, `URL parameter ${key}`);

    await page.click('#nl-train');
    await page.waitForFunction(() => Number(document.getElementById('nl-epoch')!.textContent) >= 5, null, { timeout: 60_000 });
    assert.match((await page.locator('#nl-status').textContent()) ?? '', /learning rate 0\.1/);
    await page.click('#nl-train');
    assert.ok(Number.isFinite(Number(await page.locator('#nl-train-loss').textContent())));
    assert.equal(await page.locator('#nl-objective-stat').isVisible(), true, 'dropout and L1/L2 on: the minimised loss is shown');

    // changing a control rewrites the address; Copy link hands it over (or shows it where the clipboard is refused)
    await page.locator('#nl-dataset').selectOption('spirals');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('dataset') === 'spirals');
    await page.click('#nl-copy-link');
    await page.waitForFunction(() => /Link copied|Copy this link/.test(document.getElementById('nl-status')!.textContent ?? ''));
    await page.locator('#neurons').screenshot({ path: join(SHOTS, 'laptop-shared-link.png') });
    assert.deepEqual(errors, []);
  });

  test('a malformed link leaves the defaults and logs no error', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    const errors = watchErrors(page);
    const bad = [
      'dataset=__proto__',
      'noise=0.07',
      'points=1e9',
      'validation=-1',
      'layers=99',
      'units=4,x,9,0,1,2,3',
      'activation=constructor',
      'init=%3Cscript%3E',
      'lr=NaN',
      'optimizer=toString',
      'batch=',
      'l1=0.2',
      'dropout=Infinity',
      'discretize=yes',
      'seed=-5',
      'dataSeed=99999999999999',
      'hasOwnProperty=1',
      '%E0%A4%A=broken',
    ].join('&');
    await page.goto(`${playground.url}?${bad}`);
    await ready(page);
    const defaults: [string, string][] = [
      ['nl-dataset', 'xor'],
      ['nl-noise', '0'],
      ['nl-samples', '200'],
      ['nl-validation', '0.25'],
      ['nl-layers', '2'],
      ['nl-units-1', '4'],
      ['nl-units-2', '4'],
      ['nl-activation', 'tanh'],
      ['nl-init', 'auto'],
      ['nl-lr', '0.03'],
      ['nl-optimizer', 'adam'],
      ['nl-batch', '16'],
      ['nl-l1', '0'],
      ['nl-l2', '0'],
      ['nl-dropout', '0'],
    ];
    for (const [id, want] of defaults) assert.equal(await value(page, id), want, `#${id}`);
    assert.equal(await page.locator('#nl-discretize').isChecked(), false);
    assert.equal(await page.evaluate(() => Object.getPrototypeOf({}) === Object.prototype && !('polluted' in {})), true);
    const params = new URL(page.url()).searchParams;
    assert.equal(params.get('seed'), '7');
    assert.equal(params.get('dataSeed'), '7');
    assert.equal(params.get('hasOwnProperty'), null, 'unknown parameters are dropped from the address');
    assert.deepEqual(errors, []);
  });

  test('phone: Train and the data set in the first screen, 44 px tap targets, no sideways scroll, layer names apart at 6 hidden layers', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(playground.url);
    await ready(page);

    const top = (selector: string) => page.locator(selector).evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    const section = await top('#neurons');
    for (const selector of ['#nl-train', '#nl-dataset']) {
      const offset = (await top(selector)) - section;
      assert.ok(offset >= 0 && offset + 44 <= 844, `${selector} is ${Math.round(offset)} px into the section: within its first screen (844 px)`);
    }

    const small = await page.evaluate(() => {
      const out: string[] = [];
      for (const el of document.querySelectorAll<HTMLElement>('button, select, input')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue; // hidden
        // a checkbox or radio button is tapped through its label
        const label = el.closest('label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`) : null);
        const target = el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio') ? (label ?? el) : el;
        const h = target.getBoundingClientRect().height;
        if (h < 43.5) out.push(`${el.tagName.toLowerCase()}#${el.id || el.textContent?.trim().slice(0, 20)} ${h.toFixed(1)} px`);
      }
      return out;
    });
    assert.deepEqual(small, [], 'every button, select and input is at least 44 px tall');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page scrolls ${overflow} px sideways`);

    await page.locator('#neurons').screenshot({ path: join(SHOTS, 'phone-neurons.png') });
    await page.locator('#nl-layers').fill('6');
    await page.locator('#nl-layers').dispatchEvent('change');
    await page.waitForFunction(() => JSON.parse(document.getElementById('nl-network')!.dataset.labels ?? '[]').length === 8);
    const labels = JSON.parse((await page.locator('#nl-network').getAttribute('data-labels')) ?? '[]') as [number, number][];
    for (let i = 1; i < labels.length; i++) {
      const [left, width] = labels[i - 1];
      assert.ok(left + width <= labels[i][0], `layer name ${i - 1} (${left}+${width}) runs into name ${i} at ${labels[i][0]}`);
    }
    const canvasWidth = await page.locator('#nl-network').evaluate((el) => el.clientWidth);
    assert.ok(labels[0][0] >= 0 && labels[labels.length - 1][0] + labels[labels.length - 1][1] <= canvasWidth, 'the names stay on the canvas');
    assert.equal(new URL(page.url()).searchParams.get('layers'), '6');
    await page.locator('#nl-network').scrollIntoViewIfNeeded();
    await page.locator('#neurons').screenshot({ path: join(SHOTS, 'phone-neurons-6-layers.png') });
    await page.screenshot({ path: join(SHOTS, 'phone-neurons-top.png') });
    assert.deepEqual(errors, []);
    await context.close();
  });
});
