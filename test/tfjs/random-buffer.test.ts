// tf.randomNormal, tf.randomUniform, tf.truncatedNormal, tf.multinomial and tf.buffer against real TensorFlow.js.
// Random draws come from dendrite's generator, not TF.js' Alea, so they are compared by shape, dtype and
// distribution (both libraries' sample moments near the true ones); buffers compare exactly.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src/tfjs/index.js';
import { assertSame, assertSameResult, dendriteTf, type Lib, tfjsCpu } from './same-as-tfjs.js';

before(tfjsCpu);

function stats(values: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    s += values[i];
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  const mean = s / values.length;
  let v = 0;
  for (let i = 0; i < values.length; i++) v += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(v / values.length), min, max };
}

/** Runs the draw in both libraries: same shape and dtype, and both samples' moments within `tol` of each other's truth. */
function sameDistribution(draw: (t: Lib) => tfjs.Tensor, check: (s: ReturnType<typeof stats>) => void): void {
  assertSame(draw, { valuesToo: false });
  check(stats(draw(tfjs).dataSync()));
  check(stats(draw(dendriteTf).dataSync()));
}

describe('random tensors', () => {
  test('randomNormal: shape, dtype, mean and standard deviation', () => {
    sameDistribution(
      (t) => t.randomNormal([200, 100], 3, 2),
      (s) => {
        assert.ok(Math.abs(s.mean - 3) < 0.05 && Math.abs(s.std - 2) < 0.05, JSON.stringify(s));
      },
    );
    sameDistribution(
      (t) => t.randomNormal([5000], 10, 4, 'int32'),
      (s) => assert.ok(Math.abs(s.mean - 10) < 0.3, JSON.stringify(s)),
    );
    const ints = tf.randomNormal([100], 0, 5, 'int32').dataSync();
    assert.ok(ints.every((v) => Number.isInteger(v)));
    assertSame((t) => t.randomNormal([2], 0, 1, 'bool' as never));
  });

  test('truncatedNormal stays within two standard deviations', () => {
    sameDistribution(
      (t) => t.truncatedNormal([20000], -1, 0.5),
      (s) => {
        assert.ok(s.min >= -2 && s.max <= 0, JSON.stringify(s));
        // the standard deviation of a normal truncated at 2 sigma is 0.8796 sigma
        assert.ok(Math.abs(s.std - 0.5 * 0.8796) < 0.01 && Math.abs(s.mean + 1) < 0.01, JSON.stringify(s));
      },
    );
  });

  test('randomUniform: [min, max), integers truncated', () => {
    sameDistribution(
      (t) => t.randomUniform([20000], -2, 6),
      (s) => assert.ok(s.min >= -2 && s.max < 6 && Math.abs(s.mean - 2) < 0.06, JSON.stringify(s)),
    );
    sameDistribution(
      (t) => t.randomUniform([20000], 0, 10, 'int32'),
      (s) => assert.ok(s.min === 0 && s.max === 9 && Math.abs(s.mean - 4.5) < 0.1, JSON.stringify(s)),
    );
    assertSame((t) => t.randomUniform([2], 0, 1, 'int32'));
    assertSame((t) => t.randomUniform([2, -1]));
  });

  test('a seed repeats the draw and leaves the global stream alone', () => {
    const a = tf.randomNormal([5], 0, 1, 'float32', 7).dataSync();
    const b = tf.randomNormal([5], 0, 1, 'float32', 7).dataSync();
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, tf.randomNormal([5], 0, 1, 'float32', 8).dataSync());
    assert.deepEqual(tf.randomUniform([3], 0, 1, 'float32', 'abc').dataSync(), tf.randomUniform([3], 0, 1, 'float32', 'abc').dataSync());
    assert.deepEqual(tf.truncatedNormal([3], 0, 1, 'float32', 5).dataSync(), tf.truncatedNormal([3], 0, 1, 'float32', 5).dataSync());
  });

  test('multinomial: int32 samples with the probabilities of the logits', () => {
    assertSame(
      (t) =>
        t.multinomial(
          t.tensor([
            [0, 0, 0],
            [1, 2, 3],
          ]) as never,
          4,
        ),
      { valuesToo: false },
    );
    assertSame((t) => t.multinomial(t.tensor([0.2, 0.8]) as never, 6, undefined, true), { valuesToo: false });
    assertSame((t) => t.multinomial(t.tensor([1]) as never, 2), { sameMessage: true });
    assertSame((t) => t.multinomial(t.zeros([1, 2, 2]) as never, 2), { sameMessage: true });
    const probs = [0.1, 0.6, 0.3];
    for (const lib of [tfjs, dendriteTf]) {
      const draws = lib.multinomial(lib.tensor([probs]) as never, 20000, 3, true).dataSync();
      const counts = [0, 0, 0];
      for (const d of draws) counts[d]++;
      for (const [k, c] of counts.entries()) assert.ok(Math.abs(c / 20000 - probs[k]) < 0.015, `${counts}`);
    }
    const logits = tf.tensor([Math.log(0.25), Math.log(0.75)]);
    const hits = tf
      .multinomial(logits, 20000)
      .dataSync()
      .reduce((n, v) => n + v, 0);
    assert.ok(Math.abs(hits / 20000 - 0.75) < 0.015, `${hits}`);
  });
});

describe('tf.buffer and TensorBuffer', () => {
  test('set, get, locToIndex, indexToLoc, toTensor in every dtype', () => {
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      assertSame((t) => {
        const b = t.buffer([2, 3], dtype);
        b.set(5.5, 0, 1);
        b.set(-2, 1, 2);
        b.set(1, 1, 0);
        return [b.toTensor(), b.get(0, 1), b.get(1, 2), b.locToIndex([1, 1]), b.indexToLoc(5), b.values, b.strides, b.rank, b.size];
      });
    }
    assertSame((t) => {
      const b = t.buffer([], 'float32');
      b.set(3);
      return [b.get(), b.toTensor(), b.indexToLoc(0)];
    });
    assertSame((t) => t.buffer([4], 'int32', new Int32Array([1, 2, 3, 4])).toTensor());
    assertSame((t) => t.buffer([3], 'float32', new Float32Array(2)), { sameMessage: true });
    assertSame((t) => t.buffer([2, 2]).set(1, 0), { sameMessage: true });
    assertSame((t) => t.buffer([2, 2]).get(0, 2), { sameMessage: true });
    assertSameResult(tf.buffer([2]) instanceof tf.TensorBuffer, true);
  });
});
