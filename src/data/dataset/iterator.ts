// The stream under a Dataset: a LazyIterator hands out elements one at a time, `next()` giving a promise of
// `{ value, done }` as TF.js' LazyIterator and JavaScript's async iterators do (so `for await` works too). Calls
// may overlap (prefetch asks ahead, user code may call next() twice without awaiting): each iterator answers
// them one after another, in order, so that a filter or a batch never sees its upstream's elements out of turn.

/** One step of a stream: an element, or the end (`{ value: null, done: true }`, as TF.js gives it). */
export type Next<T> = IteratorResult<T, null>;

/** The end of a stream. */
export const DONE: IteratorReturnResult<null> = Object.freeze({ value: null, done: true });

/** An element of a stream. */
export function element<T>(value: T): IteratorYieldResult<T> {
  return { value, done: false };
}

/**
 * A stream of elements, pulled one at a time. Subclasses implement `pull` (never called twice at once) and, when
 * they hold something open (a file, an upstream), `close`.
 */
export abstract class LazyIterator<T> implements AsyncIterableIterator<T> {
  /** The last `pull` asked for: the next one waits for it. */
  private last: Promise<unknown> = Promise.resolve();

  /** The next element, or `{ value: null, done: true }` once the stream has ended (and at every call after that). */
  next(): Promise<Next<T>> {
    const pull = () => this.pull();
    // a failed pull does not block the ones after it: the caller of that next() gets the error
    const result = this.last.then(pull, pull);
    this.last = result;
    return result;
  }

  protected abstract pull(): Promise<Next<T>>;

  /** Ends the stream early and releases what it holds (an open file); `for await` calls it on `break`. */
  async return(): Promise<Next<T>> {
    await this.close();
    return DONE;
  }

  /** Releases what the stream holds; by default nothing. */
  protected async close(): Promise<void> {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Every remaining element, in order. */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for (let r = await this.next(); !r.done; r = await this.next()) out.push(r.value);
    return out;
  }
}

/** Where a stream's next element comes from when it is not another LazyIterator: a function (TF.js' iteratorFromFunction). */
export class FunctionIterator<T> extends LazyIterator<T> {
  private ended = false;

  constructor(
    private readonly nextFn: () => Next<T> | IteratorResult<T> | Promise<Next<T> | IteratorResult<T>>,
    private readonly onClose: () => unknown = () => undefined,
  ) {
    super();
  }

  protected async pull(): Promise<Next<T>> {
    if (this.ended) return DONE;
    const r = await this.nextFn();
    if (r === null || typeof r !== 'object') throw new Error(`a dataset's iterator must give { value, done } objects, got ${r === null ? 'null' : typeof r}.`);
    if (r.done) {
      this.ended = true;
      return DONE;
    }
    return element(r.value);
  }

  protected override async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.onClose();
  }
}

/** A stream's elements, transformed one by one (`map`, `mapAsync`). */
export class MapIterator<T, O> extends LazyIterator<O> {
  constructor(
    private readonly upstream: LazyIterator<T>,
    private readonly transform: (value: T) => O | Promise<O>,
  ) {
    super();
  }

  protected async pull(): Promise<Next<O>> {
    const r = await this.upstream.next();
    return r.done ? DONE : element(await this.transform(r.value));
  }

  protected override async close(): Promise<void> {
    await this.upstream.return();
  }
}

/** The elements for which `predicate` is true. */
export class FilterIterator<T> extends LazyIterator<T> {
  constructor(
    private readonly upstream: LazyIterator<T>,
    private readonly predicate: (value: T) => boolean,
  ) {
    super();
  }

  protected async pull(): Promise<Next<T>> {
    for (;;) {
      const r = await this.upstream.next();
      if (r.done || this.predicate(r.value)) return r;
    }
  }

  protected override async close(): Promise<void> {
    await this.upstream.return();
  }
}

/** The first `count` elements; the upstream is closed once they are given. */
export class TakeIterator<T> extends LazyIterator<T> {
  private taken = 0;

  constructor(
    private readonly upstream: LazyIterator<T>,
    private readonly count: number,
  ) {
    super();
  }

  protected async pull(): Promise<Next<T>> {
    if (this.taken >= this.count) {
      if (this.taken++ === this.count) await this.upstream.return();
      return DONE;
    }
    this.taken++;
    return this.upstream.next();
  }

  protected override async close(): Promise<void> {
    await this.upstream.return();
  }
}

/** The elements after the first `count`. */
export class SkipIterator<T> extends LazyIterator<T> {
  private skipped = 0;

  constructor(
    private readonly upstream: LazyIterator<T>,
    private readonly count: number,
  ) {
    super();
  }

  protected async pull(): Promise<Next<T>> {
    while (this.skipped < this.count) {
      this.skipped++;
      if ((await this.upstream.next()).done) return DONE;
    }
    return this.upstream.next();
  }

  protected override async close(): Promise<void> {
    await this.upstream.return();
  }
}

/**
 * The elements of one stream after another, the streams themselves coming from `streams` (concatenate, repeat).
 * With `stopAtEmpty`, a stream that gives nothing ends the whole chain: repeating an empty data set forever
 * would otherwise spin without end.
 */
export class ChainIterator<T> extends LazyIterator<T> {
  private current: LazyIterator<T> | null = null;
  private currentGave = 0;
  private ended = false;

  constructor(
    private readonly streams: LazyIterator<LazyIterator<T>>,
    private readonly stopAtEmpty = false,
  ) {
    super();
  }

  protected async pull(): Promise<Next<T>> {
    while (!this.ended) {
      if (this.current === null) {
        const s = await this.streams.next();
        if (s.done) break;
        this.current = s.value;
        this.currentGave = 0;
      }
      const r = await this.current.next();
      if (!r.done) {
        this.currentGave++;
        return r;
      }
      this.current = null;
      if (this.stopAtEmpty && this.currentGave === 0) break;
    }
    this.ended = true;
    return DONE;
  }

  protected override async close(): Promise<void> {
    this.ended = true;
    await this.current?.return();
    await this.streams.return();
  }
}

/**
 * Asks the upstream `bufferSize` elements ahead, so that a source that waits (a file, the network, an async
 * map) works while the consumer does. Each asked-for element is a promise; a failure reaches the caller of the
 * next() that gets it, and never shows as an unhandled rejection meanwhile.
 */
export class PrefetchIterator<T> extends LazyIterator<T> {
  private readonly buffer: Promise<Next<T>>[] = [];

  constructor(
    private readonly upstream: LazyIterator<T>,
    private readonly bufferSize: number,
  ) {
    super();
  }

  protected pull(): Promise<Next<T>> {
    while (this.buffer.length < this.bufferSize + 1) {
      const p = this.upstream.next();
      p.catch(() => undefined);
      this.buffer.push(p);
    }
    return this.buffer.shift()!;
  }

  protected override async close(): Promise<void> {
    this.buffer.length = 0;
    await this.upstream.return();
  }
}
