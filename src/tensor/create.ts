import { random, randomStandardNormal } from './rng.js';
import { formatShape, sizeOf, type Shape } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';

/** Anything an operation accepts as a tensor: a tensor or a plain number (a scalar). */
export type TensorLike = Tensor | number;

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  return shape;
}

function flatten(data: NestedArray, shape: readonly number[], axis: number, out: number[], path: string): void {
  if (axis === shape.length) {
    if (typeof data !== 'number')
      throw new Error(`tensor(): expected a number at ${path || 'the top level'}, got ${Array.isArray(data) ? 'an array' : typeof data}.`);
    out.push(data);
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[axis]) {
    const got = Array.isArray(data) ? `${data.length} elements` : typeof data;
    throw new Error(`tensor(): ragged nested array at ${path || 'the top level'}: expected ${shape[axis]} elements, got ${got}.`);
  }
  for (let i = 0; i < data.length; i++) flatten(data[i], shape, axis + 1, out, `${path}[${i}]`);
}

/**
 * A float32 tensor from nested arrays, a flat array or a Float32Array (which is copied).
 *
 *     tensor([[1, 2], [3, 4]]);          // shape [2, 2]
 *     tensor([1, 2, 3, 4, 5, 6], [2, 3]); // reshape a flat list
 */
export function tensor(data: NestedArray | Float32Array | ArrayLike<number>, shape?: Shape): Tensor {
  let values: Float32Array;
  let inferred: number[];
  if (data instanceof Float32Array || (typeof data === 'object' && !Array.isArray(data) && 'length' in data)) {
    values = Float32Array.from(data as ArrayLike<number>);
    inferred = [values.length];
  } else {
    inferred = inferShape(data as NestedArray);
    const flat: number[] = [];
    flatten(data as NestedArray, inferred, 0, flat, '');
    values = Float32Array.from(flat);
  }
  if (shape === undefined) return new Tensor(values, inferred);
  checkShape(shape, 'tensor');
  if (sizeOf(shape) !== values.length) {
    throw new Error(`tensor(): shape ${formatShape(shape)} needs ${sizeOf(shape)} values, but the data has ${values.length}.`);
  }
  return new Tensor(values, shape);
}

/** A rank-0 tensor. */
export function scalar(value: number): Tensor {
  return new Tensor(Float32Array.of(value), []);
}

function checkShape(shape: Shape, fn: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`${fn}(): invalid shape ${formatShape(shape)}; dimensions must be non-negative integers.`);
  }
}

export function fill(shape: Shape, value: number): Tensor {
  checkShape(shape, 'fill');
  return new Tensor(new Float32Array(sizeOf(shape)).fill(value), shape);
}

export function zeros(shape: Shape): Tensor {
  checkShape(shape, 'zeros');
  return new Tensor(new Float32Array(sizeOf(shape)), shape);
}

export function ones(shape: Shape): Tensor {
  checkShape(shape, 'ones');
  return fill(shape, 1);
}

export function zerosLike(x: Tensor): Tensor {
  return zeros(x.shape);
}

export function onesLike(x: Tensor): Tensor {
  return ones(x.shape);
}

/** Normal samples from the seeded generator (see `setSeed`). */
export function randomNormal(shape: Shape, mean = 0, stddev = 1): Tensor {
  checkShape(shape, 'randomNormal');
  const v = new Float32Array(sizeOf(shape));
  for (let i = 0; i < v.length; i++) v[i] = mean + stddev * randomStandardNormal();
  return new Tensor(v, shape);
}

/** Uniform samples in [minval, maxval) from the seeded generator. */
export function randomUniform(shape: Shape, minval = 0, maxval = 1): Tensor {
  checkShape(shape, 'randomUniform');
  const v = new Float32Array(sizeOf(shape));
  for (let i = 0; i < v.length; i++) v[i] = minval + (maxval - minval) * random();
  return new Tensor(v, shape);
}

/** `num` evenly spaced values from `start` to `stop` inclusive, shape [num]. */
export function linspace(start: number, stop: number, num: number): Tensor {
  const v = new Float32Array(num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) v[i] = start + i * step;
  return new Tensor(v, [num]);
}

/** `[start, start+step, ...)` below `stop`, shape [n]. */
export function range(start: number, stop: number, step = 1): Tensor {
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = start + i * step;
  return new Tensor(v, [n]);
}

/** Wraps a number as a scalar tensor; passes tensors through. */
export function toTensor(x: TensorLike): Tensor {
  return typeof x === 'number' ? scalar(x) : x;
}
