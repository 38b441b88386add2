import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SeparableConv2D, separableConv2d } from '../../../src/nn/layers/separable-conv2d.js';
import { tensor } from '../../../src/tensor/create.js';
import { assertClose } from '../../helpers.js';
import { nd, type ND } from '../../gradcheck.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { assertGradientsFlow, randomTensor } from './layer-checks.js';
import { tf, tfjsApply } from './tfjs-reference.js';

interface Window {
  strides: [number, number];
  dilation: [number, number];
  padding: 'valid' | 'same';
}

/** TensorFlow's output size and leading pad of one axis. */
function axis(size: number, k: number, s: number, d: number, padding: 'valid' | 'same'): { out: number; before: number } {
  const span = (k - 1) * d + 1;
  if (padding === 'valid') return { out: Math.floor((size - span) / s) + 1, before: 0 };
  const out = Math.ceil(size / s);
  return { out, before: Math.floor(Math.max((out - 1) * s + span - size, 0) / 2) };
}

/** The separable convolution in float64, loop by loop: depthwise [kh, kw, C, M], pointwise [1, 1, C*M, F], bias [F]. */
function separable64(x: ND, depthwise: ND, pointwise: ND, bias: ND | null, w: Window): ND {
  const [n, h, wd, c] = x.shape;
  const [kh, kw, , m] = depthwise.shape;
  const f = pointwise.shape[3];
  const rows = axis(h, kh, w.strides[0], w.dilation[0], w.padding);
  const cols = axis(wd, kw, w.strides[1], w.dilation[1], w.padding);
  const at = (b: number, i: number, j: number, ch: number) => (i < 0 || j < 0 || i >= h || j >= wd ? 0 : x.data[((b * h + i) * wd + j) * c + ch]);
  const out: number[] = [];
  for (let b = 0; b < n; b++)
    for (let oi = 0; oi < rows.out; oi++)
      for (let oj = 0; oj < cols.out; oj++) {
        const mid: number[] = [];
        for (let ch = 0; ch < c; ch++)
          for (let mm = 0; mm < m; mm++) {
            let acc = 0;
            for (let di = 0; di < kh; di++)
              for (let dj = 0; dj < kw; dj++) {
                const v = at(b, oi * w.strides[0] - rows.before + di * w.dilation[0], oj * w.strides[1] - cols.before + dj * w.dilation[1], ch);
                acc += v * depthwise.data[((di * kw + dj) * c + ch) * m + mm];
              }
            mid.push(acc);
          }
        for (let o = 0; o < f; o++) out.push(mid.reduce((acc, v, q) => acc + v * pointwise.data[q * f + o], bias ? bias.data[o] : 0));
      }
  return nd([n, rows.out, cols.out, f], out);
}

