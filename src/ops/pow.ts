// a ** b. Apart from the other binary ops because its gradient takes a logarithm: unary.ts builds its
// gradients from binary.ts, so binary.ts cannot import unary.ts back.
import { toTensor, type TensorLike } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { binaryOp, equal, greater, mul, sub } from './binary.js';
import { log } from './unary.js';
import { where } from './where.js';

/** a ** b (elementwise), with numpy broadcasting. The gradient for b is taken as 0 where a <= 0 (as TensorFlow). */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const ta = toTensor(a);
  const tb = toTensor(b);
  // NOTE: d/da = b a^(b-1) is 0 where b = 0 (a^(b-1) alone would give 0 * inf = NaN at a = 0), and
  // d/db = a^b log(a) is masked to 0 where a <= 0 (log(0) = -inf would give 0 * -inf = NaN at a = 0).
  const out: Tensor = binaryOp('pow', ta, tb, (dy, needs) => [
    needs[0] ? mul(dy, where(equal(tb, 0), 0, mul(tb, pow(ta, sub(tb, 1))))) : null,
    needs[1] ? mul(dy, mul(out, where(greater(ta, 0), log(ta), 0))) : null,
  ]);
  return out;
}
