// TF.js' tensor creation: tf.tensor, tf.scalar, tf.tensor1d ... tf.tensor6d, tf.variable, tf.zeros, tf.ones,
// tf.fill, tf.zerosLike, tf.onesLike, tf.linspace, tf.range, tf.eye, tf.clone and tf.cast, with TF.js'
// arguments, dtype inference and conversions (src/tfjs/dtype.ts) and its messages. Every result is a dendrite
// Tensor (or Variable) carrying its dtype.
import { linspace as ddLinspace } from '../tensor/create.js';
import { Tensor, Variable } from '../tensor/tensor.js';
import { convertToTensor, inferShape, makeTensor } from './convert.js';
import { type DataType, inferDtype, type TensorLike, toStorage, withDtype } from './dtype.js';
import { reshape, tile } from './shape-ops.js';

export { Tensor, Variable };

/** TF.js' rank-typed tensor names; in dendrite every tensor is a `Tensor` and knows its rank at run time. */
export type Scalar = Tensor;
export type Tensor1D = Tensor;
export type Tensor2D = Tensor;
export type Tensor3D = Tensor;
export type Tensor4D = Tensor;
export type Tensor5D = Tensor;
export type Tensor6D = Tensor;
/** TF.js' `Rank` enum as a type. */
export type Rank = 'R0' | 'R1' | 'R2' | 'R3' | 'R4' | 'R5' | 'R6';

type ShapeArg = readonly number[] | null | undefined;

/**
 * tf.tensor(values, shape?, dtype?): nested arrays, a flat array with a shape, a TypedArray, a number or a
 * boolean. The dtype is inferred as TF.js does (booleans: bool; Int32Array / Uint8Array: int32; else float32).
 */
export function tensor(values: TensorLike, shape?: ShapeArg, dtype?: DataType): Tensor {
  return makeTensor(values, shape, inferShape(values), dtype);
}

/** tf.scalar(value, dtype?). */
export function scalar(value: number | boolean, dtype?: DataType): Tensor {
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    throw new Error('Error creating a new Scalar: value must be a primitive (number|boolean|string)');
  }
  return makeTensor(value, [], [], dtype);
}

function notNull(values: unknown): void {
  if (values == null) throw new Error('The input to the tensor constructor must be a non-null value.');
}

/** tf.tensor1d(values, dtype?). */
export function tensor1d(values: TensorLike, dtype?: DataType): Tensor {
  notNull(values);
  const inferred = inferShape(values);
  if (inferred.length !== 1) throw new Error('tensor1d() requires values to be a flat/TypedArray');
  return makeTensor(values, null, inferred, dtype);
}

const RANK_WORDS = ['', '', 'two', 'three', 'four', 'five', 'six'];

/** tf.tensor2d ... tf.tensor6d: nested values of that rank, or a flat array with its shape. */
function tensorNd(rank: number, values: TensorLike, shape: ShapeArg, dtype: DataType | undefined): Tensor {
  const fn = `tensor${rank}d()`;
  notNull(values);
  if (shape != null && shape.length !== rank) throw new Error(`${fn} requires shape to have ${RANK_WORDS[rank]} numbers`);
  const inferred = inferShape(values);
  if (inferred.length !== rank && inferred.length !== 1) {
    throw new Error(`${fn} requires values to be number${'[]'.repeat(rank)} or flat/TypedArray`);
  }
  if (inferred.length === 1 && shape == null) {
    throw new Error(`${fn} requires shape to be provided when \`values\` are a flat${rank === 2 ? '/TypedArray' : ' array'}`);
  }
  return makeTensor(values, shape, inferred, dtype);
}

export function tensor2d(values: TensorLike, shape?: ShapeArg, dtype?: DataType): Tensor {
  return tensorNd(2, values, shape, dtype);
}
export function tensor3d(values: TensorLike, shape?: ShapeArg, dtype?: DataType): Tensor {
  return tensorNd(3, values, shape, dtype);
}
export function tensor4d(values: TensorLike, shape?: ShapeArg, dtype?: DataType): Tensor {
  return tensorNd(4, values, shape, dtype);
}
export function tensor5d(values: TensorLike, shape?: ShapeArg, dtype?: DataType): Tensor {
  return tensorNd(5, values, shape, dtype);
}
export function tensor6d(values: TensorLike, shape?: ShapeArg, dtype?: DataType): Tensor {
  return tensorNd(6, values, shape, dtype);
}

function checkShape(shape: readonly number[]): void {
  for (const d of shape) {
    if (!(Number.isInteger(d) && d >= 0)) throw new Error(`Tensor must have a shape comprised of positive integers but got shape [${shape}].`);
  }
}

function sizeFromShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** tf.fill(shape, value, dtype?): dtype inferred from the value (a number is float32, a boolean bool). */
export function fill(shape: readonly number[], value: number | boolean, dtype?: DataType): Tensor {
  checkShape(shape);
  const dt = dtype ?? (inferDtype(value) as DataType);
  const v = toStorage([value], dt)[0];
  return new Tensor(new Float32Array(sizeFromShape(shape)).fill(v), shape, dt);
}

