import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { globalMaxPooling2d } from '../../../src/nn/layers/global-max-pooling2d.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { assertGradientsFlow, randomTensor } from './layer-checks.js';

describe('GlobalMaxPooling2D', () => {
  test('[N, H, W, C] -> [N, C], or [N, 1, 1, C] with keepDims', () => {
    assert.deepEqual(globalMaxPooling2d().computeOutputShape([null, 7, 7, 64]), [null, 64]);
    assert.deepEqual(globalMaxPooling2d({ keepDims: true }).computeOutputShape([null, 5, 3, 2]), [null, 1, 1, 2]);
  });

  test('per-channel maxima of each image', () => {
    const x = tensor([1, 10, 2, 20, 3, 30, 4, -40, 0, 0, 0, 0, 0, 0, 8, -8], [2, 2, 2, 2]);
    assertClose(globalMaxPooling2d().apply(x), [4, 30, 8, 0], { shape: [2, 2] });
    assertClose(globalMaxPooling2d({ keepDims: true }).apply(x), [4, 30, 8, 0], { shape: [2, 1, 1, 2] });
  });

  test('the gradient reaches the input at the maxima only', () => {
    const [g] = assertGradientsFlow(globalMaxPooling2d(), randomTensor([2, 3, 3, 2], 1));
    assert.equal(g.values.filter((v) => v !== 0).length, 4);
  });

  test('errors, name and config', () => {
    assert.throws(() => globalMaxPooling2d({ name: 'gmp0' }).ensureBuilt([null, 6, 6]), /Layer 'gmp0' \(GlobalMaxPooling2D\) expects inputs of rank 4/);
    assert.match(globalMaxPooling2d().name, /^global_max_pooling2d(_\d+)?$/);
    assert.deepEqual(globalMaxPooling2d({ keepDims: true, name: 'gmp_cfg' }).getConfig(), {
      name: 'gmp_cfg',
      trainable: true,
      dataFormat: 'channelsLast',
      keepDims: true,
    });
  });
});
