import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MaxPooling1D, maxPooling1d } from '../../../src/nn/layers/max-pooling1d.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { randomTensor } from './layer-checks.js';
import { refPool1d } from './pooling1d-reference.js';
import { tf, tfjsApply } from './tfjs-reference.js';

describe('MaxPooling1D', () => {
  test('output shapes: strides default to the pool size; same padding is ceil(steps / stride)', () => {
    assert.deepEqual(maxPooling1d().computeOutputShape([null, 100, 32]), [null, 50, 32]);
    assert.deepEqual(maxPooling1d({ poolSize: 2 }).computeOutputShape([null, 7, 3]), [null, 3, 3]);
    assert.deepEqual(maxPooling1d({ poolSize: 2, padding: 'same' }).computeOutputShape([null, 7, 3]), [null, 4, 3]);
    assert.deepEqual(maxPooling1d({ poolSize: [3], strides: [1] }).computeOutputShape([null, 7, 3]), [null, 5, 3]);
    assert.deepEqual(maxPooling1d().computeOutputShape([null, null, 3]), [null, null, 3]);
    assertClose(maxPooling1d().apply(tensor([1, 5, 2, 0, 3, 4, 8, 1], [1, 4, 2])), [2, 5, 8, 4], { shape: [1, 2, 2] });
  });

  for (const [poolSize, strides, padding] of [
    [2, 2, 'valid'],
    [3, 1, 'valid'],
    [3, 2, 'same'],
    [2, 3, 'same'],
  ] as [number, number, 'valid' | 'same'][]) {
    test(`input gradient against float64 finite differences (pool ${poolSize}, strides ${strides}, ${padding})`, () => {
      // values at least 0.01 apart: no ties within a window
      layerGradCheck(maxPooling1d({ poolSize, strides, padding }), { shape: [2, 7, 2], minGap: 0.01 }, (x) => refPool1d(x, poolSize, strides, padding, 'max'));
    });
  }

  test('the same values as TF.js (tf.layers.maxPooling1d)', async () => {
    const x = randomTensor([3, 11, 4], 2);
    for (const [poolSize, strides, padding] of [
      [2, 2, 'valid'],
      [3, 2, 'same'],
      [4, 1, 'same'],
    ] as [number, number, 'valid' | 'same'][]) {
      assertClose(maxPooling1d({ poolSize, strides, padding }).apply(x), await tfjsApply(tf.layers.maxPooling1d({ poolSize, strides, padding }), x), {
        rtol: 0,
        atol: 0,
      });
    }
  });

  test('errors name the layer and the shapes', () => {
    assert.throws(() => maxPooling1d({ poolSize: 0, name: 'mp0' }), /Layer 'mp0' \(MaxPooling1D\): poolSize must be a positive integer \(or \[n\]\), got 0\./);
    assert.throws(
      () => maxPooling1d({ padding: 'causal' as 'same', name: 'mp1' }),
      /Layer 'mp1' \(MaxPooling1D\): padding must be 'valid' or 'same', got "causal"\./,
    );
    assert.throws(
      () => maxPooling1d({ name: 'mp2' }).ensureBuilt([null, 28, 28, 1]),
      /Layer 'mp2' \(MaxPooling1D\) expects inputs of rank 3 \[batch, steps, channels\].*got shape \[null, 28, 28, 1\] of rank 4\. Images \[batch, height, width, channels\] go to the 2-D layers\./,
    );
    assert.throws(
      () => maxPooling1d({ poolSize: 3, name: 'mp3' }).ensureBuilt([null, 2, 8]),
      /Layer 'mp3' \(MaxPooling1D\): the pool window of 3 does not fit in the 2 steps of the input \(shape \[null, 2, 8\]\) with 'valid' padding.*smaller poolSize/,
    );
  });

  test('name and config (as TF.js writes it), round trip', () => {
    assert.match(maxPooling1d().name, /^max_pooling1d(_\d+)?$/);
    const config = maxPooling1d({ name: 'mp', poolSize: 3, padding: 'same' }).getConfig();
    assert.deepEqual(config, { name: 'mp', trainable: true, poolSize: [3], padding: 'same', strides: [3] });
    assert.deepEqual(MaxPooling1D.fromConfig(config).getConfig(), config);
    // Keras 3 writes pool_size and strides as lists (or an int), and data_format
    const keras = MaxPooling1D.fromConfig({ name: 'k', poolSize: 4, strides: null, padding: 'valid', dataFormat: 'channelsLast' });
    assert.deepEqual([keras.poolSize, keras.strides], [[4], [4]]);
  });
});
