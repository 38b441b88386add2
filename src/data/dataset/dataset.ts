// A Dataset (TF.js' tf.data.Dataset): a recipe for a stream of elements, read again from its source each time
// it is iterated (each epoch of fitDataset), never held whole. Each method returns a new Dataset that reads this
// one's stream and transforms it element by element, so a file larger than memory can be mapped, shuffled
// (within a buffer), batched and trained on. `size` is the number of elements when it is known: null when not
// (after a filter, or from a generator or a CSV file), Infinity for a stream without end (repeat()).
import { randomInt } from '../../tensor/rng.js';
import { BatchIterator, type Batched } from './batch.js';
import {
  ChainIterator,
  DONE,
  element,
  FilterIterator,
  FunctionIterator,
  type LazyIterator,
  MapIterator,
  PrefetchIterator,
  SkipIterator,
  TakeIterator,
} from './iterator.js';
import { seedNumber, ShuffleIterator, UniformStream } from './shuffle.js';

/** A count that may be Infinity (take, repeat) or, as TF.js allows, negative or undefined for "all". */
function checkCount(count: number | undefined, what: string): void {
  if (count === undefined || count === Infinity) return;
  if (typeof count !== 'number' || !Number.isInteger(count)) throw new Error(`${what}: the count must be an integer (or undefined for all), got ${count}.`);
}

function checkPositive(n: unknown, what: string, name: string): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new Error(`${what}: ${name} must be a positive integer, got ${n}.`);
}

export abstract class Dataset<T = unknown> {
  /** The number of elements: null when unknown, Infinity for a stream without end. */
  size: number | null = null;

  /** A fresh stream of this data set's elements, from its start. */
  abstract iterator(): Promise<LazyIterator<T>>;

  /** `for await (const x of dataset)`: one pass over the elements. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    const it = await this.iterator();
    try {
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    } finally {
      await it.return();
    }
  }

  /**
   * Groups `batchSize` consecutive elements into one, each leaf a tensor with the batch as its first axis: numbers
   * become a tensor of shape [n], arrays of numbers [n, ...], tensors are stacked, objects and lists batched key by
   * key. The last batch is smaller when the elements run out, or dropped with `smallLastBatch` false.
   *
   *     data.array([{ xs: [1, 2], ys: 0 }, { xs: [3, 4], ys: 1 }]).batch(2)   // { xs: [[1, 2], [3, 4]], ys: [0, 1] }
   */
  batch(batchSize: number, smallLastBatch = true): Dataset<Batched<T>> {
    checkPositive(batchSize, 'batch()', 'batchSize');
    const size =
      this.size === null || this.size === Infinity ? this.size : smallLastBatch ? Math.ceil(this.size / batchSize) : Math.floor(this.size / batchSize);
    return datasetFromIteratorFn(async () => new BatchIterator(await this.iterator(), batchSize, smallLastBatch), size);
  }

  /** This data set's elements, then `dataset`'s. */
  concatenate(dataset: Dataset<T>): Dataset<T> {
    if (!(dataset instanceof Dataset)) throw new Error(`concatenate(): expected a Dataset, got ${typeof dataset}.`);
    const size = this.size === Infinity || dataset.size === Infinity ? Infinity : this.size !== null && dataset.size !== null ? this.size + dataset.size : null;
    return datasetFromIteratorFn(async () => new ChainIterator(streamOf([() => this.iterator(), () => dataset.iterator()])), size);
  }

  /** The elements for which `predicate` is true. */
  filter(predicate: (value: T) => boolean): Dataset<T> {
    if (typeof predicate !== 'function') throw new Error(`filter(): expected a function, got ${typeof predicate}.`);
    return datasetFromIteratorFn(async () => new FilterIterator(await this.iterator(), predicate), this.size === Infinity ? Infinity : null);
  }

  /** Calls `f` on each element, in order (awaiting it when it returns a promise). */
  async forEachAsync(f: (value: T) => unknown): Promise<void> {
    if (typeof f !== 'function') throw new Error(`forEachAsync(): expected a function, got ${typeof f}.`);
    if (this.size === Infinity) throw new Error('forEachAsync(): the data set has no end (repeat() without a count); take(n) first.');
    for await (const value of this) await f(value);
  }

  /** Each element transformed by `transform`. */
  map<O>(transform: (value: T) => O): Dataset<O> {
    if (typeof transform !== 'function') throw new Error(`map(): expected a function, got ${typeof transform}.`);
    return datasetFromIteratorFn(async () => new MapIterator(await this.iterator(), transform), this.size);
  }

  /** Each element transformed by the async `transform` (each awaited before the next starts, so the order stays). */
  mapAsync<O>(transform: (value: T) => Promise<O>): Dataset<O> {
    if (typeof transform !== 'function') throw new Error(`mapAsync(): expected a function, got ${typeof transform}.`);
    return datasetFromIteratorFn(async () => new MapIterator(await this.iterator(), transform), this.size);
  }

