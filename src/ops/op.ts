import { isGradEnabled } from '../autograd/mode.js';
import { takeBuffer } from '../tensor/buffer-pool.js';
import { sizeOf, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * The vector-Jacobian product of an op: given the gradient of the output, the gradient of each input
 * (`null` where none flows). `needs[i]` says whether input i wants a gradient, so costly unused ones
 * can be skipped.
 */
export type Backward = (dy: Tensor, needs: readonly boolean[]) => (Tensor | null)[];

/**
 * A new tensor of `shape` for a kernel to write into, over memory that training may reuse (see
 * tensor/buffer-pool.ts). Zeroed unless `zeroed` is false, which is for kernels that write every element.
 */
export function allocate(shape: Shape, zeroed = true): Tensor {
  return new Tensor(takeBuffer(sizeOf(shape), zeroed), shape);
}

/**
 * Records `out` on the tape when gradients are on and any input wants one. Every differentiable op
 * calls this right after its forward computation, with its backward beside it.
 */
export function record(out: Tensor, op: string, inputs: readonly Tensor[], backward: Backward): Tensor {
  if (!isGradEnabled()) return out;
  const needs = inputs.map((t) => t.requiresGrad);
  if (!needs.includes(true)) return out;
  out.requiresGrad = true;
  out.gradFn = { op, inputs, backward: (dy) => backward(dy, needs) };
  return out;
}
