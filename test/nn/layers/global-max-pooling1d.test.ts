import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GlobalMaxPooling1D, globalMaxPooling1d } from '../../../src/nn/layers/global-max-pooling1d.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { nd } from '../../gradcheck.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { randomTensor } from './layer-checks.js';
import { tf, tfjsApply } from './tfjs-reference.js';

describe('GlobalMaxPooling1D', () => {
  test('[N, steps, C] -> [N, C], or [N, 1, C] with keepDims', () => {
    assert.deepEqual(globalMaxPooling1d().computeOutputShape([null, 96, 32]), [null, 32]);
    assert.deepEqual(globalMaxPooling1d({ keepDims: true }).computeOutputShape([null, 96, 32]), [null, 1, 32]);
    assertClose(globalMaxPooling1d().apply(tensor([1, 6, 3, 4, 5, 2], [1, 3, 2])), [5, 6], { shape: [1, 2] });
  });

  test('input gradient against float64 finite differences (no ties)', () => {
    layerGradCheck(globalMaxPooling1d(), { shape: [2, 5, 3], minGap: 0.01 }, (x) => {
      const [n, t, c] = x.shape;
      const data: number[] = [];
      for (let b = 0; b < n; b++) {
        for (let ch = 0; ch < c; ch++) {
          let m = -Infinity;
          for (let s = 0; s < t; s++) m = Math.max(m, x.data[(b * t + s) * c + ch]);
          data.push(m);
        }
      }
      return nd([n, c], data);
    });
  });

  test('the same values as TF.js (tf.layers.globalMaxPooling1d)', async () => {
    const x = randomTensor([3, 7, 4], 2);
    assertClose(globalMaxPooling1d().apply(x), await tfjsApply(tf.layers.globalMaxPooling1d(), x), { rtol: 0, atol: 0 });
  });

  test('a mask is dropped, as Keras 3 (GlobalMaxPooling1D does not support masking)', () => {
    const layer = globalMaxPooling1d();
    const x = tensor([1, 6, 3, 4, 5, 2], [1, 3, 2]);
    const mask = tensor([1, 0, 0], [1, 3]);
    assert.equal(layer.supportsMasking, false);
    assertClose(layer.apply(x, { mask }), [5, 6]);
    assert.equal(layer.computeMask(x, mask), null);
  });

  test('errors and config', () => {
    assert.throws(
      () => globalMaxPooling1d({ name: 'gmp' }).ensureBuilt([null, 10]),
      /Layer 'gmp' \(GlobalMaxPooling1D\) expects inputs of rank 3 \[batch, steps, channels\].*got shape \[null, 10\] of rank 2/,
    );
    const config = globalMaxPooling1d({ name: 'g', keepDims: true }).getConfig();
    assert.deepEqual(config, { name: 'g', trainable: true, keepDims: true });
    assert.deepEqual(GlobalMaxPooling1D.fromConfig(config).getConfig(), config);
  });
});
