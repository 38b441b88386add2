import { add, div, greaterEqual, mul, neg, square, sub } from '../ops/binary.js';
import { clipByValue } from '../ops/clip.js';
import { oneHot } from '../ops/one-hot.js';
import { mean, sum } from '../ops/reduce.js';
import { reshape } from '../ops/reshape.js';
import { softmaxCrossEntropy, softmaxLogits } from '../ops/softmax.js';
import { abs, exp, log } from '../ops/unary.js';
import { where } from '../ops/where.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { didYouMean } from './suggest.js';

// Keras semantics throughout: each sample's loss is the mean over the last axis (MSE, MAE, Huber, BCE) or
// the sum over classes (CCE), and the result is the mean over all samples (reduction
// 'sum_over_batch_size'). Every loss is composed from differentiable ops, so gradients come for free.

/** Keras' `epsilon()`: probabilities are clipped to [EPSILON, 1 - EPSILON] before taking logs. */
const EPSILON = 1e-7;

/** The canonical (TF.js) loss names. */
export type LossName = 'meanSquaredError' | 'meanAbsoluteError' | 'huber' | 'binaryCrossentropy' | 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy';

/** Anything `getLoss` accepts as a name: the canonical names and their Keras aliases. */
export type LossIdentifier =
  | LossName
  | 'mse'
  | 'mae'
  | 'mean_squared_error'
  | 'mean_absolute_error'
  | 'huber_loss'
  | 'binary_crossentropy'
  | 'categorical_crossentropy'
  | 'sparse_categorical_crossentropy';

/** A loss function with the facts a model needs about it (to pick the right accuracy, for instance). */
export interface Loss {
  (yTrue: Tensor, yPred: Tensor): Tensor;
  readonly lossName: LossName | string;
  /** Whether `yPred` is expected to be logits rather than probabilities. */
  readonly fromLogits: boolean;
}

export interface CrossentropyOptions {
  /** `yPred` holds logits (no sigmoid / softmax applied); the loss then uses a numerically stable form. */
  fromLogits?: boolean;
  /** Moves the labels towards uniform: `y * (1 - s) + s / numClasses` (0.5 for binary). */
  labelSmoothing?: number;
}

/** Options `getLoss` passes on to the loss it builds. */
export interface LossOptions extends CrossentropyOptions {
  /** Huber's switch point between the quadratic and the linear part. */
  delta?: number;
}

/** Reduces the last axis (a scalar is its own per-sample value). */
function perSample(x: Tensor, how: 'mean' | 'sum'): Tensor {
  if (x.rank === 0) return x;
  return how === 'mean' ? mean(x, -1) : sum(x, -1);
}

/** The mean over every remaining (batch) axis, as a rank-0 tensor. */
function batchMean(x: Tensor): Tensor {
  return x.rank === 0 ? x : mean(x);
}

/**
 * Returns `yTrue` in the shape of `yPred`. Like Keras, a trailing axis of size 1 may be missing on either
 * side ([N] labels with [N, 1] predictions); anything else must match exactly, because silently
 * broadcasting [N] against [N, 1] to [N, N] is a classic source of wrong-but-plausible losses.
 */
function matchShapes(lossName: string, yTrue: Tensor, yPred: Tensor): Tensor {
  if (shapesEqual(yTrue.shape, yPred.shape)) return yTrue;
  const strip = (s: readonly number[]) => (s.length > 0 && s[s.length - 1] === 1 ? s.slice(0, -1) : s);
  if (Math.abs(yTrue.rank - yPred.rank) === 1 && shapesEqual(strip(yTrue.shape), strip(yPred.shape))) return reshape(yTrue, yPred.shape);
  throw new Error(`${lossName}: labels (yTrue) have shape ${formatShape(yTrue.shape)} but predictions (yPred) have shape ${formatShape(yPred.shape)}; they must match.${shapeHint(yTrue.shape, yPred.shape)}`);
}

