import { backend } from '../backend/registry.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { allocate, record } from './op.js';

/**
 * Permutes the axes: `out.shape[i] = x.shape[perm[i]]` (default: reverse them).
 *
 *     transpose(x, [0, 2, 1]);  // swap the last two axes
 */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  const sorted = [...p].map((a) => (a < 0 ? a + x.rank : a)).sort((a, b) => a - b);
  if (p.length !== x.rank || sorted.some((a, i) => a !== i)) {
    throw new Error(`transpose(): perm ${JSON.stringify(p)} is not a permutation of the ${x.rank} axes of a tensor of shape ${formatShape(x.shape)}.`);
  }
  const perm0 = p.map((a) => (a < 0 ? a + x.rank : a));
  const out = allocate(
    perm0.map((a) => x.shape[a]),
    false,
  );
  backend().transpose(x.values, x.shape, perm0, out.values);
  const inverse = new Array<number>(x.rank);
  perm0.forEach((a, i) => {
    inverse[a] = i;
  });
  return record(out, 'transpose', [x], (dy) => [transpose(dy, inverse)]);
}
