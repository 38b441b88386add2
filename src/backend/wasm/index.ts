import { relaxedSimdAllowed } from '../../env.js';
import type { Backend, Conv2DInfo, FusedActivation, MatmulArgs, Pool2DInfo } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { composeConv2dFused, composeMaxPoolActivationBackward } from '../js/fused.js';
import { gruKernels, lstmKernels, simpleRnnKernels } from '../js/recurrent.js';
import { Arena } from './arena.js';
import { RELAXED_SIMD, RELAXED_SIMD_THREADS, SIMD, SIMD_THREADS } from './kernels.generated.js';
import { startWorkers, threadCount, threadImports } from './threads.js';

// The wasm backend: AssemblyScript kernels (wasm/assembly/) compiled to WebAssembly SIMD128 — a packed,
// cache-blocked GEMM with a 4x8 register tile (split over worker threads in Node and in a cross-origin-isolated
// page's Web Workers), convolutions via im2col + that GEMM, pooling, and the fused bias + activation. It is the browser's fast path and runs
// anywhere WebAssembly SIMD does. Operands are copied into the module's memory (one growing arena, reused)
// and results copied out. Kernels it does not provide are the js ones. `wasmBackend` is null where
// WebAssembly SIMD is unavailable.

/** The module's exports (see wasm/assembly/index.ts); pointers are byte addresses, booleans 0/1. */
interface Kernels {
  memory: WebAssembly.Memory;
  /** Lays out the scratch of `threads` threads; returns the first byte of the caller's arena. */
  init(threads: number, parallelThreshold: number): number;
  setThreshold(parallelThreshold: number): void;
  usableThreads(): number;
  /** 1 when a worker failed its part since the last call (the result is then incomplete). */
  takeFailure(): number;
  chunkRows(K: number): number;
  gemm(a: number, b: number, c: number, m: number, k: number, n: number, transA: boolean, transB: boolean, ldc: number, accumulate: boolean): void;
  conv2d(x: number, filter: number, out: number, geometry: number, cols: number): void;
  conv2dBackpropInput(dy: number, filter: number, dx: number, geometry: number, cols: number): void;
  conv2dBackpropFilter(x: number, dy: number, dw: number, geometry: number, cols: number): void;
  maxPool2d(x: number, out: number, geometry: number): void;
  maxPool2dBackprop(x: number, dy: number, dx: number, geometry: number): void;
  avgPool2d(x: number, out: number, geometry: number): void;
  avgPool2dBackprop(dy: number, dx: number, geometry: number): void;
  biasActivation(x: number, bias: number, activation: number, out: number, rows: number, cols: number): void;
  activationBackward(activation: number, y: number, dy: number, out: number, count: number): void;
}

/** What the loaded module runs on. */
export interface WasmInfo {
  /** True when the relaxed-SIMD build (fused multiply-add) was chosen; it needs a runtime that validates it. */
  relaxedSimd: boolean;
  /** False until the module is compiled (only the browser's main thread compiles asynchronously). */
  ready: boolean;
  /** Threads a GEMM may use, the caller included (1: the single-thread build; DENDRITE_NUM_THREADS sets it in Node, the cores in a browser worker). */
  threads: number;
  /** Threads running now (workers start on the first GEMM; until they are all ready, GEMMs use one). */
  threadsRunning: number;
  /** Multiply-adds from which a GEMM is split over the threads. */
  parallelThreshold: number;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  if (typeof atob === 'function') return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return Uint8Array.from(Buffer.from(base64, 'base64'));
}

interface Build {
  bytes: Uint8Array<ArrayBuffer>;
  relaxed: boolean;
  /** 1 for the single-thread builds. */
  threads: number;
}

/** The best build this runtime validates: relaxed SIMD (FMA) before plain SIMD, threads (Node, isolated browser workers) before none. */
function pickBuild(): Build | null {
  if (typeof WebAssembly !== 'object') return null;
  const relaxed = relaxedSimdAllowed();
  const threads = threadCount();
  const candidates: [string | null, boolean, number][] = [];
  if (threads > 1) candidates.push([RELAXED_SIMD_THREADS, true, threads], [SIMD_THREADS, false, threads]);
  candidates.push([RELAXED_SIMD, true, 1], [SIMD, false, 1]);
  for (const [base64, isRelaxed, t] of candidates) {
    if (!base64 || (isRelaxed && !relaxed)) continue;
    try {
      const bytes = decode(base64);
      if (WebAssembly.validate(bytes)) return { bytes, relaxed: isRelaxed, threads: t };
    } catch {
      // not this one
    }
  }
  return null;
}