/** A suggestion for the common label / output mismatches (axis 0 is the batch). */
function shapeHint(t: readonly number[], p: readonly number[]): string {
  const tLast = t[t.length - 1];
  const pLast = p[p.length - 1];
  if (t.length > 0 && p.length > 0 && t[0] !== p[0]) return ` The batch sizes differ (${t[0]} labels, ${p[0]} predictions).`;
  if (p.length === 2 && pLast > 1 && (t.length === 1 || (t.length === 2 && tLast === 1))) {
    return ` The labels look like class indices: use 'sparseCategoricalCrossentropy', or one-hot encode them with oneHot(labels, ${pLast}).`;
  }
  if (t.length === 2 && p.length === 2 && tLast > 1 && pLast === 1) {
    return ` The labels look one-hot with ${tLast} classes but the model has 1 output unit: give the last layer ${tLast} units with 'softmax' and use 'categoricalCrossentropy', or for two classes use 0/1 labels of shape [N, 1] with 'binaryCrossentropy'.`;
  }
  if (t.length === 2 && p.length === 2 && tLast > 1 && pLast > 1) return ` The labels have ${tLast} columns but the model outputs ${pLast} units: make the last layer's units ${tLast}.`;
  return '';
}

function checkSmoothing(s: number): number {
  if (!(s >= 0 && s <= 1)) throw new Error(`labelSmoothing must be in [0, 1], got ${s}.`);
  return s;
}

/**
 * Mean of (yTrue - yPred)^2 over the last axis, then over the batch.
 *
 *     meanSquaredError(tensor([[0, 1]]), tensor([[1, 1]]));  // 0.5
 */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  const t = matchShapes('meanSquaredError', yTrue, yPred);
  return batchMean(perSample(square(sub(yPred, t)), 'mean'));
}

/**
 * Mean of |yTrue - yPred| over the last axis, then over the batch.
 *
 *     meanAbsoluteError(tensor([[0, 1]]), tensor([[2, 1]]));  // 1
 */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  const t = matchShapes('meanAbsoluteError', yTrue, yPred);
  return batchMean(perSample(abs(sub(yPred, t)), 'mean'));
}

/**
 * Huber loss: 0.5 e^2 where |e| <= delta, delta (|e| - 0.5 delta) beyond; mean over the last axis.
 *
 *     huber(tensor([[0]]), tensor([[3]]), { delta: 1 });  // 2.5
 */
export function huber(yTrue: Tensor, yPred: Tensor, options: { delta?: number } = {}): Tensor {
  const delta = options.delta ?? 1;
  if (!(delta > 0)) throw new Error(`huber: delta must be positive, got ${delta}.`);
  const t = matchShapes('huber', yTrue, yPred);
  const e = sub(yPred, t);
  const a = abs(e);
  // NOTE: both branches are finite everywhere and agree in value and slope at |e| = delta.
  const loss = where(greaterEqual(delta, a), mul(square(e), 0.5), sub(mul(a, delta), 0.5 * delta * delta));
  return batchMean(perSample(loss, 'mean'));
}

/**
 * Binary crossentropy for independent 0/1 targets, mean over the last axis, then over the batch.
 *
 *     binaryCrossentropy(tensor([[1], [0]]), tensor([[0.9], [0.2]]));      // 0.1643
 *     binaryCrossentropy(labels, logits, { fromLogits: true });
 */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  const smoothing = checkSmoothing(options.labelSmoothing ?? 0);
  let z = matchShapes('binaryCrossentropy', yTrue, yPred);
  if (smoothing > 0) z = add(mul(z, 1 - smoothing), 0.5 * smoothing);
  let loss: Tensor;
  if (options.fromLogits) {
    // NOTE: max(x, 0) - x z + log(1 + exp(-|x|)) never overflows. relu and |x| are written with one `where`
    // on x >= 0 (as TensorFlow does) so the gradient at x = 0 is the true sigmoid(0) - z = 0.5 - z;
    // relu'(0) = sign(0) = 0 would give -z there, and zero-initialised output layers start exactly at 0.
    const x = yPred;
    const nonNegative = greaterEqual(x, 0);
    const reluX = where(nonNegative, x, 0);
    const minusAbsX = where(nonNegative, neg(x), x);
    loss = add(sub(reluX, mul(x, z)), log(add(exp(minusAbsX), 1)));
  } else {
    const p = clipByValue(yPred, EPSILON, 1 - EPSILON);
    loss = neg(add(mul(z, log(p)), mul(sub(1, z), log(sub(1, p)))));
  }
  return batchMean(perSample(loss, 'mean'));
}

