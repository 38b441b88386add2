// The wasm GEMM's thread pool: in Node worker_threads, in a browser's Web Worker nested Web Workers, each with
// its own instance of the threads build on the one shared memory, waiting for jobs. A browser gets threads
// only inside a dedicated worker of a cross-origin-isolated page (shared memory needs the isolation, and a
// page's main thread may not block on Atomics.wait, which the caller's join does); elsewhere it runs the
// single-thread build.
import { requestedThreads } from '../../env.js';

/** Node's built-in modules without a static import, so that bundling this file for a browser still works. */
function builtin<T>(id: string): T | null {
  if (typeof process === 'undefined' || !process.versions?.node) return null;
  const get = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  return typeof get === 'function' ? (get(id) as T) : null;
}

/** True inside a browser's dedicated Web Worker of a cross-origin-isolated page (where Atomics.wait is allowed). */
function isolatedBrowserWorker(): boolean {
  const g = globalThis as unknown as { crossOriginIsolated?: boolean; WorkerGlobalScope?: unknown; Worker?: unknown };
  return g.crossOriginIsolated === true && g.WorkerGlobalScope !== undefined && typeof g.Worker === 'function';
}

/** Threads a GEMM may use, the caller included: DENDRITE_NUM_THREADS, else the cores; 1 outside Node and isolated browser workers. */
export function threadCount(): number {
  if (typeof SharedArrayBuffer === 'undefined') return 1;
  if (isolatedBrowserWorker()) {
    const cores = (globalThis as unknown as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
    return Math.max(1, Math.min(cores, 8));
  }
  if (!builtin('node:worker_threads')) return 1;
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
const WORKER_LOOP = `
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

const WORKER_SOURCE = `
const { workerData } = process.getBuiltinModule('node:worker_threads');
const { module, memory, threads, id } = workerData;
${WORKER_LOOP}`;

// The same loop in a browser's Web Worker, which gets its part from a message (a compiled module and a shared
// memory may be posted in a cross-origin-isolated page). Made from a blob (CSP: worker-src blob:) so that the
// library needs no file of its own beside the bundle.
const BROWSER_WORKER_SOURCE = `
onmessage = (event) => {
  onmessage = null;
  const { module, memory, threads, id } = event.data;
  ${WORKER_LOOP}
};
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
  if (isolatedBrowserWorker()) {
    startBrowserWorkers(module, memory, threads);
    return;
  }
  const wt = builtin<typeof import('node:worker_threads')>('node:worker_threads');
  if (!wt) return;
  for (let id = 1; id < threads; id++) {
    const worker = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, threads, id } });
    worker.on('error', () => {}); // it never reports ready, or it flags its failed part (see above)
    worker.unref();
  }
}

interface BrowserWorker {
  postMessage(message: unknown): void;
  onerror: ((event: unknown) => void) | null;
}

function startBrowserWorkers(module: WebAssembly.Module, memory: WebAssembly.Memory, threads: number): void {
  const g = globalThis as unknown as {
    Worker: new (url: string, options?: { name?: string }) => BrowserWorker;
    URL: { createObjectURL(blob: Blob): string; revokeObjectURL(url: string): void };
  };
  let url: string;
  try {
    url = g.URL.createObjectURL(new Blob([BROWSER_WORKER_SOURCE], { type: 'text/javascript' }));
  } catch {
    return;
  }
  for (let id = 1; id < threads; id++) {
    try {
      const worker = new g.Worker(url, { name: `dendrite-wasm-${id}` });
      worker.onerror = () => {}; // it never reports ready (see startWorkers)
      worker.postMessage({ module, memory, threads, id });
    } catch {
      // blocked (a CSP without worker-src blob:, say): GEMMs stay on the calling thread
    }
  }
}
