/**
 * The kernels every backend provides. Kernels work on raw Float32Arrays and write into a caller-allocated
 * `out`; they know nothing of autograd. The `js` backend is the portable reference that faster backends
 * are tested against.
 */
export type Shape = readonly number[];

/** Elementwise functions of one argument. `step` is x > 0 ? 1 : 0 (the derivative of relu). */
export type UnaryKernel = 'neg' | 'abs' | 'sign' | 'step' | 'exp' | 'log' | 'sqrt' | 'tanh' | 'sigmoid' | 'relu' | 'erf' | 'floor' | 'round';

/** Elementwise functions of two arguments; comparisons return 1 or 0. */
export type BinaryKernel =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'equal'
  | 'notEqual'
  | 'greater'
  | 'greaterEqual'
  | 'less'
  | 'lessEqual';

export type ReduceKernel = 'sum' | 'max' | 'min';

/** Activations that can be fused with a bias add; their derivatives are functions of the output. */
export type FusedActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/** The activations the fused recurrent loops compute (ops/recurrent.ts); each derivative is a function of its output. */
export type RecurrentActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'hardSigmoid';

/**
 * An LSTM loop over time (Keras' gate order i, f, c, o; see ops/recurrent.ts `lstmSequence`). Steps are numbered
 * in processing order s (time t = s, or T-1-s going backwards); a padded step (mask 0) carries the states over.
 */
export interface LstmArgs {
  batch: number;
  timesteps: number;
  units: number;
  /** The candidate's and the cell output's activation. */
  activation: RecurrentActivation;
  /** The gates' activation. */
  recurrentActivation: RecurrentActivation;
  goBackwards: boolean;
  /** [batch, timesteps] of 1 (a step) and 0 (padding), or none. */
  mask: Float32Array | null;
  /** Recurrent dropout: [batch, units], multiplying the state before the recurrent product, or none. */
  dropout: Float32Array | null;
  /** The steps the saved buffers hold: `timesteps` (for a backward), or 1 (one slot reused from step to step). */
  kept: number;
}

/**
 * A GRU loop over time (Keras' gate order z, r, h; see ops/recurrent.ts `gruSequence`): the LSTM's settings and
 * the reset variant.
 */
export interface GruArgs extends LstmArgs {
  /** Keras 3: the candidate is activation(x_h + r * (h . R_h + recurrentBias_h)); else (TF.js) activation(x_h + (r * h) . R_h). */
  resetAfter: boolean;
}

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

/**
 * One Adam step's scalars. `correction1` and `correction2` are `1 / (1 - beta^t)` (the bias corrections);
 * `decay` multiplies the weights first (AdamW's `1 - lr * weightDecay`; 1 for none).
 */
export interface AdamStep {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  correction1: number;
  correction2: number;
  decay: number;
}

export interface SgdStep {
  learningRate: number;
  /** 0 for plain gradient descent (then there is no velocity). */
  momentum: number;
  nesterov: boolean;
}

/**
 * Whose update formula an optimizer follows where Keras and TF.js differ: `'keras'` (the default) or
 * `'tfjs'` (TensorFlow.js 4.x, as `dendrite/tfjs` uses it). Each step type below says what changes.
 */
export type OptimizerFormula = 'keras' | 'tfjs';

export interface RmspropStep {
  learningRate: number;
  rho: number;
  /** 0 for none (then there is no momentum slot). */
  momentum: number;
  epsilon: number;
  /** 'tfjs': epsilon inside the root, `sqrt(a + eps)`, and centred `sqrt(a - mg^2 - eps)` (only the js kernel has it). */
  formula?: OptimizerFormula;
}

export interface AdagradStep {
  learningRate: number;
  epsilon: number;
  /** 'tfjs': epsilon inside the root, `sqrt(a + eps)` (only the js kernel has it). */
  formula?: OptimizerFormula;
}

