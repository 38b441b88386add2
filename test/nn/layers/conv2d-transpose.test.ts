import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gradients } from '../../../src/autograd/backward.js';
import { grads } from '../../../src/autograd/functional.js';
import { conv2dTranspose } from '../../../src/nn/layers/conv2d-transpose.js';
import { add, mul } from '../../../src/ops/binary.js';
import { conv2dTranspose as conv2dTransposeOp } from '../../../src/ops/conv.js';
import { sum } from '../../../src/ops/reduce.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { assertGradientsFlow, randomTensor } from './layer-checks.js';

describe('Conv2DTranspose', () => {
  test("output shapes as Keras deconv_output_length: 'valid' in*s + max(k - s, 0), 'same' in*s", () => {
    assert.deepEqual(conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2 }).computeOutputShape([null, 3, 3, 3]), [null, 7, 7, 2]);
    assert.deepEqual(conv2dTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).computeOutputShape([null, 7, 7, 16]), [null, 14, 14, 8]);
    assert.deepEqual(conv2dTranspose({ filters: 1, kernelSize: 2, strides: 3 }).computeOutputShape([null, 4, 5, 1]), [null, 12, 15, 1]);
    assert.deepEqual(conv2dTranspose({ filters: 1, kernelSize: 3 }).computeOutputShape([null, 5, null, 1]), [null, 7, null, 1]);
    const layer = conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' });
    assert.deepEqual([...layer.apply(randomTensor([1, 5, 3, 4], 1)).shape], [1, 10, 6, 2]);
  });

  test('kernel [kh, kw, filters, inChannels] and bias [filters]', () => {
    const layer = conv2dTranspose({ filters: 2, kernelSize: [3, 4] });
    assert.match(layer.name, /^conv2d_transpose(_\d+)?$/);
    layer.ensureBuilt([null, 5, 5, 3]);
    assert.deepEqual(
      layer.weights.map((w) => w.shape),
      [[3, 4, 2, 3], [2]],
    );
    assert.equal(layer.countParams(), 3 * 4 * 2 * 3 + 2);
  });

  test('a hand-computed example: stride 2 scatters a 2x2 kernel without overlap', () => {
    const layer = conv2dTranspose({ filters: 1, kernelSize: 2, strides: 2 });
    layer.ensureBuilt([null, 1, 2, 1]);
    layer.setWeights([tensor([1, 2, 3, 4], [2, 2, 1, 1]), tensor([0.5])]);
    // each input pixel v paints v * [[1, 2], [3, 4]] into its own 2x2 block
    assertClose(layer.apply(tensor([1, 10], [1, 1, 2, 1])), [1.5, 2.5, 10.5, 20.5, 3.5, 4.5, 30.5, 40.5], { shape: [1, 2, 4, 1] });
  });

  test('equals the op + bias with the layer weights, and its gradients', () => {
    const kernel = randomTensor([3, 3, 2, 3], 2);
    const bias = randomTensor([2], 3);
    const x = randomTensor([2, 3, 4, 3], 4).requireGrad();
    const up = randomTensor([2, 6, 8, 2], 5);
    const layer = conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' });
    layer.ensureBuilt([null, 3, 4, 3]);
    layer.setWeights([kernel, bias]);
    const f = (xx: typeof x, k: typeof kernel, b: typeof bias) => add(conv2dTransposeOp(xx, k, { strides: 2, padding: 'same' }), b);
    const y = layer.apply(x);
    assertClose(y, f(x, kernel, bias).values, { shape: [2, 6, 8, 2] });
    const actual = gradients(sum(mul(y, up)), [x, layer.kernel!, layer.bias!]);
    const expected = grads(f)([x, kernel, bias], up);
    actual.forEach((g, i) => {
      assertClose(g, expected[i].values, { shape: expected[i].shape, rtol: 1e-5, atol: 1e-6 });
    });
  });

  test('gradients reach x, kernel and bias', () => {
    assertGradientsFlow(conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, activation: 'sigmoid' }), randomTensor([2, 3, 3, 2], 6));
  });

  test('errors and config', () => {
    assert.throws(() => conv2dTranspose({ filters: -1, kernelSize: 3, name: 'ct0' }), /Layer 'ct0' \(Conv2DTranspose\): filters must be a positive integer/);
    assert.throws(
      () => conv2dTranspose({ filters: 2, kernelSize: 3, name: 'ct1' }).ensureBuilt([null, 9]),
      /Layer 'ct1' \(Conv2DTranspose\) expects inputs of rank 4.*\[N, 3, 3, 1\]/,
    );
    const layer = conv2dTranspose({ filters: 2, kernelSize: 3, name: 'ct2' });
    layer.ensureBuilt([null, 4, 4, 3]);
    assert.throws(() => layer.computeOutputShape([null, 4, 4, 2]), /it was built for 3 channels/);
    const config = conv2dTranspose({ filters: 4, kernelSize: 2, strides: 2, padding: 'same', name: 'ct_cfg' }).getConfig();
    assert.deepEqual(
      [config.filters, config.kernelSize, config.strides, config.padding, config.dataFormat, config.dilationRate, config.activation, config.useBias],
      [4, [2, 2], [2, 2], 'same', 'channelsLast', [1, 1], 'linear', true],
    );
    assert.deepEqual(config.kernelInitializer, { className: 'GlorotUniform', config: { scale: 1, mode: 'fanAvg', distribution: 'uniform' } });
  });
});
