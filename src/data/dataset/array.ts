// `data.array(items)`: a data set of the items of an array, in order.
import { Tensor } from '../../tensor/tensor.js';
import { type Dataset, datasetFromIteratorFn } from './dataset.js';
import { DONE, element, LazyIterator, type Next } from './iterator.js';

/**
 * A copy of the plain objects and arrays of `x`, sharing its leaves (tensors are immutable, numbers are values),
 * so that a map that changes an element in place cannot change the array the data set reads again next pass
 * (TF.js clones each element too).
 */
function copyContainers(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(copyContainers);
  if (x === null || typeof x !== 'object' || x instanceof Tensor || ArrayBuffer.isView(x)) return x;
  const proto = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== null) return x;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) out[k] = copyContainers(v);
  return out;
}

class ArrayIterator<T> extends LazyIterator<T> {
  private i = 0;

  constructor(private readonly items: readonly T[]) {
    super();
  }

  protected async pull(): Promise<Next<T>> {
    if (this.i >= this.items.length) return DONE;
    return element(copyContainers(this.items[this.i++]) as T);
  }
}

/**
 * A data set of the items of `items` (numbers, arrays, tensors, or objects of them), in order.
 *
 *     const ds = data.array([{ xs: [0, 1], ys: 1 }, { xs: [1, 1], ys: 0 }]).batch(2);
 */
export function array<T>(items: readonly T[]): Dataset<T> {
  if (!Array.isArray(items)) {
    throw new Error(`data.array(): expected an array of elements, got ${items === null ? 'null' : typeof items}; for a generator use data.generator().`);
  }
  return datasetFromIteratorFn(async () => new ArrayIterator(items), items.length);
}
