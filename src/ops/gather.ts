import { backend } from '../backend/registry.js';
import { formatShape, normalizeAxis, sizeOf, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { allocate, record } from './op.js';

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
  return record(out, 'gather', [x], (dy) => [scatterAdd(dy, indices, x.shape, a)]);
}

/**
 * The gradient of `gather`: zeros of `shape` with each slice of `dy` added back at its index along `axis`
 * (repeated indices add up), as TensorFlow's `unsortedSegmentSum`. It touches only the gathered rows, so an
 * embedding table's gradient costs the size of the batch, not of the table times the batch.
 */
function scatterAdd(dy: Tensor, indices: Tensor | ArrayLike<number>, shape: Shape, axis: number): Tensor {
  const idx = indices instanceof Tensor ? indices.values : indices;
  const n = shape[axis];
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const m = idx.length;
  const dx = allocate(shape);
  const [to, from] = [dx.values, dy.values];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < m; i++) {
      const src = (o * m + i) * inner;
      const dst = (o * n + idx[i]) * inner;
      for (let k = 0; k < inner; k++) to[dst + k] += from[src + k];
    }
  }
  // NOTE: linear in dy, and its adjoint is the gather itself, so the gradient is differentiable again.
  return record(dx, 'scatterAdd', [dy], (g) => [gather(g, indices, axis)]);
}