/** Multiply-adds from which a GEMM is split over threads (about 50 µs of work on one). */
const PARALLEL_THRESHOLD = 1 << 21;

const build = pickBuild();
let kernels: Kernels | null = null;
let arena: Arena | null = null;
let threshold = PARALLEL_THRESHOLD;
/** Starts the workers on the first GEMM (so a process that never uses wasm never starts them). */
let startThreads: (() => void) | null = null;

/** The module's imports: the threads build's shared memory (its workers attach to the same one). */
function imports(b: Build): WebAssembly.Imports {
  return b.threads > 1 ? threadImports(new WebAssembly.Memory({ initial: 1, maximum: 32768, shared: true })) : {};
}

function adopt(b: Build, module: WebAssembly.Module, instance: WebAssembly.Instance, env: WebAssembly.Imports): void {
  const k = instance.exports as unknown as Kernels;
  const memory = (env.env?.memory as WebAssembly.Memory | undefined) ?? k.memory;
  arena = new Arena(memory, k.init(b.threads, threshold));
  if (b.threads > 1) {
    startThreads = () => {
      startThreads = null;
      startWorkers(module, memory, b.threads);
    };
  }
  kernels = k;
}

/**
 * Resolves once the module is compiled (at once in Node and in workers). Chrome refuses to compile a
 * module over 4 KB synchronously on a page's main thread; there we compile asynchronously and, until it is
 * ready, every kernel runs on the js reference (same results up to float rounding). The alternative — no
 * wasm on the main thread at all — would leave a page's own inference on js for good; this way it speeds
 * up a few milliseconds after load, and workers (where training runs) have wasm from the first call.
 */
export const wasmReady: Promise<boolean> = (() => {
  if (!build) return Promise.resolve(false);
  const env = imports(build);
  try {
    const module = new WebAssembly.Module(build.bytes);
    adopt(build, module, new WebAssembly.Instance(module, env), env);
    return Promise.resolve(true);
  } catch {
    return WebAssembly.instantiate(build.bytes, env).then(
      (result) => {
        adopt(build, result.module, result.instance, env);
        return true;
      },
      () => false,
    );
  }
})();

const ACTIVATIONS: Record<FusedActivation, number> = { linear: 0, relu: 1, sigmoid: 2, tanh: 3 };

function tooShort(what: string, have: number, need: number): void {
  if (have < need) throw new RangeError(`wasm backend: ${what} is too short (${have} elements, needs ${need})`);
}

function convGeometry(c: Conv2DInfo): number[] {
  return [c.batch, c.inH, c.inW, c.inC, c.outH, c.outW, c.outC, c.kh, c.kw, c.strideH, c.strideW, c.dilationH, c.dilationW, c.padTop, c.padLeft];
}

function poolGeometry(p: Pool2DInfo): number[] {
  return [p.batch, p.inH, p.inW, p.channels, p.outH, p.outW, p.poolH, p.poolW, p.strideH, p.strideW, p.padTop, p.padLeft];
}

// Each kernel below returns false, having written nothing, when its operands do not fit in wasm memory
// (or a worker thread failed its part of a GEMM): the caller then runs the js kernel.

function matmul(k: Kernels, mem: Arena, a: Float32Array, b: Float32Array, out: Float32Array, args: MatmulArgs): boolean {
  const { m, k: inner, n, transposeA, transposeB, aOffsets, bOffsets } = args;
  const count = aOffsets.length;
  const size = m * n;
  tooShort('out', out.length, count * size);
  if (count === 0 || size === 0) return true;
  for (let i = 0; i < count; i++) {
    tooShort('a', a.length, aOffsets[i] + m * inner);
    tooShort('b', b.length, bOffsets[i] + inner * n);
  }
  startThreads?.();
  mem.begin();
  const pa = mem.alloc(a.length),
    pb = mem.alloc(b.length),
    pc = mem.alloc(count * size);
  if (!mem.commit()) return false;
  mem.put(pa, a);
  mem.put(pb, b);
  for (let i = 0; i < count; i++) {
    k.gemm(pa + 4 * aOffsets[i], pb + 4 * bOffsets[i], pc + 4 * i * size, m, inner, n, transposeA, transposeB, n, false);
  }
  if (k.takeFailure()) return false;
  mem.get(pc, out, count * size);
  return true;
}

