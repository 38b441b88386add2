import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UpSampling1D, upSampling1d } from '../../../src/nn/layers/up-sampling1d.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { nd } from '../../gradcheck.js';
import { layerGradCheck } from './layer-gradcheck.js';

describe('UpSampling1D', () => {
  test('repeats each step size times: [N, T, C] -> [N, T*size, C]', () => {
    assert.deepEqual(upSampling1d().computeOutputShape([null, 25, 16]), [null, 50, 16]);
    assert.deepEqual(upSampling1d({ size: 3 }).computeOutputShape([null, null, 16]), [null, null, 16]);
    assertClose(upSampling1d({ size: 3 }).apply(tensor([1, 2, 3, 4], [1, 2, 2])), [1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4], { shape: [1, 6, 2], rtol: 0, atol: 0 });
  });

  test('input gradient against float64 finite differences (the copies sum back)', () => {
    layerGradCheck(upSampling1d({ size: 2 }), { shape: [2, 3, 2] }, (x) =>
      nd(
        [2, 6, 2],
        [0, 1].flatMap((b) => [0, 1, 2].flatMap((s) => [0, 1].flatMap(() => x.data.slice((b * 3 + s) * 2, (b * 3 + s) * 2 + 2)))),
      ),
    );
  });

  test('errors and config (Keras: size is an integer)', () => {
    assert.throws(() => upSampling1d({ size: 0, name: 'up0' }), /Layer 'up0' \(UpSampling1D\): size must be a positive integer \(or \[n\]\), got 0\./);
    assert.throws(() => upSampling1d({ name: 'up1' }).ensureBuilt([null, 4, 4, 2]), /Layer 'up1' \(UpSampling1D\) expects inputs of rank 3/);
    const config = upSampling1d({ name: 'u', size: 4 }).getConfig();
    assert.deepEqual(config, { name: 'u', trainable: true, size: 4 });
    assert.deepEqual(UpSampling1D.fromConfig(config).getConfig(), config);
    assert.equal(UpSampling1D.fromConfig({}).size, 2);
  });
});
