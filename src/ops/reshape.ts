import { formatShape, normalizeAxis, sizeOf, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from './op.js';

/** The target shape with its one `-1` filled in. */
export function inferReshape(size: number, shape: Shape): number[] {
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw new Error(`reshape(): only one dimension can be -1, got ${formatShape(shape)}.`);
  for (const d of shape) {
    if (d !== -1 && (!Number.isInteger(d) || d < 0)) throw new Error(`reshape(): invalid dimension ${d} in ${formatShape(shape)}.`);
  }
  const known = sizeOf(shape.filter((d) => d !== -1));
  if (unknown === 1) {
    if (known === 0 || size % known !== 0) throw new Error(`reshape(): cannot reshape ${size} elements to ${formatShape(shape)}.`);
    return shape.map((d) => (d === -1 ? size / known : d));
  }
  if (known !== size) throw new Error(`reshape(): cannot reshape ${size} elements to ${formatShape(shape)} (${known} elements).`);
  return [...shape];
}

/**
 * Same values, new shape (row-major; one dimension may be -1). Shares memory with `x`.
 *
 *     reshape(tensor([1, 2, 3, 4]), [2, -1]);  // shape [2, 2]
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const target = inferReshape(x.size, shape);
  const out = new Tensor(x.values, target);
  return record(out, 'reshape', [x], (dy) => [reshape(dy, x.shape)]);
}

/** Collapses all axes after the first: [N, ...] -> [N, prod(...)]. */
export function flatten(x: Tensor): Tensor {
  return reshape(x, x.rank === 0 ? [1] : [x.shape[0], sizeOf(x.shape.slice(1))]);
}

/** Inserts a size-1 axis at `axis`. */
export function expandDims(x: Tensor, axis = 0): Tensor {
  const a = normalizeAxis(axis, x.rank + 1);
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/** Removes size-1 axes (all of them, or those listed). */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  const axes =
    axis === undefined
      ? x.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
      : (typeof axis === 'number' ? [axis] : axis).map((a) => normalizeAxis(a, x.rank));
  for (const a of axes) if (x.shape[a] !== 1) throw new Error(`squeeze(): axis ${a} has size ${x.shape[a]}, not 1.`);
  return reshape(
    x,
    x.shape.filter((_, i) => !axes.includes(i)),
  );
}
