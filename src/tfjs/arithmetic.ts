// TF.js' elementwise binary ops, comparisons and logical ops on dendrite's ops, with TF.js' dtypes: both
// arguments are converted as TF.js converts them (a plain number is float32), the result has the upcast dtype
// (bool < int32 < float32), `div` of two integer tensors is `floorDiv`, comparisons give bool, the logical ops
// take and give bool, and `maximum` / `minimum` of two bools give int32.
import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { convertToTensor } from './convert.js';
import { computedAs, type DataType, type TensorLike, upcastType, withDtype } from './dtype.js';

type Arg = Tensor | TensorLike;

function args(a: Arg, b: Arg, fn: string): [Tensor, Tensor, DataType] {
  const ta = convertToTensor(a, 'a', fn);
  const tb = convertToTensor(b, 'b', fn);
  return [ta, tb, upcastType(ta.dtype, tb.dtype)];
}

/** Runs a dendrite op and stores its result in `dtype` (exact integer results need no rounding, so `exact` skips it). */
function result(out: Tensor, dtype: DataType, exact: boolean): Tensor {
  return exact ? withDtype(out, dtype) : computedAs(out, dtype);
}

/** tf.add(a, b). */
export function add(a: Arg, b: Arg): Tensor {
  const [ta, tb, dtype] = args(a, b, 'add');
  return result(ops.add(ta, tb), dtype, true);
}

/** tf.sub(a, b). */
export function sub(a: Arg, b: Arg): Tensor {
  const [ta, tb, dtype] = args(a, b, 'sub');
  return result(ops.sub(ta, tb), dtype, true);
}

/** tf.mul(a, b). */
export function mul(a: Arg, b: Arg): Tensor {
  const [ta, tb, dtype] = args(a, b, 'mul');
  return result(ops.mul(ta, tb), dtype, true);
}

/** tf.floorDiv(a, b): floor(a / b) as int32 (division by zero gives 0, as TF.js stores ±Infinity and NaN in int32). */
export function floorDiv(a: Arg, b: Arg): Tensor {
  const [ta, tb] = args(a, b, 'floorDiv');
  return computedAs(ops.floor(ops.div(ta, tb)), 'int32');
}

/** tf.div(a, b): true division, except two int32 tensors divide as `floorDiv` (TF.js' rule). */
export function div(a: Arg, b: Arg): Tensor {
  const [ta, tb, dtype] = args(a, b, 'div');
  if (dtype === 'int32') return floorDiv(ta, tb);
  return result(dtype === 'bool' ? ops.floor(ops.div(ta, tb)) : ops.div(ta, tb), dtype, dtype === 'float32');
}

/** tf.pow(base, exp): an integer result truncates toward zero (2 ** -1 is 0 in int32). */
export function pow(base: Arg, exp: Arg): Tensor {
  const [ta, tb, dtype] = args(base, exp, 'pow');
  return result(ops.pow(ta, tb), dtype, dtype === 'float32');
}

function bothBoolToInt(dtype: DataType): DataType {
  return dtype === 'bool' ? 'int32' : dtype;
}

/** tf.maximum(a, b) (two bools give int32, as TF.js casts them). */
export function maximum(a: Arg, b: Arg): Tensor {
  const [ta, tb, dtype] = args(a, b, 'maximum');
  return result(ops.maximum(ta, tb), bothBoolToInt(dtype), true);
}

/** tf.minimum(a, b) (two bools give int32). */
export function minimum(a: Arg, b: Arg): Tensor {
  const [ta, tb, dtype] = args(a, b, 'minimum');
  return result(ops.minimum(ta, tb), bothBoolToInt(dtype), true);
}

/** tf.squaredDifference(a, b): (a - b)^2. */
export function squaredDifference(a: Arg, b: Arg): Tensor {
  const [ta, tb, dtype] = args(a, b, 'squaredDifference');
  return result(ops.square(ops.sub(ta, tb)), dtype, true);
}

/** tf.neg(x): same dtype; a bool stays itself (TF.js negates it as a bool, which keeps its truth). */
export function neg(x: Arg): Tensor {
  const t = convertToTensor(x, 'x', 'neg');
  return t.dtype === 'bool' ? t : result(ops.neg(t), t.dtype, true);
}

/** tf.abs(x): same dtype. */
export function abs(x: Arg): Tensor {
  const t = convertToTensor(x, 'x', 'abs');
  return t.dtype === 'bool' ? t : result(ops.abs(t), t.dtype, true);
}

/** tf.square(x): same dtype. */
export function square(x: Arg): Tensor {
  const t = convertToTensor(x, 'x', 'square');
  return t.dtype === 'bool' ? t : result(ops.square(t), t.dtype, true);
}

function compare(op: (a: Tensor, b: Tensor) => Tensor, a: Arg, b: Arg, fn: string): Tensor {
  const [ta, tb] = args(a, b, fn);
  return withDtype(op(ta, tb), 'bool');
}

/** tf.equal(a, b) -> bool. */
export function equal(a: Arg, b: Arg): Tensor {
  return compare(ops.equal, a, b, 'equal');
}
/** tf.notEqual(a, b) -> bool. */
export function notEqual(a: Arg, b: Arg): Tensor {
  return compare(ops.notEqual, a, b, 'notEqual');
}
/** tf.greater(a, b) -> bool. */
export function greater(a: Arg, b: Arg): Tensor {
  return compare(ops.greater, a, b, 'greater');
}
/** tf.greaterEqual(a, b) -> bool. */
export function greaterEqual(a: Arg, b: Arg): Tensor {
  return compare(ops.greaterEqual, a, b, 'greaterEqual');
}
/** tf.less(a, b) -> bool. */
export function less(a: Arg, b: Arg): Tensor {
  return compare(ops.less, a, b, 'less');
}
/** tf.lessEqual(a, b) -> bool. */
export function lessEqual(a: Arg, b: Arg): Tensor {
  return compare(ops.lessEqual, a, b, 'lessEqual');
}

function bools(a: Arg, b: Arg, fn: string): [Tensor, Tensor] {
  return [convertToTensor(a, 'a', fn, 'bool'), convertToTensor(b, 'b', fn, 'bool')];
}

/** Truth of a bool tensor's values (0 is false, anything else true). */
function truth(t: Tensor): Tensor {
  return ops.notEqual(t, 0);
}

/** tf.logicalAnd(a, b): both bool. */
export function logicalAnd(a: Arg, b: Arg): Tensor {
  const [ta, tb] = bools(a, b, 'logicalAnd');
  return withDtype(ops.mul(truth(ta), truth(tb)), 'bool');
}

/** tf.logicalOr(a, b): both bool. */
export function logicalOr(a: Arg, b: Arg): Tensor {
  const [ta, tb] = bools(a, b, 'logicalOr');
  return withDtype(ops.maximum(truth(ta), truth(tb)), 'bool');
}

/** tf.logicalXor(a, b): both bool. */
export function logicalXor(a: Arg, b: Arg): Tensor {
  const [ta, tb] = bools(a, b, 'logicalXor');
  return withDtype(ops.notEqual(truth(ta), truth(tb)), 'bool');
}

/** tf.logicalNot(x): bool. */
export function logicalNot(x: Arg): Tensor {
  const t = convertToTensor(x, 'x', 'logicalNot', 'bool');
  return withDtype(ops.equal(t, 0), 'bool');
}
