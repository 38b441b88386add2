// TF.js' dtypes on dendrite's tensors. dendrite computes in float32 and its ops return float32; a tensor's
// `dtype` ('float32' | 'int32' | 'bool', src/tensor/tensor.ts) says what its float32 values mean. The facade
// sets it with TF.js' rules: what a value converts to when a tensor is made, which dtype an op returns, and
// how a computed value is stored in that dtype (int32 truncates toward zero; NaN and ±Infinity become 0, as
// writing them into TF.js' Int32Array does). Integers are exact up to 2^24 in magnitude (float32's 24-bit
// significand); TF.js' int32 holds up to 2^31 - 1.
import { Tensor, type DataType } from '../tensor/tensor.js';

export type { DataType };

/** TF.js' typed arrays of values. */
export type TypedArray = Float32Array | Int32Array | Uint8Array;

/** TF.js' nested arrays (`RecursiveArray`). */
export interface RecursiveArray<T> {
  [index: number]: T | RecursiveArray<T>;
}

/** What TF.js' functions take in place of a tensor (strings aside: dendrite has no string tensors). */
export type TensorLike = TypedArray | number | boolean | RecursiveArray<number | boolean | TypedArray> | readonly number[];

/** TF.js' `upcastType`: bool < int32 < float32. */
export function upcastType(a: DataType, b: DataType): DataType {
  if (a === 'float32' || b === 'float32') return 'float32';
  if (a === 'int32' || b === 'int32') return 'int32';
  return 'bool';
}

/** TF.js' `inferDtype` for values that are not a tensor. */
export function inferDtype(values: unknown): DataType | 'string' {
  if (Array.isArray(values)) return inferDtype(values[0]);
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Int32Array || values instanceof Uint8Array || values instanceof Uint8ClampedArray) return 'int32';
  if (typeof values === 'string') return 'string';
  if (typeof values === 'boolean') return 'bool';
  return 'float32';
}

/**
 * Values given to a tensor of `dtype`, converted as TF.js' `toTypedArray` does: float32 rounds to float32,
 * int32 as `new Int32Array(values)` (toward zero, wrapping past 2^31), bool is 1 where `Math.round(v) !== 0`.
 */
export function toStorage(values: ArrayLike<number | boolean>, dtype: DataType): Float32Array {
  const out = new Float32Array(values.length);
  if (dtype === 'float32') {
    for (let i = 0; i < out.length; i++) out[i] = Number(values[i]);
  } else if (dtype === 'int32') {
    for (let i = 0; i < out.length; i++) out[i] = Number(values[i]) | 0;
  } else {
    for (let i = 0; i < out.length; i++) out[i] = Math.round(Number(values[i])) !== 0 ? 1 : 0;
  }
  return out;
}

/**
 * Stores computed values in `dtype` in place, as TF.js' kernels write them into the dtype's typed array:
 * int32 truncates (NaN and ±Infinity give 0), bool keeps the low byte of the integer (as a Uint8Array).
 * Only for a fresh result that nothing else shares.
 */
export function storeComputed(values: Float32Array, dtype: DataType): void {
  if (dtype === 'int32') {
    for (let i = 0; i < values.length; i++) values[i] = values[i] | 0;
  } else if (dtype === 'bool') {
    for (let i = 0; i < values.length; i++) values[i] = (values[i] | 0) & 255;
  }
}

/**
 * `t` labelled with `dtype`: `t` itself when it already has it, else a tensor over the same values (no copy).
 * A float32 result keeps dendrite's tape (`gradFn`); an int32 or bool one has no gradient, as in TF.js.
 */
export function withDtype(t: Tensor, dtype: DataType): Tensor {
  return t.dtype === dtype ? t : new Tensor(t.values, t.shape, dtype);
}

/** A fresh result of an op stored and labelled as `dtype` (see `storeComputed`). */
export function computedAs(t: Tensor, dtype: DataType): Tensor {
  if (dtype === 'float32') return withDtype(t, dtype);
  const values = t.values.slice();
  storeComputed(values, dtype);
  return new Tensor(values, t.shape, dtype);
}

/** TF.js' check that an op's argument has the dtype the op needs, with TF.js' message. */
export function assertDtype(expected: 'numeric' | DataType, actual: DataType, argName: string, functionName: string): void {
  if (expected !== 'numeric' && expected !== actual) {
    throw new Error(`Argument '${argName}' passed to '${functionName}' must be ${expected} tensor, but got ${actual} tensor`);
  }
}
