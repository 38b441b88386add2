import { backend } from '../backend/registry.js';
import { tensor } from '../tensor/create.js';
import { formatShape, normalizeAxis, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { matmul } from './matmul.js';
import { oneHot } from './one-hot.js';
import { allocate, record } from './op.js';
import { reshape } from './reshape.js';

/**
 * The slices `indices` of `x` along `axis`, in that order (repeats allowed), as `tf.gather`: the output shape
 * is `x.shape[:axis] + indices.shape + x.shape[axis+1:]`.
 *
 *     gather(tensor([[1, 2], [3, 4], [5, 6]]), [2, 0]);       // [[5, 6], [1, 2]]
 *     gather(x, tensor([[0, 1], [1, 1]]), 1);                  // x [a, n, b] -> [a, 2, 2, b]
 */
export function gather(x: Tensor, indices: Tensor | ArrayLike<number>, axis = 0): Tensor {
  const a = normalizeAxis(axis, x.rank);
  const idx = indices instanceof Tensor ? indices.values : indices;
  const idxShape = indices instanceof Tensor ? [...indices.shape] : [idx.length];
  const n = x.shape[a];
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i];
    if (!Number.isInteger(r) || r < 0 || r >= n) {
      throw new Error(`gather(): index ${r} at position ${i} is outside axis ${axis} of a tensor of shape ${formatShape(x.shape)} (valid: 0..${n - 1}).`);
    }
  }
  const outer = sizeOf(x.shape.slice(0, a));
  const inner = sizeOf(x.shape.slice(a + 1));
  const m = idx.length;
  const out = allocate([...x.shape.slice(0, a), ...idxShape, ...x.shape.slice(a + 1)], false);
  // x as [outer, n, inner]: each outer block gathers its rows of `inner` values with the backend's row kernel
  for (let o = 0; o < outer; o++) {
    backend().gatherRows(x.values.subarray(o * n * inner, (o + 1) * n * inner), inner, idx, out.values.subarray(o * m * inner, (o + 1) * m * inner));
  }
  // NOTE: the gradient adds each slice of dy back where it came from (repeated indices add up): with P the
  // [m, n] one-hot matrix of the indices, dx = P^T dy per outer block, a matmul, so it is differentiable too.
  return record(out, 'gather', [x], (dy) => {
    const picks = oneHot(tensor(Float32Array.from(idx)), n);
    const dx = matmul(picks, reshape(dy, [outer, m, inner]), true, false);
    return [reshape(dx, x.shape)];
  });
}
