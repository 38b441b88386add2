import { backend } from '../backend/registry.js';
import { takeBuffer } from '../tensor/buffer-pool.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * The rows `indices` of `x` along axis 0, in that order (repeats allowed): [N, ...rest] -> [M, ...rest].
 * For data preparation (splits, batches), so it copies values and records nothing for autograd.
 *
 *     gatherRows(tensor([[1, 2], [3, 4], [5, 6]]), [2, 0]);   // [[5, 6], [1, 2]]
 */
export function gatherRows(x: Tensor, indices: ArrayLike<number>): Tensor {
  if (x.rank === 0) throw new Error('gatherRows(): x is a scalar; it needs at least one axis to select rows from.');
  const n = x.shape[0];
  const rowSize = n === 0 ? 0 : x.size / n;
  // every element is written below, so a reused buffer need not be cleared first
  const out = takeBuffer(indices.length * rowSize, false);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (!Number.isInteger(r) || r < 0 || r >= n) {
      throw new Error(`gatherRows(): index ${r} at position ${i} is not a row of a tensor of shape ${formatShape(x.shape)} (valid: 0..${n - 1}).`);
    }
  }
  backend().gatherRows(x.values, rowSize, indices, out);
  return new Tensor(out, [indices.length, ...x.shape.slice(1)]);
}
