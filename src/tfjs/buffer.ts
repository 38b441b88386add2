// tf.buffer and TF.js' TensorBuffer: a mutable array of values with a shape and dtype, to fill element by element
// (`set(value, ...locs)`, `get(...locs)`) and turn into a tensor (`toTensor()`). Its values are the dtype's typed
// array, as in TF.js; `toTensor` copies them into a dendrite tensor.
import { Tensor } from '../tensor/tensor.js';
import { makeTensor } from './convert.js';
import type { DataType } from './dtype.js';

type Values = Float32Array | Int32Array | Uint8Array;

function arrayFor(dtype: DataType, size: number): Values {
  if (dtype === 'int32') return new Int32Array(size);
  if (dtype === 'bool') return new Uint8Array(size);
  return new Float32Array(size);
}

function stridesOf(shape: readonly number[]): number[] {
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i > 0; i--) {
    s *= shape[i];
    strides.unshift(s);
  }
  return strides;
}

export class TensorBuffer {
  readonly shape: number[];
  readonly dtype: DataType;
  readonly size: number;
  values: Values;
  /** TF.js' strides: one per axis but the last. */
  readonly strides: number[];

  constructor(shape: readonly number[], dtype: DataType, values?: Values) {
    this.dtype = dtype;
    this.shape = shape.slice();
    this.size = shape.reduce((n, d) => n * d, 1);
    if (values != null && values.length !== this.size) {
      throw new Error(`Length of values '${values.length}' does not match the size inferred by the shape '${this.size}'.`);
    }
    if ((dtype as string) === 'complex64') throw new Error('complex64 dtype TensorBuffers are not supported.');
    this.values = values ?? arrayFor(dtype, this.size);
    this.strides = stridesOf(shape);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Sets the value at `locs` (one index per axis). */
  set(value: number | boolean, ...locs: number[]): void {
    const at = locs.length === 0 ? [0] : locs;
    if (at.length !== this.rank) throw new Error(`The number of provided coordinates (${at.length}) must match the rank (${this.rank})`);
    this.values[this.locToIndex(at)] = Number(value);
  }

  /** The value at `locs`. */
  get(...locs: number[]): number {
    const at = locs.length === 0 ? [0] : locs;
    at.forEach((loc, i) => {
      if (loc < 0 || loc >= this.shape[i]) throw new Error(`Requested out of range element at ${at}.   Buffer shape=${this.shape}`);
    });
    return this.values[this.locToIndex(at)];
  }

  locToIndex(locs: readonly number[]): number {
    if (this.rank === 0) return 0;
    if (this.rank === 1) return locs[0];
    let index = locs[locs.length - 1];
    for (let i = 0; i < locs.length - 1; ++i) index += this.strides[i] * locs[i];
    return index;
  }

  indexToLoc(index: number): number[] {
    if (this.rank === 0) return [];
    if (this.rank === 1) return [index];
    const locs = new Array<number>(this.shape.length);
    let rest = index;
    for (let i = 0; i < locs.length - 1; ++i) {
      locs[i] = Math.floor(rest / this.strides[i]);
      rest -= locs[i] * this.strides[i];
    }
    locs[locs.length - 1] = rest;
    return locs;
  }

  /** A tensor of the buffer's values, shape and dtype (values already in the dtype's typed array are taken as they are, as TF.js does). */
  toTensor(): Tensor {
    if (this.values instanceof arrayFor(this.dtype, 0).constructor) return new Tensor(Float32Array.from(this.values), this.shape, this.dtype);
    return makeTensor(this.values, this.shape, [this.values.length], this.dtype);
  }
}

/** tf.buffer(shape, dtype = 'float32', values?). */
export function buffer(shape: readonly number[], dtype: DataType = 'float32', values?: Values): TensorBuffer {
  for (const d of shape) {
    if (!(Number.isInteger(d) && d >= 0)) throw new Error(`Tensor must have a shape comprised of positive integers but got shape [${shape}].`);
  }
  return new TensorBuffer(shape, dtype, values);
}
