// `dataset.batch(n)`: n consecutive elements become one, in which every leaf is a tensor with a new first axis of
// n (TF.js' deepBatchConcat). Tensors are stacked; numbers, booleans and arrays of numbers become a tensor; plain
// objects and lists of tensors keep their structure, batched key by key (or position by position).
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { DONE, element, LazyIterator, type Next } from './iterator.js';

type TypedArray = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint8ClampedArray | Uint16Array | Uint32Array;

/** A (nested) array of numbers, as `tensor()` takes it. */
type NumericArray = readonly (number | boolean | null | undefined | NumericArray)[];

/** What a batch of elements of type T is: each leaf becomes a tensor whose first axis is the batch. */
export type Batched<T> = T extends Tensor | number | boolean | TypedArray | NumericArray | null | undefined
  ? Tensor
  : T extends readonly (infer E)[]
    ? number extends E
      ? Tensor
      : { -readonly [K in keyof T]: Batched<T[K]> }
    : T extends object
      ? { -readonly [K in keyof T]: Batched<T[K]> }
      : Tensor;

/** A plain object (not a tensor, an array, a typed array or a class instance): batched key by key. */
function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Whether `x` is a leaf of numbers: a number, a boolean, a missing value (NaN), a typed array or an array whose first leaf is one. */
function isNumericLeaf(x: unknown): boolean {
  let v = x;
  while (Array.isArray(v) && v.length > 0) v = v[0];
  return v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean' || Array.isArray(v) || ArrayBuffer.isView(v);
}

function describe(x: unknown): string {
  if (typeof x === 'string') return `a string (${JSON.stringify(x.length > 20 ? `${x.slice(0, 20)}...` : x)})`;
  if (x instanceof Tensor) return `a tensor of shape ${formatShape(x.shape)}`;
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (x === null || x === undefined) return String(x);
  return typeof x === 'object' ? (x.constructor?.name ?? 'an object') : typeof x;
}

function where(path: string): string {
  return path === '' ? '' : ` at ${path}`;
}

/** A number as a tensor holds it: booleans are 0/1, a missing value (null, undefined) is NaN. */
function toNumber(v: unknown, row: number, path: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null || v === undefined) return Number.NaN;
  throw new Error(
    `batch(): element ${row}${where(path)} is ${describe(v)}, where the first element has a number; dendrite's tensors hold numbers, so map strings to numbers (a lookup table, one-hot) before batch().`,
  );
}

/** The shape of a leaf of numbers: [] for a number, [n] for a typed array, the nested lengths of an array. */
function leafShape(x: unknown): number[] {
  const shape: number[] = [];
  let v = x;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) return shape;
    v = v[0];
  }
  if (ArrayBuffer.isView(v)) shape.push((v as TypedArray).length);
  return shape;
}

/** Writes the numbers of `x` (of shape `shape` from `axis` on) into `out` from `offset`; returns the next offset. */
function writeLeaf(x: unknown, shape: readonly number[], axis: number, out: Float32Array, offset: number, row: number, path: string): number {
  if (axis === shape.length) {
    out[offset] = toNumber(x, row, path);
    return offset + 1;
  }
  if (ArrayBuffer.isView(x) && axis === shape.length - 1 && (x as TypedArray).length === shape[axis]) {
    out.set(x as TypedArray, offset);
    return offset + shape[axis];
  }
  if (!Array.isArray(x) || x.length !== shape[axis]) {
    throw new Error(
      `batch(): element ${row}${where(path)} is ${describe(x)} where the first element has ${shape.length - axis === 1 ? 'an array' : 'nested arrays'} of shape ${formatShape(shape.slice(axis))}; every element of a batch must have the same shape.`,
    );
  }
  for (let i = 0; i < x.length; i++) offset = writeLeaf(x[i], shape, axis + 1, out, offset, row, path);
  return offset;
}

