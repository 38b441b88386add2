import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RepeatVector, repeatVector } from '../../../src/nn/layers/repeat-vector.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { nd } from '../../gradcheck.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { randomTensor } from './layer-checks.js';
import { tf, tfjsApply } from './tfjs-reference.js';

describe('RepeatVector', () => {
  test('[N, features] -> [N, n, features]', () => {
    assert.deepEqual(repeatVector({ n: 3 }).computeOutputShape([null, 32]), [null, 3, 32]);
    assertClose(repeatVector({ n: 2 }).apply(tensor([1, 2, 3, 4], [2, 2])), [1, 2, 1, 2, 3, 4, 3, 4], { shape: [2, 2, 2] });
    assert.match(repeatVector({ n: 1 }).name, /^repeat_vector(_\d+)?$/);
  });

  test('input gradient against float64 finite differences (the n copies sum back)', () => {
    layerGradCheck(repeatVector({ n: 3 }), { shape: [2, 4] }, (x) =>
      nd(
        [2, 3, 4],
        [0, 1].flatMap((b) => [0, 1, 2].flatMap(() => x.data.slice(b * 4, b * 4 + 4))),
      ),
    );
  });

  test('the same values as TF.js (tf.layers.repeatVector)', async () => {
    const x = randomTensor([3, 5], 1);
    assertClose(repeatVector({ n: 4 }).apply(x), await tfjsApply(tf.layers.repeatVector({ n: 4 }), x), { rtol: 0, atol: 0 });
  });

  test('errors name the layer; config', () => {
    assert.throws(() => repeatVector({ n: 0, name: 'rv0' }), /Layer 'rv0' \(RepeatVector\): n must be a positive integer, got 0\./);
    assert.throws(
      () => repeatVector({ n: 2, name: 'rv1' }).ensureBuilt([null, 4, 4]),
      /Layer 'rv1' \(RepeatVector\) expects inputs of rank 2 \[batch, features\], got shape \[null, 4, 4\] of rank 3\. Flatten them first\./,
    );
    assert.deepEqual(repeatVector({ n: 5, name: 'rv2' }).getConfig(), { name: 'rv2', trainable: true, n: 5 });
    assert.equal(RepeatVector.fromConfig({ n: 7 }).n, 7);
  });
});
