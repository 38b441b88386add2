import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toCategorical } from '../../src/data/to-categorical.js';
import { trainTestIndices, trainTestSplit } from '../../src/data/split.js';
import { tensor } from '../../src/tensor/create.js';
import { random, setSeed } from '../../src/tensor/rng.js';
import type { Tensor } from '../../src/tensor/tensor.js';

/** x row i is [i, 10 i], y row i is i, so every output row can be traced back. */
function traceable(n: number): { x: Tensor; y: Tensor } {
  return {
    x: tensor(Array.from({ length: n }, (_, i) => [i, 10 * i])),
    y: tensor(Array.from({ length: n }, (_, i) => [i])),
  };
}

/** Labels 0 repeated sizes[0] times, 1 repeated sizes[1] times, ... */
function labels(sizes: number[]): number[] {
  return sizes.flatMap((s, c) => new Array<number>(s).fill(c));
}

function countsOf(values: ArrayLike<number>, indices: number[], k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const i of indices) counts[values[i]]++;
  return counts;
}

test('trainTestSplit: sizes, no overlap, full coverage, rows stay aligned', () => {
  const { x, y } = traceable(10);
  const split = trainTestSplit(x, y, { seed: 1 });
  assert.equal(split.testIndices.length, 3); // ceil(0.25 * 10)
  assert.equal(split.trainIndices.length, 7);
  assert.deepEqual([...split.xTrain.shape], [7, 2]);
  assert.deepEqual([...split.yTest.shape], [3, 1]);
  const all = [...split.trainIndices, ...split.testIndices].sort((a, b) => a - b);
  assert.deepEqual(
    all,
    Array.from({ length: 10 }, (_, i) => i),
  );
  split.trainIndices.forEach((r, i) => {
    assert.deepEqual([...split.xTrain.values.subarray(2 * i, 2 * i + 2)], [r, 10 * r]);
    assert.equal(split.yTrain.values[i], r);
  });
  split.testIndices.forEach((_, i) => {
    assert.equal(split.xTest.values[2 * i], split.yTest.values[i]);
  });
});

test('trainTestSplit: testSize as a fraction or a count', () => {
  assert.equal(trainTestIndices(10, { testSize: 4 }).testIndices.length, 4);
  assert.equal(trainTestIndices(30, { testSize: 0.1 }).testIndices.length, 3); // not 4 from 3.0000000000000004
  assert.equal(trainTestIndices(10, { testSize: 0.01 }).testIndices.length, 1);
  assert.throws(() => trainTestIndices(10, { testSize: 10 }), /leaves no training rows/);
  assert.throws(() => trainTestIndices(10, { testSize: 1.5 }), /fraction in \(0, 1\) or a whole number/);
  assert.throws(() => trainTestIndices(10, { testSize: 0 }), /fraction/);
  assert.throws(() => trainTestIndices(1), /at least 2 rows/);
  assert.throws(() => trainTestSplit(tensor([[1], [2]]), tensor([1, 2, 3])), /same number of rows/);
});

