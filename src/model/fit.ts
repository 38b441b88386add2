// `model.fit`: the training loop. The data is checked once (check-data.ts), the validation data set aside
// (validation-split.ts), then each epoch walks its batches (epoch-iterator.ts), one training step each
// (train-step.ts), with callbacks, progress and a stop that can be resumed exactly.
import { gatherRows } from '../data/gather-rows.js';
import type { EpochProgress } from '../io/format.js';
import { asScratch, asStep, recycle, withBufferReuse } from '../tensor/buffer-pool.js';
import { batchIsReusable, gradientsAreReusable, stepRunsOwnCodeOnly } from './buffer-reuse.js';
import { dispatch, type Callback, type Logs } from './callbacks.js';
import { checkData } from './check-data.js';
import { requireCompiled } from './compile-settings.js';
import { EpochIterator } from './epoch-iterator.js';
import { evaluateLists } from './evaluate.js';
import { History } from './history.js';
import { toTensorList, type ModelData } from './model-data.js';
import { defaultSink, formatLogs, ProgressBar, type ProgressSink } from './progress.js';
import { trainOnBatch } from './train-step.js';
import type { TrainableModel } from './trainable-model.js';
import { holdOutValidation } from './validation-split.js';

export interface FitArgs {
  epochs?: number;
  /** Samples per gradient step (default 32). */
  batchSize?: number;
  /** Reshuffle the training samples before each epoch (default true). */
  shuffle?: boolean;
  /** Fraction of the samples, taken from the end before shuffling as Keras does, held out for validation. */
  validationSplit?: number;
  /** Explicit validation data `[x, y]` (overrides validationSplit), each in the form `fit` takes x and y. */
  validationData?: readonly [ModelData, ModelData];
  callbacks?: Callback | readonly Callback[];
  /** 0 = silent, 1 = progress bar per epoch (default), 2 = one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Epoch to start counting from (for resumed training). */
  initialEpoch?: number;
  /** Where progress goes (default: the terminal, or console.log). */
  progressSink?: ProgressSink;
  /**
   * Where an interrupted run stopped inside epoch `initialEpoch` (a checkpoint's `progress`): its shuffle is
   * drawn again and training continues after the batches already done, as if it had never stopped.
   */
  initialEpochProgress?: EpochProgress;
  /**
   * Look through x, y and the validation data for NaN and Infinity, and the labels for values the loss cannot
   * take (class ids out of range, binary labels outside [0, 1]), before training (default true: one pass over
   * the data, cheap next to an epoch).
   */
  checkInputs?: boolean;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/**
 * Trains `model` on `x` and `y` (a tensor each, or for several inputs or outputs a list or an object keyed by
 * name); the buffers the steps allocate are reused within the call.
 */
export function fitModel(model: TrainableModel, x: ModelData, y: ModelData, args: FitArgs): Promise<History> {
  return withBufferReuse(() => fitLoop(model, x, y, args));
}

async function fitLoop(model: TrainableModel, xAll: ModelData, yAll: ModelData, args: FitArgs): Promise<History> {
  const compiled = requireCompiled(model, 'fit');
  const data = { xs: toTensorList(xAll, model.inputNames, 'fit', 'x'), ys: toTensorList(yAll, model.outputNames, 'fit', 'y') };
  const given = args.validationData;
  if (given !== undefined && !(Array.isArray(given) && given.length === 2)) throw new Error('fit(): validationData must be a pair [x, y].');
  const validationData = given ? { xs: toTensorList(given[0], model.inputNames, 'fit', 'x'), ys: toTensorList(given[1], model.outputNames, 'fit', 'y') } : null;
  const epochs = args.epochs ?? 1;
  const batchSize = args.batchSize ?? 32;
  const verbose = args.verbose ?? 1;
  const initialEpoch = args.initialEpoch ?? 0;
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`fit(): epochs must be a non-negative integer, got ${epochs}.`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`fit(): batchSize must be a positive integer, got ${batchSize}.`);
  const checkInputs = args.checkInputs ?? true;
  checkData(model, data.xs, data.ys, 'fit', checkInputs);

  const { train, validation } = holdOutValidation(data, validationData, args.validationSplit);
  if (validation) checkData(model, validation.xs, validation.ys, 'fit() validationData', checkInputs && !!args.validationData);
  const { xs, ys } = train;

