// TF.js' reductions on dendrite's: sum, mean, max, min, prod, argMax, argMin, any, all, moments and norm with
// TF.js' signatures and dtypes (sum and prod of bool or int32 give int32, mean gives float32, max and min keep the
// dtype, argMax and argMin give int32 and default to axis 0).
import * as ops from '../ops/index.js';
import { normalizeAxes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { abs, pow, square } from './arithmetic.js';
import { convertToTensor } from './convert.js';
import { type DataType, type TensorLike, withDtype } from './dtype.js';
import { sqrt } from './math.js';

type Arg = Tensor | TensorLike;
type Axis = number | number[] | null;

function sumDtype(dtype: DataType): DataType {
  return dtype === 'float32' ? 'float32' : 'int32';
}

/** tf.sum(x, axis = null, keepDims = false): int32 for int32 and bool inputs. */
export function sum(x: Arg, axis: Axis = null, keepDims = false): Tensor {
  const t = convertToTensor(x, 'x', 'sum');
  return withDtype(ops.sum(t, axis, keepDims), sumDtype(t.dtype));
}

/** tf.mean(x, axis = null, keepDims = false): float32. */
export function mean(x: Arg, axis: Axis = null, keepDims = false): Tensor {
  return ops.mean(convertToTensor(x, 'x', 'mean'), axis, keepDims);
}

/** tf.max(x, axis = null, keepDims = false): same dtype. */
export function max(x: Arg, axis: Axis = null, keepDims = false): Tensor {
  const t = convertToTensor(x, 'x', 'max');
  return withDtype(ops.max(t, axis, keepDims), t.dtype);
}

/** tf.min(x, axis = null, keepDims = false): same dtype. */
export function min(x: Arg, axis: Axis = null, keepDims = false): Tensor {
  const t = convertToTensor(x, 'x', 'min');
  return withDtype(ops.min(t, axis, keepDims), t.dtype);
}

/**
 * tf.prod(x, axis = null, keepDims = false): the product over the axes, int32 for int32 and bool inputs. Made of
 * dendrite's ops: the reduced axes are moved last and flattened, then halves multiply pairwise (log2(n) steps),
 * so the gradient is that of the products.
 */
export function prod(x: Arg, axis: Axis = null, keepDims = false): Tensor {
  const t = convertToTensor(x, 'x', 'prod');
  const axes = normalizeAxes(axis, t.rank);
  const kept = t.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const outShape = kept.map((i) => t.shape[i]);
  const n = axes.reduce((p, a) => p * t.shape[a], 1);
  let flat = ops.reshape(ops.transpose(t, [...kept, ...axes]), [...outShape, n]);
  while (flat.shape[flat.rank - 1] > 1) {
    const len = flat.shape[flat.rank - 1];
    const half = Math.floor(len / 2);
    const begin = new Array<number>(flat.rank).fill(0);
    const size = [...flat.shape.slice(0, -1), half];
    const products = ops.mul(ops.slice(flat, begin, size), ops.slice(flat, [...begin.slice(0, -1), half], size));
    flat = len % 2 === 0 ? products : ops.concat([products, ops.slice(flat, [...begin.slice(0, -1), len - 1], [...size.slice(0, -1), 1])], -1);
  }
  const result = n === 0 ? ops.add(ops.mul(ops.sum(flat, -1), 0), 1) : ops.reshape(flat, outShape);
  const shaped = keepDims
    ? ops.reshape(
        result,
        t.shape.map((d, i) => (axes.includes(i) ? 1 : d)),
      )
    : result;
  return withDtype(shaped, sumDtype(t.dtype));
}

/** tf.argMax(x, axis = 0): int32 indices of the largest values (the first on a tie). */
export function argMax(x: Arg, axis = 0): Tensor {
  return withDtype(ops.argMax(convertToTensor(x, 'x', 'argMax'), axis), 'int32');
}

/** tf.argMin(x, axis = 0): int32 indices of the smallest values. */
export function argMin(x: Arg, axis = 0): Tensor {
  return withDtype(ops.argMin(convertToTensor(x, 'x', 'argMin'), axis), 'int32');
}

/** tf.any(x, axis = null, keepDims = false): bool in, bool out. */
export function any(x: Arg, axis: Axis = null, keepDims = false): Tensor {
  const t = convertToTensor(x, 'x', 'any', 'bool');
  return withDtype(ops.max(ops.notEqual(t, 0), axis, keepDims), 'bool');
}

/** tf.all(x, axis = null, keepDims = false): bool in, bool out. */
export function all(x: Arg, axis: Axis = null, keepDims = false): Tensor {
  const t = convertToTensor(x, 'x', 'all', 'bool');
  return withDtype(ops.min(ops.notEqual(t, 0), axis, keepDims), 'bool');
}

/** tf.moments(x, axis = null, keepDims = false): `{ mean, variance }` (biased), float32. */
export function moments(x: Arg, axis: Axis = null, keepDims = false): { mean: Tensor; variance: Tensor } {
  return ops.moments(convertToTensor(x, 'x', 'moments'), axis, keepDims);
}

type Ord = number | 'euclidean' | 'fro';

function normImpl(x: Tensor, p: Ord, axis: Axis): Tensor {
  if (x.rank === 0) return abs(x);
  if (x.rank !== 1 && axis === null) return normImpl(withDtype(ops.reshape(x, [-1]), x.dtype), p, axis);
  if (x.rank === 1 || typeof axis === 'number' || (Array.isArray(axis) && axis.length === 1)) {
    if (p === 1) return sum(abs(x), axis);
    if (p === Number.POSITIVE_INFINITY) return max(abs(x), axis);
    if (p === Number.NEGATIVE_INFINITY) return min(abs(x), axis);
    if (p === 'euclidean' || p === 2) return sqrt(sum(pow(abs(x), new Tensor(Float32Array.of(2), [], 'int32')), axis));
    throw new Error(`Error in norm: invalid ord value: ${p}`);
  }
  if (Array.isArray(axis) && axis.length === 2) {
    if (p === 1) return max(sum(abs(x), axis[0]), axis[1] - 1);
    if (p === Number.POSITIVE_INFINITY) return max(sum(abs(x), axis[1]), axis[0]);
    if (p === Number.NEGATIVE_INFINITY) return min(sum(abs(x), axis[1]), axis[0]);
    if (p === 'fro' || p === 'euclidean') return sqrt(sum(square(x), axis));
    throw new Error(`Error in norm: invalid ord value: ${p}`);
  }
  throw new Error(`Error in norm: invalid axis: ${axis}`);
}

/**
 * tf.norm(x, ord = 'euclidean', axis = null, keepDims = false): a vector norm (ord 1, 2 / 'euclidean', ±Infinity)
 * over one axis or all, or a matrix norm (ord 1, ±Infinity, 'fro' / 'euclidean') over two axes, composed as
 * TF.js composes it (so a euclidean norm of an int32 tensor is refused by sqrt, as in TF.js).
 */
export function norm(x: Arg, ord: Ord = 'euclidean', axis: Axis = null, keepDims = false): Tensor {
  const t = convertToTensor(x, 'x', 'norm');
  const n = normImpl(t, ord, axis);
  if (!keepDims) return n;
  const axes = normalizeAxes(axis, t.rank);
  return withDtype(
    ops.reshape(
      n,
      t.shape.map((d, i) => (axes.includes(i) ? 1 : d)),
    ),
    n.dtype,
  );
}