test('trainTestSplit: shuffle false takes the last rows as the test set', () => {
  const { x, y } = traceable(8);
  const split = trainTestSplit(x, y, { shuffle: false, testSize: 0.25 });
  assert.deepEqual(split.trainIndices, [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(split.testIndices, [6, 7]);
  assert.deepEqual([...split.yTest.values], [6, 7]);
});

test('trainTestSplit: a seed reproduces the split and leaves the global stream alone', () => {
  const { x, y } = traceable(50);
  const a = trainTestSplit(x, y, { seed: 42 });
  const b = trainTestSplit(x, y, { seed: 42 });
  const c = trainTestSplit(x, y, { seed: 43 });
  assert.deepEqual(a.testIndices, b.testIndices);
  assert.deepEqual([...a.xTrain.values], [...b.xTrain.values]);
  assert.notDeepEqual(a.testIndices, c.testIndices);
  setSeed(7);
  const expected = random();
  setSeed(7);
  trainTestSplit(x, y, { seed: 42, stratify: labels([25, 25]) });
  assert.equal(random(), expected);
});

test('trainTestSplit: without a seed it follows setSeed', () => {
  const { x, y } = traceable(50);
  setSeed(3);
  const a = trainTestSplit(x, y);
  setSeed(3);
  const b = trainTestSplit(x, y);
  assert.deepEqual(a.trainIndices, b.trainIndices);
  assert.notDeepEqual(a.trainIndices, trainTestSplit(x, y).trainIndices);
});

test('trainTestSplit: stratify keeps class proportions', () => {
  const y = labels([70, 30]);
  const { x } = traceable(100);
  const split = trainTestSplit(x, tensor(y), { testSize: 0.2, stratify: y, seed: 0 });
  assert.deepEqual(countsOf(y, split.testIndices, 2), [14, 6]);
  assert.deepEqual(countsOf(y, split.trainIndices, 2), [56, 24]);
  assert.deepEqual(
    [0, 1].map((c) => split.yTest.values.filter((v) => v === c).length),
    [14, 6],
  );
  // Each set is shuffled, not sorted by class.
  const sorted = [...split.yTrain.values].every((v, i, a) => i === 0 || a[i - 1] <= v);
  assert.ok(!sorted);
});

test('trainTestSplit: stratified test counts round sensibly', () => {
  // Shares 12.5, 7.5, 5 of 25: one class rounds up so the total is exactly 25.
  const tie = trainTestIndices(100, { testSize: 0.25, stratify: labels([50, 30, 20]), seed: 1 });
  const counts = countsOf(labels([50, 30, 20]), tie.testIndices, 3);
  assert.equal(counts[0] + counts[1] + counts[2], 25);
  assert.equal(counts[2], 5);
  assert.ok(counts[0] >= 12 && counts[0] <= 13 && counts[1] >= 7 && counts[1] <= 8);
  // Shares 2.8, 1.4, 0.8 of 5: largest remainders first -> 3, 1, 1.
  assert.deepEqual(countsOf(labels([14, 7, 4]), trainTestIndices(25, { testSize: 5, stratify: labels([14, 7, 4]), seed: 2 }).testIndices, 3), [3, 1, 1]);
  // A rare class (share 0.2) still gets one test row; a small class keeps one training row.
  assert.deepEqual(countsOf(labels([2, 98]), trainTestIndices(100, { testSize: 0.1, stratify: labels([2, 98]), seed: 3 }).testIndices, 2), [1, 9]);
  assert.deepEqual(countsOf(labels([2, 8]), trainTestIndices(10, { testSize: 0.6, stratify: labels([2, 8]), seed: 4 }).testIndices, 2), [1, 5]);
});

test('trainTestSplit: stratified counts are within one of the exact share (random cases)', () => {
  setSeed(11);
  for (let trial = 0; trial < 200; trial++) {
    const k = 2 + Math.floor(random() * 4);
    const sizes = Array.from({ length: k }, () => 10 + Math.floor(random() * 40));
    const n = sizes.reduce((a, b) => a + b);
    const testSize = 0.1 + 0.8 * random();
    const y = labels(sizes);
    const { trainIndices, testIndices } = trainTestIndices(n, { testSize, stratify: y, seed: trial });
    assert.equal(testIndices.length, Math.ceil(testSize * n - 1e-9));
    assert.equal(new Set([...trainIndices, ...testIndices]).size, n);
    const counts = countsOf(y, testIndices, k);
    counts.forEach((t, c) => {
      const share = (testIndices.length * sizes[c]) / n;
      assert.ok(Math.abs(t - share) < 1, `class ${c}: ${t} test rows for a share of ${share}`);
    });
  }
});

test('trainTestSplit: stratify accepts strings and one-hot tensors', () => {
  const names = [...new Array<string>(6).fill('cat'), ...new Array<string>(4).fill('dog')];
  const s = trainTestIndices(10, { testSize: 5, stratify: names, seed: 5 });
  assert.deepEqual([s.testIndices.filter((i) => names[i] === 'cat').length, s.testIndices.filter((i) => names[i] === 'dog').length], [3, 2]);
  const y = labels([12, 8]);
  const onehot = toCategorical(y);
  const { x } = traceable(20);
  const split = trainTestSplit(x, onehot, { testSize: 0.25, stratify: onehot, seed: 6 });
  assert.deepEqual(countsOf(y, split.testIndices, 2), [3, 2]);
  assert.deepEqual([...split.yTest.shape], [5, 2]);
});

test('trainTestSplit: stratify errors say what to change', () => {
  assert.throws(() => trainTestIndices(5, { stratify: [0, 0, 1, 1, 2] }), /class 2 has only 1 row/);
  assert.throws(() => trainTestIndices(6, { testSize: 2, stratify: [0, 0, 1, 1, 2, 2] }), /with 3 classes, each set needs at least 3 rows/);
  assert.throws(() => trainTestIndices(4, { shuffle: false, stratify: [0, 0, 1, 1] }), /needs shuffle: true/);
  assert.throws(() => trainTestIndices(4, { stratify: [0, 0, 1] }), /3 labels but there are 4 rows/);
});
