import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { averagePooling2d } from '../../../src/nn/layers/average-pooling2d.js';
import { avgPool2d } from '../../../src/ops/pool.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { assertGradientsFlow, randomTensor } from './layer-checks.js';

describe('AveragePooling2D', () => {
  test('output shapes', () => {
    assert.deepEqual(averagePooling2d().computeOutputShape([null, 28, 28, 6]), [null, 14, 14, 6]);
    assert.deepEqual(averagePooling2d({ poolSize: 2, padding: 'same' }).computeOutputShape([null, 7, 7, 6]), [null, 4, 4, 6]);
    assert.deepEqual(averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }).computeOutputShape([null, 5, 6, 1]), [null, 3, 3, 1]);
  });

  test("a hand-computed example; 'same' divides by the real cells only", () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    // windows [[1,2],[4,5]], [[3],[6]], [[7,8]], [[9]]
    assertClose(averagePooling2d({ padding: 'same' }).apply(x), [3, 4.5, 7.5, 9], { shape: [1, 2, 2, 1] });
    assertClose(averagePooling2d().apply(x), [3], { shape: [1, 1, 1, 1] });
    const y = randomTensor([2, 7, 7, 3], 1);
    assertClose(averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(y), avgPool2d(y, { poolSize: 3, strides: 2, padding: 'same' }).values);
  });

  test('the gradient reaches the input', () => {
    assertGradientsFlow(averagePooling2d({ poolSize: 2, strides: 1 }), randomTensor([2, 4, 4, 2], 2));
  });

  test('errors, name and config', () => {
    assert.throws(() => averagePooling2d({ strides: [1, -1] as [number, number], name: 'ap0' }), /Layer 'ap0' \(AveragePooling2D\): strides must be/);
    assert.throws(
      () => averagePooling2d({ poolSize: 5, name: 'ap1' }).ensureBuilt([null, 4, 4, 1]),
      /Layer 'ap1' \(AveragePooling2D\): the 5x5 pool window does not fit/,
    );
    assert.match(averagePooling2d().name, /^average_pooling2d(_\d+)?$/);
    assert.deepEqual(averagePooling2d({ poolSize: [3, 2], padding: 'same', name: 'ap_cfg' }).getConfig(), {
      name: 'ap_cfg',
      trainable: true,
      poolSize: [3, 2],
      padding: 'same',
      strides: [3, 2],
      dataFormat: 'channelsLast',
    });
  });
});