/**
 * -sum(y log p) per sample from probabilities (rescaled to sum to 1, then clipped, as Keras) or logits.
 * Probabilities that are a softmax output are traced back to their logits, as Keras does: the fused
 * softmax + crossentropy is exact where a probability rounds to 0 and costs two kernels per step.
 */
function crossentropyPerSample(y: Tensor, yPred: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) return softmaxCrossEntropy(y, yPred);
  const logits = softmaxLogits(yPred);
  if (logits) return softmaxCrossEntropy(y, logits);
  const p = clipByValue(div(yPred, sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
  return neg(perSample(mul(y, log(p)), 'sum'));
}

/**
 * Crossentropy against one-hot (or soft) labels over the last axis, then the mean over the batch.
 *
 *     categoricalCrossentropy(tensor([[0, 1]]), tensor([[0.2, 0.8]]));  // -log(0.8) = 0.2231
 */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  const smoothing = checkSmoothing(options.labelSmoothing ?? 0);
  if (yPred.rank === 0) throw new Error('categoricalCrossentropy: predictions must have a class axis, got a scalar.');
  let y = matchShapes('categoricalCrossentropy', yTrue, yPred);
  if (smoothing > 0) y = add(mul(y, 1 - smoothing), smoothing / yPred.shape[yPred.rank - 1]);
  return batchMean(crossentropyPerSample(y, yPred, options.fromLogits ?? false));
}

/** Checks integer class ids in 0..numClasses-1 and one-hot encodes them (a constant: labels get no gradient). */
function sparseToOneHot(yTrue: Tensor, yPred: Tensor): Tensor {
  const name = 'sparseCategoricalCrossentropy';
  if (yPred.rank === 0) throw new Error(`${name}: predictions must have a class axis, got a scalar.`);
  const lead = yPred.shape.slice(0, -1);
  const numClasses = yPred.shape[yPred.rank - 1];
  if (!shapesEqual(yTrue.shape, lead) && !shapesEqual(yTrue.shape, [...lead, 1])) {
    const hint = shapesEqual(yTrue.shape, yPred.shape) && numClasses > 1 ? " The labels look one-hot: use 'categoricalCrossentropy', or pass class indices." : '';
    throw new Error(`${name}: labels (yTrue) must be class indices of shape ${formatShape(lead)} or ${formatShape([...lead, 1])} for predictions of shape ${formatShape(yPred.shape)}, got ${formatShape(yTrue.shape)}.${hint}`);
  }
  const v = yTrue.values;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
      const hint = numClasses === 1 ? " The model has 1 output unit: for 0/1 labels use 'binaryCrossentropy' with a sigmoid output." : '';
      throw new Error(`${name}: label ${c} in row ${i} is not an integer class id in 0..${numClasses - 1}.${hint}`);
    }
  }
  return oneHot(reshape(yTrue, lead), numClasses);
}

/**
 * Crossentropy against integer class ids (shape [N] or [N, 1]) for predictions of shape [N, C].
 *
 *     sparseCategoricalCrossentropy(tensor([1]), tensor([[0.2, 0.8]]));  // 0.2231
 */
export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: { fromLogits?: boolean } = {}): Tensor {
  return batchMean(crossentropyPerSample(sparseToOneHot(yTrue, yPred), yPred, options.fromLogits ?? false));
}

type BuiltIn = (yTrue: Tensor, yPred: Tensor, options: LossOptions) => Tensor;

const BUILT_IN: Record<LossName, BuiltIn> = {
  meanSquaredError: (t, p) => meanSquaredError(t, p),
  meanAbsoluteError: (t, p) => meanAbsoluteError(t, p),
  huber: (t, p, o) => huber(t, p, o),
  binaryCrossentropy: (t, p, o) => binaryCrossentropy(t, p, o),
  categoricalCrossentropy: (t, p, o) => categoricalCrossentropy(t, p, o),
  sparseCategoricalCrossentropy: (t, p, o) => sparseCategoricalCrossentropy(t, p, o),
};

