import { basename, extname, join } from 'node:path';
import type { Callback } from '../model/callbacks.js';
import { formatDuration, formatLogs } from '../model/progress.js';
import { formatConfusionMatrix } from '../nn/confusion-matrix.js';
import { metricCurve } from '../report/curves.js';
import { writeReport } from '../report/render.js';
import type { ReportData } from '../report/report-data.js';
import { readCsv } from '../tabular/csv.js';
import { trainTabular, type TabularPlan, type TabularTrainResult } from '../tabular/train.js';
import type { Task } from '../tabular/target.js';
import type { TextEncoding } from '../tabular/text-decoder.js';
import { UsageError } from './errors.js';
import { CtrlC } from './interrupt.js';
import { prepareOutDir } from './out-dir.js';

/** The `dendrite train FILE.csv` flags, as commander parses them. */
export interface CsvTrainOptions {
  target?: string;
  task?: Task;
  ordinal?: ReadonlyMap<string, string[]>;
  keep?: string[];
  categorical?: string[];
  drop?: string[];
  impute?: boolean;
  delimiter?: string;
  encoding?: TextEncoding;
  hidden?: number[];
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  dropout?: number;
  l2?: number;
  testSplit?: number;
  validationSplit?: number;
  patience?: number;
  refit?: boolean;
  seed: number;
  out?: string;
  quiet?: boolean;
}

const METRIC_NAMES: Record<string, string> = {
  rmse: 'RMSE',
  mae: 'MAE',
  r2: 'R²',
  accuracy: 'accuracy',
  precision: 'precision',
  recall: 'recall',
  f1: 'F1',
  macroF1: 'macro F1',
};
const PERCENT = new Set(['accuracy', 'precision', 'recall', 'f1', 'macroF1']);

function formatScore(name: string, value: number): string {
  return PERCENT.has(name) ? `${(value * 100).toFixed(2)}%` : Number(value.toPrecision(4)).toString();
}

/** Progress lines: the first epoch, every 10th, and the last. */
function progressLines(log: (line: string) => void): Callback {
  let last = '';
  let lastEpoch = -1;
  return {
    onEpochEnd: (epoch, logs) => {
      last = `epoch ${epoch + 1} - ${formatLogs(logs)}`;
      lastEpoch = epoch;
      if (epoch === 0 || (epoch + 1) % 10 === 0) {
        log(last);
        last = '';
      }
    },
    onTrainEnd: () => {
      if (last && lastEpoch >= 0) log(last);
    },
  };
}

/** What the run is about to do, printed before training: the target and task, the column kinds, the split and the network. */
function printPlan({ pipeline, task, settings, split, model }: TabularPlan, log: (line: string) => void): void {
  const classes = pipeline.target.classes;
  log(`target '${pipeline.target.name}': ${task}${classes ? ` (classes ${classes.join(', ')})` : ''}`);
  log(
    `inputs: ${pipeline
      .describe()
      .map((c) => `${c.name} (${c.kind})`)
      .join(', ')} -> ${pipeline.numFeatures} features`,
  );
  log(`rows: ${split.train.length} training, ${split.validation.length} validation, ${split.test.length} test (seed ${settings.seed})`);
  log(model.summary(() => {}));
}

/**
 * `dendrite train FILE.csv --target COL`: trains a network on a table, prints what it did and the test
 * scores, and saves the model, its preprocessing and a report in `--out`.
 */
export async function trainCsv(file: string, options: CsvTrainOptions): Promise<{ outDir: string; result: TabularTrainResult }> {
  if (!options.target) throw new UsageError(`--target is required for a CSV file: name the column to predict, e.g. dendrite train ${file} --target price.`);
  // --out is created, checked and locked before training (out-dir.ts): a folder that cannot take the model, or
  // that another run is using, is refused now rather than after the whole training
  const outDir = options.out ?? join('dendrite-models', basename(file, extname(file)) || 'table');
  const out = await prepareOutDir(outDir, `dendrite train ${basename(file)}`);
  try {
    return await trainCsvInto(file, options, outDir);
  } finally {
    await out.release();
  }
}

