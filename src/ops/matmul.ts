import { backend } from '../backend/registry.js';
import { broadcastShapes, formatShape, sizeOf, stridesOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { sumToShape } from './broadcast.js';
import { allocate, record } from './op.js';
import { reshape } from './reshape.js';

/** Offsets of each broadcast batch's matrix inside a tensor with batch dims `batch` and `matrixSize`. */
function batchOffsets(batch: readonly number[], outBatch: readonly number[], matrixSize: number): number[] {
  const count = sizeOf(outBatch);
  const strides = stridesOf(batch);
  const lead = outBatch.length - batch.length;
  const offsets = new Array<number>(count);
  for (let flat = 0; flat < count; flat++) {
    let rest = flat;
    let offset = 0;
    for (let i = outBatch.length - 1; i >= 0; i--) {
      const idx = rest % outBatch[i];
      rest = Math.floor(rest / outBatch[i]);
      const j = i - lead;
      if (j >= 0 && batch[j] !== 1) offset += idx * strides[j];
    }
    offsets[flat] = offset * matrixSize;
  }
  return offsets;
}

/**
 * Matrix product over the last two axes; leading (batch) axes broadcast like numpy.
 *
 *     matmul(a, b);                 // [m, k] . [k, n] -> [m, n]
 *     matmul(a, b, false, true);    // a . b^T
 */
export function matmul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  if (a.rank < 2 || b.rank < 2) {
    throw new Error(`matmul(): both inputs need rank >= 2, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} (use dot() for vectors).`);
  }
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const m = transposeA ? ac : ar;
  const k = transposeA ? ar : ac;
  const kb = transposeB ? bc : br;
  const n = transposeB ? br : bc;
  if (k !== kb) {
    throw new Error(
      `matmul(): inner dimensions differ: ${formatShape(a.shape)}${transposeA ? '^T' : ''} . ${formatShape(b.shape)}${transposeB ? '^T' : ''} (${k} vs ${kb}).`,
    );
  }
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const outBatch = broadcastShapes(aBatch, bBatch);
  const out = allocate([...outBatch, m, n], false);
  backend().matmul(a.values, b.values, out.values, {
    m,
    k,
    n,
    transposeA,
    transposeB,
    aOffsets: batchOffsets(aBatch, outBatch, ar * ac),
    bOffsets: batchOffsets(bBatch, outBatch, br * bc),
  });
  // NOTE: for C = op(A) op(B): d op(A) = dC op(B)^T and d op(B) = op(A)^T dC; the flags below fold the
  // transposes of op() into the products instead of materialising them.
  return record(out, 'matmul', [a, b], (dy, needs) => [
    needs[0] ? sumToShape(transposeA ? matmul(b, dy, transposeB, true) : matmul(dy, b, false, !transposeB), a.shape) : null,
    needs[1] ? sumToShape(transposeB ? matmul(dy, a, true, transposeA) : matmul(a, dy, !transposeA, false), b.shape) : null,
  ]);
}

/**
 * Dot product of vectors, matrix-vector or matrix-matrix product (ranks 1 and 2), like `tf.dot`.
 *
 *     dot(tensor([1, 2]), tensor([3, 4]));  // 11
 */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.rank < 1 || a.rank > 2 || b.rank < 1 || b.rank > 2) {
    throw new Error(`dot(): inputs must have rank 1 or 2, got ${formatShape(a.shape)} and ${formatShape(b.shape)}.`);
  }
  const a2 = a.rank === 1 ? reshape(a, [1, a.shape[0]]) : a;
  const b2 = b.rank === 1 ? reshape(b, [b.shape[0], 1]) : b;
  const out = matmul(a2, b2);
  const shape = [...(a.rank === 2 ? [a.shape[0]] : []), ...(b.rank === 2 ? [b.shape[1]] : [])];
  return reshape(out, shape);
}
