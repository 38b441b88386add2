import { gradients } from '../autograd/backward.js';
import { noGrad } from '../autograd/mode.js';
import { gatherRows } from '../data/gather-rows.js';
import type { EpochProgress } from '../io/format.js';
import { getLoss, isBuiltInLossIdentifier, type Loss, type LossIdentifier } from '../nn/losses.js';
import { getMetric, type MetricIdentifier } from '../nn/metrics.js';
import { getOptimizer, type OptimizerIdentifier } from '../nn/optimizers/index.js';
import { add } from '../ops/binary.js';
import { getRngState, setRngState, shuffleInPlace } from '../tensor/rng.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor, Variable } from '../tensor/tensor.js';
import type { SymbolicShape } from '../nn/layer.js';
import { dispatch, type Callback, type Logs } from './callbacks.js';
import { asScratch, asStep, recycle, withBufferReuse } from '../tensor/buffer-pool.js';
import { batchIsReusable, gradientsAreReusable, stepRunsOwnCodeOnly } from './buffer-reuse.js';
import { checkFinite, checkLabelValues } from './check-data.js';
import { History } from './history.js';
import { defaultSink, formatLogs, ProgressBar, type ProgressSink } from './progress.js';
import type { CompiledState, TrainableModel } from './trainable-model.js';

export interface CompileArgs {
  /** `'sgd'`, `'adam'`, ... or an optimizer object such as `optimizers.adam({ learningRate: 0.01 })`. */
  optimizer: OptimizerIdentifier;
  /** `'meanSquaredError'`, `'binaryCrossentropy'`, ... or a loss function `(yTrue, yPred) => scalar`. */
  loss: LossIdentifier | Loss | ((yTrue: Tensor, yPred: Tensor) => Tensor);
  /** e.g. `['accuracy']`; `'accuracy'` picks binary / categorical / sparse from the loss, as Keras does. */
  metrics?: readonly MetricIdentifier[];
}

