import { backend } from '../backend/registry.js';
import { noGrad } from '../autograd/mode.js';
import { formatShape, normalizeAxis, shapesEqual } from '../tensor/shape.js';
import { type Tensor, Variable } from '../tensor/tensor.js';
import { add, div, mul, sub } from './binary.js';
import { allocate, record } from './op.js';
import { max, sum } from './reduce.js';
import { reshape } from './reshape.js';
import { exp, log } from './unary.js';

// NOTE: subtracting the row maximum keeps exp() finite; the maximum is treated as a constant (it cancels
// out mathematically, so its gradient contribution is exactly zero).

function shifted(x: Tensor, axis: number): Tensor {
  const m = noGrad(() => max(x, axis, true));
  return sub(x, m);
}

/** The logits each last-axis softmax output was computed from (see `softmaxLogits`). */
const logitsOf = new WeakMap<Tensor, Tensor>();

/** exp(x) / sum(exp(x)) along `axis` (default: last), numerically stable. */
export function softmax(x: Tensor, axis = -1): Tensor {
  if (x.rank === 0 || normalizeAxis(axis, x.rank) !== x.rank - 1) {
    const e = exp(shifted(x, axis));
    return div(e, sum(e, axis, true));
  }
  // the last axis: one kernel over rows
  const cols = x.shape[x.rank - 1];
  const out = allocate(x.shape, false);
  backend().softmax(x.values, cols === 0 ? 0 : x.size / cols, cols, out.values);
  // a Variable can change in place later, so only plain tensors are remembered as logits
  if (!(x instanceof Variable)) logitsOf.set(out, x);
  // NOTE: d softmax: dx = y * (dy - sum(dy * y)) along the axis.
  return record(out, 'softmax', [x], (dy) => [mul(out, sub(dy, sum(mul(dy, out), -1, true)))]);
}

/**
 * The logits `x` when `probabilities` is `softmax(x)` over the last axis, else null. Crossentropy uses them
 * (as Keras does) to compute from logits: exact where probabilities round to 0, and one fused kernel.
 */
export function softmaxLogits(probabilities: Tensor): Tensor | null {
  return logitsOf.get(probabilities) ?? null;
}

/** log(softmax(x)) along `axis` (default: last), computed as x - max - log(sum(exp(x - max))) so it never takes log(0). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const z = shifted(x, axis);
  return sub(z, log(sum(exp(z), axis, true)));
}

/** log(sum(exp(x))) along `axis`, numerically stable. */
export function logSumExp(x: Tensor, axis = -1, keepDims = false): Tensor {
  const m = noGrad(() => max(x, axis, true));
  const out = add(log(sum(exp(sub(x, m)), axis, true)), m);
  return keepDims ? out : sum(out, axis, false);
}

/**
 * Crossentropy of `labels` against `softmax(logits)` over the last axis, per row: `-sum(labels *
 * logSoftmax(logits))`, shape `logits.shape` without its last axis. One kernel forward, one backward
 * (`softmax(logits) * sum(labels) - labels`), instead of a dozen small ops.
 *
 *     softmaxCrossEntropy(oneHot(classes, 10), logits);   // [N]
 */
export function softmaxCrossEntropy(labels: Tensor, logits: Tensor): Tensor {
  if (logits.rank === 0 || !shapesEqual(labels.shape, logits.shape)) {
    throw new Error(
      `softmaxCrossEntropy(): labels of shape ${formatShape(labels.shape)} and logits of shape ${formatShape(logits.shape)} must have the same shape, with a class axis last.`,
    );
  }
  const lead = logits.shape.slice(0, -1);
  const cols = logits.shape[logits.rank - 1];
  const rows = cols === 0 ? 0 : logits.size / cols;
  const probs = new Float32Array(logits.size);
  const out = allocate(lead);
  backend().softmaxCrossEntropy(logits.values, labels.values, rows, cols, probs, out.values);
  return record(out, 'softmaxCrossEntropy', [labels, logits], (dy, needs) => {
    let dLabels: Tensor | null = null;
    if (needs[0]) dLabels = mul(sub(0, logSoftmax(logits, -1)), reshape(dy, [...lead, 1]));
    let dLogits: Tensor | null = null;
    if (needs[1]) {
      dLogits = allocate(logits.shape, false);
      backend().softmaxCrossEntropyBackward(probs, labels.values, dy.values, rows, cols, dLogits.values);
    }
    return [dLabels, dLogits];
  });
}
