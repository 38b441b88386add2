import { toTensor, type TensorLike } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, greater, minimum, mul, neg, sub } from './binary.js';
import { clipByValue } from './clip.js';
import { abs, erf, exp, log, relu, sigmoid, tanh } from './unary.js';
import { where } from './where.js';
import { record } from './op.js';
import { noGrad } from '../autograd/mode.js';

// Activations built from primitive ops: their gradients come from the primitives' and need no code here.

/** x where x > 0, alpha * x elsewhere (Keras default alpha 0.3; TF.js 0.2). */
export function leakyRelu(x: TensorLike, alpha = 0.2): Tensor {
  const t = toTensor(x);
  return where(greater(t, 0), t, mul(t, alpha));
}

/** x where x > 0, alpha * (exp(x) - 1) elsewhere. */
export function elu(x: TensorLike, alpha = 1): Tensor {
  const t = toTensor(x);
  // NOTE: exp of min(x, 0), so the unused branch never overflows to inf (inf * 0 would poison the gradient).
  return where(greater(t, 0), t, mul(sub(exp(minimum(t, 0)), 1), alpha));
}

/** log(1 + exp(x)), stable for large |x|: relu(x) + log(1 + exp(-|x|)). */
export function softplus(x: TensorLike): Tensor {
  const t = toTensor(x);
  // NOTE: the composed form's own gradient is wrong at exactly 0 (relu'(0) = sign(0) = 0 gives 0, not
  // 1/2), so the exact derivative, sigmoid(x), is recorded instead.
  const out = noGrad(() => add(relu(t), log(add(exp(neg(abs(t))), 1))));
  return record(out, 'softplus', [t], (dy) => [mul(dy, sigmoid(t))]);
}

/**
 * Gaussian error linear unit. `approximate: true` is the tanh form (Keras `approximate=True`);
 * false is the exact 0.5 x (1 + erf(x / sqrt 2)).
 */
export function gelu(x: TensorLike, approximate = false): Tensor {
  const t = toTensor(x);
  if (approximate) {
    const inner = mul(add(t, mul(mul(mul(t, t), t), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(mul(t, 0.5), add(tanh(inner), 1));
  }
  return mul(mul(t, 0.5), add(erf(mul(t, Math.SQRT1_2)), 1));
}

/** x * sigmoid(x) (also called SiLU). */
export function swish(x: TensorLike): Tensor {
  const t = toTensor(x);
  return mul(t, sigmoid(t));
}

/** min(max(x, 0), 6): ReLU capped at 6 (MobileNet's activation). */
export function relu6(x: TensorLike): Tensor {
  return minimum(relu(x), 6);
}

/** SELU's constants (Klambauer et al. 2017), as Keras and TF.js use them. */
export const SELU_SCALE = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;

/** Scaled ELU: scale * x where x > 0, scale * alpha * (exp(x) - 1) elsewhere (self-normalising with lecunNormal weights). */
export function selu(x: TensorLike): Tensor {
  return mul(elu(x, SELU_ALPHA), SELU_SCALE);
}

/**
 * clip(0.2 x + 0.5, 0, 1): TF.js' and Keras 2's hard sigmoid. NOTE: Keras 3 changed its hard_sigmoid to
 * relu6(x + 3) / 6 (slope 1/6) under the same name; dendrite keeps TF.js' form, the one a TF.js model file means.
 */
export function hardSigmoid(x: TensorLike): Tensor {
  return clipByValue(add(mul(toTensor(x), 0.2), 0.5), 0, 1);
}

/** x / (1 + |x|). */
export function softsign(x: TensorLike): Tensor {
  const t = toTensor(x);
  return div(t, add(abs(t), 1));
}

/** x * tanh(softplus(x)) (Misra 2019). */
export function mish(x: TensorLike): Tensor {
  const t = toTensor(x);
  return mul(t, tanh(softplus(t)));
}

/** x where x > theta, 0 elsewhere (Keras `ThresholdedReLU`; note x itself, not x - theta). */
export function thresholdedRelu(x: TensorLike, theta = 1): Tensor {
  const t = toTensor(x);
  return where(greater(t, theta), t, 0);
}

/**
 * Parametric ReLU: x where x > 0, alpha * x elsewhere, with `alpha` a tensor that broadcasts against x (a
 * learned slope per feature or per channel, Keras `PReLU`). Both x and alpha get gradients.
 */
export function prelu(x: TensorLike, alpha: TensorLike): Tensor {
  const t = toTensor(x);
  return where(greater(t, 0), t, mul(t, alpha));
}

export interface GeneralReluOptions {
  /** Slope below the threshold (default 0). */
  negativeSlope?: number;
  /** The largest output (default none). */
  maxValue?: number | null;
  /** Inputs at or below it are damped (default 0). */
  threshold?: number;
}

/**
 * Keras' `relu(x, negative_slope, max_value, threshold)`, which its `ReLU` layer computes: x above
 * `threshold` (capped at `maxValue`), `negativeSlope * (x - threshold)` at or below it. With the defaults
 * it is `relu`; `{ maxValue: 6 }` is `relu6`.
 */
export function generalRelu(x: TensorLike, options: GeneralReluOptions = {}): Tensor {
  const t = toTensor(x);
  const { negativeSlope = 0, maxValue = null, threshold = 0 } = options;
  // the same steps as Keras' ReLU.static_call, so edge cases (a cap below the threshold) agree
  let y = threshold !== 0 ? where(greater(t, threshold), t, 0) : relu(t);
  if (maxValue !== null) y = clipByValue(y, 0, maxValue);
  if (negativeSlope !== 0) y = sub(y, mul(relu(sub(threshold, t)), negativeSlope));
  return y;
}