describe('SeparableConv2D', () => {
  test('output shapes: the depthwise window, then filters channels', () => {
    assert.deepEqual(separableConv2d({ filters: 8, kernelSize: 3 }).computeOutputShape([null, 6, 6, 3]), [null, 4, 4, 8]);
    assert.deepEqual(separableConv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }).computeOutputShape([null, 7, 5, 3]), [null, 4, 3, 4]);
    assert.deepEqual(separableConv2d({ filters: 2, kernelSize: [1, 3], dilationRate: 2 }).computeOutputShape([null, null, 9, 2]), [null, null, 5, 2]);
  });

  test("weights 'depthwise_kernel' [kh, kw, C, M], 'pointwise_kernel' [1, 1, C*M, filters] and 'bias' [filters], in TF.js' order", () => {
    const layer = separableConv2d({ filters: 5, kernelSize: 3, depthMultiplier: 2 });
    assert.match(layer.name, /^separable_conv2d(_\d+)?$/);
    layer.ensureBuilt([null, 8, 8, 3]);
    assert.deepEqual(
      layer.weights.map((w) => [w.name, [...w.shape]]),
      [
        [`${layer.name}/depthwise_kernel`, [3, 3, 3, 2]],
        [`${layer.name}/pointwise_kernel`, [1, 1, 6, 5]],
        [`${layer.name}/bias`, [5]],
      ],
    );
    assert.equal(layer.countParams(), 54 + 30 + 5);
  });

  test('a hand-computed example: 1x1 depthwise scales each channel, pointwise mixes them', () => {
    const layer = separableConv2d({ filters: 1, kernelSize: 1 });
    layer.ensureBuilt([null, 1, 2, 2]);
    layer.setWeights([tensor([2, 3], [1, 1, 2, 1]), tensor([1, -1], [1, 1, 2, 1]), tensor([0.5], [1])]);
    // pixel (1, 10): 2*1 - 3*10 + 0.5; pixel (2, 20): 2*2 - 3*20 + 0.5
    assertClose(layer.apply(tensor([1, 10, 2, 20], [1, 1, 2, 2])), [-27.5, -55.5], { shape: [1, 1, 2, 1] });
  });

  test('gradients of the input and of all three weights against float64 finite differences', () => {
    const same: Window = { strides: [2, 1], dilation: [1, 1], padding: 'same' };
    layerGradCheck(
      separableConv2d({ filters: 3, kernelSize: [3, 2], depthMultiplier: 2, strides: [2, 1], padding: 'same' }),
      { shape: [2, 5, 4, 2] },
      (x, d, p, b) => separable64(x, d, p, b, same),
    );
    const dilated: Window = { strides: [1, 1], dilation: [2, 1], padding: 'valid' };
    layerGradCheck(separableConv2d({ filters: 2, kernelSize: 2, dilationRate: [2, 1], useBias: false }), { shape: [1, 5, 3, 3] }, (x, d, p) =>
      separable64(x, d, p, null, dilated),
    );
    assertGradientsFlow(separableConv2d({ filters: 2, kernelSize: 3, activation: 'relu', biasInitializer: 'ones' }), randomTensor([2, 5, 5, 2], 5));
  });

  test('the same values as TF.js (tf.layers.separableConv2d) with the same weights', async () => {
    const x = randomTensor([2, 7, 6, 3], 1);
    const weights = [randomTensor([3, 3, 3, 2], 2), randomTensor([1, 1, 6, 4], 3), randomTensor([4], 4)];
    const args = { filters: 4, kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu' } as const;
    const layer = separableConv2d(args);
    layer.ensureBuilt([null, 7, 6, 3]);
    layer.setWeights(weights);
    assertClose(layer.apply(x), await tfjsApply(tf.layers.separableConv2d(args), x, weights), { rtol: 1e-5, atol: 1e-5 });
  });

  test('errors name the layer; config', () => {
    assert.throws(
      () => separableConv2d({ filters: 0, kernelSize: 3, name: 'sc0' }),
      /Layer 'sc0' \(SeparableConv2D\): filters must be a positive integer, got 0\./,
    );
    assert.throws(
      () => separableConv2d({ filters: 2, kernelSize: 3, depthMultiplier: 1.5, name: 'sc1' }),
      /Layer 'sc1' \(SeparableConv2D\): depthMultiplier must be a positive integer, got 1\.5\./,
    );
    assert.throws(
      () => separableConv2d({ filters: 2, kernelSize: 3, name: 'sc2' }).ensureBuilt([null, 784]),
      /Layer 'sc2' \(SeparableConv2D\) expects inputs of rank 4/,
    );
    assert.throws(
      () => separableConv2d({ filters: 2, kernelSize: 3, name: 'sc3' }).ensureBuilt([null, 2, 2, 1]),
      /Layer 'sc3' \(SeparableConv2D\): the 3x3 kernel does not fit/,
    );
    const config = separableConv2d({ filters: 4, kernelSize: [3, 5], depthMultiplier: 2, pointwiseRegularizer: 'l2', name: 'sc_cfg' }).getConfig();
    assert.deepEqual(config, {
      name: 'sc_cfg',
      trainable: true,
      filters: 4,
      kernelSize: [3, 5],
      strides: [1, 1],
      padding: 'valid',
      dataFormat: 'channelsLast',
      dilationRate: [1, 1],
      depthMultiplier: 2,
      activation: 'linear',
      useBias: true,
      depthwiseInitializer: { className: 'GlorotUniform', config: { scale: 1, mode: 'fanAvg', distribution: 'uniform' } },
      pointwiseInitializer: { className: 'GlorotUniform', config: { scale: 1, mode: 'fanAvg', distribution: 'uniform' } },
      biasInitializer: { className: 'Zeros', config: {} },
      depthwiseRegularizer: null,
      pointwiseRegularizer: { className: 'L1L2', config: { l1: 0, l2: 0.01 } },
      biasRegularizer: null,
    });
    const back = SeparableConv2D.fromConfig(config);
    assert.deepEqual([back.filters, back.kernelSize, back.depthMultiplier, back.pointwiseRegularizer?.getConfig()], [4, [3, 5], 2, { l1: 0, l2: 0.01 }]);
    assert.throws(
      () => SeparableConv2D.fromConfig({ ...config, pointwiseConstraint: { className: 'MaxNorm', config: {} } }),
      /pointwiseConstraint .* is not supported/,
    );
  });
});
