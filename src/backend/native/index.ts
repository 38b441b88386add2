import { bernoulliMaskJs } from '../../tensor/rng.js';
import type { Backend, BinaryKernel, Conv2DInfo, FusedActivation, GruArgs, LstmArgs, Pool2DInfo, ReduceKernel, Shape, UnaryKernel } from '../backend.js';
import { isTrailingBlock } from '../js/broadcast.js';
import { jsBackend } from '../js/index.js';
import { ACTIVATION_CODE } from '../js/recurrent.js';

// The native backend: C++ kernels (an AVX-512/AVX2 GEMM with a thread pool, convolutions via im2col,
// pooling, the fused bias + activation, elementwise ops and reductions, softmax + crossentropy, optimizer
// updates, batch gathering, the recurrent layers' loops over time) built from native/ by `npm install`, working in place on the tensors'
// Float32Arrays. Kernels it does not provide are the js ones. Where the addon cannot load (not built, another platform, a browser,
// Node older than 20.16) `nativeBackend` is null and dendrite runs on js.

/** The addon's exports (see native/src/addon.cc). */
interface Addon {
  matmul(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    m: number,
    k: number,
    n: number,
    transposeA: boolean,
    transposeB: boolean,
    aOffsets: number | Float64Array,
    bOffsets: number | Float64Array,
  ): void;
  conv2d(x: Float32Array, filter: Float32Array, out: Float32Array, geometry: Int32Array): void;
  conv2dFused(
    x: Float32Array,
    filter: Float32Array,
    bias: Float32Array | null,
    activation: number,
    out: Float32Array,
    geometry: Int32Array,
    poolGeometry: Int32Array | null,
    convOut: Float32Array | null,
  ): void;
  maxPoolActivationBackward(y: Float32Array, dy: Float32Array, activation: number, dz: Float32Array, biasGrad: Float32Array | null, geometry: Int32Array): void;
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, geometry: Int32Array): void;
  maxPool2d(x: Float32Array, out: Float32Array, geometry: Int32Array): void;
  maxPool2dBackprop(x: Float32Array, dy: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  avgPool2d(x: Float32Array, out: Float32Array, geometry: Int32Array): void;
  avgPool2dBackprop(dy: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  biasActivation(x: Float32Array, bias: Float32Array | null, activation: number, out: Float32Array): void;
  bernoulliMask(out: Float32Array, state: Uint32Array, keep: number, scale: number): void;
  activationBackward(activation: number, y: Float32Array, dy: Float32Array, out: Float32Array): void;
  lstmForward(
    x: Float32Array,
    recurrentKernel: Float32Array,
    h0: Float32Array,
    c0: Float32Array,
    out: Float32Array,
    hIn: Float32Array,
    gates: Float32Array,
    cellOut: Float32Array,
    mask: Float32Array | null,
    dropout: Float32Array | null,
    geometry: Int32Array,
  ): void;
  gruForward(
    x: Float32Array,
    recurrentKernel: Float32Array,
    recurrentBias: Float32Array | null,
    h0: Float32Array,
    out: Float32Array,
    hIn: Float32Array,
    gates: Float32Array,
    extra: Float32Array,
    mask: Float32Array | null,
    dropout: Float32Array | null,
    geometry: Int32Array,
  ): void;
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
    mask: Float32Array | null,
    dropout: Float32Array | null,
    geometry: Int32Array,
  ): void;
  simpleRnnForward(
    x: Float32Array,
    recurrentKernel: Float32Array,
    h0: Float32Array,
    out: Float32Array,
    hIn: Float32Array,
    mask: Float32Array | null,
    dropout: Float32Array | null,
    geometry: Int32Array,
  ): void;
  simpleRnnBackward(
    dy: Float32Array,
    recurrentKernel: Float32Array,
    out: Float32Array,
    dA: Float32Array,
    dh: Float32Array,
    mask: Float32Array | null,
    dropout: Float32Array | null,
    geometry: Int32Array,
  ): void;
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
    mask: Float32Array | null,
    dropout: Float32Array | null,
    geometry: Int32Array,
  ): void;
  binary(op: number, a: Float32Array, aPeriod: number, b: Float32Array, bPeriod: number, out: Float32Array): void;
  unary(op: number, x: Float32Array, out: Float32Array): void;
  reduce(op: number, x: Float32Array, geometry: Int32Array, out: Float32Array): void;
  softmax(x: Float32Array, rows: number, cols: number, out: Float32Array): void;
  softmaxCrossEntropy(logits: Float32Array, labels: Float32Array, rows: number, cols: number, probs: Float32Array, losses: Float32Array): void;
  softmaxCrossEntropyBackward(probs: Float32Array, labels: Float32Array, dLosses: Float32Array, rows: number, cols: number, dLogits: Float32Array): void;
  adamUpdate(
    p: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    lr: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    correction1: number,
    correction2: number,
    decay: number,
  ): void;
  sgdUpdate(p: Float32Array, g: Float32Array, velocity: Float32Array | null, lr: number, momentum: number, nesterov: boolean): void;
  rmspropUpdate(
    p: Float32Array,
    g: Float32Array,
    accumulator: Float32Array,
    momentum: Float32Array | null,
    average: Float32Array | null,
    lr: number,
    rho: number,
    momentumFactor: number,
    epsilon: number,
  ): void;
  adagradUpdate(p: Float32Array, g: Float32Array, accumulator: Float32Array, lr: number, epsilon: number): void;
  gatherRows(x: Float32Array, rowSize: number, rows: Int32Array, out: Float32Array): void;
  info(): NativeInfo;
  configure(options: { isa?: string; parallelThreshold?: number }): void;
  fmaPeak(isa: string, threads: number, seconds: number): { gflops: number; isa: string };
}

