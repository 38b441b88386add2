import { backend } from '../backend/registry.js';
import { broadcastShapes, formatShape, shapesEqual, type Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { allocate, record } from './op.js';

// -0 is IEEE addition's exact identity (x + -0 === x, -0 included); +0 would turn -0 into 0.
const IDENTITY = Float32Array.of(-0);

/** Repeats `x` along its size-1 (or missing leading) axes to `shape`. Gradient: sum back. */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const target = broadcastShapes(x.shape, shape);
  if (!shapesEqual(target, shape)) throw new Error(`broadcastTo(): cannot broadcast ${formatShape(x.shape)} to ${formatShape(shape)}.`);
  const out = allocate(shape);
  backend().binary('add', x.values, x.shape, IDENTITY, [], out.values, shape);
  return record(out, 'broadcastTo', [x], (dy) => [sumToShape(dy, x.shape)]);
}

/**
 * Sums `x` over the axes that broadcasting stretched, so that the result has `shape`: the adjoint of
 * broadcasting, used by every binary op's gradient.
 */
export function sumToShape(x: Tensor, shape: Shape): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const lead = x.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && x.shape[i] !== 1)) axes.push(i);
  }
  const out = allocate(shape);
  backend().reduce('sum', x.values, x.shape, axes, out.values);
  return record(out, 'sumToShape', [x], (dy) => [broadcastTo(dy, x.shape)]);
}
