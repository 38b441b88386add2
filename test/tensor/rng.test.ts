import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getRngState, randomNormal, randomUniform, setRngState, setSeed } from '../../src/index.js';
import { fillBernoulliMask, random } from '../../src/tensor/rng.js';

function moments(v: Float32Array): { mean: number; std: number } {
  let s = 0;
  for (const x of v) s += x;
  const mean = s / v.length;
  let q = 0;
  for (const x of v) q += (x - mean) ** 2;
  return { mean, std: Math.sqrt(q / v.length) };
}

describe('seeded random tensors', () => {
  test('the same seed gives the same values', () => {
    setSeed(42);
    const a = randomNormal([100]);
    const u = randomUniform([50]);
    setSeed(42);
    const b = randomNormal([100]);
    const w = randomUniform([50]);
    assert.deepEqual([...a.values], [...b.values]);
    assert.deepEqual([...u.values], [...w.values]);
  });

  test('different seeds give different values', () => {
    setSeed(1);
    const a = randomUniform([20]);
    setSeed(2);
    const b = randomUniform([20]);
    assert.notDeepEqual([...a.values], [...b.values]);
  });

  test('an odd-length normal draw does not leak a cached value across setSeed', () => {
    setSeed(7);
    randomNormal([3]);
    setSeed(7);
    const a = randomNormal([4]);
    setSeed(7);
    const b = randomNormal([4]);
    assert.deepEqual([...a.values], [...b.values]);
  });

  test('getRngState / setRngState resume the exact stream', () => {
    setSeed(3);
    randomNormal([5]);
    const saved = getRngState();
    const a = randomNormal([9]);
    setRngState(saved);
    const b = randomNormal([9]);
    assert.deepEqual([...a.values], [...b.values]);
    assert.throws(() => setRngState([1, 2]), /5 entries/);
  });

  test('randomNormal has the requested mean and standard deviation', () => {
    setSeed(123);
    const n = 20000;
    const { mean, std } = moments(randomNormal([n], 3, 2).values);
    // standard error of the mean is 2 / sqrt(n) ~ 0.014
    assert.ok(Math.abs(mean - 3) < 0.06, `mean ${mean}`);
    assert.ok(Math.abs(std - 2) < 0.06, `std ${std}`);
    const z = moments(randomNormal([n]).values);
    assert.ok(Math.abs(z.mean) < 0.03 && Math.abs(z.std - 1) < 0.03, JSON.stringify(z));
  });

  test('randomNormal is roughly Gaussian (68% within one sigma)', () => {
    setSeed(9);
    const v = randomNormal([20000]).values;
    const within = v.filter((x) => Math.abs(x) < 1).length / v.length;
    assert.ok(Math.abs(within - 0.6827) < 0.02, `fraction within 1 sigma: ${within}`);
  });

  test('randomUniform stays in [min, max) with the uniform mean and std', () => {
    setSeed(5);
    const v = randomUniform([20000], -1, 3).values;
    assert.ok(v.every((x) => x >= -1 && x < 3));
    const { mean, std } = moments(v);
    assert.ok(Math.abs(mean - 1) < 0.05, `mean ${mean}`);
    assert.ok(Math.abs(std - 4 / Math.sqrt(12)) < 0.05, `std ${std}`);
    const d = moments(randomUniform([20000]).values);
    assert.ok(Math.abs(d.mean - 0.5) < 0.02);
  });

  test('shapes', () => {
    assert.deepEqual(randomNormal([2, 3, 4]).shape, [2, 3, 4]);
    assert.equal(randomUniform([0, 5]).size, 0);
    assert.throws(() => randomNormal([-1]), /invalid shape/);
    assert.throws(() => setSeed(NaN), /finite/);
  });
});

describe('fillBernoulliMask', () => {
  test('draws exactly what random() < keep would, and leaves the generator where those calls would', () => {
    for (const keep of [0.5, 0.75, 0.1, 0.999]) {
      setSeed(3);
      const expected = Float32Array.from({ length: 10_007 }, () => (random() < keep ? 1 / keep : 0));
      const after = getRngState();
      setSeed(3);
      const mask = new Float32Array(10_007);
      fillBernoulliMask(mask, keep, 1 / keep);
      assert.deepEqual(mask, expected);
      assert.deepEqual(getRngState(), after);
    }
  });
});
