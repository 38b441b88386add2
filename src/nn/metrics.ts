import { noGrad } from '../autograd/mode.js';
import { equal, greater } from '../ops/binary.js';
import { argMax, mean } from '../ops/reduce.js';
import { reshape } from '../ops/reshape.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Loss } from './losses.js';
import { meanAbsoluteError as maeLoss, meanSquaredError as mseLoss } from './losses.js';
import { unknownNameMessage } from './suggest.js';

// Metrics are reported, never differentiated, so each runs under noGrad (no tape even when yPred is
// part of a training graph). Each returns the mean over the batch as a rank-0 tensor.

/** A metric as a model uses it: the name shown in logs and the function. */
export interface Metric {
  name: string;
  fn: (yTrue: Tensor, yPred: Tensor) => Tensor;
}

/** `yTrue` in the shape of `yPred`, allowing a missing trailing axis of 1 on either side (as in the losses). */
function sameShape(metric: string, yTrue: Tensor, yPred: Tensor): Tensor {
  if (shapesEqual(yTrue.shape, yPred.shape)) return yTrue;
  const strip = (s: readonly number[]) => (s.length > 0 && s[s.length - 1] === 1 ? s.slice(0, -1) : s);
  if (Math.abs(yTrue.rank - yPred.rank) === 1 && shapesEqual(strip(yTrue.shape), strip(yPred.shape))) return reshape(yTrue, yPred.shape);
  throw new Error(
    `${metric}: labels (yTrue) have shape ${formatShape(yTrue.shape)} but predictions (yPred) have shape ${formatShape(yPred.shape)}; they must match.`,
  );
}

/** The mean of every element, as a rank-0 tensor (per-sample means of equal-length rows average to the same). */
function meanAll(x: Tensor): Tensor {
  return x.rank === 0 ? x : mean(x);
}

/**
 * Fraction of entries where `yPred > threshold` agrees with the 0/1 label.
 *
 *     binaryAccuracy(tensor([[1], [0]]), tensor([[0.7], [0.6]]));  // 0.5
 */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  return noGrad(() => meanAll(equal(sameShape('binaryAccuracy', yTrue, yPred), greater(yPred, threshold))));
}

/**
 * Fraction of samples whose largest prediction is at the label's largest (one-hot) entry.
 *
 *     categoricalAccuracy(tensor([[0, 1], [1, 0]]), tensor([[0.2, 0.8], [0.3, 0.7]]));  // 0.5
 */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return noGrad(() => {
    if (yPred.rank === 0) throw new Error('categoricalAccuracy: predictions must have a class axis, got a scalar.');
    if (!shapesEqual(yTrue.shape, yPred.shape)) {
      throw new Error(
        `categoricalAccuracy: one-hot labels (yTrue) have shape ${formatShape(yTrue.shape)} but predictions have shape ${formatShape(yPred.shape)}; they must match. For class-index labels use 'sparseCategoricalAccuracy'.`,
      );
    }
    return meanAll(equal(argMax(yTrue, -1), argMax(yPred, -1)));
  });
}

/**
 * Fraction of samples whose largest prediction is at the integer class id (labels [N] or [N, 1]).
 *
 *     sparseCategoricalAccuracy(tensor([1, 0]), tensor([[0.2, 0.8], [0.3, 0.7]]));  // 0.5
 */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return noGrad(() => {
    if (yPred.rank === 0) throw new Error('sparseCategoricalAccuracy: predictions must have a class axis, got a scalar.');
    const lead = yPred.shape.slice(0, -1);
    if (!shapesEqual(yTrue.shape, lead) && !shapesEqual(yTrue.shape, [...lead, 1])) {
      throw new Error(
        `sparseCategoricalAccuracy: class-index labels (yTrue) must have shape ${formatShape(lead)} or ${formatShape([...lead, 1])} for predictions of shape ${formatShape(yPred.shape)}, got ${formatShape(yTrue.shape)}.`,
      );
    }
    return meanAll(equal(reshape(yTrue, lead), argMax(yPred, -1)));
  });
}

