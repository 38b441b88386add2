import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Cropping1D, cropping1d } from '../../../src/nn/layers/cropping1d.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { nd } from '../../gradcheck.js';
import { layerGradCheck } from './layer-gradcheck.js';

describe('Cropping1D', () => {
  test('removes steps at both ends: default [1, 1], n or [left, right]', () => {
    assert.deepEqual(cropping1d().computeOutputShape([null, 10, 4]), [null, 8, 4]);
    assert.deepEqual(cropping1d({ cropping: [2, 1] }).computeOutputShape([null, 10, 4]), [null, 7, 4]);
    assert.deepEqual(cropping1d({ cropping: 0 }).computeOutputShape([null, null, 4]), [null, null, 4]);
    assertClose(cropping1d({ cropping: [1, 2] }).apply(tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 4, 2])), [3, 4], { shape: [1, 1, 2], rtol: 0, atol: 0 });
  });

  test('input gradient against float64 finite differences', () => {
    layerGradCheck(cropping1d({ cropping: [2, 1] }), { shape: [2, 5, 2] }, (x) =>
      nd(
        [2, 2, 2],
        [0, 1].flatMap((b) => x.data.slice(b * 10 + 4, b * 10 + 8)),
      ),
    );
  });

  test('errors and config', () => {
    assert.throws(
      () => cropping1d({ cropping: [2, 2], name: 'cr0' }).ensureBuilt([null, 4, 3]),
      /Layer 'cr0' \(Cropping1D\): cropping 2 \+ 2 steps leaves nothing of the 4 steps of inputs of shape \[null, 4, 3\]; crop less\./,
    );
    assert.throws(
      () => cropping1d({ cropping: [1.5, 0] as never, name: 'cr1' }),
      /Layer 'cr1' \(Cropping1D\): cropping must be a non-negative integer or a pair/,
    );
    assert.throws(() => cropping1d({ name: 'cr2' }).ensureBuilt([null, 4, 4, 1]), /Layer 'cr2' \(Cropping1D\) expects inputs of rank 3/);
    const config = cropping1d({ name: 'c', cropping: [3, 0] }).getConfig();
    assert.deepEqual(config, { name: 'c', trainable: true, cropping: [3, 0] });
    assert.deepEqual(Cropping1D.fromConfig(config).getConfig(), config);
    assert.deepEqual(Cropping1D.fromConfig({}).cropping, [1, 1]);
  });
});
