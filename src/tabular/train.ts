import { trainTestRows } from '../data/split.js';
import { earlyStopping } from '../model/early-stopping.js';
import type { Callback } from '../model/callbacks.js';
import type { History } from '../model/history.js';
import type { ProgressSink } from '../model/progress.js';
import type { Sequential } from '../model/sequential.js';
import { setSeed } from '../tensor/rng.js';
import { Tensor } from '../tensor/tensor.js';
import { inferColumns, type ColumnOptions, type ColumnPlan } from './column-kinds.js';
import { checkNoMissing, findMissing } from './missing.js';
import { buildTabularModel, TABULAR_DEFAULTS, type TabularSettings } from './model.js';
import { TabularPipeline } from './pipeline.js';
import { isMissingAt, type StoredColumn } from './column-store.js';
import { decode, scorePrediction, type TabularEvaluation, type TabularPrediction } from './predict.js';
import { binaryScores, multiclassScores, regressionScores } from './scores.js';
import type { Table } from './table.js';
import { chooseTask, type Task } from './target.js';

export interface TabularTrainOptions extends ColumnOptions, Partial<TabularSettings> {
  /** Force the task instead of inferring it from the target. */
  task?: Task;
  /** Fill missing values with the training mean / most frequent value (default: refuse them). */
  impute?: boolean;
  /** 0 silent, 1 progress bar, 2 one line per epoch (default 0). */
  verbose?: 0 | 1 | 2;
  progressSink?: ProgressSink;
  /** Receives notes about choices made (dropped columns, task guesses). */
  log?: (line: string) => void;
  /** More callbacks for the training run with a validation split (e.g. progress lines). */
  callbacks?: Callback[];
  /** Whether the user asked training to stop (Ctrl-C): then the network trained so far is kept, without a refit. */
  interrupted?: () => boolean;
  /**
   * Called once before training, when the columns, the task, the split and the preprocessing are settled and the
   * network is built (the CLI prints them then). It must not draw random numbers: training's are seeded already.
   */
  onPlan?: (plan: TabularPlan) => void;
}

/** What trainTabular settled before training. */
export interface TabularPlan {
  plan: ColumnPlan;
  pipeline: TabularPipeline;
  task: Task;
  settings: TabularSettings;
  /** Rows with a target value. */
  labelled: number;
  /** The rows to train on, to validate on and to test on (row numbers in the table). */
  split: { train: Uint32Array; validation: Uint32Array; test: Uint32Array };
  /** The network, built and not yet trained. */
  model: Sequential;
}

/** Scores of the training and validation rows after each epoch (in the target's unit), for learning curves. */
export interface EpochCurves {
  /** Metric names, e.g. ['accuracy', 'macroF1'] or ['rmse', 'mae', 'r2']. */
  metrics: string[];
  train: Record<string, number[]>;
  validation: Record<string, number[]>;
}

export interface TabularTrainResult {
  model: Sequential;
  pipeline: TabularPipeline;
  plan: ColumnPlan;
  task: Task;
  settings: TabularSettings;
  history: History;
  curves: EpochCurves;
  /** The epoch (from 0) with the best validation loss, when early stopping ran. */
  bestEpoch: number | null;
  /** Epochs of the final training on all training rows (`refit`), or null when the early-stopped network was kept. */
  refitEpochs: number | null;
  /** The table trained on, and how many of its rows had a target value. */
  table: Table;
  labelled: number;
  /** How the labelled rows were split (row numbers in `table`). */
  split: { train: Uint32Array; validation: Uint32Array; test: Uint32Array };
  /** Predictions and scores on the test rows (null with `testSplit: 0`). */
  test: (TabularEvaluation & { prediction: TabularPrediction }) | null;
  notes: string[];
}

/**
 * Trains a network on a table: infers column kinds and the task, splits off test rows (stratified for
 * classes), fits the preprocessing on the training rows only, trains with early stopping on a validation
 * split (restoring the best weights), and scores the test rows.
 *
 *     const result = await trainTabular(await readCsv('iris.csv'), { target: 'species' });
 *     result.test.scores;   // { accuracy: 0.97, macroF1: 0.97 }
 */