/** tf.zeros(shape, dtype = 'float32'). */
export function zeros(shape: readonly number[], dtype: DataType = 'float32'): Tensor {
  return fill(shape, 0, dtype);
}

/** tf.ones(shape, dtype = 'float32'). */
export function ones(shape: readonly number[], dtype: DataType = 'float32'): Tensor {
  return fill(shape, 1, dtype);
}

/** tf.zerosLike(x): zeros of x's shape and dtype. */
export function zerosLike(x: Tensor | TensorLike): Tensor {
  const t = convertToTensor(x, 'x', 'zerosLike');
  return zeros(t.shape, t.dtype);
}

/** tf.onesLike(x): ones of x's shape and dtype. */
export function onesLike(x: Tensor | TensorLike): Tensor {
  const t = convertToTensor(x, 'x', 'onesLike');
  return ones(t.shape, t.dtype);
}

/** tf.linspace(start, stop, num): float32, `num` evenly spaced values from start to stop inclusive. */
export function linspace(start: number, stop: number, num: number): Tensor {
  if (num <= 0) throw new Error('The number of values should be positive.');
  return ddLinspace(start, stop, num);
}

/**
 * tf.range(start, stop, step = 1, dtype = 'float32'), TF.js' rules: empty where the step points away from stop
 * (or start equals stop), and a step left at 1 turns to -1 when stop is below start. Each value is the previous
 * one plus the step, stored in the dtype, as TF.js computes them.
 */
export function range(start: number, stop: number, step = 1, dtype: DataType = 'float32'): Tensor {
  if (step === 0) throw new Error('Cannot have a step of zero');
  if (start === stop || (start < stop && step < 0) || (stop < start && step > 1)) return new Tensor(new Float32Array(0), [0], dtype);
  const n = Math.abs(Math.ceil((stop - start) / step));
  const s = stop < start && step === 1 ? -1 : step;
  const values = new Float32Array(n);
  const store = (v: number) => toStorage([v], dtype)[0];
  if (n > 0) values[0] = store(start);
  for (let i = 1; i < n; i++) values[i] = store(values[i - 1] + s);
  return new Tensor(values, [n], dtype);
}

/** tf.eye(numRows, numColumns = numRows, batchShape?, dtype = 'float32'): identity matrices, tiled over batchShape. */
export function eye(numRows: number, numColumns?: number | null, batchShape?: readonly number[] | null, dtype: DataType = 'float32'): Tensor {
  const cols = numColumns ?? numRows;
  const values = new Float32Array(numRows * cols);
  for (let i = 0; i < Math.min(numRows, cols); i++) values[i * cols + i] = 1;
  const out = new Tensor(values, [numRows, cols], dtype);
  if (batchShape == null) return out;
  if (batchShape.length > 3) throw new Error(`eye() currently supports only 1D and 2D batchShapes, but received ${batchShape.length}D.`);
  return tile(reshape(out, [...batchShape.map(() => 1), numRows, cols]), [...batchShape, 1, 1]);
}

/** tf.clone(x): a new tensor with x's values, shape and dtype. */
export function clone(x: Tensor | TensorLike): Tensor {
  const t = convertToTensor(x, 'x', 'clone');
  return new Tensor(t.values.slice(), t.shape, t.dtype);
}

/**
 * tf.cast(x, dtype): to int32 truncates toward zero (NaN and ±Infinity give 0); to bool is `x !== 0` (NaN is
 * true); to float32 keeps the values. A float32 tensor cast to float32 is returned as it is, gradient and all.
 */
export function cast(x: Tensor | TensorLike, dtype: DataType): Tensor {
  const t = convertToTensor(x, 'x', 'cast');
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') throw new Error(`Failed to cast to unknown dtype ${dtype}`);
  if (dtype === 'float32' || dtype === t.dtype || (dtype === 'int32' && t.dtype === 'bool')) return withDtype(t, dtype);
  const values = new Float32Array(t.size);
  for (let i = 0; i < values.length; i++) values[i] = dtype === 'int32' ? t.values[i] | 0 : t.values[i] !== 0 ? 1 : 0;
  return new Tensor(values, t.shape, dtype);
}

let nextVariableId = 0;

/**
 * tf.variable(initialValue, trainable = true, name?, dtype?): a dendrite `Variable` holding a copy of the values
 * (cast to `dtype` when given), named as TF.js names them by default (a running number), trainable ones recording
 * gradients.
 */
export function variable(initialValue: Tensor, trainable = true, name?: string, dtype?: DataType): Variable {
  if (!(initialValue instanceof Tensor)) throw new Error('tf.variable(): the initial value must be a Tensor (make one with tf.tensor).');
  const init = dtype != null && dtype !== initialValue.dtype ? cast(initialValue, dtype) : initialValue;
  return new Variable(init.values.slice(), init.shape, name ?? String(nextVariableId++), trainable, init.dtype);
}
