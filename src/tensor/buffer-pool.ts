// Reuse of float buffers during training.
//
// Tensors are garbage-collected, so a training step would otherwise take all its memory fresh: about 1.1 MB
// per step for the MNIST MLP, tens of MB for the CNN. Fresh memory is slow twice over. Every write to it misses
// the caches, and V8 counts ArrayBuffer bytes, so every ~30 MB it runs a young-generation GC, and after it
// often a full one. `fit` instead hands back the buffers it knows are dead after a step. The next step takes
// them again, still warm in the caches.
//
// Only *scratch* buffers are ever reused: those allocated while scratch tracking is on. A buffer is handed
// back only by the code that owns it:
// - the autograd engine, for gradients that have flowed on and that no pending gradient shares;
// - `fit`, for its batch and for the weight gradients once a built-in optimizer has applied them;
// - `fit` again, for everything a step allocated, when the step runs only dendrite's own code (`asStep`):
//   built-in layers, activations, regularizers, loss, metrics and optimizer. None of them keeps a tensor
//   from one step to the next: weights and optimizer state are updated in place, in memory not from here.
// User code in a step (a custom layer, activation, loss, optimizer...) is never handed a buffer that gets
// reused: the engine's intermediate gradients never reach it, the batch and the weight gradients are reused
// only when no custom layer or optimizer receives them, and whole-step reuse is then off
// (src/model/buffer-reuse.ts decides). Reuse is on only while `fit` runs; the pool is emptied soon after
// it returns (POOL_LINGER_MS), unless another `fit` has started.
import { bufferReuseAllowed } from '../env.js';

/** Free buffers by length, most recently returned last (the warmest in the caches). */
const free = new Map<number, Float32Array[]>();
let pooledBytes = 0;
/** Buffers allocated while tracking was on and not yet handed back: the only ones `recycle` accepts. */
let scratch = new WeakSet<Float32Array>();
let tracking = 0;
/** The buffers taken during the current `asStep`, to hand back when it ends. */
let stepBuffers: Float32Array[] | null = null;
let active = 0;
/** For tests: fill every buffer handed back, and every uncleared one taken, with NaN, so a wrong reuse shows. */
let poison = false;

/** At most this many bytes wait in the pool (a CNN step's gradients fit with room to spare). */
const POOL_LIMIT_BYTES = 256 << 20;
/** At most this many bytes stay pooled between `predict` calls (a batch's intermediates). */
const KEEP_BETWEEN_PREDICTS_BYTES = 32 << 20;

/**
 * A buffer of `length` floats: a reused one while reuse is on and one of that length is free, else a new
 * one. `zeroed: false` is for callers that overwrite every element.
 */
export function takeBuffer(length: number, zeroed = true): Float32Array {
  const reused = free.get(length)?.pop();
  let buffer: Float32Array;
  if (reused) {
    pooledBytes -= reused.byteLength;
    if (zeroed) reused.fill(0);
    buffer = reused;
  } else {
    buffer = new Float32Array(length);
  }
  if (poison && !zeroed) buffer.fill(NaN);
  if (tracking > 0) scratch.add(buffer);
  stepBuffers?.push(buffer);
  return buffer;
}

/** Runs `fn` with scratch tracking on: buffers taken meanwhile may later be handed back with `recycle`. */
export function asScratch<T>(fn: () => T): T {
  tracking++;
  try {
    return fn();
  } finally {
    tracking--;
  }
}

/**
 * Runs `fn`, a training step's computation that runs only dendrite's own code, then hands back every buffer
 * it took: none of them is referred to once the step is over. Callbacks must run outside.
 */
export function asStep<T>(fn: () => T): T {
  const taken: Float32Array[] = [];
  try {
    return collecting(taken, fn);
  } finally {
    for (const buffer of taken) recycle(buffer);
  }
}

