// Opens generated reports in headless Chromium (Debian's package, driven by playwright-core) with the
// network cut off, and checks that every chart rendered: Chart.js instances exist, canvases hold drawn
// pixels, and the page logged no errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { tabularReport } from '../../src/cli/train-csv.js';
import { writeMnistReport } from '../../src/cli/report-mnist.js';
import { History } from '../../src/model/history.js';
import { sequential } from '../../src/model/sequential.js';
import { dense } from '../../src/nn/layers/dense.js';
import { writeReport } from '../../src/report/render.js';
import { parseCsv } from '../../src/tabular/csv.js';
import { trainTabular } from '../../src/tabular/train.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { CHROMIUM, CHROMIUM_ARGS, skipWithoutChromium } from '../chromium.js';
import { houses } from '../tabular/tables.js';

const skip = skipWithoutChromium;
const dir = mkdtempSync(join(tmpdir(), 'dendrite-report-'));
let browser: Browser | null = null;

before(async () => {
  if (skip) return;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface PageCheck {
  errors: string[];
  requests: string[];
  charts: number;
  /** Per canvas: how many pixels are drawn (not transparent, not white). */
  inked: number[];
  /** Per chart canvas: whether the training (blue) and validation (orange) colours appear. */
  colours: { blue: boolean; orange: boolean }[];
  confusionCells: number;
  images: number;
}

interface Stats {
  inked: number;
  blue: boolean;
  orange: boolean;
}

// Runs in the page. A string, not a function: tsx compiles test functions with name helpers (__name) that
// do not exist in the browser.
const PAGE_STATS = `(() => {
  const stats = (canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0, blue = false, orange = false;
    for (let i = 0; i < data.length; i += 4) {
      const r = data[i], g = data[i + 1], b = data[i + 2], a = data[i + 3];
      if (a > 0 && !(r > 245 && g > 245 && b > 245)) inked++;
      if (a > 200 && Math.abs(r - 31) < 12 && Math.abs(g - 119) < 12 && Math.abs(b - 180) < 12) blue = true;
      if (a > 200 && Math.abs(r - 255) < 12 && Math.abs(g - 127) < 12 && Math.abs(b - 14) < 12) orange = true;
    }
    return { inked, blue, orange };
  };
  const charts = Object.values(window.Chart.instances).map((c) => c.canvas);
  return {
    charts: charts.length,
    chartStats: charts.map(stats),
    imageStats: Array.from(document.querySelectorAll('#misclassified canvas')).map(stats),
    confusionCells: document.querySelectorAll('table.confusion td').length,
  };
})()`;

async function open(path: string): Promise<PageCheck> {
  const context = await browser!.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  // the page must open offline: any request off the file itself is recorded and refused
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  await page.goto(`file://${path}`);
  await page.waitForFunction('window.reportReady === true', null, { timeout: 15_000 });
  const result = (await page.evaluate(PAGE_STATS)) as { charts: number; chartStats: Stats[]; imageStats: Stats[]; confusionCells: number };
  await context.close();
  return {
    errors,
    requests,
    charts: result.charts,
    inked: [...result.chartStats, ...result.imageStats].map((s) => s.inked),
    colours: result.chartStats.map((s) => ({ blue: s.blue, orange: s.orange })),
    confusionCells: result.confusionCells,
    images: result.imageStats.length,
  };
}

test('report: curves, confusion matrix and misclassified images render offline without errors', { skip }, async () => {
  const history = new History();
  for (let e = 0; e < 12; e++)
    history.record(e, { loss: 1 / (e + 1), accuracy: 1 - 0.5 / (e + 1), val_loss: 1.2 / (e + 1) + 0.01 * e, val_accuracy: 0.9 - 0.4 / (e + 1) });
  const model = sequential([dense({ units: 10, activation: 'softmax', inputShape: [784] })], { name: 'tiny' });
  const n = 6;
  const xTest = new Tensor(
    Float32Array.from({ length: n * 784 }, (_, i) => ((i % 28) * (Math.floor(i / 28) % 28)) / 729),
    [n, 28, 28, 1],
  );
  const yTest = new Tensor(Float32Array.from([0, 1, 2, 3, 4, 5]), [n]);
  const probabilities = new Tensor(
    Float32Array.from({ length: n * 10 }, (_, i) => (i % 10 === 7 ? 0.91 : 0.01)),
    [n, 10],
  );
  const confusion = Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i === j ? 90 : (i + j) % 4)));
  const path = await writeMnistReport(join(dir, 'mnist'), {
    model,
    history,
    xTest,
    yTest,
    probabilities,
    testAccuracy: 0.9,
    confusion,
    facts: [['data', 'synthetic']],
    seconds: 3,
  });
  const page = await open(path);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.requests, []);
  assert.equal(page.charts, 2, 'loss and accuracy charts');
  for (const c of page.colours) assert.deepEqual(c, { blue: true, orange: true }, 'training and validation curves drawn');
  assert.equal(page.confusionCells, 100);
  assert.equal(page.images, 6);
  for (const inked of page.inked) assert.ok(inked > 100, `a canvas is blank (${inked} drawn pixels)`);
});

test('report: a tabular regression run draws loss, RMSE, MAE, R² and predicted-vs-actual charts', { skip }, async () => {
  const table = await parseCsv(houses(160), { source: 'houses.csv' });
  const result = await trainTabular(table, { target: 'price', epochs: 15, seed: 4 });
  const path = await writeReport(
    join(dir, 'houses'),
    tabularReport(
      'houses.csv',
      result,
      result.model.summary(() => {}),
      1,
    ),
  );
  const page = await open(path);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.requests, []);
  assert.equal(page.charts, 5, 'loss, RMSE, MAE, R² and the scatter plot');
  for (const c of page.colours.slice(0, 4)) assert.deepEqual(c, { blue: true, orange: true });
  for (const inked of page.inked) assert.ok(inked > 100, `a canvas is blank (${inked} drawn pixels)`);
});

test('report: a run without validation data draws training curves only', { skip }, async () => {
  const history = new History();
  for (let e = 0; e < 3; e++) history.record(e, { loss: 1 / (e + 1), accuracy: 0.5 + 0.1 * e });
  const model = sequential([dense({ units: 10, activation: 'softmax', inputShape: [784] })], { name: 'no_validation' });
  const xTest = new Tensor(new Float32Array(2 * 784), [2, 784]);
  const probabilities = new Tensor(
    Float32Array.from({ length: 20 }, (_, i) => (i % 10 === 0 ? 1 : 0)),
    [2, 10],
  );
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  const path = await writeMnistReport(join(dir, 'no-val'), {
    model,
    history,
    xTest,
    yTest: new Tensor(Float32Array.from([0, 0]), [2]),
    probabilities,
    testAccuracy: 1,
    confusion,
    facts: [],
    seconds: 1,
  });
  const page = await open(path);
  assert.deepEqual(page.errors, []);
  assert.equal(page.charts, 2);
  for (const c of page.colours) assert.deepEqual(c, { blue: true, orange: false });
  assert.equal(page.images, 0, 'nothing misclassified, no images');
});
