// `tf.losses`: TF.js' loss functions, with its argument orders (labels first, then predictions, then the optional
// weights), its elementwise formulas and its reductions (`tf.Reduction`; by default the weighted sum divided by
// the number of non-zero weights). Each is composed from dendrite's ops, so it is differentiable; the sigmoid
// crossentropy is dendrite's own (nn/losses.ts) and the softmax crossentropy dendrite's fused op.
import { sigmoidCrossEntropyWithLogits } from '../nn/losses.js';
import { abs, add, div, log, mean, minimum, mul, neg, notEqual, relu, softmaxCrossEntropy as softmaxCrossEntropyRows, square, sub, sum } from '../ops/index.js';
import { onesLike } from '../tensor/create.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { convertToTensor } from './convert.js';
import type { TensorLike } from './dtype.js';

/** How a loss reduces its elementwise values (TF.js' numbering). */
export enum Reduction {
  /** The weighted elementwise losses, unreduced. */
  NONE = 0,
  /** The weighted sum divided by the sum of the weights (by the number of elements without weights). */
  MEAN = 1,
  /** The weighted sum. */
  SUM = 2,
  /** The weighted sum divided by the number of non-zero weights (TF.js' default). */
  SUM_BY_NONZERO_WEIGHTS = 3,
}

type Input = Tensor | TensorLike;

function optionalWeights(weights: Input | null | undefined, functionName: string): Tensor | null {
  return weights == null ? null : convertToTensor(weights, 'weights', functionName);
}

function assertShapesMatch(a: Tensor, b: Tensor, functionName: string): void {
  if (!shapesEqual(a.shape, b.shape)) throw new Error(`Error in ${functionName}: Shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} must match`);
}

/** The labels and predictions of a loss as tensors of one shape, and its weights. */
function lossInputs(
  labels: Input,
  predictions: Input,
  weights: Input | null | undefined,
  functionName: string,
  labelsName = 'labels',
  predictionsName = 'predictions',
) {
  const $labels = convertToTensor(labels, labelsName, functionName);
  const $predictions = convertToTensor(predictions, predictionsName, functionName);
  const $weights = optionalWeights(weights, functionName);
  assertShapesMatch($labels, $predictions, functionName);
  return { labels: $labels, predictions: $predictions, weights: $weights };
}

/**
 * Weights `losses` (broadcasting `weights` against them) and reduces them as `reduction` says.
 *
 *     tf.losses.computeWeightedLoss(tf.tensor1d([1, 2, 3]), tf.tensor1d([1, 0, 1]));  // (1 + 3) / 2 = 2
 */
export function computeWeightedLoss(losses: Input, weights?: Input | null, reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const $losses = convertToTensor(losses, 'losses', 'computeWeightedLoss');
  const $weights = optionalWeights(weights, 'computeWeightedLoss');
  const weighted = $weights === null ? $losses : mul($losses, $weights);
  switch (reduction) {
    case Reduction.NONE:
      return weighted;
    case Reduction.SUM:
      return sum(weighted);
    case Reduction.MEAN: {
      if ($weights === null) return mean(weighted);
      // NOTE: weights that broadcast over several losses each count once per loss they weigh
      const broadcastFactor = $losses.size / $weights.size;
      const result = div(sum(weighted), sum($weights));
      return broadcastFactor > 1 ? div(result, broadcastFactor) : result;
    }
    case Reduction.SUM_BY_NONZERO_WEIGHTS: {
      if ($weights === null) return div(sum(weighted), $losses.size);
      // weights broadcast to the losses' shape, then counted where not zero
      const nonZero = sum(notEqual(mul($weights, onesLike($losses)), 0));
      return div(sum(weighted), nonZero);
    }
    default:
      throw new Error(`Unknown reduction: ${reduction}`);
  }
}

/**
 * `|labels - predictions|`, weighted and reduced.
 *
 *     tf.losses.absoluteDifference(tf.tensor1d([1, 2]), tf.tensor1d([2, 4]));  // 1.5
 */
export function absoluteDifference(labels: Input, predictions: Input, weights?: Input | null, reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const x = lossInputs(labels, predictions, weights, 'absoluteDifference');
  return computeWeightedLoss(abs(sub(x.labels, x.predictions)), x.weights, reduction);
}

/**
 * `(labels - predictions)^2`, weighted and reduced.
 *
 *     tf.losses.meanSquaredError(tf.tensor1d([1, 2]), tf.tensor1d([2, 4]));  // 2.5
 */
export function meanSquaredError(labels: Input, predictions: Input, weights?: Input | null, reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const x = lossInputs(labels, predictions, weights, 'meanSquaredError');
  return computeWeightedLoss(square(sub(x.labels, x.predictions)), x.weights, reduction);
}

