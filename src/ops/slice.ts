import { backend } from '../backend/registry.js';
import { formatShape, normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { allocate, record } from './op.js';

/**
 * The box of `x` starting at `begin` with extent `size` (-1: to the end), as TensorFlow.js `tf.slice`.
 *
 *     slice(x, [0, 1], [2, -1]);  // rows 0..1, columns 1..end
 */
export function slice(x: Tensor, begin: readonly number[] | number, size?: readonly number[] | number): Tensor {
  const b = typeof begin === 'number' ? [begin] : [...begin];
  const s = size === undefined ? [] : typeof size === 'number' ? [size] : [...size];
  const start: number[] = [];
  const extent: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    const bi = b[i] ?? 0;
    const si = s[i] === undefined || s[i] === -1 ? x.shape[i] - bi : s[i];
    if (!Number.isInteger(bi) || !Number.isInteger(si) || bi < 0 || si < 0 || bi + si > x.shape[i]) {
      throw new Error(`slice(): begin ${JSON.stringify(b)} and size ${JSON.stringify(s)} do not fit in a tensor of shape ${formatShape(x.shape)} (axis ${i}).`);
    }
    start.push(bi);
    extent.push(si);
  }
  const out = allocate(extent);
  backend().copyRegion(x.values, x.shape, start, out.values, extent, new Array(x.rank).fill(0), extent);
  return record(out, 'slice', [x], (dy) => [
    pad(
      dy,
      start.map((p, i) => [p, x.shape[i] - p - extent[i]]),
    ),
  ]);
}

/**
 * Pads with `value` (default 0): `paddings[i] = [before, after]` for axis i.
 *
 *     pad(image, [[0, 0], [1, 1], [1, 1], [0, 0]]);  // one zero pixel around an NHWC image
 */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  if (paddings.length !== x.rank) throw new Error(`pad(): need ${x.rank} [before, after] pairs for shape ${formatShape(x.shape)}, got ${paddings.length}.`);
  for (const [i, [before, after]] of paddings.entries()) {
    if (!Number.isInteger(before) || !Number.isInteger(after) || before < 0 || after < 0) {
      throw new Error(`pad(): paddings must be non-negative integers, got [${before}, ${after}] for axis ${i}.`);
    }
  }
  const shape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const out = allocate(shape);
  if (value !== 0) out.values.fill(value);
  const begin = paddings.map((p) => p[0]);
  backend().copyRegion(x.values, x.shape, new Array(x.rank).fill(0), out.values, shape, begin, x.shape);
  return record(out, 'pad', [x], (dy) => [slice(dy, begin, x.shape)]);
}

/**
 * Joins tensors along `axis`; all other dimensions must agree.
 *
 *     concat([a, b], 1);
 */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new Error('concat(): needs at least one tensor.');
  const rank = xs[0].rank;
  const a = normalizeAxis(axis, rank);
  for (const [k, t] of xs.entries()) {
    if (t.rank !== rank || t.shape.some((d, i) => i !== a && d !== xs[0].shape[i])) {
      throw new Error(`concat(): tensor ${k} has shape ${formatShape(t.shape)}, which does not match ${formatShape(xs[0].shape)} outside axis ${axis}.`);
    }
  }
  const shape = [...xs[0].shape];
  shape[a] = xs.reduce((n, t) => n + t.shape[a], 0);
  const out = allocate(shape);
  const begins: number[] = [];
  let offset = 0;
  for (const t of xs) {
    const dst = new Array<number>(rank).fill(0);
    dst[a] = offset;
    begins.push(offset);
    backend().copyRegion(t.values, t.shape, new Array(rank).fill(0), out.values, shape, dst, t.shape);
    offset += t.shape[a];
  }
  return record(out, 'concat', xs, (dy, needs) =>
    xs.map((t, k) => {
      if (!needs[k]) return null;
      const begin = new Array<number>(rank).fill(0);
      begin[a] = begins[k];
      return slice(dy, begin, t.shape);
    }),
  );
}
