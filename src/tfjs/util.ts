// tf.util: TF.js' helpers that programs call. The shuffles draw from dendrite's seeded generator (setSeed makes
// them repeatable) where TF.js uses Math.random.
import { randomInt } from '../tensor/rng.js';
import { flattenValues, isTypedArray } from './convert.js';

export { isTypedArray };

/** util.assert(expr, msg): throws an Error with the message (a string or a function giving one) when expr is falsy. */
export function assert(expr: boolean, msg: string | (() => string)): asserts expr {
  if (!expr) throw new Error(typeof msg === 'string' ? msg : msg());
}

type Swappable = { length: number; [i: number]: unknown };

function swap(array: Swappable, left: number, right: number): void {
  const t = array[left];
  array[left] = array[right];
  array[right] = t;
}

/** util.shuffle(array): Fisher-Yates in place, as TF.js walks it. */
export function shuffle(array: Swappable): void {
  let counter = array.length;
  while (counter > 0) {
    const index = randomInt(counter);
    counter--;
    swap(array, counter, index);
  }
}

/** util.shuffleCombo(array, array2): both shuffled in place by the same permutation. */
export function shuffleCombo(array: Swappable, array2: Swappable): void {
  if (array.length !== array2.length) {
    throw new Error(`Array sizes must match to be shuffled together First array length was ${array.length}Second array length was ${array2.length}`);
  }
  let counter = array.length;
  while (counter > 0) {
    const index = randomInt(counter);
    counter--;
    swap(array, counter, index);
    swap(array2, counter, index);
  }
}

/** util.createShuffledIndices(n): 0..n-1 shuffled, as a Uint32Array. */
export function createShuffledIndices(n: number): Uint32Array {
  const indices = new Uint32Array(n);
  for (let i = 0; i < n; ++i) indices[i] = i;
  shuffle(indices);
  return indices;
}

/** util.sizeFromShape(shape): the number of elements (1 for a scalar). */
export function sizeFromShape(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** util.flatten(arr, result = [], skipTypedArray = false): the leaves of nested arrays, in order. */
export function flatten<T>(arr: unknown, result: T[] = [], skipTypedArray = false): T[] {
  return flattenValues(arr, result, skipTypedArray);
}

/** util.arraysEqual(a, b): same length and the same elements (===). */
export function arraysEqual(n1: ArrayLike<unknown> | null | undefined, n2: ArrayLike<unknown> | null | undefined): boolean {
  if (n1 === n2) return true;
  if (n1 == null || n2 == null || n1.length !== n2.length) return false;
  for (let i = 0; i < n1.length; i++) if (n1[i] !== n2[i]) return false;
  return true;
}

/** util.now(): milliseconds from performance.now(). */
export function now(): number {
  return performance.now();
}
