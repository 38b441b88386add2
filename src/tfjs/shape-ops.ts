// TF.js' shape and selection ops on dendrite's: reshape, transpose, expandDims, squeeze, slice, concat, stack,
// unstack, split, tile, pad, gather, where, oneHot and broadcastTo. They keep the input's dtype (concat stores every
// input in the first one's dtype, as TF.js' kernel does; where gives the upcast of its two branches) and stay
// differentiable for float32, since each is dendrite's op or a composition of them.
import * as ops from '../ops/index.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { convertToTensor, convertToTensorArray } from './convert.js';
import { computedAs, type DataType, storeComputed, type TensorLike, upcastType, withDtype } from './dtype.js';

type Arg = Tensor | TensorLike;

function fail(message: string): never {
  throw new Error(message);
}

function keep(out: Tensor, dtype: DataType): Tensor {
  return withDtype(out, dtype);
}

/** tf.reshape(x, shape): one dimension may be -1. */
export function reshape(x: Arg, shape: readonly number[]): Tensor {
  const t = convertToTensor(x, 'x', 'reshape');
  return keep(ops.reshape(t, shape), t.dtype);
}

/** tf.transpose(x, perm = reversed axes). */
export function transpose(x: Arg, perm?: readonly number[] | null): Tensor {
  const t = convertToTensor(x, 'x', 'transpose');
  const p = perm ?? t.shape.map((_, i) => i).reverse();
  if (t.rank !== p.length) fail(`Error in transpose: rank of input ${t.rank} must match length of perm ${p}.`);
  for (const a of p) if (!(a >= 0 && a < t.rank)) fail(`All entries in 'perm' must be between 0 and ${t.rank - 1} but got ${p}`);
  return keep(ops.transpose(t, p), t.dtype);
}

/** tf.expandDims(x, axis = 0). */
export function expandDims(x: Arg, axis = 0): Tensor {
  const t = convertToTensor(x, 'x', 'expandDims');
  if (!(axis <= t.rank)) fail('Axis must be <= rank of the tensor');
  return keep(ops.expandDims(t, axis), t.dtype);
}

/** tf.squeeze(x, axis?): removes the size-1 axes (all of them, or those listed). */
export function squeeze(x: Arg, axis?: number[]): Tensor {
  const t = convertToTensor(x, 'x', 'squeeze');
  for (const a of axis ?? []) {
    const i = normalizeAxis(a, t.rank);
    if (t.shape[i] !== 1) fail(`Can't squeeze axis ${i} since its dim '${t.shape[i]}' is not 1`);
  }
  return keep(ops.squeeze(t, axis), t.dtype);
}

/** tf.slice(x, begin, size?): `size` -1 (or left out) runs to the end of the axis. */
export function slice(x: Arg, begin: number | readonly number[], size?: number | readonly number[]): Tensor {
  const t = convertToTensor(x, 'x', 'slice');
  if (t.rank === 0) fail('Slicing scalar is not possible');
  return keep(ops.slice(t, begin, size), t.dtype);
}

/** tf.concat(tensors, axis = 0): the result has the first tensor's dtype (TF.js stores the others in it). */
export function concat(tensors: readonly Arg[], axis = 0): Tensor {
  if (!(tensors.length >= 1)) fail('Pass at least one tensor to concat');
  const ts = convertToTensorArray(tensors, 'tensors', 'concat');
  const dtype = ts[0].dtype;
  if (ts.length === 1) return keep(ops.reshape(ts[0], ts[0].shape), dtype);
  const out = ops.concat(ts, axis);
  return ts.every((t) => t.dtype === dtype) || dtype === 'float32' ? keep(out, dtype) : computedAs(out, dtype);
}

/** tf.stack(tensors, axis = 0): tensors of one shape and dtype along a new axis. */
export function stack(tensors: readonly Arg[], axis = 0): Tensor {
  const ts = convertToTensorArray(tensors, 'tensors', 'stack');
  if (!(ts.length >= 1)) fail('Pass at least one tensor to tf.stack');
  if (!(axis <= ts[0].rank)) fail('Axis must be <= rank of the tensor');
  for (const t of ts) {
    if (t.shape.length !== ts[0].shape.length || t.shape.some((d, i) => d !== ts[0].shape[i])) {
      fail(`All tensors passed to stack must have matching shapes Shapes ${ts[0].shape} and ${t.shape} must match`);
    }
    if (t.dtype !== ts[0].dtype) fail('All tensors passed to stack must have matching dtypes');
  }
  return keep(
    ops.concat(
      ts.map((t) => ops.expandDims(t, axis)),
      axis,
    ),
    ts[0].dtype,
  );
}

/** tf.unstack(x, axis = 0): the slices along an axis, that axis removed. */
export function unstack(x: Arg, axis = 0): Tensor[] {
  const t = convertToTensor(x, 'x', 'unstack');
  if (!(axis >= -t.rank && axis < t.rank)) fail(`Axis = ${axis} is not in [-${t.rank}, ${t.rank})`);
  const a = normalizeAxis(axis, t.rank);
  const size = t.shape.map((d, i) => (i === a ? 1 : d));
  const rest = t.shape.filter((_, i) => i !== a);
  return Array.from({ length: t.shape[a] }, (_, k) => {
    const begin = t.shape.map((_d, i) => (i === a ? k : 0));
    return keep(ops.reshape(ops.slice(t, begin, size), rest), t.dtype);
  });
}