const ALIASES: Record<LossIdentifier, LossName> = {
  meanSquaredError: 'meanSquaredError',
  meanAbsoluteError: 'meanAbsoluteError',
  huber: 'huber',
  binaryCrossentropy: 'binaryCrossentropy',
  categoricalCrossentropy: 'categoricalCrossentropy',
  sparseCategoricalCrossentropy: 'sparseCategoricalCrossentropy',
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  mean_squared_error: 'meanSquaredError',
  mean_absolute_error: 'meanAbsoluteError',
  huber_loss: 'huber',
  binary_crossentropy: 'binaryCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
};

/** Our exported functions, so that passing `losses.binaryCrossentropy` itself works like its name. */
const BY_FUNCTION = new Map<unknown, LossName>([
  [meanSquaredError, 'meanSquaredError'],
  [meanAbsoluteError, 'meanAbsoluteError'],
  [huber, 'huber'],
  [binaryCrossentropy, 'binaryCrossentropy'],
  [categoricalCrossentropy, 'categoricalCrossentropy'],
  [sparseCategoricalCrossentropy, 'sparseCategoricalCrossentropy'],
]);

function makeLoss(fn: (yTrue: Tensor, yPred: Tensor) => Tensor, lossName: string, fromLogits: boolean): Loss {
  const loss = (yTrue: Tensor, yPred: Tensor) => fn(yTrue, yPred);
  Object.defineProperties(loss, { lossName: { value: lossName }, fromLogits: { value: fromLogits } });
  return loss as Loss;
}

/** Rejects options the chosen loss would silently ignore (e.g. `fromLogits` with MSE is a mistake). */
function checkOptions(name: LossName, o: LossOptions): void {
  const crossentropy = name === 'binaryCrossentropy' || name === 'categoricalCrossentropy' || name === 'sparseCategoricalCrossentropy';
  if (o.fromLogits && !crossentropy) throw new Error(`Loss '${name}' has no fromLogits option; it applies to the crossentropy losses.`);
  if ((o.labelSmoothing ?? 0) !== 0 && name !== 'binaryCrossentropy' && name !== 'categoricalCrossentropy') {
    throw new Error(`Loss '${name}' has no labelSmoothing option; it applies to 'binaryCrossentropy' and 'categoricalCrossentropy'.`);
  }
  if (o.delta !== undefined && name !== 'huber') throw new Error(`Loss '${name}' has no delta option; it applies to 'huber'.`);
}

function isLoss(x: unknown): x is Loss {
  return typeof x === 'function' && typeof (x as Partial<Loss>).lossName === 'string' && typeof (x as Partial<Loss>).fromLogits === 'boolean';
}

/**
 * Resolves a loss name (TF.js camelCase or Keras snake_case), a `Loss`, or a plain function
 * `(yTrue, yPred) => scalar` to a `Loss`.
 *
 *     getLoss('binary_crossentropy', { fromLogits: true }).lossName;  // 'binaryCrossentropy'
 */
/** True for a loss named by a string, or given as one of the built-in loss functions. */
export function isBuiltInLossIdentifier(id: unknown): boolean {
  return (typeof id === 'string' && Object.hasOwn(ALIASES, id)) || (typeof id === 'function' && BY_FUNCTION.has(id));
}

export function getLoss(id: LossIdentifier | Loss | ((yTrue: Tensor, yPred: Tensor) => Tensor), options: LossOptions = {}): Loss {
  if (isLoss(id)) return id;
  if (typeof id === 'function') {
    const builtIn = BY_FUNCTION.get(id);
    if (builtIn) return getLoss(builtIn, options);
    return makeLoss(id, id.name || 'customLoss', options.fromLogits ?? false);
  }
  const name = Object.hasOwn(ALIASES, id) ? ALIASES[id] : undefined;
  if (!name) {
    const valid = Object.keys(ALIASES);
    const hint = didYouMean(String(id), valid);
    throw new Error(`Unknown loss '${String(id)}'${hint ? ` — ${hint}` : '.'} Valid losses: ${valid.map((n) => `'${n}'`).join(', ')}; or pass a function (yTrue, yPred) => Tensor.`);
  }
  checkOptions(name, options);
  const fn = BUILT_IN[name];
  const fixed = { ...options };
  return makeLoss((t, p) => fn(t, p, fixed), name, options.fromLogits ?? false);
}
