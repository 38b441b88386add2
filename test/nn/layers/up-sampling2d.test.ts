import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { upSampling2d } from '../../../src/nn/layers/up-sampling2d.js';
import { upSampling2d as upSampling2dOp } from '../../../src/ops/resize.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { assertGradientsFlow, randomTensor } from './layer-checks.js';

describe('UpSampling2D', () => {
  test('output shapes', () => {
    assert.deepEqual(upSampling2d().computeOutputShape([null, 7, 7, 16]), [null, 14, 14, 16]);
    assert.deepEqual(upSampling2d({ size: [2, 3] }).computeOutputShape([null, 5, 4, 1]), [null, 10, 12, 1]);
    assert.deepEqual(upSampling2d().computeOutputShape([null, null, 3, 2]), [null, null, 6, 2]);
  });

  test("'nearest' repeats each pixel; 'bilinear' is the op's half-pixel resize", () => {
    const x = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    assertClose(upSampling2d().apply(x), [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], { shape: [1, 4, 4, 1] });
    assertClose(upSampling2d({ size: [1, 2] }).apply(x), [1, 1, 2, 2, 3, 3, 4, 4], { shape: [1, 2, 4, 1] });
    const y = randomTensor([2, 3, 4, 2], 1);
    assertClose(upSampling2d({ interpolation: 'bilinear' }).apply(y), upSampling2dOp(y, { interpolation: 'bilinear' }).values, { shape: [2, 6, 8, 2] });
    // bilinear with half-pixel centres: the first row of a 2x upsampled [1, 2] row is [1, 1.25, 1.75, 2]
    assertClose(upSampling2d({ size: [1, 2], interpolation: 'bilinear' }).apply(tensor([1, 2], [1, 1, 2, 1])), [1, 1.25, 1.75, 2]);
  });

  test('the gradient reaches the input', () => {
    assertGradientsFlow(upSampling2d({ interpolation: 'bilinear' }), randomTensor([1, 3, 3, 2], 2));
  });

  test('errors, name and config', () => {
    assert.throws(() => upSampling2d({ size: 0, name: 'up0' }), /Layer 'up0' \(UpSampling2D\): size must be a positive integer or a pair/);
    assert.throws(
      () => upSampling2d({ interpolation: 'cubic' as 'nearest', name: 'up1' }),
      /Layer 'up1' \(UpSampling2D\): interpolation must be 'nearest' or 'bilinear'/,
    );
    assert.throws(() => upSampling2d({ name: 'up2' }).ensureBuilt([null, 16]), /Layer 'up2' \(UpSampling2D\) expects inputs of rank 4.*\[N, 4, 4, 1\]/);
    assert.match(upSampling2d().name, /^up_sampling2d(_\d+)?$/);
    assert.deepEqual(upSampling2d({ name: 'up_cfg' }).getConfig(), {
      name: 'up_cfg',
      trainable: true,
      size: [2, 2],
      dataFormat: 'channelsLast',
      interpolation: 'nearest',
    });
  });
});
