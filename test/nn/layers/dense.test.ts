import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backward } from '../../../src/autograd/backward.js';
import { initializers } from '../../../src/nn/initializers.js';
import { type Dense, dense } from '../../../src/nn/layers/dense.js';
import { l2 } from '../../../src/nn/regularizers.js';
import { mul } from '../../../src/ops/binary.js';
import { sum } from '../../../src/ops/reduce.js';
import { tensor } from '../../../src/tensor/create.js';
import { setSeed } from '../../../src/tensor/rng.js';
import { gradCheck, makeRng, ndMatmul, ndMap, nd, ndReduce, sum64, type ND } from '../../gradcheck.js';
import { assertClose } from '../../helpers.js';

/** Float32-representable random values in [-1, 1). */
function draw(n: number, seed: number): number[] {
  const rand = makeRng(seed);
  return Array.from({ length: n }, () => Math.fround(rand() * 2 - 1));
}

/** A built Dense layer with the given weights. */
function denseWith(kernel: ND, bias: ND | null, activation: 'linear' | 'relu' = 'linear', inputShape: (number | null)[] = [null, kernel.shape[0]]): Dense {
  const layer = dense({ units: kernel.shape[1], activation, useBias: bias !== null });
  layer.ensureBuilt(inputShape);
  layer.setWeights(bias ? [tensor(kernel.data, kernel.shape), tensor(bias.data, bias.shape)] : [tensor(kernel.data, kernel.shape)]);
  return layer;
}

describe('Dense forward', () => {
  test('a hand-computed example: y = x · W + b', () => {
    const layer = denseWith(nd([2, 3], [1, 2, 3, 4, 5, 6]), nd([3], [0.5, -0.5, 1]));
    assertClose(
      layer.apply(
        tensor([
          [1, 2],
          [-1, 0],
        ]),
      ),
      [9.5, 11.5, 16, -0.5, -2.5, -2],
      { shape: [2, 3] },
    );
  });

  test('matches a float64 computation, with relu', () => {
    const W = nd([5, 4], draw(20, 1));
    const b = nd([4], draw(4, 2));
    const x = nd([6, 5], draw(30, 3));
    const expected = ndMap([ndMap([ndMatmul(x, W), b], (u, v) => u + v)], (v) => Math.max(v, 0));
    const y = denseWith(W, b, 'relu').apply(tensor(x.data, x.shape));
    assertClose(y, expected.data, { shape: [6, 4], rtol: 1e-5, atol: 1e-6 });
  });

  test('rank > 2 input maps the last axis: [N, T, in] -> [N, T, units]', () => {
    const W = nd([3, 2], draw(6, 4));
    const b = nd([2], draw(2, 5));
    const x = nd([2, 4, 3], draw(24, 6));
    const layer = denseWith(W, b, 'linear', [null, 4, 3]);
    const y = layer.apply(tensor(x.data, x.shape));
    const expected = ndMap([ndMatmul(x, W), b], (u, v) => u + v);
    assertClose(y, expected.data, { shape: [2, 4, 2] });
    assert.deepEqual(layer.computeOutputShape([null, 4, 3]), [null, 4, 2]);
  });

  test('without bias there is only a kernel', () => {
    const layer = denseWith(nd([2, 2], [1, 2, 3, 4]), null);
    assert.equal(layer.weights.length, 1);
    assert.equal(layer.countParams(), 4);
    assertClose(layer.apply(tensor([[1, 1]])), [4, 6]);
  });
});

describe('Dense gradients', () => {
  test('flow to x, kernel and bias (float64 reference)', () => {
    const W = nd([4, 3], draw(12, 7));
    const b = nd([3], draw(3, 8));
    const xv = nd([5, 4], draw(20, 9));
    const up = nd([5, 3], draw(15, 10));
    const layer = denseWith(W, b);
    const x = tensor(xv.data, xv.shape).requireGrad();
    backward(sum(mul(layer.apply(x), tensor(up.data, up.shape))));
    const [kernel, bias] = layer.weights;
    // dL/dW = x^T · up, dL/db = column sums of up, dL/dx = up · W^T
    assertClose(kernel.grad!, ndMatmul(xv, up, true, false).data, { shape: [4, 3], rtol: 1e-5, atol: 1e-6 });
    assertClose(bias.grad!, ndReduce(up, [0], false, sum64).data, { shape: [3] });
    assertClose(x.grad!, ndMatmul(up, W, false, true).data, { shape: [5, 4], rtol: 1e-5, atol: 1e-6 });
  });

  test('input gradient agrees with finite differences (rank 3, relu)', () => {
    const W = nd([3, 2], draw(6, 11));
    const b = nd([2], draw(2, 12));
    const layer = denseWith(W, b, 'relu', [null, 3, 3]);
    gradCheck(
      (x) => layer.apply(x),
      (x) => ndMap([ndMap([ndMatmul(x, W), b], (u, v) => u + v)], (v) => Math.max(v, 0)),
      [{ shape: [2, 3, 3], awayFromZero: 0.05 }],
    );
  });

  test('a frozen layer records no weight gradients', () => {
    const layer = dense({ units: 2, trainable: false });
    layer.apply(tensor([[1, 2]]));
    assert.equal(layer.trainableWeights.length, 0);
    assert.equal(layer.nonTrainableWeights.length, 2);
    assert.ok(layer.weights.every((w) => !w.requiresGrad));
  });
});

