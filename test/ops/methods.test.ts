import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tensor } from '../../src/index.js';
import { assertClose } from '../helpers.js';

describe('chainable tensor methods', () => {
  test('call the ops they name', () => {
    const x = tensor([
      [1, -2],
      [3, -4],
    ]);
    assert.deepEqual(x.add(1).toArray(), [
      [2, -1],
      [4, -3],
    ]);
    assert.deepEqual(x.sub(1).mul(2).toArray(), [
      [0, -6],
      [4, -10],
    ]);
    assert.deepEqual(x.div(tensor([1, 2])).toArray(), [
      [1, -1],
      [3, -2],
    ]);
    assert.deepEqual(x.abs().pow(2).toArray(), [
      [1, 4],
      [9, 16],
    ]);
    assert.deepEqual(x.maximum(0).toArray(), [
      [1, 0],
      [3, 0],
    ]);
    assert.deepEqual(x.minimum(0).toArray(), [
      [0, -2],
      [0, -4],
    ]);
    assert.deepEqual(x.neg().relu().toArray(), [
      [0, 2],
      [0, 4],
    ]);
    assert.deepEqual(x.square().sqrt().toArray(), [
      [1, 2],
      [3, 4],
    ]);
    assertClose(x.exp().log(), [1, -2, 3, -4], { rtol: 1e-6 });
    assertClose(tensor([0]).tanh(), [0]);
    assertClose(tensor([0]).sigmoid(), [0.5]);
    assertClose(tensor([-1]).leakyRelu(0.1), [-0.1]);
    assertClose(tensor([-1]).elu(), [Math.exp(-1) - 1]);
    assertClose(tensor([0]).softplus(), [Math.LN2]);
    assertClose(tensor([1]).gelu(), [0.8413447460685429]);
    assertClose(tensor([1]).gelu(true), [0.8411919906082768]);
    assertClose(tensor([1]).swish(), [0.7310585786300049]);
    assert.equal(x.sum().item(), -2);
    assert.equal(x.mean().item(), -0.5);
    assert.deepEqual(x.max(0).toArray(), [3, -2]);
    assert.deepEqual(x.min(1, true).toArray(), [[-2], [-4]]);
    assert.deepEqual(x.argMax().toArray(), [0, 0]);
    assert.deepEqual(x.argMin(0).toArray(), [0, 1]);
    assert.deepEqual(x.matmul(x).toArray(), [
      [-5, 6],
      [-9, 10],
    ]);
    assert.deepEqual(x.matmul(x, true, false).toArray(), [
      [10, -14],
      [-14, 20],
    ]);
    assert.equal(
      tensor([1, 2])
        .dot(tensor([3, 4]))
        .item(),
      11,
    );
    assert.deepEqual(x.reshape([4]).toArray(), [1, -2, 3, -4]);
    assert.deepEqual(x.flatten().shape, [2, 2]);
    assert.deepEqual(x.expandDims(1).shape, [2, 1, 2]);
    assert.deepEqual(x.expandDims().squeeze().shape, [2, 2]);
    assert.deepEqual(x.transpose().toArray(), [
      [1, 3],
      [-2, -4],
    ]);
    assert.deepEqual(x.slice([1, 0], [1, 2]).toArray(), [[3, -4]]);
    assertClose(tensor([0, 0]).softmax(), [0.5, 0.5]);
    assertClose(tensor([0, 0]).logSoftmax(), [-Math.LN2, -Math.LN2]);
  });

  test('backward() is a method', () => {
    const x = tensor([1, 2]).requireGrad();
    x.square().sum().backward();
    assert.deepEqual(x.grad!.toArray(), [2, 4]);
  });
});
