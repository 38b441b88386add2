// fit's validation data: given as `validationData`, or held out with `validationSplit` from the end of the
// samples, before any shuffling, as Keras does. Inputs and targets are lists (one tensor per model input and
// output); every tensor is split at the same row.
import { gatherRows } from '../data/gather-rows.js';
import type { Tensor } from '../tensor/tensor.js';

/** The data of fit: the inputs and the targets, one tensor per model input and output. */
export interface DataLists {
  xs: Tensor[];
  ys: Tensor[];
}

/** Splits off the last `fraction` of the rows (Keras takes validation data from the end, before shuffling). */
function splitTail(data: DataLists, fraction: number): { train: DataLists; validation: DataLists } {
  const n = data.xs[0].shape[0];
  // Keras and TF.js round the training part down: splitAt = floor(n * (1 - fraction)), so 10 samples at 0.25 hold out 3
  const nVal = n - Math.floor(n * (1 - fraction));
  if (nVal < 1 || nVal >= n)
    throw new Error(`validationSplit ${fraction} of ${n} samples leaves ${n - nVal} for training and ${nVal} for validation; both need at least one.`);
  const train = Array.from({ length: n - nVal }, (_, i) => i);
  const val = Array.from({ length: nVal }, (_, i) => n - nVal + i);
  const rows = (ts: Tensor[], idx: number[]) => ts.map((t) => gatherRows(t, idx));
  return { train: { xs: rows(data.xs, train), ys: rows(data.ys, train) }, validation: { xs: rows(data.xs, val), ys: rows(data.ys, val) } };
}

/**
 * The samples to train on and the validation data, if any: `validation` as given (the training samples are then
 * all of the data), else the last `validationSplit` of the samples held out.
 */
export function holdOutValidation(
  data: DataLists,
  validation: DataLists | null,
  validationSplit: number | undefined,
): { train: DataLists; validation: DataLists | null } {
  if (validation) return { train: data, validation };
  if (!validationSplit) return { train: data, validation: null };
  if (!(validationSplit > 0 && validationSplit < 1)) throw new Error(`fit(): validationSplit must be between 0 and 1, got ${validationSplit}.`);
  return splitTail(data, validationSplit);
}
