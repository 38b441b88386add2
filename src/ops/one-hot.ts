import type { Tensor } from '../tensor/tensor.js';
import { allocate } from './op.js';

/**
 * One-hot encodes integer class indices: shape [...] -> [..., depth].
 *
 *     oneHot(tensor([0, 2]), 3);  // [[1, 0, 0], [0, 0, 1]]
 */
export function oneHot(indices: Tensor, depth: number): Tensor {
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`oneHot(): depth must be a positive integer, got ${depth}.`);
  const out = allocate([...indices.shape, depth]);
  for (let i = 0; i < indices.size; i++) {
    const c = indices.values[i];
    if (!Number.isInteger(c) || c < 0 || c >= depth) {
      throw new Error(`oneHot(): index ${c} at position ${i} is not an integer class in 0..${depth - 1}.`);
    }
    out.values[i * depth + c] = 1;
  }
  return out;
}
