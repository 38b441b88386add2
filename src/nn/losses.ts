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
import { batchLabelHint, classIdShapeHint, classIdValueHint, isClassId, type LabelKind } from './label-rules.js';
import { didYouMean } from './suggest.js';

// Keras semantics throughout: each sample's loss is the mean over the last axis (MSE, MAE, Huber, BCE) or
// the sum over classes (CCE), and the result is the mean over all samples (reduction
// 'sum_over_batch_size'). Every loss is composed from differentiable ops, so gradients come for free.

/** Keras' `epsilon()`: probabilities are clipped to [EPSILON, 1 - EPSILON] before taking logs. */
const EPSILON = 1e-7;

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
  // NOTE: only the longer shape loses its trailing 1: [1] labels against [1, 1] predictions (a last batch of
  // one sample) are the same case as [N] against [N, 1]
  const [longer, shorter] = yTrue.rank > yPred.rank ? [yTrue.shape, yPred.shape] : [yPred.shape, yTrue.shape];
  if (longer.length === shorter.length + 1 && longer[longer.length - 1] === 1 && shapesEqual(longer.slice(0, -1), shorter)) return reshape(yTrue, yPred.shape);
  throw new Error(
    `${lossName}: labels (yTrue) have shape ${formatShape(yTrue.shape)} but predictions (yPred) have shape ${formatShape(yPred.shape)}; they must match.${batchLabelHint(yTrue.shape, yPred.shape)}`,
  );
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
 * The crossentropy of each logit `x` against its 0/1 (or soft) label `z`, elementwise:
 * `-z log(sigmoid(x)) - (1 - z) log(1 - sigmoid(x))`, computed as `max(x, 0) - x z + log(1 + exp(-|x|))`.
 *
 *     sigmoidCrossEntropyWithLogits(tensor([1, 0]), tensor([0, 2]));  // [0.6931, 2.1269]
 */
export function sigmoidCrossEntropyWithLogits(z: Tensor, x: Tensor): Tensor {
  // NOTE: this form never overflows. relu and |x| are written with one `where` on x >= 0 (as TensorFlow does)
  // so the gradient at x = 0 is the true sigmoid(0) - z = 0.5 - z; relu'(0) = sign(0) = 0 would give -z there,
  // and zero-initialised output layers start exactly at 0.
  const nonNegative = greaterEqual(x, 0);
  const reluX = where(nonNegative, x, 0);
  const minusAbsX = where(nonNegative, neg(x), x);
  return add(sub(reluX, mul(x, z)), log(add(exp(minusAbsX), 1)));
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
    loss = sigmoidCrossEntropyWithLogits(z, yPred);
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
    throw new Error(
      `${name}: labels (yTrue) must be class indices of shape ${formatShape(lead)} or ${formatShape([...lead, 1])} for predictions of shape ${formatShape(yPred.shape)}, got ${formatShape(yTrue.shape)}.${classIdShapeHint(yTrue.shape, yPred.shape)}`,
    );
  }
  const v = yTrue.values;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (!isClassId(c, numClasses))
      throw new Error(`${name}: label ${c} in row ${i} is not an integer class id in 0..${numClasses - 1}.${classIdValueHint(numClasses)}`);
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

/** What dendrite knows of a built-in loss. */
interface LossEntry {
  /** The loss, given the options `getLoss` was given (only those in `options`). */
  readonly fn: (yTrue: Tensor, yPred: Tensor, options: LossOptions) => Tensor;
  /** The options it takes; any other set option is refused rather than silently ignored. */
  readonly options: readonly (keyof LossOptions)[];
  /** The labels it takes (label-rules.ts): fit and evaluate check the data against them before training. */
  readonly labels: LabelKind;
  /** Whether TF.js can compile a model with it (TF.js has no huber): a model file then gets a TF.js training config. */
  readonly tfjs: boolean;
}

/**
 * Every built-in loss, by its canonical (TF.js) name: the one table that `compile`, the label checks of `fit`
 * and the model files derive their names from. Model files write the name snake_case (`mean_squared_error`).
 */
export const LOSSES = {
  meanSquaredError: { fn: meanSquaredError, options: [], labels: 'values', tfjs: true },
  meanAbsoluteError: { fn: meanAbsoluteError, options: [], labels: 'values', tfjs: true },
  huber: { fn: huber, options: ['delta'], labels: 'values', tfjs: false },
  binaryCrossentropy: { fn: binaryCrossentropy, options: ['fromLogits', 'labelSmoothing'], labels: 'binary', tfjs: true },
  categoricalCrossentropy: { fn: categoricalCrossentropy, options: ['fromLogits', 'labelSmoothing'], labels: 'oneHot', tfjs: true },
  sparseCategoricalCrossentropy: { fn: sparseCategoricalCrossentropy, options: ['fromLogits'], labels: 'classIds', tfjs: true },
} as const satisfies Record<string, LossEntry>;

/** The canonical (TF.js) loss names. */
export type LossName = keyof typeof LOSSES;

