import { backend } from '../backend/registry.js';
import { normalizeAxes, normalizeAxis, reducedShape, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, equal, mul } from './binary.js';
import { broadcastTo } from './broadcast.js';
import { allocate, record } from './op.js';
import { reshape } from './reshape.js';

/** An axis argument: one axis, a list, or null/undefined for all axes. Negative axes count from the end. */
export type Axis = number | readonly number[] | null | undefined;

function reduceKernel(kernel: 'sum' | 'max' | 'min', x: Tensor, axis: Axis, keepDims: boolean): { out: Tensor; keepShape: number[] } {
  const axes = normalizeAxes(axis, x.rank);
  const out = allocate(reducedShape(x.shape, axes, keepDims));
  backend().reduce(kernel, x.values, x.shape, axes, out.values);
  return { out, keepShape: reducedShape(x.shape, axes, true) };
}

/**
 * Sum over `axis` (all axes by default).
 *
 *     sum(tensor([[1, 2], [3, 4]]), 1);  // [3, 7]
 */
export function sum(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const { out, keepShape } = reduceKernel('sum', x, axis, keepDims);
  return record(out, 'sum', [x], (dy) => [broadcastTo(reshape(dy, keepShape), x.shape)]);
}

/** Mean over `axis` (all axes by default). */
export function mean(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normalizeAxes(axis, x.rank);
  const count = sizeOf(axes.map((a) => x.shape[a]));
  return div(sum(x, axes, keepDims), count);
}

function extremum(kernel: 'max' | 'min', x: Tensor, axis: Axis, keepDims: boolean): Tensor {
  const { out, keepShape } = reduceKernel(kernel, x, axis, keepDims);
  // NOTE: like TensorFlow, ties share the gradient equally.
  return record(out, kernel, [x], (dy) => {
    const hits = equal(x, reshape(out, keepShape));
    const count = sum(hits, normalizeAxes(axis, x.rank), true);
    return [mul(div(hits, count), reshape(dy, keepShape))];
  });
}

/** Largest value over `axis` (all axes by default). */
export function max(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  return extremum('max', x, axis, keepDims);
}

/** Smallest value over `axis` (all axes by default). */
export function min(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  return extremum('min', x, axis, keepDims);
}

function argReduce(kernel: 'argMax' | 'argMin', x: Tensor, axis: number): Tensor {
  const a = normalizeAxis(axis, x.rank);
  if (x.shape[a] === 0) throw new Error(`${kernel}(): axis ${axis} has size 0.`);
  const out = allocate(reducedShape(x.shape, [a], false));
  backend().argReduce(kernel, x.values, x.shape, a, out.values);
  return out;
}

/** Index of the largest value along `axis` (default: last), as float32 integers; first index on ties. */
export function argMax(x: Tensor, axis = -1): Tensor {
  return argReduce('argMax', x, axis);
}

/** Index of the smallest value along `axis` (default: last). */
export function argMin(x: Tensor, axis = -1): Tensor {
  return argReduce('argMin', x, axis);
}
