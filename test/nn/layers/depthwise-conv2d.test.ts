import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gradients } from '../../../src/autograd/backward.js';
import { grads } from '../../../src/autograd/functional.js';
import { depthwiseConv2d } from '../../../src/nn/layers/depthwise-conv2d.js';
import { add, mul } from '../../../src/ops/binary.js';
import { depthwiseConv2d as depthwiseConv2dOp } from '../../../src/ops/conv.js';
import { sum } from '../../../src/ops/reduce.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { assertGradientsFlow, randomTensor } from './layer-checks.js';

describe('DepthwiseConv2D', () => {
  test('output shapes: channels times the depth multiplier', () => {
    assert.deepEqual(depthwiseConv2d({ kernelSize: 3 }).computeOutputShape([null, 6, 6, 3]), [null, 4, 4, 3]);
    assert.deepEqual(depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', strides: 2 }).computeOutputShape([null, 7, 5, 3]), [null, 4, 3, 6]);
    assert.deepEqual(depthwiseConv2d({ kernelSize: [1, 3], dilationRate: 2 }).computeOutputShape([null, 4, 9, 2]), [null, 4, 5, 2]);
  });

  test("weights 'depthwise_kernel' [kh, kw, C, mult] and 'bias' [C * mult]", () => {
    const layer = depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 });
    assert.match(layer.name, /^depthwise_conv2d(_\d+)?$/);
    layer.ensureBuilt([null, 8, 8, 3]);
    const [kernel, bias] = layer.weights;
    assert.deepEqual([kernel.shape, bias.shape], [[3, 3, 3, 2], [6]]);
    assert.equal(kernel.name, `${layer.name}/depthwise_kernel`);
    assert.equal(layer.countParams(), 3 * 3 * 3 * 2 + 6);
  });

  test('a hand-computed example: each channel has its own filter, output channel c*mult + m', () => {
    // one 2x2 image with 2 channels; 1x1 kernels so each output is a per-channel scaling
    const x = tensor([1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2]);
    const layer = depthwiseConv2d({ kernelSize: 1, depthMultiplier: 2 });
    layer.ensureBuilt([null, 2, 2, 2]);
    layer.setWeights([tensor([1, -1, 0.5, 2], [1, 1, 2, 2]), tensor([0, 0, 0, 1], [4])]);
    assertClose(layer.apply(x), [1, -1, 5, 21, 2, -2, 10, 41, 3, -3, 15, 61, 4, -4, 20, 81], { shape: [1, 2, 2, 4] });
  });

  test('equals the op + bias with the layer weights, and its gradients', () => {
    const kernel = randomTensor([3, 3, 3, 2], 1);
    const bias = randomTensor([6], 2);
    const x = randomTensor([2, 7, 6, 3], 3).requireGrad();
    const up = randomTensor([2, 4, 3, 6], 4);
    const layer = depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' });
    layer.ensureBuilt([null, 7, 6, 3]);
    layer.setWeights([kernel, bias]);
    const f = (xx: typeof x, k: typeof kernel, b: typeof bias) => add(depthwiseConv2dOp(xx, k, { strides: 2, padding: 'same' }), b);
    const y = layer.apply(x);
    assertClose(y, f(x, kernel, bias).values, { shape: [2, 4, 3, 6] });
    const actual = gradients(sum(mul(y, up)), [x, layer.depthwiseKernel!, layer.bias!]);
    const expected = grads(f)([x, kernel, bias], up);
    actual.forEach((g, i) => {
      assertClose(g, expected[i].values, { shape: expected[i].shape, rtol: 1e-5, atol: 1e-6 });
    });
  });

  test('gradients reach x, depthwise_kernel and bias', () => {
    assertGradientsFlow(depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, activation: 'relu', biasInitializer: 'ones' }), randomTensor([2, 5, 5, 2], 5));
  });

  test('errors name the layer', () => {
    assert.throws(
      () => depthwiseConv2d({ kernelSize: 3, depthMultiplier: 0, name: 'dw0' }),
      /Layer 'dw0' \(DepthwiseConv2D\): depthMultiplier must be a positive integer/,
    );
    assert.throws(
      () => depthwiseConv2d({ kernelSize: 3, name: 'dw1' }).ensureBuilt([null, 784]),
      /Layer 'dw1' \(DepthwiseConv2D\) expects inputs of rank 4.*\[N, 28, 28, 1\]/,
    );
    assert.throws(
      () => depthwiseConv2d({ kernelSize: 3, name: 'dw2' }).ensureBuilt([null, 2, 2, 1]),
      /Layer 'dw2' \(DepthwiseConv2D\): the 3x3 kernel does not fit/,
    );
  });

  test('config', () => {
    const config = depthwiseConv2d({ kernelSize: [3, 5], depthMultiplier: 2, depthwiseRegularizer: 'l2', name: 'dw_cfg' }).getConfig();
    assert.deepEqual(config, {
      name: 'dw_cfg',
      trainable: true,
      kernelSize: [3, 5],
      strides: [1, 1],
      padding: 'valid',
      depthMultiplier: 2,
      dataFormat: 'channelsLast',
      dilationRate: [1, 1],
      activation: 'linear',
      useBias: true,
      depthwiseInitializer: { className: 'GlorotUniform', config: { scale: 1, mode: 'fanAvg', distribution: 'uniform' } },
      biasInitializer: { className: 'Zeros', config: {} },
      depthwiseRegularizer: { className: 'L1L2', config: { l1: 0, l2: 0.01 } },
      biasRegularizer: null,
    });
  });
});
