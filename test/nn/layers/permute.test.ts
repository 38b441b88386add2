import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Permute, permute } from '../../../src/nn/layers/permute.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { ndTranspose } from '../../gradcheck.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { randomTensor } from './layer-checks.js';
import { tf, tfjsApply } from './tfjs-reference.js';

describe('Permute', () => {
  test('reorders the non-batch axes, numbered from 1', () => {
    assert.deepEqual(permute({ dims: [2, 1] }).computeOutputShape([null, 10, 64]), [null, 64, 10]);
    assert.deepEqual(permute({ dims: [3, 1, 2] }).computeOutputShape([null, 4, 5, 3]), [null, 3, 4, 5]);
    assertClose(permute({ dims: [2, 1] }).apply(tensor([1, 2, 3, 4, 5, 6], [1, 2, 3])), [1, 4, 2, 5, 3, 6], { shape: [1, 3, 2] });
    assert.match(permute({ dims: [1] }).name, /^permute(_\d+)?$/);
  });

  test('input gradient against float64 finite differences', () => {
    layerGradCheck(permute({ dims: [3, 1, 2] }), { shape: [2, 3, 4, 2] }, (x) => ndTranspose(x, [0, 3, 1, 2]));
  });

  test('the same values as TF.js (tf.layers.permute)', async () => {
    const x = randomTensor([2, 3, 4, 5], 1);
    assertClose(permute({ dims: [2, 3, 1] }).apply(x), await tfjsApply(tf.layers.permute({ dims: [2, 3, 1] }), x), { rtol: 0, atol: 0 });
  });

  test('errors name the layer; config', () => {
    assert.throws(
      () => permute({ dims: [0, 1], name: 'p0' }),
      /Layer 'p0' \(Permute\): dims must list each non-batch axis once, numbered from 1 \(e\.g\. \[2, 1\] or \[3, 1, 2\]\), got \[0,1\]\./,
    );
    assert.throws(() => permute({ dims: [1, 1], name: 'p1' }), /Layer 'p1' \(Permute\): dims must list each non-batch axis once/);
    assert.throws(
      () => permute({ dims: [2, 1], name: 'p2' }).ensureBuilt([null, 4, 5, 3]),
      /Layer 'p2' \(Permute\): dims \[2,1\] reorder 2 axes, so it expects inputs of rank 3 \(batch first\), got shape \[null, 4, 5, 3\] of rank 4\./,
    );
    assert.deepEqual(permute({ dims: [2, 1], name: 'p3' }).getConfig(), { name: 'p3', trainable: true, dims: [2, 1] });
    assert.deepEqual(Permute.fromConfig({ dims: [3, 1, 2] }).dims, [3, 1, 2]);
    assert.throws(() => Permute.fromConfig({ dims: 2 }), /dims must be a list of axes, got 2/);
  });
});