type ConvKernel = 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter';

/** Runs one of the three convolution kernels: inputs `first` and `second`, result of `resultSize` floats. */
function conv(k: Kernels, mem: Arena, kernel: ConvKernel, first: Float32Array, second: Float32Array, result: Float32Array, c: Conv2DInfo): boolean {
  const xSize = c.batch * c.inH * c.inW * c.inC;
  const wSize = c.kh * c.kw * c.inC * c.outC;
  const ySize = c.batch * c.outH * c.outW * c.outC;
  const [firstSize, secondSize, resultSize] =
    kernel === 'conv2d' ? [xSize, wSize, ySize] : kernel === 'conv2dBackpropInput' ? [ySize, wSize, xSize] : [xSize, ySize, wSize];
  const names = kernel === 'conv2d' ? ['x', 'filter', 'out'] : kernel === 'conv2dBackpropInput' ? ['dy', 'filter', 'dx'] : ['x', 'dy', 'dw'];
  tooShort(names[0], first.length, firstSize);
  tooShort(names[1], second.length, secondSize);
  tooShort(names[2], result.length, resultSize);
  if (resultSize === 0) return true;
  const K = c.kh * c.kw * c.inC;
  startThreads?.();
  const g = mem.begin();
  const p1 = mem.alloc(firstSize),
    p2 = mem.alloc(secondSize),
    pr = mem.alloc(resultSize);
  const cols = mem.alloc(k.chunkRows(K) * K);
  if (!mem.commit()) return false;
  mem.ints(g, convGeometry(c));
  mem.put(p1, firstSize === first.length ? first : first.subarray(0, firstSize));
  mem.put(p2, secondSize === second.length ? second : second.subarray(0, secondSize));
  k[kernel](p1, p2, pr, g, cols);
  if (k.takeFailure()) return false;
  mem.get(pr, result, resultSize);
  return true;
}

function makeBackend(): Backend {
  // each kernel runs on wasm once the module is ready (see wasmReady), and on js before, or when its
  // operands do not fit in wasm memory
  const js = jsBackend;
  const wasmMatmul: Backend['matmul'] = (a, b, out, args) => {
    if (!kernels || !matmul(kernels, arena!, a, b, out, args)) js.matmul(a, b, out, args);
  };
  const backend: Backend = {
    ...js,
    name: 'wasm',
    matmul: wasmMatmul,
    // the js loops, with the steps' GEMMs on wasm
    ...lstmKernels(wasmMatmul),
    ...gruKernels(wasmMatmul),
    ...simpleRnnKernels(wasmMatmul),
    conv2d: (x, filter, out, info) => {
      if (!kernels || !conv(kernels, arena!, 'conv2d', x, filter, out, info)) js.conv2d(x, filter, out, info);
    },
    conv2dBackpropInput: (dy, filter, dx, info) => {
      if (!kernels || !conv(kernels, arena!, 'conv2dBackpropInput', dy, filter, dx, info)) js.conv2dBackpropInput(dy, filter, dx, info);
    },
    conv2dBackpropFilter: (x, dy, dw, info) => {
      if (!kernels || !conv(kernels, arena!, 'conv2dBackpropFilter', x, dy, dw, info)) js.conv2dBackpropFilter(x, dy, dw, info);
    },
    maxPool2d: (x, out, info) => {
      if (!kernels || !pool(kernels, arena!, 'maxPool2d', info, out, x)) js.maxPool2d(x, out, info);
    },
    maxPool2dBackprop: (x, dy, dx, info) => {
      if (!kernels || !pool(kernels, arena!, 'maxPool2dBackprop', info, dx, x, dy)) js.maxPool2dBackprop(x, dy, dx, info);
    },
    avgPool2d: (x, out, info) => {
      if (!kernels || !pool(kernels, arena!, 'avgPool2d', info, out, x)) js.avgPool2d(x, out, info);
    },
    avgPool2dBackprop: (dy, dx, info) => {
      if (!kernels || !pool(kernels, arena!, 'avgPool2dBackprop', info, dx, dy)) js.avgPool2dBackprop(dy, dx, info);
    },
    biasActivation: (x, bias, activation, out) => {
      if (!kernels || !biasActivation(kernels, arena!, x, bias, activation, out)) js.biasActivation(x, bias, activation, out);
    },
    activationBackward: (activation, y, dy, out) => {
      if (!kernels || !activationBackward(kernels, arena!, activation, y, dy, out)) js.activationBackward(activation, y, dy, out);
    },
  };
  return { ...backend, conv2dFused: composeConv2dFused(backend), maxPoolActivationBackward: composeMaxPoolActivationBackward(backend) };
}

