// A fixed pool of threads for the GEMM, where the runtime has WebAssembly threads (Node's worker_threads
// on a shared memory). Workers wait on a generation counter (their loop is in src/backend/wasm/threads.ts);
// a GEMM large enough to split writes its arguments to the control block, bumps the generation and computes
// its own part; each part is a band of rows or columns of C, so results do not depend on the thread count. Builds without threads compile none of this
// (ASC_FEATURE_THREADS is a compile-time constant) and run on one thread.

/** Byte offsets of the control block's int32 fields. */
const GEN = 0; // bumped once per job
const DONE = 4; // workers that finished the current job
const READY = 8; // workers that entered their loop
const THREADS = 12; // threads a job may use, the caller included
const THRESHOLD = 16; // multiply-adds from which a GEMM is split
const FAILED = 20; // set by a worker whose part failed
const JOB = 32; // the job: 16 int32 fields

export const CONTROL_BYTES: i32 = 128;

let control: usize = 0;

export function setControl(p: usize): void {
  control = p;
}

/** Byte address of the control block: generation at +0, finished workers at +4, ready workers at +8. */
export function controlBase(): usize {
  return control;
}

export function setThreads(threads: i32): void {
  store<i32>(control + THREADS, threads);
}

export function setThreshold(threshold: i32): void {
  store<i32>(control + THRESHOLD, threshold);
}

/** Threads ready to take part in a job now (1 without threads or before the workers start). */
export function usableThreads(): i32 {
  if (!ASC_FEATURE_THREADS) return 1;
  const wanted = load<i32>(control + THREADS);
  return wanted > 1 && atomic.load<i32>(control + READY) >= wanted - 1 ? wanted : 1;
}

/** 1 once a worker's part of a job failed (reset by reading it). */
export function takeFailure(): i32 {
  if (!ASC_FEATURE_THREADS) return 0;
  return atomic.xchg<i32>(control + FAILED, 0);
}

export function threshold(): i32 {
  return load<i32>(control + THRESHOLD);
}

/** The job's fields, written by `gemm` before the generation is bumped. */
export function jobField(i: i32): i32 {
  return load<i32>(control + JOB + (<usize>i << 2));
}

export function setJobField(i: i32, v: i32): void {
  store<i32>(control + JOB + (<usize>i << 2), v);
}

/** Starts the job written with setJobField on `threads - 1` workers; the caller then runs part 0 and `join`s. */
export function start(): void {
  if (!ASC_FEATURE_THREADS) return;
  atomic.store<i32>(control + DONE, 0);
  atomic.add<i32>(control + GEN, 1);
  atomic.notify(control + GEN, i32.MAX_VALUE);
}

// NOTE: the waits are JavaScript's Atomics.wait (imported): in Node 20 (V8 11.3) a local read as 0 after
// memory.atomic.wait32 in baseline (Liftoff) code, so a join returned before the workers had finished.
@external("env", "wait32")
declare function wait32(ptr: usize, expected: i32, milliseconds: f64): void;

/** Waits until every worker finished the job. */
export function join(threads: i32): void {
  if (!ASC_FEATURE_THREADS) return;
  let spins = 0;
  for (;;) {
    const done = atomic.load<i32>(control + DONE);
    if (done >= threads - 1) return;
    // a short spin first: most parts finish within microseconds of each other
    if (++spins < 20000) continue;
    wait32(control + DONE, done, 0.05);
  }
}
