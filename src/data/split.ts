import { shuffleInPlace } from '../tensor/rng.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { describeCategory, type Category } from './categories.js';
import { gatherRows } from './gather-rows.js';
import { withSeed } from './seeded.js';

export interface TrainTestSplitOptions {
  /** The test set's size: a fraction in (0, 1) of the rows (rounded up), or a whole number of rows. Default 0.25. */
  testSize?: number;
  /** Shuffle the rows before splitting. Default true; `false` takes the last rows as the test set. */
  shuffle?: boolean;
  /** Class labels, one per row, whose proportions both sets keep (usually the targets). Needs `shuffle`. */
  stratify?: Tensor | readonly Category[];
  /** Seeds this split alone; without it the split draws from the global generator (see `setSeed`). */
  seed?: number;
}

/** Row indices of the two sets, each in shuffled order (or ascending with `shuffle: false`). */
export interface TrainTestIndices {
  trainIndices: number[];
  testIndices: number[];
}

/** The four tensors of a split, plus the row indices they came from. */
export interface TrainTestSplit extends TrainTestIndices {
  xTrain: Tensor;
  xTest: Tensor;
  yTrain: Tensor;
  yTest: Tensor;
}

/**
 * Splits features and targets into a training and a test set, like scikit-learn's `train_test_split`.
 *
 *     const { xTrain, xTest, yTrain, yTest } = trainTestSplit(x, y, { testSize: 0.2, stratify: y, seed: 42 });
 */
export function trainTestSplit(x: Tensor, y: Tensor, options: TrainTestSplitOptions = {}): TrainTestSplit {
  if (x.rank === 0 || y.rank === 0) throw new Error('trainTestSplit(): x and y need a first (sample) axis; got a scalar.');
  if (x.shape[0] !== y.shape[0]) {
    throw new Error(`trainTestSplit(): x and y must have the same number of rows, got x ${formatShape(x.shape)} and y ${formatShape(y.shape)}.`);
  }
  const { trainIndices, testIndices } = trainTestIndices(x.shape[0], options);
  return {
    xTrain: gatherRows(x, trainIndices),
    xTest: gatherRows(x, testIndices),
    yTrain: gatherRows(y, trainIndices),
    yTest: gatherRows(y, testIndices),
    trainIndices,
    testIndices,
  };
}

/**
 * The row indices of a train/test split of `numSamples` rows, for splitting several arrays alike
 * (pass each to `gatherRows`). Same options as `trainTestSplit`.
 *
 *     const { trainIndices, testIndices } = trainTestIndices(100, { testSize: 20, seed: 0 });
 */
export function trainTestIndices(numSamples: number, options: TrainTestSplitOptions = {}): TrainTestIndices {
  const { train, test } = trainTestRows(numSamples, options);
  return { trainIndices: Array.from(train), testIndices: Array.from(test) };
}

/**
 * `trainTestIndices` as typed arrays (4 bytes a row; a plain array of millions of indices takes 8 and more):
 * the same split, for tables of any size.
 */
export function trainTestRows(numSamples: number, options: TrainTestSplitOptions = {}): { train: Uint32Array; test: Uint32Array } {
  const { testSize = 0.25, shuffle = true, stratify, seed } = options;
  const n = numSamples;
  const nTest = testCount(n, testSize);
  if (!shuffle) {
    if (stratify !== undefined) throw new Error('trainTestSplit(): stratify needs shuffle: true (an unshuffled split takes the last rows as they are).');
    return { train: range(0, n - nTest), test: range(n - nTest, n) };
  }
  return withSeed(seed, () => {
    if (stratify === undefined) {
      const order = range(0, n);
      shuffleInPlace(order);
      return { train: order.slice(nTest), test: order.slice(0, nTest) };
    }
    const classes = groupByClass(stratify, n);
    const perClass = allocate(classes, n, nTest);
    const train = new Uint32Array(n - nTest);
    const test = new Uint32Array(nTest);
    let inTrain = 0;
    let inTest = 0;
    classes.forEach((order, c) => {
      shuffleInPlace(order);
      for (let i = 0; i < order.length; i++) {
        if (i < perClass[c]) test[inTest++] = order[i];
        else train[inTrain++] = order[i];
      }
    });
    // Without this the sets would be sorted by class, which hurts training in batches.
    shuffleInPlace(train);
    shuffleInPlace(test);
    return { train, test };
  });
}

