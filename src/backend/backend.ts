/**
 * The kernels every backend provides. Kernels work on raw Float32Arrays and write into a caller-allocated
 * `out`; they know nothing of autograd. The `js` backend is the portable reference that faster backends
 * are tested against.
 */
export type Shape = readonly number[];

/** Elementwise functions of one argument. `step` is x > 0 ? 1 : 0 (the derivative of relu). */
export type UnaryKernel =
  | 'neg' | 'abs' | 'sign' | 'step' | 'exp' | 'log' | 'sqrt' | 'tanh' | 'sigmoid' | 'relu' | 'erf'
  | 'floor' | 'round';

/** Elementwise functions of two arguments; comparisons return 1 or 0. */
export type BinaryKernel =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'equal' | 'notEqual' | 'greater' | 'greaterEqual' | 'less' | 'lessEqual';

export type ReduceKernel = 'sum' | 'max' | 'min';

export interface MatmulArgs {
  /** Rows of the (possibly transposed) left matrix and of the output. */
  m: number;
  /** Shared inner dimension. */
  k: number;
  /** Columns of the (possibly transposed) right matrix and of the output. */
  n: number;
  /** `a` is stored as [k, m] and used transposed. */
  transposeA: boolean;
  /** `b` is stored as [n, k] and used transposed. */
  transposeB: boolean;
  /** Element offset of each batch's left matrix in `a` (one per output batch; broadcasting repeats offsets). */
  aOffsets: readonly number[];
  /** Element offset of each batch's right matrix in `b`. */
  bOffsets: readonly number[];
}

export interface Backend {
  readonly name: string;
  unary(op: UnaryKernel, x: Float32Array, out: Float32Array): void;
  /** `out[outShape] = a op b`, each input broadcast to `outShape` (numpy rules, aligned from the right). */
  binary(op: BinaryKernel, a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, out: Float32Array, outShape: Shape): void;
  /** `out = cond != 0 ? a : b`, all three broadcast to `outShape`. */
  where(cond: Float32Array, condShape: Shape, a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, out: Float32Array, outShape: Shape): void;
  /** Reduces the sorted `axes` of `x`; `out` has the shape with those axes removed. */
  reduce(op: ReduceKernel, x: Float32Array, shape: Shape, axes: readonly number[], out: Float32Array): void;
  /** Index of the largest (or smallest) value along `axis`, first one on ties. */
  argReduce(op: 'argMax' | 'argMin', x: Float32Array, shape: Shape, axis: number, out: Float32Array): void;
  /** Batched matrix product: `out[batch] = op(a[batch]) . op(b[batch])`, output batches contiguous [m, n]. */
  matmul(a: Float32Array, b: Float32Array, out: Float32Array, args: MatmulArgs): void;
  /** `out.shape[i] = shape[perm[i]]`. */
  transpose(x: Float32Array, shape: Shape, perm: readonly number[], out: Float32Array): void;
  /** Copies the box of extent `size` starting at `srcBegin` in `src` to `dstBegin` in `dst` (slice, pad, concat). */
  copyRegion(src: Float32Array, srcShape: Shape, srcBegin: readonly number[], dst: Float32Array, dstShape: Shape, dstBegin: readonly number[], size: readonly number[]): void;
}