  const callbacks = args.callbacks === undefined ? [] : Array.isArray(args.callbacks) ? [...(args.callbacks as Callback[])] : [args.callbacks as Callback];
  const history = new History();
  const sink = args.progressSink ?? defaultSink();
  const bar = verbose === 1 ? new ProgressBar(sink) : null;
  model.stopTraining = false;
  for (const cb of callbacks) cb.setModel?.(model);

  const n = xs[0].shape[0];
  const epochIterator = new EpochIterator(n, batchSize, args.shuffle ?? true);
  const steps = epochIterator.steps;
  if (batchSize > n && verbose > 0) sink.line(`fit(): batchSize ${batchSize} is larger than the ${n} training samples, so each epoch is one batch of ${n}.`);
  const variables = model.trainableWeights;
  let resumeAt = args.initialEpochProgress ?? null;
  if (resumeAt) epochIterator.checkResumable(resumeAt);
  model.interruption = null;
  const reuseBatch = batchIsReusable(model);
  const reuseGradients = gradientsAreReusable(compiled.optimizer);
  const reuseStep = stepRunsOwnCodeOnly(model, compiled);
  await dispatch(callbacks, 'onTrainBegin', {});
  for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
    // a resumed epoch begins again too: callbacks such as an epoch-indexed learning-rate schedule set it up
    await dispatch(callbacks, 'onEpochBegin', epoch, {});
    const run = epochIterator.begin(resumeAt);
    bar?.begin(epoch, epochs, run.firstBatch, run.seen);
    resumeAt = null;
    let lastYield = performance.now();
    let stoppedAfter = steps;
    for (let step = run.firstBatch; step < steps; step++) {
      const idx = run.batch(step);
      const xb = xs.map((x) => (reuseBatch ? asScratch(() => gatherRows(x, idx)) : gatherRows(x, idx)));
      const yb = ys.map((y) => gatherRows(y, idx));
      await dispatch(callbacks, 'onBatchBegin', step, { batch: step, size: idx.length });
      const train = () => trainOnBatch(model, compiled, variables, xb, yb, reuseGradients);
      const batchLogs = reuseStep ? asStep(train) : train();
      // the step is over: nothing refers to the batch any more (recycle ignores it unless it is scratch)
      for (const x of xb) recycle(x.values);
      if (!Number.isFinite(batchLogs.loss)) {
        // the weights are still those before this batch: callbacks such as modelCheckpoint save them
        model.interruption = { epoch, progress: run.progress(step) };
        await dispatch(callbacks, 'onTrainEnd', {});
        throw new Error(
          `Training stopped: the loss became ${batchLogs.loss} at epoch ${epoch + 1}, batch ${step + 1} (of ${steps}). The learning rate may be too high, or the data contains NaN/Infinity. The model keeps its weights from before this batch.`,
        );
      }
      run.add(batchLogs, idx.length);
      bar?.update(step + 1, steps, run.seen, run.means());
      await dispatch(callbacks, 'onBatchEnd', step, { ...batchLogs, batch: step, size: idx.length });
      // let timers, signals and the browser's UI run during long epochs
      if (performance.now() - lastYield > 200) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      // a stop asked for during the epoch (a batch callback, Ctrl-C) ends it after this batch
      if (model.stopTraining && step + 1 < steps) {
        stoppedAfter = step + 1;
        break;
      }
    }
    if (stoppedAfter < steps) {
      bar?.interrupt(stoppedAfter, steps);
      model.interruption = { epoch, progress: run.progress(stoppedAfter) };
      break;
    }
    const logs: Logs = run.means();
    if (validation) {
      const val = evaluateLists(model, validation.xs, validation.ys, { batchSize });
      for (const [k, v] of Object.entries(val)) logs[`val_${k}`] = v;
    }
    bar?.end(steps, run.seen, logs);
    if (verbose === 2) sink.line(`Epoch ${epoch + 1}/${epochs} - ${formatLogs(logs)}`);
    history.record(epoch, logs);
    await dispatch(callbacks, 'onEpochEnd', epoch, logs);
    await yieldToEventLoop();
  }
  await dispatch(callbacks, 'onTrainEnd', {});
  return history;
}
