// `data.zip(datasets)`: data sets side by side, element i of each in one element of the same structure (a list,
// an object, or nested ones), until the shortest ends (TF.js' zip).
import { Dataset, datasetFromIteratorFn } from './dataset.js';
import { DONE, element, LazyIterator, type Next } from './iterator.js';

/** Data sets in a list, an object, or nested lists and objects of them. */
export type DatasetContainer = Dataset<unknown> | readonly DatasetContainer[] | { readonly [key: string]: DatasetContainer };

/** The element type of zip(datasets): the same structure with each data set's element in its place. */
export type Zipped<C> = C extends Dataset<infer T> ? T : { -readonly [K in keyof C]: Zipped<C[K]> };

/** Every data set of the structure (its leaves), in a fixed order. */
function leaves(c: unknown, out: Dataset<unknown>[], path: string): void {
  if (c instanceof Dataset) {
    out.push(c);
    return;
  }
  if (c === null || typeof c !== 'object')
    throw new Error(`data.zip(): the leaves of the structure must be Datasets, got ${c === null ? 'null' : typeof c} at ${path || 'the top'}.`);
  for (const [k, v] of Object.entries(c)) leaves(v, out, Array.isArray(c) ? `${path}[${k}]` : path ? `${path}.${k}` : k);
}

/** The structure with each data set replaced by the next item of `values` (in the order of `leaves`). */
function rebuild(c: unknown, values: unknown[], at: { i: number }): unknown {
  if (c instanceof Dataset) return values[at.i++];
  if (Array.isArray(c)) return c.map((v) => rebuild(v, values, at));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c as object)) out[k] = rebuild(v, values, at);
  return out;
}

class ZipIterator extends LazyIterator<unknown> {
  private ended = false;

  constructor(
    private readonly structure: unknown,
    private readonly streams: LazyIterator<unknown>[],
  ) {
    super();
  }

  protected async pull(): Promise<Next<unknown>> {
    if (this.ended || this.streams.length === 0) return DONE;
    const results = await Promise.all(this.streams.map((s) => s.next()));
    if (results.some((r) => r.done)) {
      // the shortest has ended: so does the zip, and the others are closed
      await this.close();
      return DONE;
    }
    return element(
      rebuild(
        this.structure,
        results.map((r) => r.value),
        { i: 0 },
      ),
    );
  }

  protected override async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await Promise.all(this.streams.map((s) => s.return()));
  }
}

/**
 * Data sets side by side: `zip([a, b])` gives `[a_i, b_i]`, `zip({ xs: a, ys: b })` gives `{ xs: a_i, ys: b_i }`
 * (nested lists and objects too), until the shortest data set ends.
 *
 *     const ds = data.zip({ xs: data.array(features), ys: data.array(labels) }).batch(32);
 */
export function zip<C extends DatasetContainer>(datasets: C): Dataset<Zipped<C>> {
  if (datasets === null || typeof datasets !== 'object' || datasets instanceof Dataset) {
    throw new Error('data.zip(): expected a list or an object of Datasets, e.g. data.zip({ xs: features, ys: labels }).');
  }
  const all: Dataset<unknown>[] = [];
  leaves(datasets, all, '');
  const sizes = all.map((d) => d.size);
  const size = all.length === 0 ? 0 : sizes.some((s) => s === null) ? null : (sizes as number[]).reduce((a, b) => Math.min(a, b), Infinity);
  const zipped = datasetFromIteratorFn(async () => new ZipIterator(datasets, await Promise.all(all.map((d) => d.iterator()))), size);
  return zipped as Dataset<Zipped<C>>;
}
