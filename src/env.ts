// dendrite's environment switches, in one place: the table below lists every DENDRITE_* variable that any
// part of dendrite reads (this file for the library, scripts/*.mjs at build time, native/src at load time),
// and the README's "Environment switches" table is this one. The library reads its switches only through
// the functions here.
//
// Browser-safe: a page or a worker has no `process`, and there every switch keeps its default. The values
// are read at each call, not once at import, so a test (or a program) that sets a variable before the
// first training run is heard.

/** One environment switch, as documented in the README. */
export interface EnvSwitch {
  name: string;
  /** The values it takes. */
  values: string;
  /** What happens when it is not set. */
  default: string;
  /** What it does. */
  effect: string;
  /** Where it is read. */
  readBy: string;
}

export const ENV_SWITCHES: readonly EnvSwitch[] = [
  {
    name: 'DENDRITE_BACKEND',
    values: 'js, wasm, native',
    default: 'the fastest available: native, then wasm, then js',
    effect: 'the backend a process starts on (setBackend() switches later); an unavailable one warns and falls back',
    readBy: 'src/env.ts (src/backend/registry.ts)',
  },
  {
    name: 'DENDRITE_NUM_THREADS',
    values: 'an integer >= 1',
    default: 'native: the CPUs this process may use (at most 256); wasm: the cores, at most 8',
    effect: 'threads per kernel, the caller included, for native and wasm (wasm takes at most 16)',
    readBy: 'src/env.ts (src/backend/wasm/threads.ts), native/src/threadpool.cc',
  },
  {
    name: 'DENDRITE_WASM_RELAXED',
    values: '0',
    default: 'relaxed SIMD (fused multiply-add) where the runtime validates it',
    effect: '0: the plain SIMD128 build of the wasm kernels',
    readBy: 'src/env.ts (src/backend/wasm/index.ts)',
  },
  {
    name: 'DENDRITE_BUFFER_REUSE',
    values: '0',
    default: 'fit reuses the buffers no user code can hold',
    effect: '0: every training step takes fresh memory (to rule reuse out when debugging)',
    readBy: 'src/env.ts (src/tensor/buffer-pool.ts)',
  },
  {
    name: 'DENDRITE_NATIVE_ISA',
    values: 'avx2, scalar',
    default: 'the best GEMM kernel this CPU runs (avx512, avx2, scalar)',
    effect: 'forces a lower native GEMM kernel',
    readBy: 'native/src/gemm.cc',
  },
  {
    name: 'DENDRITE_GEMM_PARALLEL_MIN',
    values: 'an integer',
    default: '262144 (64^3)',
    effect: 'multiply-adds from which a native GEMM is split over threads',
    readBy: 'native/src/gemm.cc',
  },
  {
    name: 'DENDRITE_SPIN_US',
    values: 'an integer',
    default: '1000',
    effect: 'microseconds an idle native worker spins before it sleeps',
    readBy: 'native/src/threadpool.cc',
  },
  {
    name: 'DENDRITE_SPIN_ALONE_US',
    values: 'an integer',
    default: '50',
    effect: 'microseconds of spinning after which an idle native worker also yields its core at each check',
    readBy: 'native/src/threadpool.cc',
  },
  {
    name: 'DENDRITE_MALLOC_TUNING',
    values: '0',
    default: "glibc keeps blocks up to 32 MiB in the heap (a step reuses the last one's memory)",
    effect: "0: leave glibc's malloc settings alone",
    readBy: 'native/src/addon.cc',
  },
  {
    name: 'DENDRITE_SKIP_NATIVE',
    values: 'any value',
    default: 'npm install builds the native backend',
    effect: 'npm install skips the native build (dendrite runs on wasm and js)',
    readBy: 'scripts/build-native.mjs',
  },
  {
    name: 'DENDRITE_NATIVE_VERBOSE',
    values: 'any value',
    default: 'one line about the native build',
    effect: "prints node-gyp's full log when the native build fails",
    readBy: 'scripts/build-native.mjs',
  },
  {
    name: 'DENDRITE_STRICT_BUILD',
    values: '1',
    default: 'a failed native build (no compiler) or a missing AssemblyScript leaves dendrite on its other backends, and the install succeeds',
    effect: 'such a build fails: npm install / npm run build exit 1 (CI sets it)',
    readBy: 'scripts/build-native.mjs, scripts/build-wasm.mjs',
  },
];

function read(name: string): string | undefined {
  return typeof process !== 'undefined' ? process.env?.[name] : undefined;
}

/** DENDRITE_BACKEND: the backend asked for, or undefined (then the fastest is used). */
export function requestedBackend(): string | undefined {
  return read('DENDRITE_BACKEND') || undefined;
}

/** DENDRITE_NUM_THREADS: the threads asked for (an integer >= 1), or undefined (then the cores decide). */
export function requestedThreads(): number | undefined {
  const wanted = Number(read('DENDRITE_NUM_THREADS'));
  return Number.isInteger(wanted) && wanted >= 1 ? wanted : undefined;
}

/** DENDRITE_WASM_RELAXED: false when set to 0 (the plain SIMD build), else true. */
export function relaxedSimdAllowed(): boolean {
  return read('DENDRITE_WASM_RELAXED') !== '0';
}

/** DENDRITE_BUFFER_REUSE: false when set to 0 (training takes fresh memory), else true. */
export function bufferReuseAllowed(): boolean {
  return read('DENDRITE_BUFFER_REUSE') !== '0';
}
