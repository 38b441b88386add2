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

/** Activations that can be fused with a bias add; their derivatives are functions of the output. */
export type FusedActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

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

/**
 * Geometry of a 2-D convolution over NHWC images (plain numbers, shared by the forward kernel and both
 * gradients). Output pixel (oh, ow) reads input rows `oh*strideH - padTop + ky*dilationH` (and likewise for
 * columns); rows or columns outside the input are zeros, so the bottom/right padding is implied by `outH`,
 * `outW`. For a depthwise convolution `outC = inC * channelMultiplier`.
 */
export interface Conv2DInfo {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kh: number;
  kw: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padLeft: number;
}

/** Geometry of a 2-D pooling window over NHWC images; cells outside the input are padding and never count. */
export interface Pool2DInfo {
  batch: number;
  inH: number;
  inW: number;
  channels: number;
  outH: number;
  outW: number;
  poolH: number;
  poolW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

/**
 * Geometry of an image resize over NHWC images. Source coordinate of output pixel `o` along an axis:
 * `alignCorners`: `o * (in-1)/(out-1)`; `halfPixelCenters`: `(o + 0.5) * in/out - 0.5` (bilinear) or
 * `(o + 0.5) * in/out` (nearest); otherwise `o * in/out` (TensorFlow's three conventions).
 */
export interface ResizeInfo {
  batch: number;
  inH: number;
  inW: number;
  channels: number;
  outH: number;
  outW: number;
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

export interface Backend {
  readonly name: string;
  unary(op: UnaryKernel, x: Float32Array, out: Float32Array): void;
  /** `out[outShape] = a op b`, each input broadcast to `outShape` (numpy rules, aligned from the right). */
  binary(op: BinaryKernel, a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, out: Float32Array, outShape: Shape): void;
  /** `out = cond != 0 ? a : b`, all three broadcast to `outShape`. */
  where(cond: Float32Array, condShape: Shape, a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, out: Float32Array, outShape: Shape): void;
  /** `out = activation(x + bias)` with `bias` (or none) repeated over the rows of the [rows, bias.length] input. */
  biasActivation(x: Float32Array, bias: Float32Array | null, activation: FusedActivation, out: Float32Array): void;
  /** `out = dy * activation'` where the derivative is computed from the activation's output `y`. */
  activationBackward(activation: FusedActivation, y: Float32Array, dy: Float32Array, out: Float32Array): void;
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
  /** NHWC convolution (cross-correlation): `x` [batch, inH, inW, inC], `filter` [kh, kw, inC, outC], `out` [batch, outH, outW, outC]. */
  conv2d(x: Float32Array, filter: Float32Array, out: Float32Array, info: Conv2DInfo): void;
  /** Gradient of `conv2d` with respect to `x` (transposed convolution): `dy` [batch, outH, outW, outC] -> `dx` [batch, inH, inW, inC]. */
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, info: Conv2DInfo): void;
  /** Gradient of `conv2d` with respect to `filter`: `dw` [kh, kw, inC, outC]. */
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, info: Conv2DInfo): void;
  /** Depthwise convolution: `filter` [kh, kw, inC, multiplier]; output channel `c*multiplier + m` uses `filter[:, :, c, m]`. */
  depthwiseConv2d(x: Float32Array, filter: Float32Array, out: Float32Array, info: Conv2DInfo): void;
  depthwiseConv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, info: Conv2DInfo): void;
  depthwiseConv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, info: Conv2DInfo): void;
  /** Max over each window (padding never wins). */
  maxPool2d(x: Float32Array, out: Float32Array, info: Pool2DInfo): void;
  /** Routes each `dy` to the first maximum of its window in `x` (row-major scan). */
  maxPool2dBackprop(x: Float32Array, dy: Float32Array, dx: Float32Array, info: Pool2DInfo): void;
  /** Mean over the real (non-padding) cells of each window. */
  avgPool2d(x: Float32Array, out: Float32Array, info: Pool2DInfo): void;
  avgPool2dBackprop(dy: Float32Array, dx: Float32Array, info: Pool2DInfo): void;
  /** Bilinear resize (edges clamped); `out` [batch, outH, outW, channels]. */
  resizeBilinear(x: Float32Array, out: Float32Array, info: ResizeInfo): void;
  resizeBilinearBackprop(dy: Float32Array, dx: Float32Array, info: ResizeInfo): void;
  /** Nearest-neighbour resize; `out` [batch, outH, outW, channels]. */
  resizeNearestNeighbor(x: Float32Array, out: Float32Array, info: ResizeInfo): void;
  resizeNearestNeighborBackprop(dy: Float32Array, dx: Float32Array, info: ResizeInfo): void;
}
