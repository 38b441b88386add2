import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ReLU, reLU } from '../../../src/nn/layers/re-lu.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { ndMap } from '../../gradcheck.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { randomTensor } from './layer-checks.js';
import { tf, tfjsApply } from './tfjs-reference.js';

/** Keras' relu(x, negative_slope, max_value, threshold), from its documented steps, in float64. */
const keras = (negativeSlope: number, maxValue: number | null, threshold: number) => (v: number) => {
  let y = v > threshold ? v : 0;
  if (maxValue !== null) y = Math.min(Math.max(y, 0), maxValue);
  return y - negativeSlope * Math.max(threshold - v, 0);
};

describe('ReLU', () => {
  test('max(x, 0) by default; maxValue 6 is ReLU6; the shape is kept', () => {
    const x = tensor([-2, -0.5, 0, 3, 6, 9], [2, 3]);
    assertClose(reLU().apply(x), [0, 0, 0, 3, 6, 9], { shape: [2, 3] });
    assertClose(reLU({ maxValue: 6 }).apply(x), [0, 0, 0, 3, 6, 6]);
    assert.deepEqual(reLU().computeOutputShape([null, 4, 5, 3]), [null, 4, 5, 3]);
    assert.match(reLU().name, /^re_lu(_\d+)?$/);
  });

  test("Keras' negativeSlope and threshold (its docstring examples)", () => {
    const x = tensor([-10, -5, 0, 5, 10]);
    assertClose(reLU({ negativeSlope: 0.5 }).apply(x), [-5, -2.5, 0, 5, 10]);
    assertClose(reLU({ maxValue: 5 }).apply(x), [0, 0, 0, 5, 5]);
    assertClose(reLU({ threshold: 5 }).apply(x), [0, 0, 0, 0, 10]);
  });

  test('input gradient against float64 finite differences', () => {
    const values = [-3, -1.5, -0.2, 0.3, 0.7, 1.2, 1.8, 2.5, 3.5, -0.7, 0.9, 4];
    layerGradCheck(reLU({ maxValue: 3 }), { shape: [3, 4], values }, (x) => ndMap([x], keras(0, 3, 0)));
    layerGradCheck(reLU({ maxValue: 2, negativeSlope: 0.1, threshold: 0.5 }), { shape: [3, 4], values }, (x) => ndMap([x], keras(0.1, 2, 0.5)));
  });

  test('the same values as TF.js (tf.layers.reLU), with and without maxValue', async () => {
    const x = randomTensor([2, 3, 4], 1, -8, 8);
    assertClose(reLU().apply(x), await tfjsApply(tf.layers.reLU(), x));
    assertClose(reLU({ maxValue: 6 }).apply(x), await tfjsApply(tf.layers.reLU({ maxValue: 6 }), x));
  });

  test('errors name the layer; config and fromConfig', () => {
    assert.throws(() => reLU({ maxValue: -1, name: 'r0' }), /Layer 'r0' \(ReLU\): maxValue must be a non-negative number, got -1\./);
    assert.throws(() => reLU({ threshold: Number.NaN, name: 'r1' }), /Layer 'r1' \(ReLU\): threshold must be a non-negative number/);
    // TF.js writes maxValue only: the Keras parameters appear when in use
    assert.deepEqual(reLU({ name: 'r2' }).getConfig(), { name: 'r2', trainable: true, maxValue: null });
    const full = reLU({ name: 'r3', maxValue: 4, negativeSlope: 0.2, threshold: 1 });
    assert.deepEqual(full.getConfig(), { name: 'r3', trainable: true, maxValue: 4, negativeSlope: 0.2, threshold: 1 });
    const back = ReLU.fromConfig(full.getConfig());
    assert.deepEqual([back.maxValue, back.negativeSlope, back.threshold], [4, 0.2, 1]);
  });
});