/** What the loaded addon runs on. */
export interface NativeInfo {
  /** The GEMM kernel in use: 'avx512', 'avx2' or 'scalar'. */
  isa: string;
  /** Threads a kernel may use, the caller included (`DENDRITE_NUM_THREADS` overrides). */
  threads: number;
  /** Multiply-adds from which a GEMM is split over the threads. */
  parallelThreshold: number;
  /** The kernels this CPU can run. */
  isas: string[];
}

const ADDON_PATH = ['native', 'build', 'Release', 'dendrite_native.node'];

/** Node's built-in modules without a static import, so that bundling this file for a browser still works. */
function builtin<T>(id: string): T | null {
  if (typeof process === 'undefined' || !process.versions?.node) return null;
  const get = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  return typeof get === 'function' ? (get(id) as T) : null;
}

/** Loads the compiled addon from the package root (the folder whose package.json is named dendrite). */
function loadAddon(): Addon | null {
  try {
    const fs = builtin<typeof import('node:fs')>('node:fs');
    const path = builtin<typeof import('node:path')>('node:path');
    const url = builtin<typeof import('node:url')>('node:url');
    const mod = builtin<typeof import('node:module')>('node:module');
    if (!fs || !path || !url || !mod || !import.meta.url.startsWith('file:')) return null;
    // the source lives in src/backend/native/, the compiled code in dist/backend/native/
    let dir = path.dirname(url.fileURLToPath(import.meta.url));
    for (;;) {
      const pkg = path.join(dir, 'package.json');
      if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'dendrite') break;
      const up = path.dirname(dir);
      if (up === dir) return null;
      dir = up;
    }
    const file = path.join(dir, ...ADDON_PATH);
    if (!fs.existsSync(file)) return null;
    return mod.createRequire(import.meta.url)(file) as Addon;
  } catch {
    return null;
  }
}

const addon = loadAddon();

// Geometry goes to the addon as an Int32Array in ConvInfo / PoolInfo field order, reused across calls.
const convGeometry = new Int32Array(15);
const poolGeometry = new Int32Array(12);

function conv(info: Conv2DInfo): Int32Array {
  const g = convGeometry;
  g[0] = info.batch;
  g[1] = info.inH;
  g[2] = info.inW;
  g[3] = info.inC;
  g[4] = info.outH;
  g[5] = info.outW;
  g[6] = info.outC;
  g[7] = info.kh;
  g[8] = info.kw;
  g[9] = info.strideH;
  g[10] = info.strideW;
  g[11] = info.dilationH;
  g[12] = info.dilationW;
  g[13] = info.padTop;
  g[14] = info.padLeft;
  return g;
}

function pool(info: Pool2DInfo): Int32Array {
  const g = poolGeometry;
  g[0] = info.batch;
  g[1] = info.inH;
  g[2] = info.inW;
  g[3] = info.channels;
  g[4] = info.outH;
  g[5] = info.outW;
  g[6] = info.poolH;
  g[7] = info.poolW;
  g[8] = info.strideH;
  g[9] = info.strideW;
  g[10] = info.padTop;
  g[11] = info.padLeft;
  return g;
}

const ACTIVATIONS: Record<FusedActivation, number> = { linear: 0, relu: 1, sigmoid: 2, tanh: 3 };