/** tf.split(x, numOrSizeSplits, axis = 0): equal parts, or parts of the sizes given (one may be -1). */
export function split(x: Arg, numOrSizeSplits: number | readonly number[], axis = 0): Tensor[] {
  const t = convertToTensor(x, 'x', 'split');
  const a = normalizeAxis(axis, t.rank);
  const n = t.shape[a];
  let sizes: number[];
  if (typeof numOrSizeSplits === 'number') {
    if (n % numOrSizeSplits !== 0) fail('Number of splits must evenly divide the axis.');
    sizes = new Array<number>(numOrSizeSplits).fill(n / numOrSizeSplits);
  } else {
    sizes = [...numOrSizeSplits];
    if (sizes.filter((s) => s === -1).length > 1) fail('There should be only one negative value in split array.');
    const neg = sizes.indexOf(-1);
    if (neg !== -1) sizes[neg] = n - sizes.reduce((s, v) => (v > 0 ? s + v : s), 0);
    if (n !== sizes.reduce((s, v) => s + v, 0)) fail('The sum of sizes must match the size of the axis dimension.');
  }
  let offset = 0;
  return sizes.map((s) => {
    const begin = t.shape.map((_, i) => (i === a ? offset : 0));
    offset += s;
    return keep(
      ops.slice(
        t,
        begin,
        t.shape.map((d, i) => (i === a ? s : d)),
      ),
      t.dtype,
    );
  });
}

/** tf.broadcastTo(x, shape). */
export function broadcastTo(x: Arg, shape: readonly number[]): Tensor {
  const t = convertToTensor(x, 'x', 'broadcastTo');
  if (shape.length < t.rank) fail(`broadcastTo(): shape.length=${shape.length} < input.rank=${t.rank}.`);
  const lifted = ops.reshape(t, [...new Array<number>(shape.length - t.rank).fill(1), ...t.shape]);
  return keep(ops.broadcastTo(lifted, shape), t.dtype);
}

/** tf.tile(x, reps): x repeated reps[i] times along axis i (a broadcast of x with an axis of reps before each). */
export function tile(x: Arg, reps: readonly number[]): Tensor {
  const t = convertToTensor(x, 'x', 'tile');
  if (t.rank !== reps.length) fail(`Error in transpose: rank of input ${t.rank} must match length of reps ${reps}.`);
  const interleaved = t.shape.flatMap((d) => [1, d]);
  const target = t.shape.flatMap((d, i) => [reps[i], d]);
  const spread = ops.broadcastTo(ops.reshape(t, interleaved), target);
  return keep(
    ops.reshape(
      spread,
      t.shape.map((d, i) => d * reps[i]),
    ),
    t.dtype,
  );
}

/** tf.pad(x, paddings, constantValue = 0): `paddings[i] = [before, after]`; the value is stored in x's dtype. */
export function pad(x: Arg, paddings: readonly (readonly [number, number])[], constantValue = 0): Tensor {
  const t = convertToTensor(x, 'x', 'pad');
  if (t.rank === 0) fail('pad(scalar) is not defined. Pass non-scalar to pad');
  const value = Float32Array.of(constantValue);
  storeComputed(value, t.dtype);
  return keep(ops.pad(t, paddings, value[0]), t.dtype);
}

/**
 * tf.gather(x, indices, axis = 0, batchDims = 0): the slices of x at int32 `indices` along `axis`
 * (dendrite's `gather` op, differentiable). `batchDims` other than 0 is not supported.
 */
export function gather(x: Arg, indices: Arg, axis = 0, batchDims = 0): Tensor {
  const t = convertToTensor(x, 'x', 'gather');
  const idx = convertToTensor(indices, 'indices', 'gather', 'int32');
  if (batchDims !== 0) fail(`tf.gather(): batchDims ${batchDims} is not supported by dendrite/tfjs (only 0).`);
  const a = normalizeAxis(axis, t.rank);
  for (let i = 0; i < idx.size; i++) {
    const v = idx.values[i];
    if (v < 0 || v >= t.shape[a]) fail(`GatherV2: the index value ${v} is not in [0, ${t.shape[a] - 1}]`);
  }
  return keep(ops.gather(t, idx, a), t.dtype);
}

/** tf.where(condition, a, b): a where the bool condition holds, else b, all broadcast; the upcast dtype of a and b. */
export function where(condition: Arg, a: Arg, b: Arg): Tensor {
  const ta = convertToTensor(a, 'a', 'where');
  const tb = convertToTensor(b, 'b', 'where');
  const c = convertToTensor(condition, 'condition', 'where', 'bool');
  return keep(ops.where(c, ta, tb), upcastType(ta.dtype, tb.dtype));
}

/**
 * tf.oneHot(indices, depth, onValue = 1, offValue = 0, dtype = 'int32'): int32 indices; an index outside
 * [0, depth) gives a row of offValue, as in TF.js.
 */
export function oneHot(indices: Arg, depth: number, onValue = 1, offValue = 0, dtype: DataType = 'int32'): Tensor {
  if (depth < 2) fail(`Error in oneHot: depth must be >=2, but it is ${depth}`);
  const idx = convertToTensor(indices, 'indices', 'oneHot', 'int32');
  const valid = ops.mul(ops.greaterEqual(idx, 0), ops.less(idx, depth));
  const hot = ops.mul(ops.oneHot(ops.where(valid, idx, 0), depth), ops.expandDims(valid, -1));
  const out = ops.add(ops.mul(hot, onValue - offValue), offValue);
  return dtype === 'float32' ? out : computedAs(out, dtype);
}
