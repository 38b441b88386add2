import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blobs, circles, sineWave, spirals, xorData } from '../../src/data/toy.js';
import { random, setSeed } from '../../src/tensor/rng.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { assertClose } from '../helpers.js';

function labelCounts(y: Tensor): Map<number, number> {
  const counts = new Map<number, number>();
  for (const v of y.values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

test('xorData is the four XOR points', () => {
  const { x, y } = xorData();
  assertClose(x, [0, 0, 0, 1, 1, 0, 1, 1], { shape: [4, 2] });
  assertClose(y, [0, 1, 1, 0], { shape: [4, 1] });
});

test('circles: shapes, balance and radii', () => {
  const { x, y } = circles({ n: 101, factor: 0.5, seed: 1 });
  assert.deepEqual([...x.shape], [101, 2]);
  assert.deepEqual([...y.shape], [101, 1]);
  assert.equal(labelCounts(y).get(0), 50);
  assert.equal(labelCounts(y).get(1), 51);
  for (let i = 0; i < 101; i++) {
    const r = Math.hypot(x.values[2 * i], x.values[2 * i + 1]);
    assert.ok(Math.abs(r - (y.values[i] === 0 ? 1 : 0.5)) < 1e-6, `row ${i}: radius ${r}, label ${y.values[i]}`);
  }
  // Shuffled: the labels are not in two blocks.
  assert.ok(y.values.some((v, i) => i > 0 && v < y.values[i - 1]));
});

test('circles: noise moves points off the circles by about its std', () => {
  const { x, y } = circles({ n: 2000, noise: 0.1, factor: 0.3, seed: 2 });
  let sq = 0;
  for (let i = 0; i < 2000; i++) {
    const target = y.values[i] === 0 ? 1 : 0.3;
    sq += (Math.hypot(x.values[2 * i], x.values[2 * i + 1]) - target) ** 2;
  }
  const rms = Math.sqrt(sq / 2000);
  assert.ok(rms > 0.07 && rms < 0.13, `radial rms ${rms}`);
  assert.throws(() => circles({ factor: 1 }), /factor must be in \[0, 1\)/);
});

test('spirals: shapes, balance, radii up to 1, the two arms apart', () => {
  const { x, y } = spirals({ n: 200, seed: 3 });
  assert.deepEqual([...x.shape], [200, 2]);
  assert.deepEqual([...y.shape], [200, 1]);
  assert.equal(labelCounts(y).get(0), 100);
  assert.equal(labelCounts(y).get(1), 100);
  let maxR = 0;
  for (let i = 0; i < 200; i++) maxR = Math.max(maxR, Math.hypot(x.values[2 * i], x.values[2 * i + 1]));
  assert.ok(Math.abs(maxR - 1) < 1e-6);
  // Without noise, arm 1 is arm 0 turned by half a circle: each point's mirror is in the other class.
  for (let i = 0; i < 200; i++) {
    let mirror = -1;
    for (let j = 0; j < 200; j++) {
      if (Math.abs(x.values[2 * j] + x.values[2 * i]) < 1e-5 && Math.abs(x.values[2 * j + 1] + x.values[2 * i + 1]) < 1e-5) mirror = j;
    }
    assert.ok(mirror >= 0, `row ${i} has no mirror point`);
    assert.equal(y.values[mirror], 1 - y.values[i]);
  }
});

test('blobs: shapes, balance, points near their centers', () => {
  const centers = [
    [0, 0],
    [10, 0],
    [0, 10],
  ];
  const data = blobs({ n: 301, centers, std: 0.5, seed: 4 });
  assert.deepEqual([...data.x.shape], [301, 2]);
  assert.deepEqual([...data.y.shape], [301, 1]);
  assertClose(data.centers, centers.flat(), { shape: [3, 2] });
  assert.deepEqual(
    [0, 1, 2].map((c) => labelCounts(data.y).get(c)),
    [101, 100, 100],
  );
  for (let i = 0; i < 301; i++) {
    const c = centers[data.y.values[i]];
    assert.ok(Math.hypot(data.x.values[2 * i] - c[0], data.x.values[2 * i + 1] - c[1]) < 3);
  }
  const random3d = blobs({ n: 40, centers: 4, nFeatures: 3, seed: 5 });
  assert.deepEqual([...random3d.x.shape], [40, 3]);
  assert.deepEqual([...random3d.centers.shape], [4, 3]);
  assert.ok(random3d.centers.values.every((v) => v >= -10 && v <= 10));
  assert.throws(() => blobs({ centers: [[0, 0], [1]] }), /same number of coordinates/);
  assert.throws(() => blobs({ centers: 2, std: [1, 2, 3] }), /std has 3 entries for 2 centers/);
});

test('sineWave: shapes, range and targets', () => {
  const { x, y } = sineWave({ n: 64, xRange: [0, 2], seed: 6 });
  assert.deepEqual([...x.shape], [64, 1]);
  assert.deepEqual([...y.shape], [64, 1]);
  assert.ok(x.values.every((v) => v >= 0 && v < 2));
  assertClose(y, Array.from(x.values, Math.sin), { atol: 1e-6 });
  const noisy = sineWave({ n: 2000, noise: 0.2, seed: 7 });
  let sq = 0;
  for (let i = 0; i < 2000; i++) sq += (noisy.y.values[i] - Math.sin(noisy.x.values[i])) ** 2;
  const rms = Math.sqrt(sq / 2000);
  assert.ok(rms > 0.17 && rms < 0.23, `noise rms ${rms}`);
});

test('toy sets: a seed reproduces them, without disturbing the global stream', () => {
  setSeed(9);
  const expected = random();
  setSeed(9);
  const a = spirals({ n: 50, noise: 0.1, seed: 8 });
  assert.equal(random(), expected);
  const b = spirals({ n: 50, noise: 0.1, seed: 8 });
  assert.deepEqual([...a.x.values], [...b.x.values]);
  assert.deepEqual([...a.y.values], [...b.y.values]);
  assert.notDeepEqual([...a.x.values], [...spirals({ n: 50, noise: 0.1, seed: 9 }).x.values]);
  setSeed(10);
  const c = circles({ n: 30, noise: 0.1 });
  setSeed(10);
  assert.deepEqual([...c.x.values], [...circles({ n: 30, noise: 0.1 }).x.values]);
  assert.throws(() => circles({ n: 0 }), /n must be a positive integer/);
  assert.throws(() => spirals({ noise: -1 }), /noise must be a non-negative number/);
});
