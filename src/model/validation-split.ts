// fit's validation data: given as `validationData`, or held out with `validationSplit` from the end of the
// samples, before any shuffling, as Keras does.
import { gatherRows } from '../data/gather-rows.js';
import type { Tensor } from '../tensor/tensor.js';

/** Splits off the last `fraction` of the rows (Keras takes validation data from the end, before shuffling). */
function splitTail(x: Tensor, y: Tensor, fraction: number): { x: Tensor; y: Tensor; xVal: Tensor; yVal: Tensor } {
  const n = x.shape[0];
  // Keras and TF.js round the training part down: splitAt = floor(n * (1 - fraction)), so 10 samples at 0.25 hold out 3
  const nVal = n - Math.floor(n * (1 - fraction));
  if (nVal < 1 || nVal >= n)
    throw new Error(`validationSplit ${fraction} of ${n} samples leaves ${n - nVal} for training and ${nVal} for validation; both need at least one.`);
  const train = Array.from({ length: n - nVal }, (_, i) => i);
  const val = Array.from({ length: nVal }, (_, i) => n - nVal + i);
  return { x: gatherRows(x, train), y: gatherRows(y, train), xVal: gatherRows(x, val), yVal: gatherRows(y, val) };
}

/**
 * The samples to train on and the validation data, if any: `validationData` as given (the training samples
 * are then all of `x` and `y`), else the last `validationSplit` of the samples held out.
 */
export function holdOutValidation(
  x: Tensor,
  y: Tensor,
  args: { validationData?: readonly [Tensor, Tensor]; validationSplit?: number },
): { x: Tensor; y: Tensor; validation: readonly [Tensor, Tensor] | null } {
  if (args.validationData) return { x, y, validation: args.validationData };
  if (!args.validationSplit) return { x, y, validation: null };
  if (!(args.validationSplit > 0 && args.validationSplit < 1)) throw new Error(`fit(): validationSplit must be between 0 and 1, got ${args.validationSplit}.`);
  const parts = splitTail(x, y, args.validationSplit);
  return { x: parts.x, y: parts.y, validation: [parts.xVal, parts.yVal] };
}
