import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { grad } from '../../../src/autograd/functional.js';
import { dense } from '../../../src/nn/layers/dense.js';
import { Flatten, flatten } from '../../../src/nn/layers/flatten.js';
import { sum } from '../../../src/ops/reduce.js';
import { mul } from '../../../src/ops/binary.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';

describe('Flatten', () => {
  test('[N, h, w, c] -> [N, h*w*c] in row-major order', () => {
    const x = tensor(
      Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 2, 2],
    );
    const y = flatten().apply(x);
    assert.deepEqual([...y.shape], [2, 12]);
    assert.deepEqual([...y.values], [...x.values]);
  });

  test('a batch of scalars becomes [N, 1] (as Keras)', () => {
    assert.deepEqual([...flatten().apply(tensor([1, 2, 3])).shape], [3, 1]);
    assert.deepEqual(flatten().computeOutputShape([null]), [null, 1]);
  });

  test('output shape keeps the unknown batch axis', () => {
    assert.deepEqual(flatten().computeOutputShape([null, 7, 7, 32]), [null, 1568]);
    assert.deepEqual(flatten().computeOutputShape([16, 4, 5]), [16, 20]);
  });

  test('the gradient is reshaped back', () => {
    const x = tensor(
      Array.from({ length: 12 }, (_, i) => i),
      [2, 3, 2],
    );
    const w = tensor(
      Array.from({ length: 12 }, (_, i) => i * 10),
      [2, 6],
    );
    const g = grad((t) => sum(mul(flatten().apply(t), w)))(x);
    assert.deepEqual([...g.shape], [2, 3, 2]);
    assertClose(g, w.values);
  });

  test('feeds a Dense layer', () => {
    const d = dense({ units: 1, kernelInitializer: 'ones' });
    const y = d.apply(
      flatten().apply(
        tensor([
          [
            [1, 2],
            [3, 4],
          ],
        ]),
      ),
    );
    assertClose(y, [10], { shape: [1, 1] });
  });

  test('unknown non-batch axes are an error naming the layer', () => {
    const layer = new Flatten({ name: 'flat' });
    assert.throws(
      () => layer.computeOutputShape([null, null, 3]),
      /Layer 'flat' \(Flatten\) needs every axis but the batch axis to be known, got shape \[null, null, 3\]/,
    );
    assert.throws(() => layer.computeOutputShape([]), /Layer 'flat' \(Flatten\) expects inputs with a batch axis/);
  });

  test('config', () => {
    assert.deepEqual(flatten({ name: 'f' }).getConfig(), { name: 'f', trainable: true, dataFormat: 'channelsLast' });
    assert.equal(flatten().className, 'Flatten');
  });
});
