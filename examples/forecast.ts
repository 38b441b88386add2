// Time-series forecasting: next month's CO2 at Mauna Loa from the two years before it, with an LSTM (or a GRU).
//
//     node --import tsx examples/forecast.ts
//     node --import tsx examples/forecast.ts --cell gru
//
// The series is real: the Scripps CO2 Program's monthly mean CO2 at Mauna Loa Observatory (the Keeling curve),
// as the npm package `vega-datasets` ships it (CC BY 4.0), from May 1964 (after the record's last missing
// month) to April 2020: 672 months. It rises year on year (about 1 ppm a year in the 1960s, 2.5 now) and swings
// 5-6 ppm within each year (northern plants take CO2 up in summer and give it back in winter).
//
// The network forecasts one month ahead. It is scored on the last `testMonths` months (by default 180: May 2005
// to April 2020) after training on the months before them only, against two forecasts that need no training:
//   - naive: next month = this month ("repeat the last value"), wrong by the seasonal swing each month;
//   - seasonal naive: next month = this month + the change between the same two months a year earlier.
//
// Why changes and not levels: the test years' CO2 (376-416 ppm) is mostly above anything in the training years
// (317-382 ppm). A network fed levels scaled to the training range would have to output numbers it has never
// produced; it learns instead from month-to-month changes, which keep the same range, and the forecast is
// this month's level plus the predicted change. The input is a window of the last `window` changes (scaled to
// mean 0, variance 1 over the training months), one per step: [N, window, 1] -> LSTM -> dense(1).
//
// Measured with the defaults (seed 42, native backend): the LSTM's mean absolute error over the 180 test months
// is 0.333 ppm (seeds 1 and 7: 0.315, 0.315), against 0.417 for the seasonal naive forecast and 1.209 for the
// naive one; 60 epochs take about 5 s. A GRU (--cell gru) gets 0.334 ppm.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as dd from '../src/index.js';

const require = createRequire(import.meta.url);

/** The monthly series: month (YYYY-MM) and CO2 in ppm. */
export interface Series {
  months: string[];
  ppm: number[];
}

/** The Mauna Loa record from `first` (default 1964-05, after the last missing month) to its end. */
export function loadCo2(first = '1964-05'): Series {
  // vega-datasets exports only its index module; the CSV sits in data/ beside build/
  const csv = readFileSync(join(dirname(require.resolve('vega-datasets')), '..', 'data', 'co2-concentration.csv'), 'utf8');
  const rows = csv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
  const months: string[] = [];
  const ppm: number[] = [];
  for (const [date, co2] of rows) {
    const month = date.slice(0, 7);
    if (month < first) continue;
    if (months.length > 0) {
      const [y0, m0] = months[months.length - 1].split('-').map(Number);
      const [y1, m1] = month.split('-').map(Number);
      if (y1 * 12 + m1 !== y0 * 12 + m0 + 1) throw new Error(`loadCo2: the series skips from ${months[months.length - 1]} to ${month}.`);
    }
    months.push(month);
    ppm.push(Number(co2));
  }
  return { months, ppm };
}

export type Cell = 'lstm' | 'gru';

export interface ForecastOptions {
  /** 'lstm' (default) or 'gru'. */
  cell?: Cell;
  /** Past months the network sees. Default 24. */
  window?: number;
  /** The last N months are the test period. Default 180 (15 years). */
  testMonths?: number;
  /** Recurrent units. Default 32. */
  units?: number;
  /** Default 60. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Adam's learning rate. Default 0.003. */
  learningRate?: number;
  seed?: number;
  verbose?: 0 | 1 | 2;
}

export interface ForecastResult {
  model: dd.Sequential;
  /** Mean absolute error of the one-month-ahead forecasts over the test months, in ppm. */
  modelMae: number;
  /** The same for "next month = this month". */
  naiveMae: number;
  /** The same for "next month = this month + last year's change between the same months". */
  seasonalNaiveMae: number;
  trainSamples: number;
  testMonths: number;
  /** First and last test month. */
  testPeriod: [string, string];
  losses: number[];
  seconds: number;
  /** The last 12 test months: actual CO2 and the three forecasts. */
  samples: { month: string; actual: number; model: number; naive: number; seasonalNaive: number }[];
}

/** [window, 1] in, one value out: the recurrent layer's last state -> a linear unit. */
export function buildForecaster(cell: Cell, window: number, units: number): dd.Sequential {
  const recurrent = cell === 'lstm' ? dd.layers.lstm({ units, inputShape: [window, 1] }) : dd.layers.gru({ units, inputShape: [window, 1] });
  return dd.sequential([recurrent, dd.layers.dense({ units: 1 })]);
}