/** The rows (numbers or arrays of numbers) as one tensor of shape [n, ...the first row's shape]. */
function numbersToTensor(rows: readonly unknown[], path: string): Tensor {
  const shape = leafShape(rows[0]);
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(rows.length * size);
  if (shape.length === 0) {
    for (let i = 0; i < rows.length; i++) out[i] = toNumber(rows[i], i, path);
  } else {
    for (let i = 0; i < rows.length; i++) writeLeaf(rows[i], shape, 0, out, i * size, i, path);
  }
  return new Tensor(out, [rows.length, ...shape]);
}

/** Tensors of one shape stacked along a new first axis (their values copied: a batch records nothing for autograd). */
function stackTensors(rows: readonly unknown[], path: string): Tensor {
  const first = rows[0] as Tensor;
  const size = first.size;
  const out = new Float32Array(rows.length * size);
  for (let i = 0; i < rows.length; i++) {
    const t = rows[i];
    if (!(t instanceof Tensor)) throw new Error(`batch(): element ${i}${where(path)} is ${describe(t)} where the first element has a tensor.`);
    if (t.rank !== first.rank || t.shape.some((d, axis) => d !== first.shape[axis])) {
      throw new Error(
        `batch(): element ${i}${where(path)} has shape ${formatShape(t.shape)} but the first element's has ${formatShape(first.shape)}; every element of a batch must have the same shape.`,
      );
    }
    out.set(t.values, i * size);
  }
  return new Tensor(out, [rows.length, ...first.shape]);
}

function child(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
}

/**
 * One element made of `rows` (elements of the same structure): each leaf a tensor with the batch as its first
 * axis. The structure follows the first row; `path` names the place in errors ("xs.price", "[1]").
 */
export function batchElements(rows: readonly unknown[], path = ''): unknown {
  if (rows.length === 0) throw new Error('batch(): cannot make a batch of no elements.');
  const first = rows[0];
  if (first instanceof Tensor) return stackTensors(rows, path);
  if (isNumericLeaf(first)) return numbersToTensor(rows, path);
  if (Array.isArray(first)) {
    return first.map((_, i) =>
      batchElements(
        rows.map((r, row) => {
          if (!Array.isArray(r)) throw new Error(`batch(): element ${row}${where(path)} is ${describe(r)} where the first element has an array.`);
          return r[i];
        }),
        child(path, i),
      ),
    );
  }
  if (isPlainObject(first)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) {
      out[key] = batchElements(
        rows.map((r, row) => {
          if (!isPlainObject(r)) throw new Error(`batch(): element ${row}${where(path)} is ${describe(r)} where the first element has an object.`);
          return r[key];
        }),
        child(path, key),
      );
    }
    return out;
  }
  const hint = typeof first === 'string' ? "; dendrite's tensors hold numbers, so map strings to numbers (a lookup table, one-hot) before batch()" : '';
  throw new Error(
    `batch(): element 0${where(path)} is ${describe(first)}${hint}; a batch is made of tensors, numbers, booleans, arrays of numbers, and arrays or objects of those.`,
  );
}

/** Elements in groups of `batchSize`, each group batched; the last group may be smaller (`smallLastBatch`) or dropped. */
export class BatchIterator<T> extends LazyIterator<Batched<T>> {
  constructor(
    private readonly upstream: LazyIterator<T>,
    private readonly batchSize: number,
    private readonly smallLastBatch: boolean,
  ) {
    super();
  }

  protected async pull(): Promise<Next<Batched<T>>> {
    const rows: T[] = [];
    while (rows.length < this.batchSize) {
      const r = await this.upstream.next();
      if (r.done) break;
      rows.push(r.value);
    }
    if (rows.length === 0 || (rows.length < this.batchSize && !this.smallLastBatch)) return DONE;
    return element(batchElements(rows) as Batched<T>);
  }

  protected override async close(): Promise<void> {
    await this.upstream.return();
  }
}
