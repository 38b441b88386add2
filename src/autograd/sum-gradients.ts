// Adding up the gradients that reach one tensor along several paths. The tape runs the backend's add kernel
// itself, as TF.js's engine does, rather than the `add` op: every op records onto this tape (ops/op.ts reads
// the grad mode), so the tape importing ops would make the two a cycle. Gradients are summed with recording
// off, so nothing of the op but its kernel call would run anyway.
import { backend } from '../backend/registry.js';
import { takeBuffer } from '../tensor/buffer-pool.js';
import { broadcastShapes, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** a + b, broadcast as `add` does, in a buffer from the training pool like an op's output. */
export function sumGradients(a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(a.shape, b.shape);
  const out = new Tensor(takeBuffer(sizeOf(shape), false), shape);
  backend().binary('add', a.values, a.shape, b.values, b.shape, out.values, shape);
  return out;
}
