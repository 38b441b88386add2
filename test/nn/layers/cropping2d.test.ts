import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Cropping2D, cropping2d } from '../../../src/nn/layers/cropping2d.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { nd, unravel, type ND } from '../../gradcheck.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { randomTensor } from './layer-checks.js';
import { tf, tfjsApply } from './tfjs-reference.js';

/** Crops x [N, H, W, C] in float64, element by element. */
function crop64(x: ND, [[top, bottom], [left, right]]: number[][]): ND {
  const [n, h, w, c] = x.shape;
  const shape = [n, h - top - bottom, w - left - right, c];
  const data = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, o) => {
    const [b, i, j, ch] = unravel(o, shape);
    return x.data[((b * h + i + top) * w + j + left) * c + ch];
  });
  return nd(shape, data);
}

describe('Cropping2D', () => {
  test('cropping as n, [h, w] or [[top, bottom], [left, right]]', () => {
    assert.deepEqual(cropping2d({ cropping: 2 }).computeOutputShape([null, 28, 28, 1]), [null, 24, 24, 1]);
    assert.deepEqual(cropping2d({ cropping: [1, 2] }).computeOutputShape([null, 5, 7, 3]), [null, 3, 3, 3]);
    assert.deepEqual(
      cropping2d({
        cropping: [
          [1, 0],
          [0, 3],
        ],
      }).computeOutputShape([null, null, 8, 2]),
      [null, null, 5, 2],
    );
    assert.match(cropping2d().name, /^cropping2d(_\d+)?$/);
  });

  test('removes the edge rows and columns', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    assertClose(
      cropping2d({
        cropping: [
          [1, 0],
          [0, 1],
        ],
      }).apply(x),
      [4, 5, 7, 8],
      { shape: [1, 2, 2, 1] },
    );
    assertClose(cropping2d({ cropping: 1 }).apply(x), [5], { shape: [1, 1, 1, 1] });
  });

  test('input gradient against float64 finite differences (zero on the cropped edges)', () => {
    const cropping = [
      [1, 2],
      [2, 0],
    ];
    layerGradCheck(cropping2d({ cropping: cropping as [[number, number], [number, number]] }), { shape: [2, 5, 4, 3] }, (x) => crop64(x, cropping));
  });

  test('the same values as TF.js (tf.layers.cropping2D)', async () => {
    const x = randomTensor([2, 6, 5, 3], 1);
    const cropping: [[number, number], [number, number]] = [
      [2, 1],
      [0, 3],
    ];
    assertClose(cropping2d({ cropping }).apply(x), await tfjsApply(tf.layers.cropping2D({ cropping }), x), { rtol: 0, atol: 0 });
  });

  test('errors name the layer; config', () => {
    assert.throws(
      () => cropping2d({ cropping: -1, name: 'c0' }),
      /Layer 'c0' \(Cropping2D\): cropping must be a non-negative integer, \[height, width\] or \[\[top, bottom\], \[left, right\]\], got -1\./,
    );
    assert.throws(
      () => cropping2d({ cropping: [2, 0], name: 'c1' }).ensureBuilt([null, 4, 6, 1]),
      /Layer 'c1' \(Cropping2D\): cropping 2 \+ 2 rows leaves nothing of the 4 rows of inputs of shape \[null, 4, 6, 1\]; crop less\./,
    );
    assert.throws(() => cropping2d({ name: 'c2' }).ensureBuilt([null, 5, 5]), /Layer 'c2' \(Cropping2D\) expects inputs of rank 4.*\[N, 5, 5, 1\]/);
    const config = cropping2d({ cropping: [1, 2], name: 'c3' }).getConfig();
    assert.deepEqual(config, {
      name: 'c3',
      trainable: true,
      cropping: [
        [1, 1],
        [2, 2],
      ],
      dataFormat: 'channelsLast',
    });
    assert.deepEqual(Cropping2D.fromConfig(config).cropping, config.cropping);
    assert.throws(() => Cropping2D.fromConfig({ ...config, dataFormat: 'channelsFirst' }), /data_format 'channelsFirst' is not supported/);
  });
});
