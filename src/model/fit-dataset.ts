// `model.fitDataset`: training on the batches of a Dataset (TF.js' fitDataset), for data sets that stream from a
// file, a generator or a pipeline of maps and shuffles. The step is fit's (train-step.ts), with the same buffer
// reuse, callbacks, progress bar, History and logs; only where the batches come from differs. Each epoch reads
// the data set afresh until it ends, or, with `batchesPerEpoch`, takes that many batches from one stream that
// goes on across epochs (for a data set without end, `repeat()`).
import type { Dataset } from '../data/dataset/dataset.js';
import type { LazyIterator } from '../data/dataset/iterator.js';
import { asStep, withBufferReuse } from '../tensor/buffer-pool.js';
import { gradientsAreReusable, stepRunsOwnCodeOnly } from './buffer-reuse.js';
import { dispatch, type Callback, type Logs } from './callbacks.js';
import { checkData } from './check-data.js';
import { requireCompiled } from './compile-settings.js';
import { evaluateLists } from './evaluate.js';
import { datasetBatch, evaluateDatasetModel, isDataset } from './evaluate-dataset.js';
import { History } from './history.js';
import { toTensorList, type ModelData } from './model-data.js';
import { defaultSink, formatLogs, ProgressBar, type ProgressSink } from './progress.js';
import { trainOnBatch } from './train-step.js';
import type { TrainableModel } from './trainable-model.js';

export interface FitDatasetArgs {
  /** Passes over the data set (default 1). */
  epochs?: number;
  /** Batches per epoch, taken from one stream that goes on across epochs; default: each epoch is one whole pass. */
  batchesPerEpoch?: number;
  /** Validation after each epoch: a data set of batches, or `[x, y]` in the form `fit` takes. */
  validationData?: Dataset<unknown> | readonly [ModelData, ModelData];
  /** With a validation data set: at most this many of its batches (default: all). */
  validationBatches?: number;
  /** With validation tensors `[x, y]`: their batch size (default 32). */
  validationBatchSize?: number;
  callbacks?: Callback | readonly Callback[];
  /** 0 = silent, 1 = progress bar per epoch (default), 2 = one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Epoch to start counting from (for resumed training). */
  initialEpoch?: number;
  /** Where progress goes (default: the terminal, or console.log). */
  progressSink?: ProgressSink;
  /** Refuse NaN / Infinity in each batch, and labels the loss cannot take (default true; a tensor is scanned once however often it comes). */
  checkInputs?: boolean;
}

/** fit's options that have no meaning here, with what to do instead. */
const NOT_HERE: Record<string, string> = {
  batchSize: 'the data set makes the batches: dataset.batch(32)',
  shuffle: 'shuffle the data set: dataset.shuffle(bufferSize)',
  validationSplit: 'pass validationData (a data set, or [x, y]) instead, as in TF.js',
  classWeight: 'class weights are not supported by fitDataset',
  sampleWeight: 'sample weights are not supported by fitDataset',
  initialEpochProgress: 'a stream cannot be resumed inside an epoch; resume at an epoch with initialEpoch',
};

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** Trains `model` on the batches of `dataset`; the buffers the steps allocate are reused within the call, as in fit. */
export function fitDatasetModel(model: TrainableModel, dataset: Dataset<unknown>, args: FitDatasetArgs = {}): Promise<History> {
  return withBufferReuse(() => fitDatasetLoop(model, dataset, args));
}