/** One Adamax step: `learningRate` already includes the time decay; `correction1` is `1 / (1 - beta1^t)`. */
export interface AdamaxStep {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  correction1: number;
}

export interface AdadeltaStep {
  learningRate: number;
  rho: number;
  epsilon: number;
  /** 'tfjs': the step divides by the root of the accumulated squared gradients from before this gradient. */
  formula?: OptimizerFormula;
}

/** TF.js' momentum: the slot accumulates gradients and the learning rate scales the whole step. */
export interface MomentumStep {
  learningRate: number;
  momentum: number;
  nesterov: boolean;
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
  /**
   * A dropout mask: `out[i] = scale` where draw i of the seeded generator (sfc32, `state` advanced in place) is below
   * `keep * 2^32`, else 0; every backend yields the js bits (src/tensor/rng.ts bernoulliMaskJs).
   */
  bernoulliMask(out: Float32Array, state: Uint32Array, keep: number, scale: number): void;
  /** `out = dy * activation'` where the derivative is computed from the activation's output `y`. */
  activationBackward(activation: FusedActivation, y: Float32Array, dy: Float32Array, out: Float32Array): void;
  /**
   * The LSTM's forward loop: `x` the projected inputs [batch, timesteps, 4u], `recurrentKernel` [u, 4u], `h0`, `c0`
   * [batch, u]. Writes `out` [batch, timesteps, 2u] (h then c after each step, processing order), the recurrent
   * product's input `hIn` [batch, kept, u] (by time: row (n, t), or row n when kept = 1) and, per kept step slot
   * (processing order), the activated gates `gates` [kept, batch, 4u] and activation(c) `cellOut` [kept, batch, u]
   * (written for real steps only).
   */
  lstmForward(
    x: Float32Array,
    recurrentKernel: Float32Array,
    h0: Float32Array,
    c0: Float32Array,
    out: Float32Array,
    hIn: Float32Array,
    gates: Float32Array,
    cellOut: Float32Array,
    args: LstmArgs,
  ): void;
  /**
   * The LSTM's backward loop from `lstmForward`'s outputs and saved buffers (kept = timesteps) and the output's
   * gradient `dy`: writes the pre-activation gradients `dz` [batch, timesteps (time), 4u] (the projected inputs'
   * gradient; zero at padded steps) and leaves in `dh`, `dc` [batch, u] (zeroed by the caller) those of h0 and c0.
   * The recurrent kernel's gradient is then `hIn^T . dz`.
   */
  lstmBackward(
    dy: Float32Array,
    recurrentKernel: Float32Array,
    c0: Float32Array,
    out: Float32Array,
    gates: Float32Array,
    cellOut: Float32Array,
    dz: Float32Array,
    dh: Float32Array,
    dc: Float32Array,
    args: LstmArgs,
  ): void;
  /**
   * The GRU's forward loop: `x` [batch, timesteps, 3u] (with the input bias), `recurrentKernel` [u, 3u],
   * `recurrentBias` [3u] or null (resetAfter only), `h0` [batch, u]. Writes `out` [batch, timesteps, u] (h after each
   * step, processing order) and per kept slot (processing order) the recurrent product's input `hIn` [kept, batch, u],
   * the activated gates `gates` [kept, batch, 3u] and `extra` [kept, batch, u]: the candidate's recurrent term before
   * the reset gate (resetAfter), or the candidate product's input r * h.
   */
  gruForward(
    x: Float32Array,
    recurrentKernel: Float32Array,
    recurrentBias: Float32Array | null,
    h0: Float32Array,
    out: Float32Array,
    hIn: Float32Array,
    gates: Float32Array,
    extra: Float32Array,
    args: GruArgs,
  ): void;
  /**
   * The GRU's backward loop (kept = timesteps): writes, in processing order, the projected inputs' pre-activation
   * gradients `dx` [timesteps, batch, 3u], the recurrent product's `dRec` [timesteps, batch, 3u (resetAfter) or 2u]
   * and (not resetAfter) the candidate product's `dCand` [timesteps, batch, u] (all three zeroed by the caller;
   * padded rows stay zero; `dCand` is ignored with resetAfter), and leaves in `dh` (zeroed) h0's gradient.
   */
  gruBackward(
    dy: Float32Array,
    recurrentKernel: Float32Array,
    h0: Float32Array,
    out: Float32Array,
    gates: Float32Array,
    hIn: Float32Array,
    extra: Float32Array,
    dx: Float32Array,
    dRec: Float32Array,
    dCand: Float32Array,
    dh: Float32Array,
    args: GruArgs,
  ): void;
  /**
   * SimpleRNN's forward loop (`args.recurrentActivation` unused): `x` [batch, timesteps, u] (with the bias),
   * `recurrentKernel` [u, u], `h0` [batch, u]; per step h = activation(x_t + (h * dropout) . R). Writes `out`
   * [batch, timesteps, u] (processing order) and the recurrent product's input `hIn` [kept, batch, u] per slot.
   */
  simpleRnnForward(x: Float32Array, recurrentKernel: Float32Array, h0: Float32Array, out: Float32Array, hIn: Float32Array, args: LstmArgs): void;
  /**
   * SimpleRNN's backward loop (kept = timesteps): writes the pre-activation gradients `dA` [timesteps (processing
   * order), batch, u] (zeroed by the caller; padded rows stay zero) and leaves h0's gradient in `dh` (zeroed).
   */
  simpleRnnBackward(dy: Float32Array, recurrentKernel: Float32Array, out: Float32Array, dA: Float32Array, dh: Float32Array, args: LstmArgs): void;
  /** Reduces the sorted `axes` of `x`; `out` has the shape with those axes removed. */
  reduce(op: ReduceKernel, x: Float32Array, shape: Shape, axes: readonly number[], out: Float32Array): void;
  /** Index of the largest (or smallest) value along `axis`, first one on ties. */
  argReduce(op: 'argMax' | 'argMin', x: Float32Array, shape: Shape, axis: number, out: Float32Array): void;
  /** Batched matrix product: `out[batch] = op(a[batch]) . op(b[batch])`, output batches contiguous [m, n]. */
  matmul(a: Float32Array, b: Float32Array, out: Float32Array, args: MatmulArgs): void;
  /**
   * Copies rows of `rowSize` values: `out` row i is `x` row `rows[i]` (batch slicing). Every index must be a
   * row of `x`; callers check them.
   */
  gatherRows(x: Float32Array, rowSize: number, rows: ArrayLike<number>, out: Float32Array): void;
  /** `out.shape[i] = shape[perm[i]]`. */
  transpose(x: Float32Array, shape: Shape, perm: readonly number[], out: Float32Array): void;
  /** Copies the box of extent `size` starting at `srcBegin` in `src` to `dstBegin` in `dst` (slice, pad, concat). */
  copyRegion(
    src: Float32Array,
    srcShape: Shape,
    srcBegin: readonly number[],
    dst: Float32Array,
    dstShape: Shape,
    dstBegin: readonly number[],
    size: readonly number[],
  ): void;
  /** NHWC convolution (cross-correlation): `x` [batch, inH, inW, inC], `filter` [kh, kw, inC, outC], `out` [batch, outH, outW, outC]. */
  conv2d(x: Float32Array, filter: Float32Array, out: Float32Array, info: Conv2DInfo): void;
  /**
   * `out = activation(conv2d(x, filter) + bias)` (`bias` [outC] or none), then, when `pool` is given, max-pooled by it
   * (`pool` over the convolved image, its windows tiling it: strides equal to the pool size, no padding); `out` has the
   * pooled shape then, and `convOut` (when given, with a pool) receives the activated convolution before the pool.
   * Fast backends finish each block of the convolution while it is in cache.
   */
  conv2dFused(
    x: Float32Array,
    filter: Float32Array,
    bias: Float32Array | null,
    activation: FusedActivation,
    out: Float32Array,
    info: Conv2DInfo,
    pool: Pool2DInfo | null,
    convOut: Float32Array | null,
  ): void;
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
  /**
   * `dz = activationBackward(activation, y, maxPool2dBackprop(y, dy))`: the gradient through an activation and the max
   * pool after it, `y` being the activation's output (the pool's input); fast backends do it image by image in cache.
   * `biasGrad` (or none) [channels]: the sums of dz over each image's pixels (in order), then over the images in order.
   */
  maxPoolActivationBackward(
    y: Float32Array,
    dy: Float32Array,
    activation: FusedActivation,
    dz: Float32Array,
    biasGrad: Float32Array | null,
    info: Pool2DInfo,
  ): void;
  /** Mean over the real (non-padding) cells of each window. */
  avgPool2d(x: Float32Array, out: Float32Array, info: Pool2DInfo): void;
  avgPool2dBackprop(dy: Float32Array, dx: Float32Array, info: Pool2DInfo): void;
  /** Bilinear resize (edges clamped); `out` [batch, outH, outW, channels]. */
  resizeBilinear(x: Float32Array, out: Float32Array, info: ResizeInfo): void;
  resizeBilinearBackprop(dy: Float32Array, dx: Float32Array, info: ResizeInfo): void;
  /** Nearest-neighbour resize; `out` [batch, outH, outW, channels]. */
  resizeNearestNeighbor(x: Float32Array, out: Float32Array, info: ResizeInfo): void;
  resizeNearestNeighborBackprop(dy: Float32Array, dx: Float32Array, info: ResizeInfo): void;
  /** Softmax over each row of `cols` values: `out[r, j] = exp(x[r, j] - max_r) / sum_j exp(x[r, j] - max_r)`. */
  softmax(x: Float32Array, rows: number, cols: number, out: Float32Array): void;
  /**
   * Softmax + crossentropy from logits, per row: `probs = softmax(logits)` and
   * `losses[r] = -sum_j labels[r, j] * logSoftmax(logits)[r, j]`.
   */
  softmaxCrossEntropy(logits: Float32Array, labels: Float32Array, rows: number, cols: number, probs: Float32Array, losses: Float32Array): void;
  /** Its gradient for the logits: `dLogits[r, j] = dLosses[r] * (probs[r, j] * sum_j labels[r, j] - labels[r, j])`. */
  softmaxCrossEntropyBackward(probs: Float32Array, labels: Float32Array, dLosses: Float32Array, rows: number, cols: number, dLogits: Float32Array): void;
  /**
   * Optimizer updates, in place on the weights `p` and the slots, from the gradient `g` (Keras formulas,
   * arithmetic in the precision and order of src/backend/js/optim.ts, so every backend gives the same floats).
   */
  adamUpdate(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, step: AdamStep): void;
  sgdUpdate(p: Float32Array, g: Float32Array, velocity: Float32Array | null, step: SgdStep): void;
  rmspropUpdate(
    p: Float32Array,
    g: Float32Array,
    accumulator: Float32Array,
    momentum: Float32Array | null,
    average: Float32Array | null,
    step: RmspropStep,
  ): void;
  adagradUpdate(p: Float32Array, g: Float32Array, accumulator: Float32Array, step: AdagradStep): void;
  adamaxUpdate(p: Float32Array, g: Float32Array, m: Float32Array, u: Float32Array, step: AdamaxStep): void;
  adadeltaUpdate(p: Float32Array, g: Float32Array, accumulatedGrad: Float32Array, accumulatedDelta: Float32Array, step: AdadeltaStep): void;
  momentumUpdate(p: Float32Array, g: Float32Array, accumulation: Float32Array, step: MomentumStep): void;
}
