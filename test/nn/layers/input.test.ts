import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputLayer, input } from '../../../src/nn/layers/input.js';
import { tensor, zeros } from '../../../src/tensor/create.js';

describe('InputLayer', () => {
  test('declares a per-sample shape and passes tensors through', () => {
    const layer = input({ shape: [28, 28, 1] });
    assert.ok(layer instanceof InputLayer);
    assert.equal(layer.className, 'InputLayer');
    assert.match(layer.name, /^input_layer(_\d+)?$/);
    assert.deepEqual(layer.batchInputShape, [null, 28, 28, 1]);
    assert.ok(layer.built);
    assert.deepEqual(layer.computeOutputShape([null, 28, 28, 1]), [null, 28, 28, 1]);
    const x = zeros([5, 28, 28, 1]);
    assert.equal(layer.apply(x), x);
    assert.equal(layer.countParams(), 0);
    assert.equal(layer.weights.length, 0);
  });

  test('a fixed batch size', () => {
    const layer = input({ shape: [3], batchSize: 2, name: 'fixed' });
    assert.deepEqual(layer.batchInputShape, [2, 3]);
    assert.deepEqual(layer.computeOutputShape([null, 3]), [2, 3]);
    layer.apply(zeros([2, 3]));
    assert.throws(() => layer.apply(zeros([4, 3])), /Layer 'fixed' \(InputLayer\) was declared with batchSize 2, got a batch of 4/);
  });

  test('inputs of another shape are an error naming the layer', () => {
    const layer = input({ shape: [4], name: 'features' });
    assert.throws(() => layer.apply(tensor([[1, 2, 3]])), /Layer 'features' \(InputLayer\) expects input of shape \[null, 4\], got \[1, 3\]/);
    assert.throws(() => layer.computeOutputShape([null, 4, 1]), /Layer 'features' \(InputLayer\) expects inputs of shape \[null, 4\], got \[null, 4, 1\]/);
  });

  test('bad arguments', () => {
    assert.throws(() => input({ shape: [-1, 4] }), /shape must be the shape of one sample .*got \[-1, 4\]/);
    assert.throws(() => input({ shape: [0] }), /positive integers/);
    assert.throws(() => input({ shape: 4 as never, name: 'x' }), /input\('x'\): shape must be .*got 4/);
    assert.throws(() => input({ shape: [4], batchSize: 0 }), /batchSize must be a positive integer, got 0/);
  });

  test('a size given as null is free: sequences of any length pass, and the declared sizes are still checked', () => {
    const layer = input({ shape: [null, 4], name: 'seq' });
    assert.deepEqual(layer.batchInputShape, [null, null, 4]);
    assert.deepEqual(layer.apply(tensor(new Float32Array(2 * 7 * 4), [2, 7, 4])).shape, [2, 7, 4]);
    assert.deepEqual(layer.apply(tensor(new Float32Array(1 * 3 * 4), [1, 3, 4])).shape, [1, 3, 4]);
    assert.throws(
      () => layer.apply(tensor(new Float32Array(2 * 7 * 5), [2, 7, 5])),
      /'seq' \(InputLayer\) expects input of shape \[null, null, 4\], got \[2, 7, 5\]/,
    );
    assert.deepEqual(InputLayer.fromConfig({ batchInputShape: [null, null, 4], name: 'seq2' }).batchInputShape, [null, null, 4]);
  });

  test('config', () => {
    assert.deepEqual(input({ shape: [2, 3], name: 'in' }).getConfig(), { name: 'in', batchInputShape: [null, 2, 3], dtype: 'float32', sparse: false });
  });
});