/** Runs `fn` with scratch tracking on, adding every buffer it takes to `taken`. */
function collecting<T>(taken: Float32Array[], fn: () => T): T {
  const outer = stepBuffers;
  stepBuffers = taken;
  tracking++;
  try {
    return fn();
  } finally {
    tracking--;
    stepBuffers = outer;
  }
}

/**
 * Runs `fn`, an inference forward pass that runs only dendrite's own code and records no gradients, with reuse
 * on, then hands back every buffer it took except the memory of `kept(result)` (the outputs, which the caller
 * receives). Unlike `fit`, it leaves the pool filled (up to 32 MB) when it returns, so the next call takes the
 * same buffers again, warm in the caches: the classic CNN's batch-1 predict spent about 9% of its time
 * allocating, zeroing and collecting fresh ones. If `fn` throws, nothing is handed back.
 */
export function asInference<T>(fn: () => T, kept: (result: T) => readonly Float32Array[]): T {
  if (!bufferReuseAllowed()) return fn();
  active++;
  try {
    const taken: Float32Array[] = [];
    const result = collecting(taken, fn);
    // (views share the memory of the buffer they view: an output may be a view of a buffer taken here)
    const keep = new Set<ArrayBufferLike>();
    for (const values of kept(result)) {
      keep.add(values.buffer);
      scratch.delete(values);
    }
    for (const buffer of taken) {
      if (keep.has(buffer.buffer)) scratch.delete(buffer);
      else recycle(buffer);
    }
    return result;
  } finally {
    if (--active === 0 && pooledBytes > KEEP_BETWEEN_PREDICTS_BYTES) emptyPool();
  }
}

function emptyPool(): void {
  free.clear();
  pooledBytes = 0;
  scratch = new WeakSet();
}

/**
 * Hands a dead scratch buffer back for reuse. The caller must own it: nothing may read or write it again.
 * Anything that is not scratch, or was already handed back, is ignored. So is everything while reuse is off.
 */
export function recycle(buffer: Float32Array): void {
  if (!scratch.delete(buffer) || active === 0 || buffer.length === 0) return;
  if (pooledBytes + buffer.byteLength > POOL_LIMIT_BYTES) return;
  let list = free.get(buffer.length);
  if (!list) {
    list = [];
    free.set(buffer.length, list);
  }
  if (poison) buffer.fill(NaN);
  list.push(buffer);
  pooledBytes += buffer.byteLength;
}

/**
 * How long the pool outlives the last training run. A run that starts meanwhile (a loop that calls `fit` once
 * per epoch, as many Keras and TF.js programs do) takes the last one's buffers again, warm in the caches: the
 * first step of a run on an empty pool took 41 ms instead of 26 (the classic CNN), allocating and zeroing tens
 * of MB and collecting the garbage, which cost 1 epoch of 12 steps 7%.
 */
export const POOL_LINGER_MS = 1000;
let lingering: ReturnType<typeof setTimeout> | undefined;

/**
 * Runs `fn` (a training run) with reuse on; POOL_LINGER_MS after the last such run ends, unless another
 * has started, the pool is emptied. `DENDRITE_BUFFER_REUSE=0` in the environment turns reuse off (to rule it
 * out when debugging).
 */
export async function withBufferReuse<T>(fn: () => Promise<T>): Promise<T> {
  if (!bufferReuseAllowed()) return fn();
  clearTimeout(lingering);
  active++;
  try {
    return await fn();
  } finally {
    if (--active === 0) {
      lingering = setTimeout(() => {
        if (active === 0) emptyPool();
      }, POOL_LINGER_MS);
      // (in Node, a pending release must not keep the process alive)
      (lingering as { unref?: () => void }).unref?.();
    }
  }
}

/** Bytes waiting in the pool (for tests). */
export function pooledBufferBytes(): number {
  return pooledBytes;
}

/** For tests: poison buffers as they are handed back (see `poison`). */
export function setBufferPoisoning(on: boolean): void {
  poison = on;
}
