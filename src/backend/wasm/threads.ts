// The wasm GEMM's thread pool in Node: worker_threads, each with its own instance of the threads build on
// the one shared memory, waiting inside `workerLoop` (wasm/assembly/threads.ts) for jobs. Browsers run the
// single-thread build: shared memory there needs a cross-origin-isolated page, and a page's main thread may
// not block on Atomics.wait.
import { requestedThreads } from '../../env.js';

/** Node's built-in modules without a static import, so that bundling this file for a browser still works. */
function builtin<T>(id: string): T | null {
  if (typeof process === 'undefined' || !process.versions?.node) return null;
  const get = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  return typeof get === 'function' ? (get(id) as T) : null;
}

/** Threads a GEMM may use, the caller included: DENDRITE_NUM_THREADS, else the cores; 1 outside Node. */
export function threadCount(): number {
  if (typeof SharedArrayBuffer === 'undefined' || !builtin('node:worker_threads')) return 1;
  const wanted = requestedThreads();
  if (wanted !== undefined) return Math.min(wanted, 16);
  const os = builtin<typeof import('node:os')>('node:os');
  return Math.max(1, Math.min(os?.availableParallelism?.() ?? os?.cpus().length ?? 1, 8));
}

// Each worker attaches to the shared memory and waits for jobs forever: the process ends it (the workers are
// unref'd). It waits in JavaScript (Atomics.wait), not in wasm's memory.atomic.wait32, which misbehaved in
// Node 20's baseline-compiled code (see wasm/assembly/threads.ts). Control block (int32): [0] job
// generation, [1] workers done, [2] workers ready, [3] threads a job may use, [5] set when a worker's part
// failed (the caller then redoes the kernel on js, and [3] = 1 keeps later jobs on the calling thread).
// (No require or import in it: an eval'd worker is CommonJS or, under --input-type=module, an ES module.)
const WORKER_SOURCE = `
const { workerData } = process.getBuiltinModule('node:worker_threads');
const { module, memory, threads, id } = workerData;
const wait32 = () => {}; // only the calling thread joins
const kernels = new WebAssembly.Instance(module, { env: { memory, wait32 } }).exports;
kernels.layout(threads);
const control = new Int32Array(memory.buffer, kernels.controlBase(), 8);
let seen = 0;
Atomics.add(control, 2, 1);
for (;;) {
  while (Atomics.load(control, 0) === seen) Atomics.wait(control, 0, seen);
  seen = Atomics.load(control, 0);
  try {
    kernels.runPart(id);
  } catch {
    Atomics.store(control, 3, 1);
    Atomics.store(control, 5, 1);
  }
  Atomics.add(control, 1, 1);
  Atomics.notify(control, 1);
}
`;

/** The threads build's imports: its shared memory and the wait its join uses (Atomics.wait, in JavaScript). */
export function threadImports(memory: WebAssembly.Memory): WebAssembly.Imports {
  let view = new Int32Array(memory.buffer);
  const wait32 = (ptr: number, expected: number, milliseconds: number): void => {
    if (view.buffer !== memory.buffer) view = new Int32Array(memory.buffer);
    Atomics.wait(view, ptr >> 2, expected, milliseconds);
  };
  return { env: { memory, wait32 } };
}

/**
 * Starts `threads - 1` workers. Until every one has entered its loop, GEMMs run on the calling thread alone
 * (a worker that fails to start therefore costs speed, never a hang).
 */
export function startWorkers(module: WebAssembly.Module, memory: WebAssembly.Memory, threads: number): void {
  const wt = builtin<typeof import('node:worker_threads')>('node:worker_threads');
  if (!wt) return;
  for (let id = 1; id < threads; id++) {
    const worker = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, threads, id } });
    worker.on('error', () => {}); // it never reports ready, or it flags its failed part (see above)
    worker.unref();
  }
}
