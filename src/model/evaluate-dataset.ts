// `model.evaluateDataset`: the loss and metrics over the batches of a Dataset (TF.js' evaluateDataset), batch by
// batch without gradients, weighted by batch size as `evaluate` weights its batches. Also how fitDataset reads
// a batch: an element `{ xs, ys }` (or `[xs, ys]`), each a tensor, a list or an object keyed by input/output name.
import { noGrad } from '../autograd/mode.js';
import type { Dataset } from '../data/dataset/dataset.js';
import type { LazyIterator } from '../data/dataset/iterator.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkData } from './check-data.js';
import { requireCompiled } from './compile-settings.js';
import { toTensorList } from './model-data.js';
import { addMetricLogs, batchLoss, lossLogs } from './train-step.js';
import type { TrainableModel } from './trainable-model.js';

export interface EvaluateDatasetArgs {
  /** Evaluate at most this many batches (default: until the data set ends). */
  batches?: number;
  /** Refuse NaN / Infinity in the batches, and labels the loss cannot take (default true). */
  checkInputs?: boolean;
}

/** One batch of a data set: one tensor per model input and per output. */
export interface DatasetBatch {
  xs: Tensor[];
  ys: Tensor[];
}

/** Whether `x` is a data set (anything with an `iterator()` method, as TF.js decides). */
export function isDataset(x: unknown): x is Dataset<unknown> {
  return x !== null && typeof x === 'object' && typeof (x as { iterator?: unknown }).iterator === 'function';
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return `an object with keys ${Object.keys(value).join(', ') || '(none)'}`;
  return typeof value;
}

/**
 * A data set element as the model's inputs and targets, checked against the model (built here for the first
 * batch if it is not yet). `what` names the call in errors ("fitDataset"), `where` the batch ("epoch 2, batch 5").
 */
export function datasetBatch(model: TrainableModel, value: unknown, what: string, where: string, checkValues: boolean): DatasetBatch {
  let x: unknown;
  let y: unknown;
  if (Array.isArray(value) && value.length === 2) [x, y] = value;
  else if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'xs' in value && 'ys' in value)
    ({ xs: x, ys: y } = value as { xs: unknown; ys: unknown });
  else {
    throw new Error(
      `${what}(): ${where}: each element of the data set must be { xs, ys } (or [xs, ys]), each a Tensor, a list of Tensors or an object keyed by input/output name (batch the data set first: dataset.batch(32)); got ${describe(value)}.`,
    );
  }
  try {
    const batch = { xs: toTensorList(x, model.inputNames, what, 'x'), ys: toTensorList(y, model.outputNames, what, 'y') };
    checkData(model, batch.xs, batch.ys, what, checkValues);
    return batch;
  } catch (error) {
    // say which batch: "fitDataset(): epoch 2, batch 5: x has NaN in row 3 ..."
    if (error instanceof Error && error.message.startsWith(`${what}(): `)) error.message = `${what}(): ${where}: ${error.message.slice(what.length + 4)}`;
    throw error;
  }
}

/** The loss and metric logs of one batch, in inference mode, without gradients. */
export function evaluateBatch(model: TrainableModel, batch: DatasetBatch): Record<string, number> {
  const compiled = requireCompiled(model, 'evaluate');
  return noGrad(() => {
    const yPred = model.forward(batch.xs, { training: false });
    const logs = lossLogs(compiled, batchLoss(model, compiled, batch.ys, yPred));
    addMetricLogs(logs, compiled, batch.ys, yPred);
    return logs;
  });
}

/**
 * The mean loss (with regularisation penalties) and metrics over the batches of `dataset` (or of an iterator of
 * one, as TF.js also takes), each batch weighted by its size: `{ loss, accuracy, ... }` as `evaluate` gives.
 */
export async function evaluateDatasetModel(
  model: TrainableModel,
  dataset: Dataset<unknown> | LazyIterator<unknown>,
  args: EvaluateDatasetArgs = {},
): Promise<Record<string, number>> {
  const what = 'evaluateDataset';
  requireCompiled(model, what);
  const batches = args.batches;
  if (batches !== undefined && !(Number.isInteger(batches) && batches > 0)) throw new Error(`${what}(): batches must be a positive integer, got ${batches}.`);
  const fromIterator = !isDataset(dataset);
  if (fromIterator && typeof (dataset as { next?: unknown })?.next !== 'function') {
    throw new Error(`${what}(): expected a Dataset (e.g. data.array(...).batch(32)), got ${describe(dataset)}.`);
  }
  const it = fromIterator ? (dataset as LazyIterator<unknown>) : await (dataset as Dataset<unknown>).iterator();
  const sums: Record<string, number> = {};
  let n = 0;
  let count = 0;
  try {
    while (batches === undefined || count < batches) {
      const r = await it.next();
      if (r.done) {
        if (batches !== undefined) {
          console.warn(
            `${what}(): the data set ran out after ${count} of the ${batches} batches asked for; evaluated those. Use repeat() on the data set for more.`,
          );
        }
        break;
      }
      const batch = datasetBatch(model, r.value, what, `batch ${count + 1}`, args.checkInputs ?? true);
      const size = batch.xs[0].shape[0];
      for (const [k, v] of Object.entries(evaluateBatch(model, batch))) sums[k] = (sums[k] ?? 0) + v * size;
      n += size;
      count++;
    }
  } finally {
    // an iterator the caller passed stays theirs to go on with
    if (!fromIterator) await it.return();
  }
  if (count === 0) throw new Error(`${what}(): the data set gave no batches.`);
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n]));
}