// Kernel codes, in the order of the enums in native/src/elementwise.h; pow stays in js (Math.pow and libm's
// pow may round differently).
const BINARY: Partial<Record<BinaryKernel, number>> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
  equal: 6,
  notEqual: 7,
  greater: 8,
  greaterEqual: 9,
  less: 10,
  lessEqual: 11,
};
const UNARY: Record<UnaryKernel, number> = {
  neg: 0,
  abs: 1,
  sign: 2,
  step: 3,
  exp: 4,
  log: 5,
  sqrt: 6,
  tanh: 7,
  sigmoid: 8,
  relu: 9,
  erf: 10,
  floor: 11,
  round: 12,
};
const REDUCE: Record<ReduceKernel, number> = { sum: 0, max: 1, min: 2 };

/**
 * The repetition period of an operand of a broadcast binary op the addon handles: its own length when it
 * is a scalar, a full array or a repeated trailing block; -1 (general broadcasting: js) otherwise.
 */
function period(length: number, shape: Shape, n: number, outShape: Shape): number {
  if (length === n || length === 1) return length;
  return length > 0 && isTrailingBlock(shape, outShape) ? length : -1;
}

// Below this many elements the js loops beat the cost of a call into the addon.
const SMALL = 64;

let reduceGeometry = new Int32Array(17);

function offsets(o: readonly number[]): number | Float64Array {
  return o.length === 1 ? o[0] : Float64Array.from(o);
}

/** An LSTM call's geometry, in the field order of LstmInfo (native/src/recurrent.h). */
function lstm(a: LstmArgs): Int32Array {
  const code = ACTIVATION_CODE;
  return Int32Array.of(a.batch, a.timesteps, a.units, code[a.activation], code[a.recurrentActivation], a.goBackwards ? 1 : 0, a.kept);
}

/** A GRU call's geometry, in the field order of GruInfo (native/src/recurrent.h). */
function gru(a: GruArgs): Int32Array {
  const code = ACTIVATION_CODE;
  return Int32Array.of(a.batch, a.timesteps, a.units, code[a.activation], code[a.recurrentActivation], a.goBackwards ? 1 : 0, a.kept, a.resetAfter ? 1 : 0);
}