/** Mean squared error as a metric (same value as the loss, no gradient). */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  return noGrad(() => mseLoss(yTrue, yPred));
}

/** Mean absolute error as a metric (same value as the loss, no gradient). */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  return noGrad(() => maeLoss(yTrue, yPred));
}

type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * Keras' choice for 'accuracy': follow the crossentropy in use; otherwise binary for one output unit,
 * categorical for several (or sparse, when the labels turn out to be class ids).
 */
function accuracyFor(loss: Loss, outputUnits: number | undefined): MetricFn {
  switch (loss.lossName) {
    case 'binaryCrossentropy': {
      // NOTE: on logits the decision boundary sigmoid(x) = 0.5 is x = 0.
      const threshold = loss.fromLogits ? 0 : 0.5;
      return (t, p) => binaryAccuracy(t, p, threshold);
    }
    case 'categoricalCrossentropy':
      return categoricalAccuracy;
    case 'sparseCategoricalCrossentropy':
      return sparseCategoricalAccuracy;
  }
  const byShapes: MetricFn = (t, p) => {
    const units = outputUnits ?? (p.rank > 0 ? p.shape[p.rank - 1] : 1);
    if (units === 1) return binaryAccuracy(t, p);
    // Keras also spots class-id labels here: fewer axes than the predictions, or a last axis of 1.
    const sparse = t.rank < p.rank || (t.rank > 0 && t.shape[t.rank - 1] === 1);
    return sparse ? sparseCategoricalAccuracy(t, p) : categoricalAccuracy(t, p);
  };
  return byShapes;
}

/**
 * Every metric name `compile` accepts (TF.js names, Keras' short and snake_case spellings), each with the
 * function it stands for given the model's loss and output units: the one table that model files derive
 * their metric names from.
 */
const METRICS = {
  accuracy: accuracyFor,
  acc: accuracyFor,
  binaryAccuracy: () => (t, p) => binaryAccuracy(t, p),
  categoricalAccuracy: () => categoricalAccuracy,
  sparseCategoricalAccuracy: () => sparseCategoricalAccuracy,
  mse: () => meanSquaredError,
  mae: () => meanAbsoluteError,
  meanSquaredError: () => meanSquaredError,
  meanAbsoluteError: () => meanAbsoluteError,
  binary_accuracy: () => (t, p) => binaryAccuracy(t, p),
  categorical_accuracy: () => categoricalAccuracy,
  sparse_categorical_accuracy: () => sparseCategoricalAccuracy,
  mean_squared_error: () => meanSquaredError,
  mean_absolute_error: () => meanAbsoluteError,
} satisfies Record<string, (loss: Loss, outputUnits: number | undefined) => MetricFn>;

/** The metric names `compile` accepts. */
export type MetricName = keyof typeof METRICS;

/** What `compile({ metrics })` accepts: a name, or a function `(yTrue, yPred) => scalar`. */
export type MetricIdentifier = MetricName | MetricFn;

/** True when `name` is a metric name `compile` accepts (an own key: 'constructor' is none). */
export function isMetricName(name: unknown): name is MetricName {
  return typeof name === 'string' && Object.hasOwn(METRICS, name);
}

/**
 * Resolves a metric for a compiled model. `name` is what the user wrote, so logs show `accuracy`, `mse`...
 *
 *     getMetric('accuracy', getLoss('sparseCategoricalCrossentropy')).fn;  // sparseCategoricalAccuracy
 */
export function getMetric(id: MetricIdentifier, loss: Loss, outputUnits?: number): Metric {
  if (typeof id === 'function') return { name: id.name || 'metric', fn: id };
  if (!isMetricName(id)) throw new Error(unknownNameMessage('metric', String(id), Object.keys(METRICS)));
  return { name: id, fn: METRICS[id](loss, outputUnits) };
}
