import { toTensor, type TensorLike } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, greater, minimum, mul, neg, sub } from './binary.js';
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
