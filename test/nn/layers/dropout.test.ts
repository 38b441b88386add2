import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { grad } from '../../../src/autograd/functional.js';
import { dropout } from '../../../src/nn/layers/dropout.js';
import { sum } from '../../../src/ops/reduce.js';
import { ones, tensor } from '../../../src/tensor/create.js';
import { random, setSeed } from '../../../src/tensor/rng.js';

function stats(v: Float32Array): { zeroFraction: number; mean: number; nonZero: Set<number> } {
  let zeros = 0;
  let total = 0;
  const nonZero = new Set<number>();
  for (const x of v) {
    if (x === 0) zeros++;
    else nonZero.add(x);
    total += x;
  }
  return { zeroFraction: zeros / v.length, mean: total / v.length, nonZero };
}

describe('Dropout', () => {
  test('is the identity at inference', () => {
    const layer = dropout({ rate: 0.5 });
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assert.equal(layer.apply(x), x);
    assert.equal(layer.apply(x, { training: false }), x);
  });

  for (const rate of [0.1, 0.5, 0.8]) {
    test(`rate ${rate} in training: drops ~rate, scales by 1/(1-rate), keeps the mean`, () => {
      setSeed(rate * 10);
      const y = dropout({ rate }).apply(ones([200, 500]), { training: true });
      const s = stats(y.values);
      assert.ok(Math.abs(s.zeroFraction - rate) < 0.01, `zero fraction ${s.zeroFraction}`);
      assert.deepEqual([...s.nonZero], [Math.fround(1 / (1 - rate))]);
      assert.ok(Math.abs(s.mean - 1) < 0.02, `mean ${s.mean}`);
    });
  }

  test('rate 0 changes nothing', () => {
    const x = tensor([1, 2, 3], [1, 3]);
    assert.equal(dropout({ rate: 0 }).apply(x, { training: true }), x);
  });

  test('the gradient is the same mask', () => {
    setSeed(3);
    const layer = dropout({ rate: 0.5 });
    const x = tensor(
      Array.from({ length: 40 }, (_, i) => i + 1),
      [4, 10],
    );
    setSeed(9);
    const y = layer.apply(x, { training: true });
    setSeed(9);
    const g = grad((t) => sum(layer.apply(t, { training: true })))(x);
    // same seed, same mask: the gradient is y / x elementwise (0 or 2)
    assert.deepEqual(
      [...g.values],
      Array.from(y.values, (v, i) => v / x.values[i]),
    );
    assert.deepEqual(new Set(g.values), new Set([0, 2]));
  });

  test('masks are reproducible with setSeed', () => {
    const layer = dropout({ rate: 0.3 });
    setSeed(42);
    const a = layer.apply(ones([10, 10]), { training: true });
    setSeed(42);
    const b = layer.apply(ones([10, 10]), { training: true });
    assert.deepEqual([...a.values], [...b.values]);
  });

  test('a seeded layer has its own stream and leaves the global one alone', () => {
    setSeed(1);
    const expectedNext = random();
    setSeed(1);
    const a = dropout({ rate: 0.5, seed: 7 });
    const b = dropout({ rate: 0.5, seed: 7 });
    const a1 = a.apply(ones([4, 8]), { training: true });
    assert.equal(random(), expectedNext, 'global stream untouched');
    const a2 = a.apply(ones([4, 8]), { training: true });
    const b1 = b.apply(ones([4, 8]), { training: true });
    assert.deepEqual([...a1.values], [...b1.values], 'same seed, same first mask');
    assert.notDeepEqual([...a1.values], [...a2.values], 'the stream advances');
  });

  test('rate must be in [0, 1)', () => {
    assert.throws(() => dropout({ rate: 1, name: 'drop_all' }), /Layer 'drop_all' \(Dropout\): rate must be in \[0, 1\).*got 1/);
    assert.throws(() => dropout({ rate: -0.1 }), /rate must be in \[0, 1\)/);
    assert.throws(() => dropout({ rate: NaN }), /rate must be in \[0, 1\)/);
    assert.throws(() => dropout({ rate: 0.5, seed: Infinity }), /seed must be a finite number/);
  });

  test('shape and config', () => {
    const layer = dropout({ rate: 0.25, name: 'drop' });
    assert.deepEqual(layer.computeOutputShape([null, 3, 4]), [null, 3, 4]);
    assert.equal(layer.countParams(), 0);
    assert.deepEqual(layer.getConfig(), { name: 'drop', trainable: true, rate: 0.25 });
    assert.equal(dropout({ rate: 0.1, seed: 3 }).getConfig().seed, 3);
  });
});
