import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Softmax, softmax } from '../../../src/nn/layers/softmax.js';
import { assertClose } from '../../helpers.js';
import { ndMap, ndReduce, sum64, type ND } from '../../gradcheck.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { randomTensor } from './layer-checks.js';
import { tf, tfjsApply } from './tfjs-reference.js';

/** Softmax of x over `axes` together, in float64. */
function softmax64(x: ND, axes: number[]): ND {
  const max = ndReduce(x, axes, true, (v) => Math.max(...v));
  const e = ndMap([x, max], (v, m) => Math.exp(v - m));
  return ndMap([e, ndReduce(e, axes, true, sum64)], (v, total) => v / total);
}

describe('Softmax', () => {
  test('over the last axis by default (Keras; TF.js defaults to axis 1), or any other', () => {
    const x = randomTensor([2, 3, 4], 1, -3, 3);
    assertClose(softmax().apply(x), softmax64({ shape: [2, 3, 4], data: [...x.values] }, [2]).data);
    assertClose(softmax({ axis: 1 }).apply(x), softmax64({ shape: [2, 3, 4], data: [...x.values] }, [1]).data);
    assert.match(softmax().name, /^softmax(_\d+)?$/);
  });

  test('several axes are normalised together (each [H, W] plane sums to 1)', () => {
    const x = randomTensor([2, 3, 2, 2], 2, -3, 3);
    const y = softmax({ axis: [1, 2] }).apply(x);
    assertClose(y, softmax64({ shape: [2, 3, 2, 2], data: [...x.values] }, [1, 2]).data, { shape: [2, 3, 2, 2] });
    const planeSums = ndReduce({ shape: [2, 3, 2, 2], data: [...y.values] }, [1, 2], false, (v) => v.reduce((a, b) => a + b, 0));
    assertClose(planeSums.data, [1, 1, 1, 1]);
  });

  test('input gradient against float64 finite differences, one axis and two', () => {
    layerGradCheck(softmax({ axis: 1 }), { shape: [2, 3, 4], low: -3, high: 3 }, (x) => softmax64(x, [1]));
    layerGradCheck(softmax({ axis: [-2, -1] }), { shape: [2, 3, 4], low: -3, high: 3 }, (x) => softmax64(x, [1, 2]));
  });

  test('the same values as TF.js (tf.layers.softmax; its softmax takes the last axis only, its several axes are composed)', async () => {
    const x = randomTensor([2, 3, 4], 3, -4, 4);
    assertClose(softmax().apply(x), await tfjsApply(tf.layers.softmax({ axis: -1 }), x));
    assertClose(softmax({ axis: [1, 2] }).apply(x), await tfjsApply(tf.layers.softmax({ axis: [1, 2] }), x));
  });

  test('errors and config', () => {
    assert.throws(() => softmax({ axis: 1.5, name: 's0' }), /Layer 's0' \(Softmax\): axis must be an integer or a non-empty list of integers, got 1\.5\./);
    assert.throws(() => softmax({ axis: [], name: 's1' }), /Layer 's1' \(Softmax\): axis must be/);
    assert.throws(
      () => softmax({ axis: 3, name: 's2' }).ensureBuilt([null, 4, 5]),
      /Layer 's2' \(Softmax\): axis 3 is out of range for inputs of shape \[null, 4, 5\] \(rank 3: axes -3 to 2\)\./,
    );
    assert.deepEqual(softmax({ name: 's3' }).getConfig(), { name: 's3', trainable: true, axis: -1 });
    assert.deepEqual(Softmax.fromConfig({ axis: [1, 2] }).axis, [1, 2]);
    assert.throws(() => Softmax.fromConfig({ axis: 'last' }), /axis must be an integer or a list of integers, got "last"/);
  });
});
