import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ThresholdedReLU, thresholdedReLU } from '../../../src/nn/layers/thresholded-re-lu.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { ndMap } from '../../gradcheck.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { randomTensor } from './layer-checks.js';
import { tf, tfjsApply } from './tfjs-reference.js';

describe('ThresholdedReLU', () => {
  test('x where x > theta (default 1), 0 elsewhere: x itself, not x - theta', () => {
    const x = tensor([-1, 0.5, 1, 1.5, 3]);
    assertClose(thresholdedReLU().apply(x), [0, 0, 0, 1.5, 3]);
    assertClose(thresholdedReLU({ theta: 0 }).apply(x), [0, 0.5, 1, 1.5, 3]);
    assert.match(thresholdedReLU().name, /^thresholded_re_lu(_\d+)?$/);
  });

  test('input gradient against float64 finite differences', () => {
    const values = [-2, -0.5, 0.2, 0.45, 0.55, 0.9, 1.3, 2];
    layerGradCheck(thresholdedReLU({ theta: 0.5 }), { shape: [2, 4], values }, (x) => ndMap([x], (v) => (v > 0.5 ? v : 0)));
  });

  test('the same values as TF.js (tf.layers.thresholdedReLU)', async () => {
    const x = randomTensor([3, 4], 4, -3, 3);
    assertClose(thresholdedReLU({ theta: 0.7 }).apply(x), await tfjsApply(tf.layers.thresholdedReLU({ theta: 0.7 }), x));
  });

  test('errors and config', () => {
    assert.throws(() => thresholdedReLU({ theta: Number.NaN, name: 't0' }), /Layer 't0' \(ThresholdedReLU\): theta must be a finite number/);
    assert.deepEqual(thresholdedReLU({ name: 't1' }).getConfig(), { name: 't1', trainable: true, theta: 1 });
    assert.equal(ThresholdedReLU.fromConfig({ theta: 2 }).theta, 2);
  });
});