async function trainCsvInto(file: string, options: CsvTrainOptions, outDir: string): Promise<{ outDir: string; result: TabularTrainResult }> {
  const started = performance.now();
  const log = options.quiet ? () => {} : (line: string) => console.log(line);
  if (!options.target) throw new UsageError(`--target is required for a CSV file: name the column to predict, e.g. dendrite train ${file} --target price.`);
  const table = await readCsv(file, { delimiter: options.delimiter, encoding: options.encoding });
  log(`${file}: ${table.rowCount} rows, ${table.columns.length} columns`);
  // Ctrl-C stops training after the current batch; the network trained so far is then tested and saved
  const ctrlC = new CtrlC();
  let result: TabularTrainResult;
  try {
    result = await trainTabular(table, {
      target: options.target,
      task: options.task,
      ordinal: options.ordinal,
      keep: options.keep,
      categorical: options.categorical,
      drop: options.drop,
      impute: options.impute,
      hidden: options.hidden,
      epochs: options.epochs,
      batchSize: options.batchSize,
      learningRate: options.learningRate,
      dropout: options.dropout,
      l2: options.l2,
      testSplit: options.testSplit,
      validationSplit: options.validationSplit,
      patience: options.patience,
      refit: options.refit,
      seed: options.seed,
      log: (line) => log(`note: ${line}`),
      callbacks: [progressLines(log), ctrlC],
      interrupted: () => ctrlC.interrupted,
      onPlan: (plan) => printPlan(plan, log),
    });
  } finally {
    ctrlC.dispose();
  }
  if (ctrlC.interrupted) {
    const best = result.bestEpoch === null ? 'the network trained so far' : `the network of epoch ${result.bestEpoch + 1} (lowest validation loss so far)`;
    console.log(
      `interrupted by Ctrl-C after ${result.history.epoch.length} complete epochs: ${best} is tested and saved below, without a refit (run the command again to train fully)`,
    );
    process.exitCode = 130;
  }
  const { pipeline, split } = result;
  const classes = pipeline.target.classes;
  // the report's copy; printed before training (the final network is built like the one printed, names included)
  const summary = result.model.summary(() => {});

  const scores = result.test?.scores ?? {};
  const shown = Object.entries(scores)
    .map(([k, v]) => `${METRIC_NAMES[k] ?? k} ${formatScore(k, v)}`)
    .join(', ');
  console.log(result.test ? `test (${split.test.length} rows): ${shown}` : 'no test rows held out (--test-split 0)');
  if (result.test?.confusion && classes && !options.quiet) {
    log('confusion matrix (rows: true class, columns: predicted class):');
    log(formatConfusionMatrix(result.test.confusion, classes.map(String)));
  }

  // one atomic save: the network and its preprocessing always belong together, even after a kill
  await result.model.save(outDir, { extraFiles: [['preprocessing.json', JSON.stringify(pipeline.toJSON(), null, 1)]] });
  const elapsed = (performance.now() - started) / 1000;
  const report = await writeReport(outDir, tabularReport(file, result, summary, elapsed));
  log(`saved the model to ${outDir} (model.json + weights.bin + preprocessing.json) in ${formatDuration(elapsed)} in all`);
  log(`report: ${report}`);
  log(`predict with: dendrite predict ${outDir} new.csv -o predictions.csv`);
  return { outDir, result };
}

/** The report of a tabular training run. */
export function tabularReport(file: string, result: TabularTrainResult, summary: string, seconds: number): ReportData {
  const { pipeline, task, settings, split, history, curves } = result;
  const target = pipeline.target;
  const best = result.bestEpoch === null ? undefined : result.bestEpoch + 1;
  const lossName =
    task === 'regression'
      ? 'loss (mean squared error of the standardised target)'
      : task === 'binary'
        ? 'loss (binary cross-entropy)'
        : 'loss (categorical cross-entropy)';
  const charts = [metricCurve('loss', history.history.loss, history.history.val_loss ?? null, lossName)];
  for (const m of curves.metrics)
    charts.push(
      metricCurve(
        METRIC_NAMES[m] ?? m,
        curves.train[m],
        curves.validation[m],
        `${METRIC_NAMES[m] ?? m}${task === 'regression' && m !== 'r2' ? ` (${target.name})` : ''}`,
      ),
    );
  for (const c of charts) if (best !== undefined) Object.assign(c, { markEpoch: best, markLabel: `best: epoch ${best}` });
  const data: ReportData = {
    title: `dendrite: ${basename(file)} -> ${target.name}`,
    facts: [
      ['data', `${file} (${result.labelled} rows with a target value)`],
      ['target', `${target.name}: ${task}${target.classes ? ` with classes ${target.classes.join(', ')}` : ''}`],
      ['rows', `${split.train.length} training, ${split.validation.length} validation, ${split.test.length} test (seed ${settings.seed})`],
      [
        'network',
        `${pipeline.numFeatures} inputs -> ${settings.hidden.length ? `${settings.hidden.join(' -> ')} (ReLU) -> ` : ''}${target.units} ${task === 'regression' ? 'linear' : task === 'binary' ? 'sigmoid' : 'softmax'}`,
      ],
      [
        'training',
        `Adam (learning rate ${settings.learningRate}), batch size ${settings.batchSize}, ${history.epoch.length} epochs${best !== undefined ? ` (best validation loss at epoch ${best})` : ''}${result.refitEpochs ? `, then ${result.refitEpochs} epochs on all training rows` : ''}, dropout ${settings.dropout}, L2 ${settings.l2}`,
      ],
      ['time', formatDuration(seconds)],
    ],
    notes: result.notes,
    curves: charts,
    testMetrics: Object.entries(result.test?.scores ?? {}).map(([k, v]) => ({ name: METRIC_NAMES[k] ?? k, value: v, percent: PERCENT.has(k) })),
    summary,
    columns: pipeline.describe(),
  };
  if (result.test?.confusion && target.classes) data.confusion = { labels: target.classes.map(String), matrix: result.test.confusion };
  if (result.test?.actual) data.scatter = { ...sampledPoints(result.test.actual, result.test.prediction.predicted as number[]), label: target.name };
  return data;
}

/** The most test rows drawn in the report's predicted-vs-actual chart: a page with millions of points would not open. */
const MAX_SCATTER_POINTS = 2000;

/** Up to MAX_SCATTER_POINTS (actual, predicted) pairs, evenly spaced over the test rows. */
function sampledPoints(actual: ArrayLike<number>, predicted: readonly number[]): { actual: number[]; predicted: number[] } {
  const n = actual.length;
  const count = Math.min(n, MAX_SCATTER_POINTS);
  const out = { actual: [] as number[], predicted: [] as number[] };
  for (let j = 0; j < count; j++) {
    const i = Math.floor((j * n) / count);
    out.actual.push(actual[i]);
    out.predicted.push(predicted[i]);
  }
  return out;
}