/**
 * Hinge loss for 0/1 labels: `max(0, 1 - (2 labels - 1) predictions)`, weighted and reduced.
 *
 *     tf.losses.hingeLoss(tf.tensor1d([1, 0]), tf.tensor1d([0.5, -2]));  // 0.25
 */
export function hingeLoss(labels: Input, predictions: Input, weights?: Input | null, reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const x = lossInputs(labels, predictions, weights, 'hingeLoss');
  const signs = sub(mul(x.labels, 2), 1);
  return computeWeightedLoss(relu(sub(1, mul(signs, x.predictions))), x.weights, reduction);
}

/**
 * Huber loss: `0.5 e^2` for `|e| <= delta`, `delta (|e| - 0.5 delta)` beyond, weighted and reduced.
 *
 *     tf.losses.huberLoss(tf.tensor1d([0]), tf.tensor1d([3]));  // 2.5
 */
export function huberLoss(
  labels: Input,
  predictions: Input,
  weights?: Input | null,
  delta = 1.0,
  reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const x = lossInputs(labels, predictions, weights, 'huberLoss');
  const error = abs(sub(x.predictions, x.labels));
  const quadratic = minimum(error, delta);
  const linear = sub(error, quadratic);
  return computeWeightedLoss(add(mul(square(quadratic), 0.5), mul(linear, delta)), x.weights, reduction);
}

/**
 * Log loss of probabilities: `-labels log(p + eps) - (1 - labels) log(1 - p + eps)`, weighted and reduced.
 *
 *     tf.losses.logLoss(tf.tensor1d([1, 0]), tf.tensor1d([0.9, 0.2]));  // 0.1643
 */
export function logLoss(
  labels: Input,
  predictions: Input,
  weights?: Input | null,
  epsilon = 1e-7,
  reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const x = lossInputs(labels, predictions, weights, 'logLoss');
  const positive = mul(x.labels, log(add(x.predictions, epsilon)));
  const negative = mul(sub(1, x.labels), log(add(sub(1, x.predictions), epsilon)));
  return computeWeightedLoss(neg(add(positive, negative)), x.weights, reduction);
}

/**
 * Cosine distance of (unit) vectors along `axis`: `1 - sum(labels * predictions, axis)`, keeping the axis,
 * weighted and reduced.
 *
 *     tf.losses.cosineDistance(tf.tensor2d([[0, 1]]), tf.tensor2d([[0.6, 0.8]]), 1);  // 0.2
 */
export function cosineDistance(
  labels: Input,
  predictions: Input,
  axis: number,
  weights?: Input | null,
  reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const x = lossInputs(labels, predictions, weights, 'cosineDistance');
  return computeWeightedLoss(sub(1, sum(mul(x.labels, x.predictions), axis, true)), x.weights, reduction);
}

/**
 * Sigmoid crossentropy of logits against 0/1 labels of each class, with label smoothing
 * (`labels (1 - s) + 0.5 s`), weighted and reduced.
 *
 *     tf.losses.sigmoidCrossEntropy(tf.tensor1d([1, 0]), tf.tensor1d([2, -1]));
 */
export function sigmoidCrossEntropy(
  multiClassLabels: Input,
  logits: Input,
  weights?: Input | null,
  labelSmoothing = 0,
  reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const x = lossInputs(multiClassLabels, logits, weights, 'sigmoidCrossEntropy', 'multiClassLabels', 'logits');
  const labels = labelSmoothing > 0 ? add(mul(x.labels, 1 - labelSmoothing), 0.5 * labelSmoothing) : x.labels;
  return computeWeightedLoss(sigmoidCrossEntropyWithLogits(labels, x.predictions), x.weights, reduction);
}

/**
 * Softmax crossentropy of logits against one-hot labels over the last axis, with label smoothing
 * (`labels (1 - s) + s / numClasses`), weighted (one weight per sample) and reduced.
 *
 *     tf.losses.softmaxCrossEntropy(tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 3]]));  // 0.1269
 */
export function softmaxCrossEntropy(
  onehotLabels: Input,
  logits: Input,
  weights?: Input | null,
  labelSmoothing = 0,
  reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const x = lossInputs(onehotLabels, logits, weights, 'softmaxCrossEntropy', 'onehotLabels', 'logits');
  // NOTE: TF.js divides by the second dimension, the class count of [batch, classes] logits
  const labels = labelSmoothing > 0 ? add(mul(x.labels, 1 - labelSmoothing), labelSmoothing / x.labels.shape[1]) : x.labels;
  return computeWeightedLoss(softmaxCrossEntropyRows(labels, x.predictions), x.weights, reduction);
}
