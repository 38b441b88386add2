import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { globalAveragePooling2d } from '../../../src/nn/layers/global-average-pooling2d.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { assertGradientsFlow, randomTensor } from './layer-checks.js';

describe('GlobalAveragePooling2D', () => {
  test('[N, H, W, C] -> [N, C], or [N, 1, 1, C] with keepDims', () => {
    assert.deepEqual(globalAveragePooling2d().computeOutputShape([null, 7, 7, 64]), [null, 64]);
    assert.deepEqual(globalAveragePooling2d({ keepDims: true }).computeOutputShape([null, 7, 7, 64]), [null, 1, 1, 64]);
    assert.deepEqual(globalAveragePooling2d().computeOutputShape([null, null, null, 8]), [null, 8]);
  });

  test('per-channel means of each image', () => {
    // two 2x2 images with 2 channels
    const x = tensor([1, 10, 2, 20, 3, 30, 4, 40, 0, 0, 0, 0, 0, 0, 8, -8], [2, 2, 2, 2]);
    assertClose(globalAveragePooling2d().apply(x), [2.5, 25, 2, -2], { shape: [2, 2] });
    assertClose(globalAveragePooling2d({ keepDims: true }).apply(x), [2.5, 25, 2, -2], { shape: [2, 1, 1, 2] });
  });

  test('the gradient reaches the input, 1/(H*W) each', () => {
    const [g] = assertGradientsFlow(globalAveragePooling2d(), randomTensor([2, 3, 3, 2], 1));
    assert.deepEqual([...g.shape], [2, 3, 3, 2]);
  });

  test('errors, name and config', () => {
    assert.throws(
      () => globalAveragePooling2d({ name: 'gap0' }).ensureBuilt([null, 64]),
      /Layer 'gap0' \(GlobalAveragePooling2D\) expects inputs of rank 4.*\[N, 8, 8, 1\]/,
    );
    assert.match(globalAveragePooling2d().name, /^global_average_pooling2d(_\d+)?$/);
    assert.deepEqual(globalAveragePooling2d({ name: 'gap_cfg' }).getConfig(), {
      name: 'gap_cfg',
      trainable: true,
      dataFormat: 'channelsLast',
      keepDims: false,
    });
  });
});
