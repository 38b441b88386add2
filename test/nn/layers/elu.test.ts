import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ELU, elu } from '../../../src/nn/layers/elu.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { ndMap } from '../../gradcheck.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { randomTensor } from './layer-checks.js';
import { tf, tfjsApply } from './tfjs-reference.js';

describe('ELU', () => {
  test('x where x > 0, alpha (e^x - 1) elsewhere', () => {
    const x = tensor([-2, 0, 1.5]);
    assertClose(elu().apply(x), [Math.expm1(-2), 0, 1.5]);
    assertClose(elu({ alpha: 0.5 }).apply(x), [0.5 * Math.expm1(-2), 0, 1.5]);
    assert.deepEqual(elu().computeOutputShape([null, 3, 2]), [null, 3, 2]);
    assert.match(elu().name, /^elu(_\d+)?$/);
  });

  test('input gradient against float64 finite differences', () => {
    layerGradCheck(elu({ alpha: 0.7 }), { shape: [3, 4], low: -4, high: 3, awayFromZero: 0.05 }, (x) => ndMap([x], (v) => (v > 0 ? v : 0.7 * Math.expm1(v))));
  });

  test('the same values as TF.js (tf.layers.elu, which allows alpha 1 only)', async () => {
    const x = randomTensor([4, 3], 3, -5, 3);
    assertClose(elu().apply(x), await tfjsApply(tf.layers.elu(), x));
  });

  test('errors and config', () => {
    assert.throws(() => elu({ alpha: Number.NaN, name: 'e0' }), /Layer 'e0' \(ELU\): alpha must be a finite number, got NaN\./);
    assert.deepEqual(elu({ name: 'e1', alpha: 2 }).getConfig(), { name: 'e1', trainable: true, alpha: 2 });
    assert.equal(ELU.fromConfig({ alpha: 0.5 }).alpha, 0.5);
  });
});
