import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ZeroPadding1D, zeroPadding1d } from '../../../src/nn/layers/zero-padding1d.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { nd } from '../../gradcheck.js';
import { layerGradCheck } from './layer-gradcheck.js';

describe('ZeroPadding1D', () => {
  test('adds zero steps: n at both ends or [left, right]', () => {
    assert.deepEqual(zeroPadding1d().computeOutputShape([null, 10, 4]), [null, 12, 4]);
    assert.deepEqual(zeroPadding1d({ padding: [2, 0] }).computeOutputShape([null, 10, 4]), [null, 12, 4]);
    assert.deepEqual(zeroPadding1d({ padding: 3 }).computeOutputShape([null, null, 4]), [null, null, 4]);
    assertClose(zeroPadding1d({ padding: [1, 2] }).apply(tensor([1, 2, 3, 4], [1, 2, 2])), [0, 0, 1, 2, 3, 4, 0, 0, 0, 0], {
      shape: [1, 5, 2],
      rtol: 0,
      atol: 0,
    });
  });

  test('input gradient against float64 finite differences', () => {
    layerGradCheck(zeroPadding1d({ padding: [2, 1] }), { shape: [2, 3, 2] }, (x) =>
      nd(
        [2, 6, 2],
        [0, 1].flatMap((b) => [0, 0, 0, 0, ...x.data.slice(b * 6, b * 6 + 6), 0, 0]),
      ),
    );
  });

  test('errors and config', () => {
    assert.throws(
      () => zeroPadding1d({ padding: -1, name: 'zp0' }),
      /Layer 'zp0' \(ZeroPadding1D\): padding must be a non-negative integer or a pair \[left, right\] of them, got -1\./,
    );
    assert.throws(() => zeroPadding1d({ padding: [1, 2, 3] as never, name: 'zp1' }), /Layer 'zp1' \(ZeroPadding1D\): padding must be/);
    assert.throws(
      () => zeroPadding1d({ name: 'zp2' }).ensureBuilt([null, 5]),
      /Layer 'zp2' \(ZeroPadding1D\) expects inputs of rank 3.*reshape it to \[N, 5, 1\]/,
    );
    const config = zeroPadding1d({ name: 'z', padding: [0, 3] }).getConfig();
    assert.deepEqual(config, { name: 'z', trainable: true, padding: [0, 3] });
    assert.deepEqual(ZeroPadding1D.fromConfig(config).getConfig(), config);
    // Keras 3 writes data_format; Keras 2 an integer padding
    assert.deepEqual(ZeroPadding1D.fromConfig({ padding: [1, 1], dataFormat: 'channelsLast' }).padding, [1, 1]);
    assert.deepEqual(ZeroPadding1D.fromConfig({ padding: 2 }).padding, [2, 2]);
    assert.throws(() => ZeroPadding1D.fromConfig({ padding: 1, dataFormat: 'channelsFirst' }), /channels_last/);
  });
});
