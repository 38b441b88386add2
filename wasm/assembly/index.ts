// dendrite's WebAssembly kernels (AssemblyScript, SIMD128). The module owns no allocator: the JS side
// (src/backend/wasm/) lays out its arena above the address `init` returns, copies tensors in, calls a kernel
// on pointers and copies the result out. Compiled by scripts/build-wasm.mjs four times: plain SIMD and
// relaxed SIMD (FMA), each with and without threads.
import { SCRATCH_BYTES, setScratchBase } from './gemm';
import { CONTROL_BYTES, setControl, setThreads, setThreshold } from './threads';

export { gemm, runPart } from './gemm';
export { controlBase, setThreshold, takeFailure, usableThreads } from './threads';
export { conv2d, conv2dBackpropInput, conv2dBackpropFilter, chunkRows } from './conv';
export { maxPool2d, maxPool2dBackprop, avgPool2d, avgPool2dBackprop } from './pool';
export { biasActivation, activationBackward } from './activation';

/**
 * Lays out the control block and one set of GEMM packing buffers per thread above the static data, and
 * returns where the caller's arena starts. `threads` > 1 only in the threads build, on a shared memory,
 * where each worker's instance calls `layout` (its globals) and the first instance `init` (the memory too).
 */
export function layout(threads: i32): usize {
  const base = (__heap_base + 63) & ~(<usize>63);
  setControl(base);
  setScratchBase(base + CONTROL_BYTES);
  return base + CONTROL_BYTES + <usize>threads * SCRATCH_BYTES;
}

export function init(threads: i32, threshold: i32): usize {
  const arena = layout(threads);
  setThreads(threads);
  setThreshold(threshold);
  return arena;
}

/** 1 when this build fuses multiply-adds (relaxed SIMD). */
export function relaxed(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}

/** 1 when this build can use threads (shared memory, atomics). */
export function threaded(): i32 {
  return ASC_FEATURE_THREADS ? 1 : 0;
}