function makeBackend(native: Addon): Backend {
  const matmul: Backend['matmul'] = (a, b, out, args) =>
    native.matmul(a, b, out, args.m, args.k, args.n, args.transposeA, args.transposeB, offsets(args.aOffsets), offsets(args.bOffsets));
  return {
    ...jsBackend,
    name: 'native',
    matmul,
    conv2d: (x, filter, out, info) => native.conv2d(x, filter, out, conv(info)),
    conv2dFused: (x, filter, bias, activation, out, info, p, convOut) =>
      native.conv2dFused(x, filter, bias, ACTIVATIONS[activation], out, conv(info), p ? pool(p) : null, convOut),
    conv2dBackpropInput: (dy, filter, dx, info) => native.conv2dBackpropInput(dy, filter, dx, conv(info)),
    conv2dBackpropFilter: (x, dy, dw, info) => native.conv2dBackpropFilter(x, dy, dw, conv(info)),
    maxPool2d: (x, out, info) => native.maxPool2d(x, out, pool(info)),
    maxPool2dBackprop: (x, dy, dx, info) => native.maxPool2dBackprop(x, dy, dx, pool(info)),
    maxPoolActivationBackward: (y, dy, activation, dz, biasGrad, info) =>
      native.maxPoolActivationBackward(y, dy, ACTIVATIONS[activation], dz, biasGrad, pool(info)),
    avgPool2d: (x, out, info) => native.avgPool2d(x, out, pool(info)),
    avgPool2dBackprop: (dy, dx, info) => native.avgPool2dBackprop(dy, dx, pool(info)),
    biasActivation: (x, bias, activation, out) => native.biasActivation(x, bias, ACTIVATIONS[activation], out),
    bernoulliMask: (out, state, keep, scale) => (out.length < SMALL ? bernoulliMaskJs(out, state, keep, scale) : native.bernoulliMask(out, state, keep, scale)),
    activationBackward: (activation, y, dy, out) => native.activationBackward(ACTIVATIONS[activation], y, dy, out),
    lstmForward: (x, r, h0, c0, out, hIn, gates, cellOut, args) =>
      native.lstmForward(x, r, h0, c0, out, hIn, gates, cellOut, args.mask, args.dropout, lstm(args)),
    lstmBackward: (dy, r, c0, out, gates, cellOut, dz, dh, dc, args) =>
      native.lstmBackward(dy, r, c0, out, gates, cellOut, dz, dh, dc, args.mask, args.dropout, lstm(args)),
    simpleRnnForward: (x, r, h0, out, hIn, args) => native.simpleRnnForward(x, r, h0, out, hIn, args.mask, args.dropout, lstm(args)),
    simpleRnnBackward: (dy, r, out, dA, dh, args) => native.simpleRnnBackward(dy, r, out, dA, dh, args.mask, args.dropout, lstm(args)),
    gruForward: (x, r, rb, h0, out, hIn, gates, extra, args) => native.gruForward(x, r, rb, h0, out, hIn, gates, extra, args.mask, args.dropout, gru(args)),
    gruBackward: (dy, r, h0, out, gates, hIn, extra, dx, dRec, dCand, dh, args) =>
      native.gruBackward(dy, r, h0, out, gates, hIn, extra, dx, dRec, dCand, dh, args.mask, args.dropout, gru(args)),
    binary: (op, a, aShape, b, bShape, out, outShape) => {
      const code = BINARY[op];
      const n = out.length;
      if (code !== undefined && n >= SMALL) {
        const pa = period(a.length, aShape, n, outShape);
        const pb = period(b.length, bShape, n, outShape);
        if (pa > 0 && pb > 0 && (pa === n || pb === n)) return native.binary(code, a, pa, b, pb, out);
      }
      jsBackend.binary(op, a, aShape, b, bShape, out, outShape);
    },
    unary: (op, x, out) => (x.length >= SMALL ? native.unary(UNARY[op], x, out) : jsBackend.unary(op, x, out)),
    reduce: (op, x, shape, axes, out) => {
      if (x.length < SMALL) return jsBackend.reduce(op, x, shape, axes, out);
      const rank = shape.length;
      if (reduceGeometry.length < 1 + 2 * rank) reduceGeometry = new Int32Array(1 + 2 * rank);
      const g = reduceGeometry;
      g[0] = rank;
      for (let i = 0; i < rank; i++) {
        g[1 + i] = shape[i];
        g[1 + rank + i] = 0;
      }
      for (const a of axes) g[1 + rank + a] = 1;
      native.reduce(REDUCE[op], x, g, out);
    },
    gatherRows: (x, rowSize, rows, out) => native.gatherRows(x, rowSize, rows instanceof Int32Array ? rows : Int32Array.from(rows), out),
    softmax: (x, rows, cols, out) => native.softmax(x, rows, cols, out),
    softmaxCrossEntropy: (logits, labels, rows, cols, probs, losses) => native.softmaxCrossEntropy(logits, labels, rows, cols, probs, losses),
    softmaxCrossEntropyBackward: (probs, labels, dLosses, rows, cols, dLogits) =>
      native.softmaxCrossEntropyBackward(probs, labels, dLosses, rows, cols, dLogits),
    adamUpdate: (p, g, m, v, s) => native.adamUpdate(p, g, m, v, s.learningRate, s.beta1, s.beta2, s.epsilon, s.correction1, s.correction2, s.decay),
    sgdUpdate: (p, g, velocity, s) => native.sgdUpdate(p, g, velocity, s.learningRate, s.momentum, s.nesterov),
    // TF.js' formulas (formula 'tfjs') are the js kernels'
    rmspropUpdate: (p, g, accumulator, momentum, average, s) =>
      s.formula === 'tfjs'
        ? jsBackend.rmspropUpdate(p, g, accumulator, momentum, average, s)
        : native.rmspropUpdate(p, g, accumulator, momentum, average, s.learningRate, s.rho, s.momentum, s.epsilon),
    adagradUpdate: (p, g, accumulator, s) =>
      s.formula === 'tfjs' ? jsBackend.adagradUpdate(p, g, accumulator, s) : native.adagradUpdate(p, g, accumulator, s.learningRate, s.epsilon),
  };
}

/** The native backend, or null where the addon is not available. */
export const nativeBackend: Backend | null = addon ? makeBackend(addon) : null;

/** The addon's CPU and threading facts, or null without it. */
export function nativeInfo(): NativeInfo | null {
  return addon ? addon.info() : null;
}

/**
 * Tunes the addon (for tests and benchmarks): `isa` picks a GEMM kernel the CPU supports ('avx512', 'avx2',
 * 'scalar'); `parallelThreshold` sets the multiply-adds from which a GEMM uses several threads.
 */
export function configureNative(options: { isa?: string; parallelThreshold?: number }): void {
  addon?.configure(options);
}

/**
 * The machine's floating-point peak in GFLOP/s, measured (for the bench's roofline): `threads` threads (default:
 * the pool's) each run a tight loop of independent FMAs in registers for about `seconds`, in `isa` (default: the
 * best the CPU has). Null without the addon.
 */
export function measureFmaPeak(options: { isa?: string; threads?: number; seconds?: number } = {}): { gflops: number; isa: string } | null {
  if (!addon) return null;
  const info = addon.info();
  return addon.fmaPeak(options.isa ?? info.isas[0], options.threads ?? info.threads, options.seconds ?? 0.5);
}
