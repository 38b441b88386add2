// TF.js' memory management on garbage-collected tensors. dendrite frees a tensor's memory when nothing refers to
// it any more, so nothing has to be disposed: `tidy(fn)` runs fn and returns its result, `dispose` and
// `tensor.dispose()` only mark tensors as disposed (`isDisposed` reads true; the values stay, so a tensor used
// after dispose() still computes correctly, where TF.js would throw), `keep` returns its tensor. `memory()` says
// honestly what it can: dendrite keeps no registry of tensors, so it counts none (`unreliable: true` and the
// reasons say so) and reports the bytes of all live ArrayBuffers in Node.js, which hold every tensor's values.
import { Tensor } from '../tensor/tensor.js';

const disposed = new WeakSet<Tensor>();

/** Whether `dispose` has marked the tensor. */
export function isMarkedDisposed(t: Tensor): boolean {
  return disposed.has(t);
}

/** Marks one tensor as disposed (see the file's comment: its values are kept). */
export function markDisposed(t: Tensor): void {
  disposed.add(t);
}

type TidyFn<T> = () => T;

/**
 * tf.tidy(fn) or tf.tidy(name, fn): runs fn and returns what it returns. There is nothing to clean up: the
 * tensors fn made and dropped are garbage-collected. Like TF.js, a Promise returned from fn is reported as a
 * mistake (console.error), and returned.
 */
export function tidy<T>(nameOrFn: string | TidyFn<T>, fn?: TidyFn<T>): T {
  let run: TidyFn<T>;
  if (fn == null) {
    if (typeof nameOrFn !== 'function') throw new Error('Please provide a function to tidy()');
    run = nameOrFn;
  } else {
    if (typeof nameOrFn !== 'string' && !((nameOrFn as unknown) instanceof String)) {
      throw new Error('When calling with two arguments, the first argument to tidy() must be a string');
    }
    if (typeof fn !== 'function') throw new Error('When calling with two arguments, the 2nd argument to tidy() must be a function');
    run = fn;
  }
  const result = run();
  if (result instanceof Promise) console.error('Cannot return a Promise inside of tidy.');
  return result;
}

/** The tensors in a container, as TF.js' getTensorsInContainer walks it (arrays and plain objects, any depth). */
function tensorsIn(container: unknown, found: Tensor[], seen: Set<unknown>): void {
  if (container == null || seen.has(container)) return;
  if (container instanceof Tensor) {
    found.push(container);
    return;
  }
  if (typeof container !== 'object') return;
  seen.add(container);
  for (const value of Array.isArray(container) ? container : Object.values(container)) tensorsIn(value, found, seen);
}

/** tf.dispose(container): marks every tensor in a tensor, an array or an object of them as disposed. */
export function dispose(container: unknown): void {
  const found: Tensor[] = [];
  tensorsIn(container, found, new Set());
  for (const t of found) markDisposed(t);
}

/** tf.keep(result): returns it (nothing is disposed at the end of a tidy). */
export function keep<T extends Tensor>(result: T): T {
  return result;
}

/** What tf.memory() reports (TF.js' MemoryInfo). */
export interface MemoryInfo {
  numTensors: number;
  numDataBuffers: number;
  numBytes: number;
  unreliable?: boolean;
  reasons?: string[];
}

/**
 * tf.memory(): `numTensors` and `numDataBuffers` are 0 because dendrite keeps no registry of tensors (they are
 * garbage-collected, and none ever needs disposing); `numBytes` is the memory of all live ArrayBuffers in Node.js
 * (`process.memoryUsage().arrayBuffers`: every tensor's values, including tensors not yet collected, and any other
 * ArrayBuffers of the process), 0 elsewhere. `unreliable` is true, with the reasons.
 */
export function memory(): MemoryInfo {
  const proc = (globalThis as { process?: { memoryUsage?: () => { arrayBuffers?: number } } }).process;
  const bytes = proc?.memoryUsage?.().arrayBuffers ?? 0;
  return {
    numTensors: 0,
    numDataBuffers: 0,
    numBytes: bytes,
    unreliable: true,
    reasons: [
      'dendrite tensors are garbage-collected and not registered anywhere: numTensors and numDataBuffers count nothing and stay 0, and no tensor needs dispose()',
      'numBytes is the size of all live ArrayBuffers of the Node.js process (process.memoryUsage().arrayBuffers), which hold every tensor not yet collected but also other buffers; 0 outside Node.js',
    ],
  };
}

/** tf.nextFrame(): resolves on the next animation frame in a browser, or the next turn of the event loop elsewhere. */
export function nextFrame(): Promise<void> {
  const raf = (globalThis as { requestAnimationFrame?: (cb: () => void) => unknown }).requestAnimationFrame;
  if (raf) return new Promise((resolve) => raf(() => resolve()));
  if (typeof setImmediate !== 'undefined') return new Promise((resolve) => setImmediate(resolve));
  return Promise.resolve();
}