describe('Dense weights', () => {
  test('build creates kernel [in, units] and bias [units], named after the layer', () => {
    const layer = dense({ units: 3, inputShape: [5] });
    assert.match(layer.name, /^dense(_\d+)?$/);
    assert.deepEqual(layer.batchInputShape, [null, 5]);
    assert.deepEqual(layer.ensureBuilt([null, 5]), [null, 3]);
    const [kernel, bias] = layer.weights;
    assert.deepEqual([kernel.shape, bias.shape], [[5, 3], [3]]);
    assert.equal(kernel.name, `${layer.name}/kernel`);
    assert.equal(bias.name, `${layer.name}/bias`);
    assert.equal(layer.countParams(), 18);
    assert.deepEqual([...bias.values], [0, 0, 0]);
  });

  test('default kernel is glorotUniform and reproducible with setSeed', () => {
    setSeed(7);
    const a = dense({ units: 50 });
    a.ensureBuilt([null, 100]);
    setSeed(7);
    const b = dense({ units: 50 });
    b.ensureBuilt([null, 100]);
    assert.deepEqual([...a.weights[0].values], [...b.weights[0].values]);
    const limit = Math.sqrt(6 / 150);
    assert.ok(a.weights[0].values.every((v) => Math.abs(v) <= limit));
    assert.ok(a.weights[0].values.some((v) => Math.abs(v) > 0.9 * limit));
  });

  test('custom initializers', () => {
    const layer = dense({ units: 2, kernelInitializer: 'ones', biasInitializer: initializers.constant({ value: 0.5 }) });
    assertClose(layer.apply(tensor([[1, 2, 3]])), [6.5, 6.5]);
  });

  test('regularizers contribute l2 * sum(w^2) to the regularization loss', () => {
    const layer = dense({ units: 2, kernelRegularizer: l2({ l2: 0.1 }), biasRegularizer: 'l1', biasInitializer: 'ones' });
    layer.ensureBuilt([null, 3]);
    const [kernel] = layer.weights;
    let sq = 0;
    for (const v of kernel.values) sq += v * v;
    assert.ok(layer.hasRegularization);
    assertClose(layer.regularizationLoss(), [0.1 * sq + 0.01 * 2], { rtol: 1e-5 });
    backward(layer.regularizationLoss());
    assertClose(
      kernel.grad!,
      Array.from(kernel.values, (v) => 0.2 * v),
      { rtol: 1e-5 },
    );
  });
});

describe('Dense shape errors', () => {
  test('rank-1 input', () => {
    const layer = dense({ units: 4, name: 'dense_rank_check' });
    assert.throws(() => layer.apply(tensor([1, 2, 3])), /Layer 'dense_rank_check' \(Dense\) expects inputs of rank >= 2 .*got shape \[null\]/);
  });

  test('unknown last axis', () => {
    const layer = dense({ units: 4, name: 'dense_null' });
    assert.throws(() => layer.ensureBuilt([null, null]), /Layer 'dense_null' \(Dense\) needs the size of the last input axis.*\[null, null\]/);
  });

  test('feature count differs from the one built for', () => {
    const layer = dense({ units: 4, name: 'dense_built' });
    layer.ensureBuilt([null, 5]);
    assert.throws(() => layer.ensureBuilt([null, 6]), /Layer 'dense_built' \(Dense\) expects inputs of shape \[null, 5\] .*got \[null, 6\]/);
    assert.throws(() => layer.apply(tensor([[1, 2, 3]])), /Layer 'dense_built' \(Dense\) expects input of shape \[null, 5\], got \[1, 3\]/);
  });

  test('invalid units and names', () => {
    assert.throws(() => dense({ units: 0, name: 'd0' }), /Layer 'd0' \(Dense\): units must be a positive integer, got 0/);
    assert.throws(() => dense({ units: 2.5 }), /units must be a positive integer/);
    assert.throws(() => dense({ units: 2, activation: 'softmaxx' as 'softmax' }), /did you mean 'softmax'\?/);
    assert.throws(() => dense({ units: 2, kernelInitializer: 'heNormall' as 'heNormal' }), /did you mean 'heNormal'\?/);
  });
});

describe('Dense config', () => {
  test('Keras argument names', () => {
    const layer = dense({ units: 8, activation: 'relu', kernelRegularizer: 'l2', inputShape: [4], name: 'hidden' });
    assert.deepEqual(layer.getConfig(), {
      name: 'hidden',
      trainable: true,
      batchInputShape: [null, 4],
      units: 8,
      activation: 'relu',
      useBias: true,
      kernelInitializer: { className: 'GlorotUniform', config: { scale: 1, mode: 'fanAvg', distribution: 'uniform' } },
      biasInitializer: { className: 'Zeros', config: {} },
      kernelRegularizer: { className: 'L1L2', config: { l1: 0, l2: 0.01 } },
      biasRegularizer: null,
    });
    assert.equal(layer.className, 'Dense');
  });
});
