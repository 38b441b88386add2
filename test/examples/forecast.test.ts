import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as dd from '../../src/index.js';
import { loadCo2, run } from '../../examples/forecast.js';

test('forecast: the Mauna Loa CO2 record loads from vega-datasets, monthly without gaps from May 1964', () => {
  const { months, ppm } = loadCo2();
  assert.equal(months.length, 672);
  assert.equal(months[0], '1964-05');
  assert.equal(months[671], '2020-04');
  assert.equal(ppm.length, 672);
  assert.equal(ppm[671], 416.18);
  assert.ok(
    ppm.every((v) => v > 310 && v < 420),
    'ppm in range',
  );
  // from the record's start it has gaps (June 1958, ...), which loadCo2 refuses
  assert.throws(() => loadCo2('1958-01'), /skips from 1958-05 to 1958-07/);
});

test('forecast: the LSTM forecasts next month far better than repeating the last value, and better than the seasonal naive forecast', async () => {
  const r = await run();
  assert.equal(r.testMonths, 180);
  assert.deepEqual(r.testPeriod, ['2005-05', '2020-04']);
  assert.equal(r.trainSamples, 672 - 180 - 25);
  // The baselines need no training: measured 1.209 ppm (naive) and 0.417 ppm (seasonal naive).
  assert.ok(Math.abs(r.naiveMae - 1.209) < 0.001, `naive ${r.naiveMae}`);
  assert.ok(Math.abs(r.seasonalNaiveMae - 0.417) < 0.001, `seasonal naive ${r.seasonalNaiveMae}`);
  // Measured (seed 42, native backend): 0.333 ppm (seeds 1 and 7: 0.315, 0.315; with 20 epochs 0.356-0.366).
  assert.ok(r.modelMae < 0.5 * r.naiveMae, `model ${r.modelMae} vs naive ${r.naiveMae}`);
  assert.ok(r.modelMae < 0.95 * r.seasonalNaiveMae, `model ${r.modelMae} vs seasonal naive ${r.seasonalNaiveMae}`);
  assert.equal(r.losses.length, 60);
  // training reduced the loss (scaled changes: an untrained network is near their variance, 1)
  assert.ok(r.losses[59] < 0.5 * r.losses[0], `losses ${r.losses[0]} -> ${r.losses[59]}`);
});

test('forecast: a GRU learns the same task; run() is reproducible with the same seed', async () => {
  const options = { cell: 'gru' as const, epochs: 20 };
  const [a, b] = [await run(options), await run(options)];
  assert.equal(a.modelMae, b.modelMae);
  assert.deepEqual(a.losses, b.losses);
  assert.ok(a.model.layers[0] instanceof dd.layers.GRU);
  // measured (seed 42): 0.364 ppm after 20 epochs (0.334 after 60)
  assert.ok(a.modelMae < 0.5 * a.naiveMae, `GRU ${a.modelMae} vs naive ${a.naiveMae}`);
});