  /** Reads `bufferSize` elements ahead, so that a source that waits (a file, the network) overlaps with the work on earlier ones. */
  prefetch(bufferSize: number): Dataset<T> {
    checkPositive(bufferSize, 'prefetch()', 'bufferSize');
    return datasetFromIteratorFn(async () => new PrefetchIterator(await this.iterator(), bufferSize), this.size);
  }

  /**
   * The data set `count` times over, each pass a fresh iteration (a shuffle draws a new order each pass); without a
   * count (or a negative one), without end. Repeating an empty data set gives nothing rather than spinning.
   */
  repeat(count?: number): Dataset<T> {
    checkCount(count, 'repeat()');
    const forever = count === undefined || count < 0 || count === Infinity;
    const size = count === 0 || this.size === 0 ? 0 : this.size === null ? null : forever ? Infinity : this.size * count!;
    return datasetFromIteratorFn(async () => {
      let passes = 0;
      const streams = new FunctionIterator<LazyIterator<T>>(async () => (forever || passes++ < count! ? element(await this.iterator()) : DONE));
      return new ChainIterator(streams, true);
    }, size);
  }

  /** The elements after the first `count` (all of them for a negative or undefined count, as in TF.js). */
  skip(count: number): Dataset<T> {
    checkCount(count, 'skip()');
    const n = count === undefined || count < 0 ? 0 : count;
    const size = this.size === null ? null : this.size === Infinity ? (n === Infinity ? null : Infinity) : Math.max(0, this.size - n);
    return datasetFromIteratorFn(async () => new SkipIterator(await this.iterator(), n), size);
  }

  /**
   * The elements in random order, through a buffer of `bufferSize` elements (the data set's size for a uniform
   * permutation; less to shuffle locally in bounded memory). With a `seed` (a number, or a string as in TF.js) the
   * orders repeat exactly from run to run; without one each pass's seed comes from dendrite's generator, so
   * `setSeed` makes them reproducible. Each pass draws a new order unless `reshuffleEachIteration` is false.
   */
  shuffle(bufferSize: number, seed?: number | string, reshuffleEachIteration = true): Dataset<T> {
    if (bufferSize === undefined || bufferSize === null) {
      const hint = this.size !== null && Number.isFinite(this.size) ? ` (${this.size} shuffles the whole data set uniformly)` : '';
      throw new Error(`shuffle(): bufferSize is required: the number of elements to draw each output from${hint}.`);
    }
    checkPositive(bufferSize, 'shuffle()', 'bufferSize');
    const base = seed === undefined ? undefined : seedNumber(seed, 'shuffle()');
    // the seed of each pass: from the shuffle's own stream (seeded), the global one (unseeded), or always the same
    const seeds = base === undefined ? null : new UniformStream(base);
    const fixed = reshuffleEachIteration ? null : (base ?? randomInt(4294967296));
    const passSeed = () => fixed ?? (seeds ? seeds.nextUint32() : randomInt(4294967296));
    return datasetFromIteratorFn(async () => {
      const s = passSeed();
      return new ShuffleIterator(await this.iterator(), bufferSize, s);
    }, this.size);
  }

  /** The first `count` elements (all of them for a negative or undefined count, as in TF.js). */
  take(count: number): Dataset<T> {
    checkCount(count, 'take()');
    const n = count === undefined || count < 0 ? Infinity : count;
    const size = this.size === null ? null : Math.min(this.size, n);
    return datasetFromIteratorFn(async () => (n === Infinity ? this.iterator() : new TakeIterator(await this.iterator(), n)), size);
  }

  /** Every element, in order, in an array. */
  async toArray(): Promise<T[]> {
    if (this.size === Infinity) throw new Error('toArray(): the data set has no end (repeat() without a count); take(n) first.');
    return (await this.iterator()).toArray();
  }
}

/** A Dataset whose stream comes from `iteratorFn`, of `size` elements (TF.js' datasetFromIteratorFn). */
export function datasetFromIteratorFn<T>(iteratorFn: () => Promise<LazyIterator<T>>, size: number | null = null): Dataset<T> {
  return new (class extends Dataset<T> {
    override size = size;
    iterator(): Promise<LazyIterator<T>> {
      return iteratorFn();
    }
  })();
}

/** The streams that `makers` open, one after another, each opened only when the one before has ended. */
function streamOf<T>(makers: readonly (() => Promise<LazyIterator<T>>)[]): LazyIterator<LazyIterator<T>> {
  let i = 0;
  return new FunctionIterator(async () => (i < makers.length ? element(await makers[i++]()) : DONE));
}