export async function trainTabular(table: Table, options: TabularTrainOptions): Promise<TabularTrainResult> {
  const settings = resolveSettings(options);
  const notes: string[] = [];
  const note = (line: string) => {
    notes.push(line);
    options.log?.(line);
  };
  const plan = inferColumns(table, options);
  for (const d of plan.dropped)
    note(`dropped column '${d.name}': ${d.reason}${d.reason.startsWith('dropped as asked') ? '' : ` (keep it with --keep ${d.name})`}.`);
  const impute = options.impute ?? false;
  if (!impute) checkNoMissing(table, [...plan.features.map((f) => f.name), plan.target.name], plan.target.name);
  const targetColumn = table.data[table.positions.get(plan.target.name)!];
  const labelled = labelledRows(table, targetColumn, plan.target.name, note);
  if (impute)
    for (const { column, lines } of findMissing(
      table,
      plan.features.map((f) => f.name),
      labelled,
    ))
      note(`column '${column}': ${lines.length} missing ${lines.length === 1 ? 'value' : 'values'} filled from the training rows.`);

  const { task, note: taskNote } = chooseTask(plan.target, targetColumn, options.task);
  if (taskNote) note(taskNote);
  const labels = task === 'regression' ? undefined : classKeys(targetColumn, labelled);
  const n = labelled.length;
  const parts = settings.testSplit > 0 ? split(n, settings.testSplit, labels, settings.seed, 'test', note) : { train: range(n), test: new Uint32Array(0) };
  const train = pick(labelled, parts.train);
  const test = pick(labelled, parts.test);
  const pipeline = TabularPipeline.fit(table, plan, task, { impute, rows: train });

  let fitRows: Uint32Array = train;
  let validation: Uint32Array = new Uint32Array(0);
  if (settings.validationSplit > 0 && train.length >= 10) {
    const inner = split(train.length, settings.validationSplit, labels && pick(labels, parts.train), settings.seed + 1, 'validation', note);
    fitRows = pick(train, inner.train);
    validation = pick(train, inner.test);
  }
  // NOTE: rows outside the training set may hold categories the encoders never saw; they get all-zeros
  // one-hot rows here, as `predict --handle-unknown ignore` would give them. The training rows are encoded
  // once, fitting rows first and validation rows after, into one buffer: the two sets are views of it, and the
  // refit trains on all of it, so a row's features exist once however large the table.
  const encode = (rows: Uint32Array) => pipeline.transform(table, { rows, handleUnknown: 'ignore' });
  const trainOrder = new Uint32Array(fitRows.length + validation.length);
  trainOrder.set(fitRows);
  trainOrder.set(validation, fitRows.length);
  const xTrain = encode(trainOrder);
  const yTrain = pipeline.transformTarget(table, trainOrder);
  const xFit = rowRange(xTrain, 0, fitRows.length);
  const xVal = validation.length > 0 ? rowRange(xTrain, fitRows.length, trainOrder.length) : null;
  setSeed(settings.seed);
  const model = buildTabularModel(pipeline.numFeatures, task, pipeline.target.units, settings);
  const curves = epochCurves(
    pipeline,
    { x: xFit, actual: actualValues(pipeline, table, fitRows) },
    xVal ? { x: xVal, actual: actualValues(pipeline, table, validation) } : null,
  );
  const stopper = xVal ? earlyStopping({ monitor: 'val_loss', patience: settings.patience, restoreBestWeights: true }) : null;
  options.onPlan?.({ plan, pipeline, task, settings, labelled: labelled.length, split: { train: fitRows, validation, test }, model });
  const history = await model.fit(xFit, rowRange(yTrain, 0, fitRows.length), {
    epochs: settings.epochs,
    batchSize: Math.min(settings.batchSize, fitRows.length),
    validationData: xVal ? [xVal, rowRange(yTrain, fitRows.length, trainOrder.length)] : undefined,
    callbacks: [curves.callback, ...(stopper ? [stopper] : []), ...(options.callbacks ?? [])],
    verbose: options.verbose ?? 0,
    progressSink: options.progressSink,
  });
  curves.release();
  const bestEpoch = stopper ? stopper.bestEpoch : null;
  const interrupted = options.interrupted?.() ?? false;
  if (stopper && !interrupted && history.epoch.length < settings.epochs)
    note(
      `early stopping after epoch ${history.epoch.length}: the validation loss was lowest at epoch ${bestEpoch! + 1}${settings.refit ? '' : ', whose weights are kept'}.`,
    );
  let finalModel = model;
  let refitEpochs: number | null = null;
  if (settings.refit && stopper && !interrupted) {
    refitEpochs = bestEpoch! + 1;
    setSeed(settings.seed);
    finalModel = buildTabularModel(pipeline.numFeatures, task, pipeline.target.units, settings);
    await finalModel.fit(xTrain, yTrain, { epochs: refitEpochs, batchSize: Math.min(settings.batchSize, train.length), verbose: 0 });
    note(
      `the final network was trained afresh on all ${train.length} training rows (validation rows included) for ${refitEpochs} epochs, the epoch count with the lowest validation loss.`,
    );
  }

  let testResult: TabularTrainResult['test'] = null;
  if (test.length > 0) {
    const prediction = decode(pipeline, finalModel.predict(encode(test), { batchSize: 256 }), (i) => `line ${table.lines.get(test[i])}`);
    testResult = { ...scorePrediction(pipeline, table, prediction, test), prediction };
  }
  return {
    model: finalModel,
    pipeline,
    plan,
    task,
    settings,
    history,
    curves: curves.curves,
    bestEpoch,
    refitEpochs,
    table,
    labelled: labelled.length,
    split: { train: fitRows, validation, test },
    test: testResult,
    notes,
  };
}