function testCount(n: number, testSize: number): number {
  if (!Number.isInteger(n) || n < 2) throw new Error(`trainTestSplit(): need at least 2 rows to split, got ${n}.`);
  let nTest: number;
  if (testSize > 0 && testSize < 1) {
    // NOTE: the small slack keeps float error from rounding up an exact count (0.1 * 30 = 3.0000000000000004).
    nTest = Math.ceil(testSize * n - 1e-9);
  } else if (Number.isInteger(testSize) && testSize >= 1) {
    nTest = testSize;
  } else {
    throw new Error(`trainTestSplit(): testSize must be a fraction in (0, 1) or a whole number of rows, got ${testSize}.`);
  }
  if (nTest >= n) throw new Error(`trainTestSplit(): testSize ${testSize} leaves no training rows out of ${n}; use a smaller testSize.`);
  return Math.max(1, nTest);
}

/** Row indices of each class, classes in order of first appearance (one typed array each). */
function groupByClass(stratify: Tensor | readonly Category[], n: number): Uint32Array[] {
  const length = stratify instanceof Tensor ? (stratify.rank === 0 ? 0 : stratify.shape[0]) : stratify.length;
  if (length !== n) throw new Error(`trainTestSplit(): stratify has ${length} labels but there are ${n} rows.`);
  const keyOf: (i: number) => Category =
    stratify instanceof Tensor
      ? (() => {
          // A row of several values (a one-hot target) is one class; keyed by its values.
          const w = stratify.size / n;
          return w === 1 ? (i: number) => stratify.values[i] : (i: number) => stratify.values.subarray(i * w, (i + 1) * w).join(',');
        })()
      : (i: number) => stratify[i];
  const classOf = new Map<Category, number>();
  const keys: Category[] = [];
  const rowClass = new Uint32Array(n);
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = keyOf(i);
    let c = classOf.get(k);
    if (c === undefined) {
      c = keys.length;
      classOf.set(k, c);
      keys.push(k);
      counts.push(0);
    }
    rowClass[i] = c;
    counts[c]++;
  }
  counts.forEach((count, c) => {
    if (count < 2) {
      throw new Error(
        `trainTestSplit(): class ${describeCategory(keys[c])} has only 1 row; stratifying needs at least 2 per class (one for each set). Merge rare classes or drop stratify.`,
      );
    }
  });
  const groups = counts.map((count) => new Uint32Array(count));
  const filled = new Array<number>(counts.length).fill(0);
  for (let i = 0; i < n; i++) groups[rowClass[i]][filled[rowClass[i]]++] = i;
  return groups;
}

/**
 * How many test rows each class gets: its exact share `nTest * n_c / n`, rounded so the counts add up to
 * `nTest` (largest remainders first), while every class keeps at least one row in each set.
 */
function allocate(classes: readonly ArrayLike<number>[], n: number, nTest: number): number[] {
  const k = classes.length;
  const nTrain = n - nTest;
  if (nTest < k || nTrain < k) {
    throw new Error(`trainTestSplit(): with ${k} classes, each set needs at least ${k} rows to hold one of each; got ${nTrain} train and ${nTest} test rows.`);
  }
  const sizes = classes.map((rows) => rows.length);
  // NOTE: shares are kept as integer numerators over n (share_c = nTest * n_c / n) so comparisons are exact.
  const t = sizes.map((s) => Math.min(s - 1, Math.max(1, Math.floor((nTest * s) / n))));
  const left = (c: number) => nTest * sizes[c] - t[c] * n;
  let missing = nTest - t.reduce((a, b) => a + b, 0);
  while (missing !== 0) {
    let best = -1;
    for (let c = 0; c < k; c++) {
      const ok = missing > 0 ? t[c] < sizes[c] - 1 : t[c] > 1;
      if (!ok) continue;
      if (best < 0 || (missing > 0 ? left(c) > left(best) : left(c) < left(best))) best = c;
    }
    t[best] += Math.sign(missing);
    missing -= Math.sign(missing);
  }
  return t;
}

function range(start: number, stop: number): Uint32Array {
  const out = new Uint32Array(stop - start);
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}
