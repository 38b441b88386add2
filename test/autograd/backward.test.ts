import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { add, backward, gradients, mul, scalar, tensor, Variable } from '../../src/index.js';
import { assertClose } from '../helpers.js';

describe('backward()', () => {
  test('fills .grad of leaves that require grad', () => {
    const x = tensor([1, 2, 3]).requireGrad();
    const w = tensor([4, 5, 6]).requireGrad();
    const c = tensor([1, 1, 1]); // no requiresGrad
    const loss = x.mul(w).add(c).sum(); // d/dx = w, d/dw = x
    loss.backward();
    assert.deepEqual(x.grad!.toArray(), [4, 5, 6]);
    assert.deepEqual(w.grad!.toArray(), [1, 2, 3]);
    assert.equal(c.grad, null);
  });

  test('intermediate tensors get no .grad', () => {
    const x = tensor([1, 2]).requireGrad();
    const h = x.mul(3);
    h.sum().backward();
    assert.equal(h.grad, null);
    assert.deepEqual(x.grad!.toArray(), [3, 3]);
  });

  test('accumulates over two calls', () => {
    const x = tensor([1, -2]).requireGrad();
    const loss = x.square().sum();
    loss.backward();
    loss.backward();
    assert.deepEqual(x.grad!.toArray(), [4, -8]);
    x.square().mul(0.5).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [5, -10]);
  });

  test('a tensor used twice gets the summed gradient', () => {
    const x = tensor([2, 3]).requireGrad();
    add(mul(x, 4), mul(x, x)).sum().backward(); // 4x + x^2 -> 4 + 2x
    assert.deepEqual(x.grad!.toArray(), [8, 10]);
  });

  test('diamond graph', () => {
    const x = scalar(1.5).requireGrad();
    const a = x.exp();
    const b = x.square();
    const y = a.mul(b).add(a); // e^x x^2 + e^x
    y.backward();
    const e = Math.exp(1.5);
    assertClose(x.grad!, [e * 1.5 ** 2 + 2 * 1.5 * e + e], { rtol: 1e-6 });
  });

  test('a non-scalar output needs dy', () => {
    const x = tensor([1, 2]).requireGrad();
    const y = x.mul(2);
    assert.throws(() => y.backward(), /output has shape \[2\]; pass an upstream gradient of that shape, or reduce it to a scalar first/);
    assert.throws(() => y.backward(tensor([1, 2, 3])), /upstream gradient has shape \[3\], output has shape \[2\]/);
    y.backward(tensor([1, 10]));
    assert.deepEqual(x.grad!.toArray(), [2, 20]);
  });

  test('an output of shape [1, 1] can be backpropagated without dy', () => {
    const x = tensor([[3]]).requireGrad();
    x.square().backward();
    assert.deepEqual(x.grad!.toArray(), [[6]]);
  });

  test('backward on a tensor that does not require grad is an error', () => {
    assert.throws(() => tensor([1]).mul(2).sum().backward(), /does not depend on any tensor with requiresGrad/);
  });

  test('a leaf itself', () => {
    const x = scalar(2).requireGrad();
    backward(x);
    assert.equal(x.grad!.item(), 1);
  });

  test('trainable Variables receive gradients; frozen ones do not', () => {
    const w = new Variable(new Float32Array([2]), [1], 'w');
    const f = new Variable(new Float32Array([3]), [1], 'f', false);
    w.mul(f).sum().backward();
    assert.deepEqual(w.grad!.toArray(), [3]);
    assert.equal(f.grad, null);
  });

  test('a deep chain of 5000 ops does not overflow the stack', () => {
    const x = scalar(1).requireGrad();
    let y = x;
    for (let i = 0; i < 5000; i++) y = y.mul(1.0001).add(0.001);
    y.backward();
    assertClose(x.grad!, [1.0001 ** 5000], { rtol: 1e-4 });
  });

  test('a chain of 50000 ops also works', () => {
    const x = scalar(1).requireGrad();
    let y = x;
    for (let i = 0; i < 50000; i++) y = y.add(1);
    y.backward();
    assert.equal(x.grad!.item(), 1);
  });

  test('gradients() returns zeros for inputs the output does not depend on and leaves .grad alone', () => {
    const x = tensor([1, 2]).requireGrad();
    const z = tensor([5, 6, 7]).requireGrad();
    const [gx, gz] = gradients(x.square().sum(), [x, z]);
    assert.deepEqual(gx.toArray(), [2, 4]);
    assert.deepEqual(gz.toArray(), [0, 0, 0]);
    assert.equal(x.grad, null);
  });
});