/** The defaults with the options' overrides, checked. */
export function resolveSettings(options: Partial<TabularSettings>): TabularSettings {
  const s: TabularSettings = { ...TABULAR_DEFAULTS, hidden: [...TABULAR_DEFAULTS.hidden] };
  for (const key of Object.keys(TABULAR_DEFAULTS) as (keyof TabularSettings)[]) {
    if (options[key] !== undefined) (s as unknown as Record<string, unknown>)[key] = options[key];
  }
  if (!(s.testSplit >= 0 && s.testSplit < 1)) throw new Error(`testSplit must be in [0, 1), got ${s.testSplit}.`);
  if (!(s.validationSplit >= 0 && s.validationSplit < 1)) throw new Error(`validationSplit must be in [0, 1), got ${s.validationSplit}.`);
  return s;
}

/** The rows that have a target value (rows without one are only reached with --impute; otherwise they are an error). */
function labelledRows(table: Table, target: StoredColumn, name: string, note: (line: string) => void): Uint32Array {
  const rows = new Uint32Array(table.rowCount);
  let k = 0;
  for (let r = 0; r < table.rowCount; r++) if (!isMissingAt(target, r)) rows[k++] = r;
  if (k < table.rowCount) note(`dropped ${table.rowCount - k} rows without a value for the target '${name}'.`);
  return k === table.rowCount ? rows : rows.slice(0, k);
}

/** Per labelled row, a number that is the same for rows of the same class (the stored category), for stratifying. */
function classKeys(target: StoredColumn, rows: Uint32Array): Uint32Array {
  if (target.storage !== 'codes') return new Uint32Array(rows.length);
  const keys = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) keys[i] = target.codes.get(rows[i]);
  return keys;
}

/** `from[i]` for each index i in `indices`. */
function pick(from: ArrayLike<number>, indices: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = from[indices[i]];
  return out;
}

/** A seeded split, stratified by `labels` when each class has at least two rows. */
function split(
  n: number,
  fraction: number,
  labels: Uint32Array | undefined,
  seed: number,
  what: string,
  note: (line: string) => void,
): { train: Uint32Array; test: Uint32Array } {
  if (n < 2) throw new Error(`the table has ${n} row${n === 1 ? '' : 's'}; it needs at least 2 to hold out a ${what} set.`);
  let stratify: Tensor | undefined;
  if (labels) {
    const counts = new Map<number, number>();
    for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    const classes = counts.size;
    const nTest = Math.max(1, Math.ceil(fraction * n - 1e-9));
    if ([...counts.values()].some((c) => c < 2) || nTest < classes || n - nTest < classes) {
      note(`the ${what} split is not stratified: some class has too few rows to appear on both sides.`);
    } else {
      stratify = new Tensor(Float32Array.from(labels), [n]);
    }
  }
  return trainTestRows(n, { testSize: fraction, stratify, seed });
}

/** The values a set of rows should be predicted as: class codes, or numbers in the target's unit. */
function actualValues(pipeline: TabularPipeline, table: Table, rows: Uint32Array): Int32Array | Float32Array {
  const target = pipeline.target;
  const column = table.data[table.positions.get(target.name)!];
  return target.task === 'regression'
    ? target.storedNumbers(column, rows, table.lines, table.source)
    : target.storedClassCodes(column, rows, table.lines, table.source);
}

/** A callback that scores the training and validation rows after every epoch (from typed arrays: no per-row objects). */
function epochCurves(
  pipeline: TabularPipeline,
  fit: EvaluationSet,
  validation: EvaluationSet | null,
): { callback: Callback; curves: EpochCurves; release(): void } {
  const task = pipeline.task;
  const metrics = task === 'regression' ? ['rmse', 'mae', 'r2'] : task === 'binary' ? ['accuracy', 'f1'] : ['accuracy', 'macroF1'];
  const curves: EpochCurves = { metrics, train: Object.fromEntries(metrics.map((m) => [m, []])), validation: Object.fromEntries(metrics.map((m) => [m, []])) };
  let model: Sequential | null = null;
  let sets: { set: EvaluationSet; into: Record<string, number[]> }[] = [
    { set: fit, into: curves.train },
    ...(validation ? [{ set: validation, into: curves.validation }] : []),
  ];
  const record = ({ x, actual }: EvaluationSet, into: Record<string, number[]>) => {
    const y = model!.predict(x, { batchSize: 256 });
    const target = pipeline.target;
    const scores: Record<string, number> =
      task === 'regression'
        ? { ...regressionScores(actual, target.scaler!.inverseTransform(y).values) }
        : task === 'binary'
          ? { ...binaryScores(actual, target.predictedCodes(y)) }
          : { ...multiclassScores(actual, target.predictedCodes(y)) };
    for (const m of metrics) into[m].push(scores[m]);
  };
  const callback: Callback = {
    setModel: (m) => (model = m as Sequential),
    onEpochEnd: () => {
      for (const { set, into } of sets) record(set, into);
    },
  };
  return { callback, curves, release: () => (sets = []) };
}

interface EvaluationSet {
  x: Tensor;
  actual: Int32Array | Float32Array;
}

/** Rows `from` (included) to `to` (excluded) of a [N, ...] tensor, as a view (no copy). */
function rowRange(t: Tensor, from: number, to: number): Tensor {
  const width = t.size / Math.max(1, t.shape[0]);
  return new Tensor(t.values.subarray(from * width, to * width), [to - from, ...t.shape.slice(1)]);
}

function range(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
