import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { zeroPadding2d } from '../../../src/nn/layers/zero-padding2d.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { assertGradientsFlow, randomTensor } from './layer-checks.js';

describe('ZeroPadding2D', () => {
  test('padding as n, [h, w] or [[top, bottom], [left, right]]', () => {
    assert.deepEqual(zeroPadding2d().computeOutputShape([null, 28, 28, 1]), [null, 30, 30, 1]);
    assert.deepEqual(zeroPadding2d({ padding: [1, 2] }).computeOutputShape([null, 5, 5, 3]), [null, 7, 9, 3]);
    assert.deepEqual(
      zeroPadding2d({
        padding: [
          [1, 2],
          [0, 1],
        ],
      }).computeOutputShape([null, 28, 28, 1]),
      [null, 31, 29, 1],
    );
    assert.deepEqual(zeroPadding2d({ padding: 2 }).computeOutputShape([null, null, 4, 2]), [null, null, 8, 2]);
  });

  test('zeros around each image', () => {
    const x = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    assertClose(
      zeroPadding2d({
        padding: [
          [1, 0],
          [0, 1],
        ],
      }).apply(x),
      [0, 0, 0, 1, 2, 0, 3, 4, 0],
      { shape: [1, 3, 3, 1] },
    );
    const y = zeroPadding2d().apply(x);
    assert.deepEqual([...y.shape], [1, 4, 4, 1]);
    assert.deepEqual([...y.values], [0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0]);
  });

  test('the gradient reaches the input', () => {
    assertGradientsFlow(zeroPadding2d(), randomTensor([2, 2, 3, 2], 1));
  });

  test('errors, name and config', () => {
    assert.throws(
      () => zeroPadding2d({ padding: -1, name: 'zp0' }),
      /Layer 'zp0' \(ZeroPadding2D\): padding must be a non-negative integer, \[height, width\] or \[\[top, bottom\], \[left, right\]\], got -1/,
    );
    assert.throws(() => zeroPadding2d({ padding: [1, 2, 3] as unknown as [number, number], name: 'zp1' }), /Layer 'zp1' \(ZeroPadding2D\): padding must be/);
    assert.throws(() => zeroPadding2d({ name: 'zp2' }).ensureBuilt([null, 5, 5]), /Layer 'zp2' \(ZeroPadding2D\) expects inputs of rank 4.*\[N, 5, 5, 1\]/);
    assert.match(zeroPadding2d().name, /^zero_padding2d(_\d+)?$/);
    assert.deepEqual(zeroPadding2d({ padding: [1, 2], name: 'zp_cfg' }).getConfig(), {
      name: 'zp_cfg',
      trainable: true,
      padding: [
        [1, 1],
        [2, 2],
      ],
      dataFormat: 'channelsLast',
    });
  });
});
