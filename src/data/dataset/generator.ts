// `data.generator(fn)` and `data.func(f)`: data sets whose elements a function of the user's makes, one at a time.
import { type Dataset, datasetFromIteratorFn } from './dataset.js';
import { FunctionIterator, type Next } from './iterator.js';

/** What `data.generator`'s function returns: an iterator (a generator object, sync or async) or an iterable. */
export type GeneratorSource<T> = Iterator<T> | AsyncIterator<T> | Iterable<T> | AsyncIterable<T>;

function describe(x: unknown): string {
  return x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x;
}

/** `source` as something with next(): an iterator as it is, an iterable's iterator. */
function asIterator<T>(source: unknown): Iterator<T> | AsyncIterator<T> {
  if (source !== null && typeof source === 'object') {
    if (typeof (source as Iterator<T>).next === 'function') return source as Iterator<T>;
    const asyncIt = (source as AsyncIterable<T>)[Symbol.asyncIterator];
    if (typeof asyncIt === 'function') return asyncIt.call(source);
    const syncIt = (source as Iterable<T>)[Symbol.iterator];
    if (typeof syncIt === 'function') return syncIt.call(source);
  }
  throw new Error(
    `data.generator(): the function must return an iterator, e.g. a generator (function* () { yield ... }) or an async one, got ${describe(source)}.`,
  );
}

/**
 * A data set of what a generator yields. `fn` is called afresh for each pass over the data set (each epoch of
 * fitDataset), so pass the generator function itself, not a generator object: sync (`function*`) or async
 * (`async function*`), or any function returning an iterator or an iterable (or a promise of one).
 *
 *     const ds = data.generator(function* () {
 *       for (let i = 0; i < 100; i++) yield { xs: [i / 100], ys: [2 * i / 100] };
 *     }).batch(10);
 */
export function generator<T>(fn: () => GeneratorSource<T> | Promise<GeneratorSource<T>>): Dataset<T> {
  if (typeof fn !== 'function') {
    const what =
      fn !== null && typeof fn === 'object' && typeof (fn as Iterator<T>).next === 'function'
        ? 'an iterator (a generator object); pass the generator function itself (data.generator(gen), not data.generator(gen())): a data set is read afresh each pass'
        : describe(fn);
    throw new Error(`data.generator(): expected a function that returns an iterator, got ${what}.`);
  }
  return datasetFromIteratorFn(async () => {
    const it = asIterator<T>(await fn());
    return new FunctionIterator<T>(
      () => it.next(),
      () => it.return?.(),
    );
  });
}

/**
 * A data set whose elements come from calling `f`, which returns `{ value, done }` (or a promise of it) until
 * `done` is true (TF.js' tf.data.func). Every pass shares the one stream `f` makes, as in TF.js.
 */
export function func<T>(f: () => Next<T> | IteratorResult<T> | Promise<Next<T> | IteratorResult<T>>): Dataset<T> {
  if (typeof f !== 'function') throw new Error(`data.func(): expected a function returning { value, done }, got ${describe(f)}.`);
  const shared = new FunctionIterator<T>(f);
  // each pass reads on from the shared stream; ending a pass early (take) leaves the stream open for the next
  return datasetFromIteratorFn(async () => new FunctionIterator<T>(() => shared.next()));
}
