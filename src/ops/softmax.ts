import type { Tensor } from '../tensor/tensor.js';
import { add, div, sub } from './binary.js';
import { max, sum } from './reduce.js';
import { exp, log } from './unary.js';
import { noGrad } from '../autograd/mode.js';

// NOTE: subtracting the row maximum keeps exp() finite; the maximum is treated as a constant (it cancels
// out mathematically, so its gradient contribution is exactly zero).

function shifted(x: Tensor, axis: number): Tensor {
  const m = noGrad(() => max(x, axis, true));
  return sub(x, m);
}

/** exp(x) / sum(exp(x)) along `axis` (default: last), numerically stable. */
export function softmax(x: Tensor, axis = -1): Tensor {
  const e = exp(shifted(x, axis));
  return div(e, sum(e, axis, true));
}

/** log(softmax(x)) along `axis`, computed as x - max - log(sum(exp(x - max))) so it never takes log(0). */
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
