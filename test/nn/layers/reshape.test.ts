import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { reshape } from '../../../src/nn/layers/reshape.js';
import { sequential } from '../../../src/model/sequential.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertGradientsFlow, randomTensor } from './layer-checks.js';

describe('Reshape layer', () => {
  test('per-sample target shape, with one -1 inferred', () => {
    assert.deepEqual(reshape({ targetShape: [28, 28, 1] }).computeOutputShape([null, 784]), [null, 28, 28, 1]);
    assert.deepEqual(reshape({ targetShape: [-1, 4] }).computeOutputShape([null, 2, 3, 4]), [null, 6, 4]);
    assert.deepEqual(reshape({ targetShape: [-1] }).computeOutputShape([null, 2, 3]), [null, 6]);
    // an unknown sample size leaves the -1 unknown (Keras)
    assert.deepEqual(reshape({ targetShape: [-1, 2] }).computeOutputShape([null, null, 2]), [null, null, 2]);
  });

  test('row-major, keeping the batch axis', () => {
    const y = reshape({ targetShape: [2, -1] }).apply(tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 4]));
    assert.deepEqual(y.toArray(), [
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
  });

  test('in a model, flat MNIST images become NHWC', () => {
    const model = sequential([reshape({ targetShape: [28, 28, 1], inputShape: [784] })]);
    assert.deepEqual(model.outputShape, [null, 28, 28, 1]);
    assert.deepEqual([...model.predict(randomTensor([3, 784], 1)).shape], [3, 28, 28, 1]);
  });

  test('the gradient reaches the input', () => {
    assertGradientsFlow(reshape({ targetShape: [3, 2] }), randomTensor([2, 6], 2));
  });

  test('errors name the layer', () => {
    assert.throws(
      () => reshape({ targetShape: [10, 10], name: 'rs0' }).ensureBuilt([null, 784]),
      /Layer 'rs0' \(Reshape\) cannot reshape samples of shape \[784\] \(784 values\) to targetShape \[10, 10\] \(100 values\)/,
    );
    assert.throws(
      () => reshape({ targetShape: [-1, 5], name: 'rs1' }).ensureBuilt([null, 12]),
      /Layer 'rs1' \(Reshape\) cannot reshape .*\(a multiple of 5 values\)/,
    );
    assert.throws(
      () => reshape({ targetShape: [-1, -1], name: 'rs2' }),
      /Layer 'rs2' \(Reshape\): targetShape must be a list of positive integers with at most one -1/,
    );
    assert.throws(() => reshape({ targetShape: [0, 3], name: 'rs3' }), /Layer 'rs3' \(Reshape\): targetShape must be/);
    const unknown = reshape({ targetShape: [4, -1], name: 'rs4' });
    unknown.ensureBuilt([null, null]);
    assert.throws(() => unknown.apply(tensor([[1, 2, 3]])), /Layer 'rs4' \(Reshape\) cannot reshape samples of shape \[3\]/);
  });

  test('name and config', () => {
    assert.match(reshape({ targetShape: [1] }).name, /^reshape(_\d+)?$/);
    assert.deepEqual(reshape({ targetShape: [7, 7, -1], name: 'rs_cfg' }).getConfig(), { name: 'rs_cfg', trainable: true, targetShape: [7, 7, -1] });
  });
});