export async function run(options: ForecastOptions = {}): Promise<ForecastResult> {
  const { cell = 'lstm', window = 24, testMonths = 180, units = 32, epochs = 60, batchSize = 32, learningRate = 0.003, seed = 42, verbose = 0 } = options;
  const started = performance.now();
  dd.setSeed(seed);
  const { months, ppm } = loadCo2();
  const n = ppm.length;
  const firstTest = n - testMonths;
  if (firstTest < window + 13) throw new Error(`forecast: ${n} months leave too few for training with testMonths ${testMonths} and window ${window}.`);

  // change[t] = ppm[t] - ppm[t - 1]; scaled with the training months' mean and standard deviation
  const change = ppm.map((v, t) => (t === 0 ? 0 : v - ppm[t - 1]));
  const trainChanges = change.slice(1, firstTest);
  const mean = trainChanges.reduce((a, b) => a + b, 0) / trainChanges.length;
  const std = Math.sqrt(trainChanges.reduce((a, b) => a + (b - mean) ** 2, 0) / trainChanges.length);
  const scaled = change.map((c) => (c - mean) / std);

  /** Inputs [targets, window, 1] (the changes before each target month) and the targets' scaled changes. */
  const windows = (targets: number[]) => {
    const x = new Float32Array(targets.length * window);
    targets.forEach((t, i) => {
      x.set(scaled.slice(t - window, t), i * window);
    });
    return {
      x: dd.tensor(x, [targets.length, window, 1]),
      y: dd.tensor(
        Float32Array.from(targets, (t) => scaled[t]),
        [targets.length, 1],
      ),
    };
  };
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  // a target month t needs changes t - window .. t - 1, the first of which needs month t - window - 1
  const trainTargets = range(window + 1, firstTest);
  const testTargets = range(firstTest, n);
  const train = windows(trainTargets);
  const test = windows(testTargets);

  const model = buildForecaster(cell, window, units);
  model.compile({ optimizer: dd.optimizers.adam({ learningRate }), loss: 'meanSquaredError' });
  if (verbose) model.summary();
  const history = await model.fit(train.x, train.y, { epochs, batchSize, verbose });

  const predicted = model.predict(test.x, { batchSize: 256 }).values;
  const forecasts = testTargets.map((t, i) => ({
    month: months[t],
    actual: ppm[t],
    model: ppm[t - 1] + (predicted[i] * std + mean),
    naive: ppm[t - 1],
    seasonalNaive: ppm[t - 1] + (ppm[t - 12] - ppm[t - 13]),
  }));
  const mae = (key: 'model' | 'naive' | 'seasonalNaive') => forecasts.reduce((s, f) => s + Math.abs(f[key] - f.actual), 0) / forecasts.length;
  return {
    model,
    modelMae: mae('model'),
    naiveMae: mae('naive'),
    seasonalNaiveMae: mae('seasonalNaive'),
    trainSamples: trainTargets.length,
    testMonths: testTargets.length,
    testPeriod: [months[firstTest], months[n - 1]],
    losses: history.history.loss,
    seconds: (performance.now() - started) / 1000,
    samples: forecasts.slice(-12),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      cell: { type: 'string' },
      window: { type: 'string' },
      'test-months': { type: 'string' },
      units: { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      'learning-rate': { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  if (values.cell !== undefined && values.cell !== 'lstm' && values.cell !== 'gru') throw new Error(`--cell must be lstm or gru, got ${values.cell}`);
  const r = await run({
    cell: values.cell as Cell | undefined,
    window: num(values.window),
    testMonths: num(values['test-months']),
    units: num(values.units),
    epochs: num(values.epochs),
    batchSize: num(values['batch-size']),
    learningRate: num(values['learning-rate']),
    seed: num(values.seed),
    verbose: 2,
  });
  console.log(`\n${r.model.countParams().toLocaleString('en')} parameters, ${r.trainSamples} training windows`);
  console.log('  month    actual    model    naive  seasonal');
  for (const s of r.samples) {
    console.log(`${s.month} ${[s.actual, s.model, s.naive, s.seasonalNaive].map((v) => v.toFixed(2).padStart(8)).join(' ')}`);
  }
  console.log(`\none-month-ahead MAE over ${r.testMonths} test months (${r.testPeriod[0]} to ${r.testPeriod[1]}):`);
  console.log(`  ${(values.cell ?? 'lstm').padEnd(15)}${r.modelMae.toFixed(3)} ppm`);
  console.log(`  seasonal naive ${r.seasonalNaiveMae.toFixed(3)} ppm`);
  console.log(`  naive          ${r.naiveMae.toFixed(3)} ppm`);
  console.log(`wall time: ${r.seconds.toFixed(1)} s (backend ${dd.getBackend()})`);
}
