// `tf.metrics`: TF.js' metric functions. Unlike dendrite's metrics (one number for the batch, never
// differentiated), TF.js' return a tensor per sample (the mean, or the result, over the last axis) — except
// precision, recall and r2Score, which are scalars — and are ordinary differentiable ops. Each is composed from
// dendrite's ops with TF.js' formula, down to its quirks: precision and recall count predictions that are exactly
// 1 or 0 (they threshold nothing), and binaryAccuracy thresholds at 0.5.
import { sigmoidCrossEntropyWithLogits } from '../nn/losses.js';
import { abs, add, argMax, clipByValue, div, equal, greater, log, maximum, mean, mul, neg, sqrt, square, squeeze, sub, sum, where } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';

/** TF.js layers' `epsilon()`: probabilities are clipped to [EPSILON, 1 - EPSILON]. */
const EPSILON = 1e-7;

/**
 * The fraction of each sample's entries where `yPred > 0.5` agrees with the 0/1 label (mean over the last axis).
 *
 *     tf.metrics.binaryAccuracy(tf.tensor2d([[1], [0]]), tf.tensor2d([[0.7], [0.6]]));  // [1, 0]
 */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return mean(equal(yTrue, greater(yPred, 0.5)), -1);
}

/**
 * 1 for each sample whose largest prediction is where its one-hot label is largest, else 0.
 *
 *     tf.metrics.categoricalAccuracy(tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[0.2, 0.8], [0.3, 0.7]]));  // [1, 0]
 */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return equal(argMax(yTrue, -1), argMax(yPred, -1));
}

/**
 * 1 for each sample whose largest prediction is at its class index (labels [N] or [N, 1]), else 0.
 *
 *     tf.metrics.sparseCategoricalAccuracy(tf.tensor1d([1, 0]), tf.tensor2d([[0.2, 0.8], [0.3, 0.7]]));  // [1, 0]
 */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const labels = yTrue.rank === yPred.rank ? squeeze(yTrue, [yTrue.rank - 1]) : yTrue;
  return equal(labels, argMax(yPred, -1));
}

/** How many entries have label `label` and prediction `prediction` (exactly). */
function count(yTrue: Tensor, yPred: Tensor, label: number, prediction: number): Tensor {
  return sum(mul(equal(yTrue, label), equal(yPred, prediction)));
}

/** `numerator / denominator` where the denominator is positive, else 0. */
function ratioOrZero(numerator: Tensor, denominator: Tensor): Tensor {
  return where(greater(denominator, 0), div(numerator, maximum(denominator, 1)), 0);
}

/**
 * True positives over predicted positives, a scalar (0 when nothing is predicted positive). A prediction counts
 * as positive only when it is exactly 1 and as negative when exactly 0: TF.js thresholds nothing.
 *
 *     tf.metrics.precision(tf.tensor1d([1, 0, 1]), tf.tensor1d([1, 1, 0]));  // 0.5
 */
export function precision(yTrue: Tensor, yPred: Tensor): Tensor {
  const tp = count(yTrue, yPred, 1, 1);
  return ratioOrZero(tp, add(tp, count(yTrue, yPred, 0, 1)));
}

/**
 * True positives over actual positives, a scalar (0 when there are none); predictions count as in `precision`.
 *
 *     tf.metrics.recall(tf.tensor1d([1, 0, 1]), tf.tensor1d([1, 1, 0]));  // 0.5
 */
export function recall(yTrue: Tensor, yPred: Tensor): Tensor {
  const tp = count(yTrue, yPred, 1, 1);
  return ratioOrZero(tp, add(tp, count(yTrue, yPred, 1, 0)));
}

/**
 * Binary crossentropy of probabilities per sample (mean over the last axis), as TF.js computes it: the clipped
 * probabilities turned back into logits, then the sigmoid crossentropy.
 *
 *     tf.metrics.binaryCrossentropy(tf.tensor2d([[1], [0]]), tf.tensor2d([[0.9], [0.2]]));  // [0.1054, 0.2231]
 */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor): Tensor {
  const p = clipByValue(yPred, EPSILON, 1 - EPSILON);
  return mean(sigmoidCrossEntropyWithLogits(yTrue, log(div(p, sub(1, p)))), -1);
}

/**
 * Categorical crossentropy of probabilities per sample: the predictions are scaled to sum to 1 and clipped,
 * then `-sum(yTrue log p)` over the last axis.
 *
 *     tf.metrics.categoricalCrossentropy(tf.tensor2d([[0, 1]]), tf.tensor2d([[0.2, 0.8]]));  // [0.2231]
 */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor): Tensor {
  const p = clipByValue(div(yPred, sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
  return neg(sum(mul(yTrue, log(p)), -1));
}

/** `x / sqrt(max(sum(x^2, axis), eps))`, TF.js layers' `l2Normalize`. */
function l2Normalize(x: Tensor, axis: number): Tensor {
  return div(x, sqrt(maximum(sum(square(x), axis, true), EPSILON)));
}

/**
 * Minus the cosine similarity of each sample's label and prediction vectors (last axis): -1 when they point the
 * same way.
 *
 *     tf.metrics.cosineProximity(tf.tensor2d([[0, 1]]), tf.tensor2d([[0, 3]]));  // [-1]
 */
export function cosineProximity(yTrue: Tensor, yPred: Tensor): Tensor {
  return neg(sum(mul(l2Normalize(yTrue, -1), l2Normalize(yPred, -1)), -1));
}

/**
 * Mean absolute error per sample (mean over the last axis).
 *
 *     tf.metrics.meanAbsoluteError(tf.tensor2d([[0, 1]]), tf.tensor2d([[2, 1]]));  // [1]
 */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  return mean(abs(sub(yPred, yTrue)), -1);
}

/**
 * Mean squared error per sample (mean over the last axis).
 *
 *     tf.metrics.meanSquaredError(tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 1]]));  // [0.5]
 */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  return mean(square(sub(yPred, yTrue)), -1);
}

/**
 * Mean absolute percentage error per sample: `100 * mean(|(yTrue - yPred) / max(|yTrue|, eps)|)` over the last axis.
 *
 *     tf.metrics.meanAbsolutePercentageError(tf.tensor2d([[2, 4]]), tf.tensor2d([[1, 5]]));  // [37.5]
 */
export function meanAbsolutePercentageError(yTrue: Tensor, yPred: Tensor): Tensor {
  const scale = clipByValue(abs(yTrue), EPSILON, Number.MAX_VALUE);
  return mul(mean(abs(div(sub(yTrue, yPred), scale)), -1), 100);
}

/**
 * The coefficient of determination over all entries, a scalar: `1 - sum((yTrue - yPred)^2) / sum((yTrue - mean)^2)`.
 *
 *     tf.metrics.r2Score(tf.tensor1d([1, 2, 3]), tf.tensor1d([1, 2, 4]));  // 0.5
 */
export function r2Score(yTrue: Tensor, yPred: Tensor): Tensor {
  const residuals = sum(square(sub(yTrue, yPred)));
  const total = sum(square(sub(yTrue, mean(yTrue))));
  return sub(1, div(residuals, total));
}

export { meanSquaredError as MSE, meanSquaredError as mse, meanAbsolutePercentageError as MAPE, meanAbsolutePercentageError as mape };