export interface FitArgs {
  epochs?: number;
  /** Samples per gradient step (default 32). */
  batchSize?: number;
  /** Reshuffle the training samples before each epoch (default true). */
  shuffle?: boolean;
  /** Fraction of the samples, taken from the end before shuffling as Keras does, held out for validation. */
  validationSplit?: number;
  /** Explicit validation data `[x, y]` (overrides validationSplit). */
  validationData?: readonly [Tensor, Tensor];
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

export interface EvaluateArgs {
  batchSize?: number;
  /** Refuse NaN / Infinity in x and y, and labels the loss cannot take (default true). */
  checkInputs?: boolean;
}

export function compileModel(model: TrainableModel, args: CompileArgs): CompiledState {
  if (!args || args.optimizer === undefined || args.loss === undefined) {
    throw new Error(`compile() needs an optimizer and a loss, e.g. model.compile({ optimizer: 'adam', loss: 'meanSquaredError' }).`);
  }
  const loss = getLoss(args.loss);
  const units = model.outputShape?.at(-1) ?? undefined;
  // logs are keyed by name: two metrics of one name (e.g. two anonymous functions, both 'metric') would be
  // summed together by evaluate, so later ones become name_1, name_2, ...
  const taken = new Set(['loss']);
  const metrics = (args.metrics ?? []).map((m) => {
    const metric = getMetric(m, loss, units ?? undefined);
    let name = metric.name;
    for (let i = 1; taken.has(name); i++) name = `${metric.name}_${i}`;
    taken.add(name);
    return { ...metric, name };
  });
  const builtInLossAndMetrics = isBuiltInLossIdentifier(args.loss) && (args.metrics ?? []).every((m) => typeof m === 'string');
  return { optimizer: getOptimizer(args.optimizer), loss, metrics, builtInLossAndMetrics };
}

function requireCompiled(model: TrainableModel, what: string): CompiledState {
  if (!model.compiled) throw new Error(`Call model.compile({ optimizer, loss }) before ${what}().`);
  return model.compiled;
}

/** The built-in losses, whose label shapes we know; a custom loss function decides its own label layout. */
const BUILT_IN_LOSSES = new Set(['meanSquaredError', 'meanAbsoluteError', 'huber', 'binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy']);

/** Same rank and every known non-batch axis equal. */
function fits(expected: SymbolicShape, actual: SymbolicShape): boolean {
  return expected.length === actual.length && expected.every((d, i) => i === 0 || d === null || actual[i] === null || d === actual[i]);
}

/** As the losses allow: equal shapes, or equal once a trailing axis of size 1 is dropped on one side ([N] labels for [N, 1] outputs). */
function labelsFit(expected: SymbolicShape, actual: SymbolicShape): boolean {
  if (fits(expected, actual)) return true;
  const strip = (s: SymbolicShape) => (s.length > 1 && s[s.length - 1] === 1 ? s.slice(0, -1) : s);
  return Math.abs(expected.length - actual.length) === 1 && fits(strip(expected), strip(actual));
}

function labelHint(out: SymbolicShape, y: readonly number[], loss: string): string {
  const units = out[out.length - 1];
  const sparse = loss === 'sparseCategoricalCrossentropy';
  const expectedRank = sparse ? out.length - 1 : out.length;
  if (out.length > 2 && y.length < expectedRank) return ' Did you forget a Flatten layer before the first Dense layer?';
  const classIds = y.length === 1 || (y.length === 2 && y[1] === 1);
  if (loss === 'categoricalCrossentropy' && units !== null && units > 1 && classIds) {
    return ' The labels look like class indices: one-hot encode them (toCategorical) or use sparseCategoricalCrossentropy.';
  }
  if (sparse && y.length === out.length && y[y.length - 1] === units && units !== null && units > 1) {
    return " The labels look one-hot: use 'categoricalCrossentropy', or pass class indices.";
  }
  if (units === 1 && y.length === 2 && y[1] > 1) {
    return ` The labels look one-hot with ${y[1]} classes but the model has 1 output unit: give the last layer ${y[1]} units with 'softmax' and use 'categoricalCrossentropy', or for two classes use 0/1 labels of shape [N, 1] with 'binaryCrossentropy'.`;
  }
  if (out.length === 2 && y.length === 2 && units !== null && units > 1 && y[1] > 1) return ` The labels have ${y[1]} columns: make the last layer's units ${y[1]}.`;
  return '';
}

function checkData(model: TrainableModel, x: Tensor, y: Tensor, what: string, checkValues: boolean): void {
  if (x.rank === 0 || y.rank === 0) throw new Error(`${what}(): x and y need a first (batch) axis; got shapes ${formatShape(x.shape)} and ${formatShape(y.shape)}.`);
  if (x.shape[0] !== y.shape[0]) {
    throw new Error(`${what}(): x has ${x.shape[0]} samples but y has ${y.shape[0]} (shapes ${formatShape(x.shape)} and ${formatShape(y.shape)}).`);
  }
  if (x.shape[0] === 0) throw new Error(`${what}(): the data set is empty.`);
  if (checkValues) {
    checkFinite(x, `${what}(): x`);
    checkFinite(y, `${what}(): y`);
  }
  if (!model.built) model.build([null, ...x.shape.slice(1)]);
  // checked here so that bad validation data fails before training rather than after the first epoch
  const inputShape = model.inputShape!;
  if (!fits(inputShape, x.shape)) {
    throw new Error(`${what}(): model '${model.name}' expects x of shape ${formatShape(inputShape)} but x has shape ${formatShape(x.shape)} (first axis = batch).`);
  }
  const out = model.outputShape!;
  const loss = String(model.compiled!.loss.lossName);
  if (!BUILT_IN_LOSSES.has(loss)) return;
  // sparse crossentropy takes class ids: the output shape without its class axis
  const expectedY = loss === 'sparseCategoricalCrossentropy' ? out.slice(0, -1) : out;
  if (!labelsFit(expectedY, y.shape)) {
    const needed = loss === 'sparseCategoricalCrossentropy' ? `class-index labels of shape ${formatShape(expectedY)} for its output ${formatShape(out)}` : `labels of its output shape ${formatShape(out)}`;
    throw new Error(`${what}(): y has shape ${formatShape(y.shape)} but the model needs ${needed} (first axis = batch).${labelHint(out, y.shape, loss)}`);
  }
  if (checkValues) checkLabelValues(y, loss, out[out.length - 1], what);
}

/** Splits off the last `fraction` of the rows (Keras takes validation data from the end, before shuffling). */
function splitTail(x: Tensor, y: Tensor, fraction: number): { x: Tensor; y: Tensor; xVal: Tensor; yVal: Tensor } {
  const n = x.shape[0];
  // Keras and TF.js round the training part down: splitAt = floor(n * (1 - fraction)), so 10 samples at 0.25 hold out 3
  const nVal = n - Math.floor(n * (1 - fraction));
  if (nVal < 1 || nVal >= n) throw new Error(`validationSplit ${fraction} of ${n} samples leaves ${n - nVal} for training and ${nVal} for validation; both need at least one.`);
  const train = Array.from({ length: n - nVal }, (_, i) => i);
  const val = Array.from({ length: nVal }, (_, i) => n - nVal + i);
  return { x: gatherRows(x, train), y: gatherRows(y, train), xVal: gatherRows(x, val), yVal: gatherRows(y, val) };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** The loss of one batch plus the layers' regularisation penalties. */
function batchLoss(model: TrainableModel, loss: Loss, yTrue: Tensor, yPred: Tensor): Tensor {
  let total = loss(yTrue, yPred);
  for (const layer of model.layers) if (layer.hasRegularization) total = add(total, layer.regularizationLoss());
  return total;
}

/**
 * One gradient step on a batch; returns its logs. A non-finite loss (`logs.loss`) stops it before the
 * gradients, so the weights stay as they were.
 */
function trainOnBatch(model: TrainableModel, compiled: CompiledState, variables: readonly Variable[], xb: Tensor, yb: Tensor, reuseGradients: boolean): Logs {
  const yPred = model.apply(xb, { training: true });
  // Keras reports the loss including regularisation penalties
  const total = batchLoss(model, compiled.loss, yb, yPred);
  const logs: Logs = { loss: total.item() };
  if (!Number.isFinite(logs.loss)) return logs;
  const grads = gradients(total, variables);
  compiled.optimizer.applyGradients(grads.map((g, i) => [g, variables[i]] as const));
  if (reuseGradients) for (const g of grads) recycle(g.values);
  noGrad(() => {
    for (const m of compiled.metrics) logs[m.name] = m.fn(yb, yPred).item();
  });
  return logs;
}

export function fitModel(model: TrainableModel, xAll: Tensor, yAll: Tensor, args: FitArgs): Promise<History> {
  return withBufferReuse(() => fitLoop(model, xAll, yAll, args));
}

async function fitLoop(model: TrainableModel, xAll: Tensor, yAll: Tensor, args: FitArgs): Promise<History> {
  const compiled = requireCompiled(model, 'fit');
  const epochs = args.epochs ?? 1;
  const batchSize = args.batchSize ?? 32;
  const verbose = args.verbose ?? 1;
  const initialEpoch = args.initialEpoch ?? 0;
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`fit(): epochs must be a non-negative integer, got ${epochs}.`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`fit(): batchSize must be a positive integer, got ${batchSize}.`);
  const checkInputs = args.checkInputs ?? true;
  checkData(model, xAll, yAll, 'fit', checkInputs);

  let x = xAll;
  let y = yAll;
  let validation: readonly [Tensor, Tensor] | null = args.validationData ?? null;
  if (!validation && args.validationSplit) {
    if (!(args.validationSplit > 0 && args.validationSplit < 1)) throw new Error(`fit(): validationSplit must be between 0 and 1, got ${args.validationSplit}.`);
    const parts = splitTail(xAll, yAll, args.validationSplit);
    x = parts.x;
    y = parts.y;
    validation = [parts.xVal, parts.yVal];
  }
  if (validation) checkData(model, validation[0], validation[1], 'fit() validationData', checkInputs && !!args.validationData);

  const callbacks = args.callbacks === undefined ? [] : Array.isArray(args.callbacks) ? [...(args.callbacks as Callback[])] : [args.callbacks as Callback];
  const history = new History();
  const sink = args.progressSink ?? defaultSink();
  const bar = verbose === 1 ? new ProgressBar(sink) : null;
  model.stopTraining = false;
  for (const cb of callbacks) cb.setModel?.(model);

  const n = x.shape[0];
  const steps = Math.ceil(n / batchSize);
  if (batchSize > n && verbose > 0) sink.line(`fit(): batchSize ${batchSize} is larger than the ${n} training samples, so each epoch is one batch of ${n}.`);
  const order = Array.from({ length: n }, (_, i) => i);
  const variables = model.trainableWeights;
  let resumeAt = args.initialEpochProgress ?? null;
  if (resumeAt && !(Number.isInteger(resumeAt.batch) && resumeAt.batch >= 0 && resumeAt.batch < steps)) {
    throw new Error(`fit(): initialEpochProgress.batch must be an integer in [0, ${steps}) for ${steps} batches per epoch, got ${resumeAt.batch}; was the run interrupted with another batch size or data set?`);
  }
  model.interruption = null;
  const reuseBatch = batchIsReusable(model);
  const reuseGradients = gradientsAreReusable(compiled.optimizer);
  const reuseStep = stepRunsOwnCodeOnly(model, compiled);
  await dispatch(callbacks, 'onTrainBegin', {});
  for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
    // a resumed epoch begins again too: callbacks such as an epoch-indexed learning-rate schedule set it up
    await dispatch(callbacks, 'onEpochBegin', epoch, {});
    // an interrupted epoch draws its shuffle again from the state it began with, then goes on from where it stopped
    const rngNow = resumeAt ? getRngState() : null;
    if (resumeAt) setRngState(resumeAt.epochRngState);
    const epochRngState = getRngState();
    if (args.shuffle ?? true) {
      // NOTE: a fresh permutation of 0..n-1 each epoch (not a reshuffle of the last one), so that an epoch's
      // order depends only on the random state at its start and a resumed run (initialEpoch) repeats it exactly
      for (let i = 0; i < n; i++) order[i] = i;
      shuffleInPlace(order);
    }
    if (rngNow) setRngState(rngNow);
    const sums: Record<string, number> = resumeAt ? { ...resumeAt.sums } : {};
    let seen = resumeAt?.seen ?? 0;
    const firstStep = resumeAt?.batch ?? 0;
    bar?.begin(epoch, epochs, firstStep, seen);
    resumeAt = null;
    let lastYield = performance.now();
    let stoppedAfter = steps;
    for (let step = firstStep; step < steps; step++) {
      const idx = order.slice(step * batchSize, Math.min(n, (step + 1) * batchSize));
      const xb = reuseBatch ? asScratch(() => gatherRows(x, idx)) : gatherRows(x, idx);
      const yb = gatherRows(y, idx);
      await dispatch(callbacks, 'onBatchBegin', step, { batch: step, size: idx.length });
      const train = () => trainOnBatch(model, compiled, variables, xb, yb, reuseGradients);
      const batchLogs = reuseStep ? asStep(train) : train();
      // the step is over: nothing refers to the batch any more (recycle ignores it unless it is scratch)
      recycle(xb.values);
      if (!Number.isFinite(batchLogs.loss)) {
        // the weights are still those before this batch: callbacks such as modelCheckpoint save them
        model.interruption = { epoch, progress: { batch: step, epochRngState, sums: { ...sums }, seen } };
        await dispatch(callbacks, 'onTrainEnd', {});
        throw new Error(`Training stopped: the loss became ${batchLogs.loss} at epoch ${epoch + 1}, batch ${step + 1} (of ${steps}). The learning rate may be too high, or the data contains NaN/Infinity. The model keeps its weights from before this batch.`);
      }
      seen += idx.length;
      for (const [k, v] of Object.entries(batchLogs)) sums[k] = (sums[k] ?? 0) + v * idx.length;
      const running: Logs = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / seen]));
      bar?.update(step + 1, steps, seen, running);
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
      model.interruption = { epoch, progress: { batch: stoppedAfter, epochRngState, sums: { ...sums }, seen } };
      break;
    }
    const logs: Logs = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / seen]));
    if (validation) {
      const val = evaluateModel(model, validation[0], validation[1], { batchSize });
      for (const [k, v] of Object.entries(val)) logs[`val_${k}`] = v;
    }
    bar?.end(steps, seen, logs);
    if (verbose === 2) sink.line(`Epoch ${epoch + 1}/${epochs} - ${formatLogs(logs)}`);
    history.record(epoch, logs);
    await dispatch(callbacks, 'onEpochEnd', epoch, logs);
    await yieldToEventLoop();
  }
  await dispatch(callbacks, 'onTrainEnd', {});
  return history;
}

export function evaluateModel(model: TrainableModel, x: Tensor, y: Tensor, args: EvaluateArgs): Record<string, number> {
  const compiled = requireCompiled(model, 'evaluate');
  const batchSize = args.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`evaluate(): batchSize must be a positive integer, got ${batchSize}.`);
  checkData(model, x, y, 'evaluate', args.checkInputs ?? true);
  const n = x.shape[0];
  const sums: Record<string, number> = { loss: 0 };
  noGrad(() => {
    for (let start = 0; start < n; start += batchSize) {
      const idx = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
      const xb = gatherRows(x, idx);
      const yb = gatherRows(y, idx);
      const yPred = model.apply(xb, { training: false });
      sums.loss += batchLoss(model, compiled.loss, yb, yPred).item() * idx.length;
      for (const m of compiled.metrics) sums[m.name] = (sums[m.name] ?? 0) + m.fn(yb, yPred).item() * idx.length;
    }
  });
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n]));
}