/** Keras spellings accepted beside the canonical names. */
const LOSS_ALIASES = {
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  mean_squared_error: 'meanSquaredError',
  mean_absolute_error: 'meanAbsoluteError',
  huber_loss: 'huber',
  binary_crossentropy: 'binaryCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
} as const satisfies Record<string, LossName>;

/** Anything `getLoss` accepts as a name: the canonical names and their Keras aliases. */
export type LossIdentifier = LossName | keyof typeof LOSS_ALIASES;

/** True when `name` is a built-in loss's canonical name (an own key: 'constructor' is none). */
export function isLossName(name: unknown): name is LossName {
  return typeof name === 'string' && Object.hasOwn(LOSSES, name);
}

/** The canonical name a loss name or alias stands for, or undefined. */
function canonicalLossName(id: unknown): LossName | undefined {
  if (isLossName(id)) return id;
  return typeof id === 'string' && Object.hasOwn(LOSS_ALIASES, id) ? LOSS_ALIASES[id as keyof typeof LOSS_ALIASES] : undefined;
}

/** Our exported functions, so that passing `losses.binaryCrossentropy` itself works like its name. */
const BY_FUNCTION = new Map<unknown, LossName>(Object.entries(LOSSES).map(([name, entry]) => [entry.fn, name as LossName]));

function makeLoss(fn: (yTrue: Tensor, yPred: Tensor) => Tensor, lossName: string, fromLogits: boolean): Loss {
  const loss = (yTrue: Tensor, yPred: Tensor) => fn(yTrue, yPred);
  Object.defineProperties(loss, { lossName: { value: lossName }, fromLogits: { value: fromLogits } });
  return loss as Loss;
}

/** `'a'`, `'a' and 'b'`, `'a', 'b' and 'c'`. */
function quotedList(names: readonly string[]): string {
  const quoted = names.map((n) => `'${n}'`);
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

function takesOption(name: LossName, option: keyof LossOptions): boolean {
  const options: readonly (keyof LossOptions)[] = LOSSES[name].options;
  return options.includes(option);
}

/** The losses that take `option`, for messages: `'binaryCrossentropy' and 'categoricalCrossentropy'`. */
function lossesTaking(option: keyof LossOptions): string {
  return quotedList((Object.keys(LOSSES) as LossName[]).filter((name) => takesOption(name, option)));
}

/** Rejects options the chosen loss would silently ignore (e.g. `fromLogits` with MSE is a mistake). */
function checkOptions(name: LossName, o: LossOptions): void {
  // every loss that takes fromLogits is a crossentropy
  if (o.fromLogits && !takesOption(name, 'fromLogits')) throw new Error(`Loss '${name}' has no fromLogits option; it applies to the crossentropy losses.`);
  if ((o.labelSmoothing ?? 0) !== 0 && !takesOption(name, 'labelSmoothing')) {
    throw new Error(`Loss '${name}' has no labelSmoothing option; it applies to ${lossesTaking('labelSmoothing')}.`);
  }
  if (o.delta !== undefined && !takesOption(name, 'delta')) throw new Error(`Loss '${name}' has no delta option; it applies to ${lossesTaking('delta')}.`);
}

function isLoss(x: unknown): x is Loss {
  return typeof x === 'function' && typeof (x as Partial<Loss>).lossName === 'string' && typeof (x as Partial<Loss>).fromLogits === 'boolean';
}

/** True for a loss named by a string, or given as one of the built-in loss functions. */
export function isBuiltInLossIdentifier(id: unknown): boolean {
  return canonicalLossName(id) !== undefined || (typeof id === 'function' && BY_FUNCTION.has(id));
}

/**
 * Resolves a loss name (TF.js camelCase or Keras snake_case), a `Loss`, or a plain function
 * `(yTrue, yPred) => scalar` to a `Loss`.
 *
 *     getLoss('binary_crossentropy', { fromLogits: true }).lossName;  // 'binaryCrossentropy'
 */
export function getLoss(id: LossIdentifier | Loss | ((yTrue: Tensor, yPred: Tensor) => Tensor), options: LossOptions = {}): Loss {
  if (isLoss(id)) return id;
  if (typeof id === 'function') {
    const builtIn = BY_FUNCTION.get(id);
    if (builtIn) return getLoss(builtIn, options);
    return makeLoss(id, id.name || 'customLoss', options.fromLogits ?? false);
  }
  const name = canonicalLossName(id);
  if (!name) {
    const valid = [...Object.keys(LOSSES), ...Object.keys(LOSS_ALIASES)];
    const hint = didYouMean(String(id), valid);
    throw new Error(
      `Unknown loss '${String(id)}'${hint ? ` — ${hint}` : '.'} Valid losses: ${valid.map((n) => `'${n}'`).join(', ')}; or pass a function (yTrue, yPred) => Tensor.`,
    );
  }
  checkOptions(name, options);
  const fn: LossEntry['fn'] = LOSSES[name].fn;
  const fixed = { ...options };
  return makeLoss((t, p) => fn(t, p, fixed), name, options.fromLogits ?? false);
}