async function fitDatasetLoop(model: TrainableModel, dataset: Dataset<unknown>, args: FitDatasetArgs): Promise<History> {
  const what = 'fitDataset';
  const compiled = requireCompiled(model, what);
  if (!isDataset(dataset))
    throw new Error(`${what}(): expected a Dataset (e.g. data.array(...).batch(32)), got ${dataset === null ? 'null' : typeof dataset}.`);
  for (const [key, instead] of Object.entries(NOT_HERE)) {
    if ((args as Record<string, unknown>)[key] !== undefined) throw new Error(`${what}(): ${key} does not apply to a data set; ${instead}.`);
  }
  const epochs = args.epochs ?? 1;
  const perEpoch = args.batchesPerEpoch;
  const verbose = args.verbose ?? 1;
  const initialEpoch = args.initialEpoch ?? 0;
  const checkInputs = args.checkInputs ?? true;
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`${what}(): epochs must be a non-negative integer, got ${epochs}.`);
  if (perEpoch !== undefined && !(Number.isInteger(perEpoch) && perEpoch > 0))
    throw new Error(`${what}(): batchesPerEpoch must be a positive integer, got ${perEpoch}.`);
  if (perEpoch === undefined && dataset.size === Infinity) {
    throw new Error(`${what}(): the data set has no end (repeat() without a count), so an epoch would never end; pass batchesPerEpoch.`);
  }
  const validation = validationOf(model, args);

  const callbacks = args.callbacks === undefined ? [] : Array.isArray(args.callbacks) ? [...(args.callbacks as Callback[])] : [args.callbacks as Callback];
  const history = new History();
  const sink = args.progressSink ?? defaultSink();
  const bar = verbose === 1 ? new ProgressBar(sink) : null;
  model.stopTraining = false;
  // a stream cannot be resumed inside an epoch: a stop leaves no progress to continue from
  model.interruption = null;
  for (const cb of callbacks) cb.setModel?.(model);
  const variables = model.trainableWeights;
  const reuseGradients = gradientsAreReusable(compiled.optimizer);
  const reuseStep = stepRunsOwnCodeOnly(model, compiled);
  // batches per epoch as far as known (for the progress bar): given, the data set's size, or the last epoch's
  let knownSteps = perEpoch ?? (dataset.size !== null && Number.isFinite(dataset.size) ? dataset.size : null);

  let stream: LazyIterator<unknown> | null = perEpoch === undefined ? null : await dataset.iterator();
  let ranOut = false;
  await dispatch(callbacks, 'onTrainBegin', {});
  try {
    for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining && !ranOut; epoch++) {
      await dispatch(callbacks, 'onEpochBegin', epoch, {});
      if (perEpoch === undefined) stream = await dataset.iterator();
      const it = stream!;
      bar?.begin(epoch, epochs);
      const sums: Record<string, number> = {};
      let seen = 0;
      let steps = 0;
      let stopped = false;
      let lastYield = performance.now();
      while (perEpoch === undefined || steps < perEpoch) {
        const r = await it.next();
        if (r.done) {
          if (perEpoch !== undefined) {
            ranOut = true;
            console.warn(
              `${what}(): the data set ran out after ${steps} batches of epoch ${epoch + 1} (batchesPerEpoch ${perEpoch}); training ends here. A data set for ${epochs} epochs of ${perEpoch} batches needs ${perEpoch * epochs} batches: use repeat().`,
            );
          }
          break;
        }
        const step = steps;
        const { xs: xb, ys: yb } = datasetBatch(model, r.value, what, `epoch ${epoch + 1}, batch ${step + 1}`, checkInputs);
        const size = xb[0].shape[0];
        await dispatch(callbacks, 'onBatchBegin', step, { batch: step, size });
        // NOTE: the batch is the data set's (it may hand out the same tensors next epoch), so it is never recycled
        const train = () => trainOnBatch(model, compiled, variables, xb, yb, reuseGradients);
        const batchLogs = reuseStep ? asStep(train) : train();
        if (!Number.isFinite(batchLogs.loss)) {
          await dispatch(callbacks, 'onTrainEnd', {});
          const of = knownSteps === null ? '' : ` (of ${knownSteps})`;
          throw new Error(
            `Training stopped: the loss became ${batchLogs.loss} at epoch ${epoch + 1}, batch ${step + 1}${of}. The learning rate may be too high, or the data contains NaN/Infinity. The model keeps its weights from before this batch.`,
          );
        }
        steps++;
        seen += size;
        for (const [k, v] of Object.entries(batchLogs)) sums[k] = (sums[k] ?? 0) + v * size;
        // an epoch of unknown length shows one more batch to come (the bar draws a full line only at the end)
        bar?.update(steps, knownSteps !== null && steps <= knownSteps ? knownSteps : steps + 1, seen, means(sums, seen));
        await dispatch(callbacks, 'onBatchEnd', step, { ...batchLogs, batch: step, size });
        if (performance.now() - lastYield > 200) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
        // a stop asked for during the epoch (a batch callback, Ctrl-C) ends it after this batch
        if (model.stopTraining && (perEpoch === undefined || steps < perEpoch)) {
          stopped = true;
          break;
        }
      }
      if (stopped) {
        bar?.interrupt(steps, Math.max(knownSteps ?? 0, steps));
        break;
      }
      if (steps === 0) {
        if (ranOut) break;
        throw new Error(
          `${what}(): the data set gave no batches in epoch ${epoch + 1}. Each epoch reads it afresh: a data.generator must be given the generator function (called once per epoch), not a generator object.`,
        );
      }
      if (perEpoch === undefined) knownSteps = steps;
      const logs: Logs = means(sums, seen);
      if (validation) for (const [k, v] of Object.entries(await validation())) logs[`val_${k}`] = v;
      bar?.end(steps, seen, logs);
      if (verbose === 2) sink.line(`Epoch ${epoch + 1}/${epochs} - ${formatLogs(logs)}`);
      history.record(epoch, logs);
      await dispatch(callbacks, 'onEpochEnd', epoch, logs);
      await yieldToEventLoop();
    }
  } finally {
    await stream?.return();
  }
  await dispatch(callbacks, 'onTrainEnd', {});
  return history;
}

/** Each log's mean over the samples so far (each batch's value weighted by its size, as fit averages). */
function means(sums: Record<string, number>, seen: number): Logs {
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / seen]));
}

/** The validation of an epoch's end, as the args give it: a data set evaluated batch by batch, or tensors. */
function validationOf(model: TrainableModel, args: FitDatasetArgs): (() => Promise<Record<string, number>>) | null {
  const given = args.validationData;
  if (given === undefined || given === null) return null;
  if (isDataset(given)) {
    const batches = args.validationBatches;
    if (batches !== undefined && !(Number.isInteger(batches) && batches > 0)) {
      throw new Error(`fitDataset(): validationBatches must be a positive integer, got ${batches}.`);
    }
    return () => evaluateDatasetModel(model, given, { batches, checkInputs: args.checkInputs });
  }
  if (!(Array.isArray(given) && given.length === 2)) throw new Error('fitDataset(): validationData must be a Dataset or a pair [x, y].');
  const xs = toTensorList(given[0], model.inputNames, 'fitDataset', 'x');
  const ys = toTensorList(given[1], model.outputNames, 'fitDataset', 'y');
  const batchSize = args.validationBatchSize ?? 32;
  // checked now when the model is built, so that bad validation data fails before training, as in fit
  if (model.built) checkData(model, xs, ys, 'fitDataset() validationData', args.checkInputs ?? true);
  return async () => evaluateLists(model, xs, ys, { batchSize, checkInputs: args.checkInputs });
}
