import { formatShape, shapesEqual, sizeOf, type Shape } from './shape.js';
import { registerVariable } from './variable-registry.js';

/**
 * How a tensor was made, for reverse-mode autograd: the inputs it depends on and the vector-Jacobian
 * product that maps the gradient of the output to gradients of those inputs (`null` = no gradient).
 */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  backward(dy: Tensor): readonly (Tensor | null)[];
}

/** Nested JavaScript arrays of numbers, e.g. `[[1, 2], [3, 4]]`. */
export type NestedArray = number | readonly NestedArray[];

/**
 * What a tensor's values mean, as TensorFlow.js names it. Every dendrite op works on float32 and returns
 * float32; `'int32'` and `'bool'` are set by whoever makes the tensor (the `dendrite/tfjs` facade, which
 * follows TF.js' rules for them). The values are stored as float32 whatever the dtype, so integers are exact
 * only up to 2^24 (16,777,216) in magnitude; a bool is 0 or 1.
 */
export type DataType = 'float32' | 'int32' | 'bool';

/** The typed array `dataSync()` returns for each dtype (TF.js' `DataTypeMap`). */
export interface DataTypeMap {
  float32: Float32Array;
  int32: Int32Array;
  bool: Uint8Array;
}

/**
 * An n-dimensional array of float32 values, stored contiguously in row-major order.
 * Tensors are immutable values: operations return new tensors, and memory is freed by the garbage
 * collector (no `dispose()`). Only a `Variable` is updated in place, by `assign` or an optimizer.
 *
 *     const t = tensor([[1, 2], [3, 4]]);   // shape [2, 2]
 */
export class Tensor {
  /** Dimensions, outermost first. */
  readonly shape: readonly number[];
  /** The values in row-major order. Shared, not copied: treat as read-only (use `dataSync()` for a copy). */
  readonly values: Float32Array;
  /** Whether operations on this tensor are recorded for `backward()`. */
  requiresGrad = false;
  /** Gradient accumulated by `backward()` (leaf tensors only). */
  grad: Tensor | null = null;
  /** The operation that produced this tensor, when it was recorded on the tape. */
  gradFn: GradNode | null = null;
  /** `'float32'` unless the maker said otherwise; see `DataType`. */
  readonly dtype: DataType;

  constructor(values: Float32Array, shape: Shape, dtype: DataType = 'float32') {
    if (values.length !== sizeOf(shape)) {
      throw new Error(`Tensor of shape ${formatShape(shape)} needs ${sizeOf(shape)} values, got ${values.length}.`);
    }
    if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') {
      throw new Error(`Unknown dtype ${JSON.stringify(dtype)}; a tensor is 'float32', 'int32' or 'bool'.`);
    }
    this.values = values;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
  }

  /** Number of elements. */
  get size(): number {
    return this.values.length;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /**
   * A copy of the values in the typed array of the dtype, as TF.js returns them: a Float32Array for float32
   * (every tensor dendrite's ops make), an Int32Array for int32, a Uint8Array for bool. The type parameter
   * narrows the result where the dtype is known, as in TF.js: `t.dataSync<'int32'>()`.
   */
  dataSync<D extends DataType = 'float32'>(): DataTypeMap[D] {
    if (this.dtype === 'int32') return Int32Array.from(this.values) as DataTypeMap[D];
    if (this.dtype === 'bool') return Uint8Array.from(this.values) as DataTypeMap[D];
    return this.values.slice() as DataTypeMap[D];
  }

  /** The values as nested arrays (a plain number for a scalar). */
  toArray(): NestedArray {
    const build = (axis: number, offset: number): NestedArray => {
      if (axis === this.shape.length) return this.values[offset];
      const inner = sizeOf(this.shape.slice(axis + 1));
      return Array.from({ length: this.shape[axis] }, (_, i) => build(axis + 1, offset + i * inner));
    };
    return build(0, 0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new Error(`item() needs a tensor with one element, this one has shape ${formatShape(this.shape)}.`);
    return this.values[0];
  }

  /** Marks this tensor as a leaf whose gradient `backward()` should compute. Returns `this`. */
  requireGrad(flag = true): this {
    this.requiresGrad = flag;
    return this;
  }

  toString(): string {
    const fmt = (v: number) => {
      const s = Number.isInteger(v) && Math.abs(v) < 1e6 ? v.toFixed(0) : v.toPrecision(4);
      return s.padStart(9);
    };
    const limit = 6;
    const render = (axis: number, offset: number, indent: string): string => {
      if (axis === this.shape.length) return fmt(this.values[offset]).trim();
      const n = this.shape[axis];
      const inner = sizeOf(this.shape.slice(axis + 1));
      const pick = n > limit ? [0, 1, 2, -1, n - 3, n - 2, n - 1] : Array.from({ length: n }, (_, i) => i);
      const parts = pick.map((i) =>
        i < 0 ? '...' : axis === this.shape.length - 1 ? fmt(this.values[offset + i * inner]) : render(axis + 1, offset + i * inner, `${indent} `),
      );
      const sep = axis === this.shape.length - 1 ? ',' : `,\n${indent} `;
      return `[${parts.join(sep)}]`;
    };
    return `Tensor ${formatShape(this.shape)}\n${render(0, 0, '')}`;
  }
}

/**
 * A named tensor that holds a layer's weight (or an optimizer's state) and is updated in place.
 * Trainable variables record gradients.
 */
export class Variable extends Tensor {
  readonly name: string;
  trainable: boolean;

  constructor(values: Float32Array, shape: Shape, name: string, trainable = true, dtype: DataType = 'float32') {
    super(values, shape, dtype);
    this.name = name;
    this.trainable = trainable;
    this.requiresGrad = trainable;
    registerVariable(this);
  }

  /** Overwrites the values with those of `value` (same shape). */
  assign(value: Tensor | Float32Array): void {
    const src = value instanceof Tensor ? value.values : value;
    if (value instanceof Tensor && !shapesEqual(value.shape, this.shape)) {
      throw new Error(`Cannot assign a value of shape ${formatShape(value.shape)} to variable '${this.name}' of shape ${formatShape(this.shape)}.`);
    }
    if (src.length !== this.size) {
      throw new Error(`Cannot assign ${src.length} values to variable '${this.name}' of shape ${formatShape(this.shape)}.`);
    }
    this.values.set(src);
  }
}
