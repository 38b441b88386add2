import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LeakyReLU, leakyReLU } from '../../../src/nn/layers/leaky-re-lu.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { ndMap } from '../../gradcheck.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { randomTensor } from './layer-checks.js';
import { tf, tfjsApply } from './tfjs-reference.js';

describe('LeakyReLU', () => {
  test('alpha defaults to 0.3, as TF.js and Keras (the leakyRelu activation name uses 0.2)', () => {
    const x = tensor([-2, -1, 0, 1.5], [2, 2]);
    assertClose(leakyReLU().apply(x), [-0.6, -0.3, 0, 1.5], { shape: [2, 2] });
    assertClose(leakyReLU({ alpha: 0.1 }).apply(x), [-0.2, -0.1, 0, 1.5]);
    assert.deepEqual(leakyReLU().computeOutputShape([null, 7]), [null, 7]);
    assert.match(leakyReLU().name, /^leaky_re_lu(_\d+)?$/);
  });

  test('input gradient against float64 finite differences', () => {
    layerGradCheck(leakyReLU({ alpha: 0.25 }), { shape: [2, 3, 4], awayFromZero: 0.05 }, (x) => ndMap([x], (v) => (v > 0 ? v : 0.25 * v)));
  });

  test('the same values as TF.js (tf.layers.leakyReLU)', async () => {
    const x = randomTensor([3, 5], 2, -4, 4);
    assertClose(leakyReLU().apply(x), await tfjsApply(tf.layers.leakyReLU(), x));
    assertClose(leakyReLU({ alpha: 0.05 }).apply(x), await tfjsApply(tf.layers.leakyReLU({ alpha: 0.05 }), x));
  });

  test("errors, config, and Keras 3's negative_slope", () => {
    assert.throws(
      () => leakyReLU({ alpha: Number.POSITIVE_INFINITY, name: 'lr0' }),
      /Layer 'lr0' \(LeakyReLU\): alpha must be a finite number, got Infinity\./,
    );
    assert.deepEqual(leakyReLU({ name: 'lr1' }).getConfig(), { name: 'lr1', trainable: true, alpha: 0.3 });
    assert.equal(LeakyReLU.fromConfig({ alpha: 0.1 }).alpha, 0.1);
    assert.equal(LeakyReLU.fromConfig({ negativeSlope: 0.2 }).alpha, 0.2);
    assert.equal(LeakyReLU.fromConfig({}).alpha, 0.3);
  });
});