type PoolKernel = 'maxPool2d' | 'maxPool2dBackprop' | 'avgPool2d' | 'avgPool2dBackprop';

/** Runs a pooling kernel on its inputs (image-sized or output-sized, by kernel) into `result`. */
function pool(k: Kernels, mem: Arena, kernel: PoolKernel, p: Pool2DInfo, result: Float32Array, ...inputs: Float32Array[]): boolean {
  const inSize = p.batch * p.inH * p.inW * p.channels;
  const outSize = p.batch * p.outH * p.outW * p.channels;
  // forward: x -> out; maxPool2dBackprop: x, dy -> dx; avgPool2dBackprop: dy -> dx
  const sizes = kernel === 'maxPool2d' || kernel === 'avgPool2d' ? [inSize] : kernel === 'maxPool2dBackprop' ? [inSize, outSize] : [outSize];
  const resultSize = kernel === 'maxPool2d' || kernel === 'avgPool2d' ? outSize : inSize;
  inputs.forEach((input, i) => {
    tooShort(i === 0 && kernel !== 'avgPool2dBackprop' ? 'x' : 'dy', input.length, sizes[i]);
  });
  tooShort(resultSize === inSize ? 'dx' : 'out', result.length, resultSize);
  if (resultSize === 0) return true;
  const g = mem.begin();
  const ptrs = sizes.map((s) => mem.alloc(s));
  const pr = mem.alloc(resultSize);
  if (!mem.commit()) return false;
  mem.ints(g, poolGeometry(p));
  inputs.forEach((input, i) => {
    mem.put(ptrs[i], input.length === sizes[i] ? input : input.subarray(0, sizes[i]));
  });
  if (kernel === 'maxPool2dBackprop') k.maxPool2dBackprop(ptrs[0], ptrs[1], pr, g);
  else k[kernel](ptrs[0], pr, g);
  mem.get(pr, result, resultSize);
  return true;
}

function biasActivation(k: Kernels, mem: Arena, x: Float32Array, bias: Float32Array | null, activation: FusedActivation, out: Float32Array): boolean {
  const cols = bias ? bias.length : x.length;
  if (x.length === 0 || cols === 0) return true;
  mem.begin();
  const px = mem.alloc(x.length),
    pb = bias ? mem.alloc(cols) : 0;
  if (!mem.commit()) return false;
  mem.put(px, x);
  if (bias) mem.put(pb, bias);
  k.biasActivation(px, pb, ACTIVATIONS[activation], px, Math.floor(x.length / cols), cols);
  mem.get(px, out, x.length);
  return true;
}

function activationBackward(k: Kernels, mem: Arena, activation: FusedActivation, y: Float32Array, dy: Float32Array, out: Float32Array): boolean {
  const n = y.length;
  if (n === 0) return true;
  mem.begin();
  const py = mem.alloc(n),
    pd = mem.alloc(n);
  if (!mem.commit()) return false;
  mem.put(py, y);
  mem.put(pd, dy);
  k.activationBackward(ACTIVATIONS[activation], py, pd, pd, n);
  mem.get(pd, out, n);
  return true;
}

/** The wasm backend, or null where WebAssembly SIMD is not available. */
export const wasmBackend: Backend | null = build ? makeBackend() : null;

/** Which build runs and whether it is compiled yet; null without WebAssembly SIMD. */
export function wasmInfo(): WasmInfo | null {
  if (!build) return null;
  return {
    relaxedSimd: build.relaxed,
    ready: kernels !== null,
    threads: build.threads,
    threadsRunning: kernels?.usableThreads() ?? 1,
    parallelThreshold: threshold,
  };
}

/** Tunes the backend (for tests and benchmarks): `parallelThreshold` sets the multiply-adds from which a GEMM uses several threads. */
export function configureWasm(options: { parallelThreshold?: number }): void {
  if (options.parallelThreshold !== undefined) {
    threshold = Math.max(0, Math.min(Math.round(options.parallelThreshold), 0x7fffffff));
    kernels?.setThreshold(threshold);
  }
}
