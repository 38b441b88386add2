import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { maxPooling2d } from '../../../src/nn/layers/max-pooling2d.js';
import { maxPool2d } from '../../../src/ops/pool.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { assertGradientsFlow, randomTensor } from './layer-checks.js';

describe('MaxPooling2D', () => {
  test('output shapes: strides default to the pool size; same padding is ceil(in / stride)', () => {
    assert.deepEqual(maxPooling2d().computeOutputShape([null, 24, 24, 64]), [null, 12, 12, 64]);
    assert.deepEqual(maxPooling2d({ poolSize: 2 }).computeOutputShape([null, 7, 7, 3]), [null, 3, 3, 3]);
    assert.deepEqual(maxPooling2d({ poolSize: 2, padding: 'same' }).computeOutputShape([null, 7, 5, 3]), [null, 4, 3, 3]);
    assert.deepEqual(maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).computeOutputShape([null, 9, 9, 1]), [null, 5, 5, 1]);
    assert.deepEqual(maxPooling2d({ poolSize: [2, 3], strides: 1 }).computeOutputShape([null, 4, 4, 2]), [null, 3, 2, 2]);
    assert.deepEqual(maxPooling2d().computeOutputShape([null, null, 8, null]), [null, null, 4, null]);
    const layer = maxPooling2d({ padding: 'same' });
    assert.deepEqual([...layer.apply(randomTensor([2, 7, 5, 3], 1)).shape], [2, 4, 3, 3]);
  });

  test('a hand-computed example, and the op with the same arguments', () => {
    const x = tensor([1, 5, 2, 0, 3, 4, 8, 1, 0, 9, 2, 2, 7, 1, 3, 6], [1, 4, 4, 1]);
    const layer = maxPooling2d();
    assertClose(layer.apply(x), [5, 8, 9, 6], { shape: [1, 2, 2, 1] });
    assert.equal(layer.countParams(), 0);
    const y = randomTensor([2, 7, 7, 3], 2);
    assertClose(maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(y), maxPool2d(y, { poolSize: 3, strides: 2, padding: 'same' }).values);
  });

  test('the gradient reaches the input', () => {
    assertGradientsFlow(maxPooling2d(), randomTensor([2, 4, 4, 2], 3));
  });

  test('errors name the layer', () => {
    assert.throws(() => maxPooling2d({ poolSize: 0, name: 'mp0' }), /Layer 'mp0' \(MaxPooling2D\): poolSize must be a positive integer or a pair/);
    assert.throws(() => maxPooling2d({ padding: 'causal' as 'same', name: 'mp1' }), /Layer 'mp1' \(MaxPooling2D\): padding must be 'valid' or 'same'/);
    assert.throws(
      () => maxPooling2d({ name: 'mp2' }).ensureBuilt([null, 10, 64]),
      /Layer 'mp2' \(MaxPooling2D\) expects inputs of rank 4.*got shape \[null, 10, 64\]/,
    );
    assert.throws(
      () => maxPooling2d({ poolSize: 3, name: 'mp3' }).ensureBuilt([null, 2, 8, 1]),
      /Layer 'mp3' \(MaxPooling2D\): the 3x3 pool window does not fit in the 2x8 input.*empty/,
    );
  });

  test('name and config', () => {
    const layer = maxPooling2d({ poolSize: 3, strides: 2 });
    assert.match(layer.name, /^max_pooling2d(_\d+)?$/);
    assert.equal(layer.className, 'MaxPooling2D');
    assert.deepEqual(maxPooling2d({ name: 'mp_cfg' }).getConfig(), {
      name: 'mp_cfg',
      trainable: true,
      poolSize: [2, 2],
      padding: 'valid',
      strides: [2, 2],
      dataFormat: 'channelsLast',
    });
  });
});
