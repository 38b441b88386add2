import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Conv1D, conv1d } from '../../../src/nn/layers/conv1d.js';
import { sequential, setSeed, tensor } from '../../../src/index.js';
import { assertClose } from '../../helpers.js';
import { nd, type ND } from '../../gradcheck.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { assertGradientsFlow, randomTensor } from './layer-checks.js';
import { tf, tfjsApply } from './tfjs-reference.js';

type Padding = 'valid' | 'same' | 'causal';

/** Float64 reference: y[n, o, f] = bias[f] + sum_j,c x[n, o*s - before + j*d, c] * kernel[j, c, f] (zero outside). */
function refConv1d(x: ND, kernel: ND, bias: ND | null, s: number, d: number, padding: Padding): ND {
  const [n, t, c] = x.shape;
  const [k, , f] = kernel.shape;
  const span = (k - 1) * d + 1;
  let before = 0;
  let out: number;
  if (padding === 'same') {
    out = Math.ceil(t / s);
    before = Math.floor(Math.max((out - 1) * s + span - t, 0) / 2);
  } else if (padding === 'causal') {
    before = (k - 1) * d;
    out = Math.floor((t + before - span) / s) + 1;
  } else {
    out = Math.floor((t - span) / s) + 1;
  }
  const data: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < out; o++) {
      for (let g = 0; g < f; g++) {
        let acc = bias ? bias.data[g] : 0;
        for (let j = 0; j < k; j++) {
          const step = o * s - before + j * d;
          if (step < 0 || step >= t) continue;
          for (let ch = 0; ch < c; ch++) acc += x.data[(b * t + step) * c + ch] * kernel.data[(j * c + ch) * f + g];
        }
        data.push(acc);
      }
    }
  }
  return nd([n, out, f], data);
}

describe('Conv1D', () => {
  test('output shapes: valid, same, causal, strides and dilation; kernel [k, in, filters] as Keras', () => {
    assert.deepEqual(conv1d({ filters: 4, kernelSize: 3 }).computeOutputShape([null, 10, 2]), [null, 8, 4]);
    assert.deepEqual(conv1d({ filters: 4, kernelSize: 3, padding: 'same', strides: 3 }).computeOutputShape([null, 10, 2]), [null, 4, 4]);
    assert.deepEqual(conv1d({ filters: 4, kernelSize: 3, padding: 'causal', dilationRate: 2 }).computeOutputShape([null, 10, 2]), [null, 10, 4]);
    assert.deepEqual(conv1d({ filters: 4, kernelSize: 3, padding: 'causal', strides: 3 }).computeOutputShape([null, 10, 2]), [null, 4, 4]);
    assert.deepEqual(conv1d({ filters: 4, kernelSize: [3], dilationRate: [2] }).computeOutputShape([null, 10, 2]), [null, 6, 4]);
    assert.deepEqual(conv1d({ filters: 4, kernelSize: 3 }).computeOutputShape([null, null, 2]), [null, null, 4]);
    const layer = conv1d({ filters: 5, kernelSize: 3 });
    layer.ensureBuilt([null, 7, 2]);
    assert.deepEqual(
      layer.weights.map((w) => [w.name.replace(/^.*\//, ''), [...w.shape]]),
      [
        ['kernel', [3, 2, 5]],
        ['bias', [5]],
      ],
    );
    assert.match(layer.name, /^conv1d(_\d+)?$/);
  });

  for (const [padding, s, d] of [
    ['valid', 1, 1],
    ['valid', 2, 1],
    ['same', 1, 2],
    ['same', 3, 1],
    ['causal', 1, 1],
    ['causal', 1, 2],
    ['causal', 2, 1],
  ] as [Padding, number, number][]) {
    test(`input, kernel and bias gradients against float64 finite differences (padding ${padding}, strides ${s}, dilation ${d})`, () => {
      layerGradCheck(conv1d({ filters: 3, kernelSize: 3, strides: s, dilationRate: d, padding }), { shape: [2, 7, 2] }, (x, kernel, bias) =>
        refConv1d(x, kernel, bias, s, d, padding),
      );
    });
  }

  test('without bias, with an activation (relu after the convolution)', () => {
    layerGradCheck(conv1d({ filters: 2, kernelSize: 2, useBias: false, activation: 'tanh' }), { shape: [2, 5, 3] }, (x, kernel) => {
      const y = refConv1d(x, kernel, null, 1, 1, 'valid');
      return nd(y.shape, y.data.map(Math.tanh));
    });
  });

  test('the same values as TF.js (tf.layers.conv1d) with the same weights: valid and same padding, strides, dilation', async () => {
    for (const [padding, strides, dilationRate] of [
      ['valid', 1, 1],
      ['valid', 2, 1],
      ['same', 1, 1],
      ['same', 2, 1],
      ['same', 1, 3],
      ['valid', 1, 2],
    ] as ['valid' | 'same', number, number][]) {
      const x = randomTensor([3, 11, 4], 5);
      const layer = conv1d({ filters: 6, kernelSize: 3, padding, strides, dilationRate, activation: 'relu' });
      layer.ensureBuilt([null, 11, 4]);
      layer.bias!.assign(randomTensor([6], 6));
      const expected = await tfjsApply(
        tf.layers.conv1d({ filters: 6, kernelSize: 3, padding, strides, dilationRate, activation: 'relu' }),
        x,
        layer.getWeights(),
      );
      assertClose(layer.apply(x), expected, { atol: 1e-5, rtol: 1e-5 });
    }
  });

  test('causal padding: no output step sees a later input step', () => {
    setSeed(3);
    const layer = conv1d({ filters: 2, kernelSize: 3, padding: 'causal', dilationRate: 2 });
    const x = randomTensor([1, 9, 2], 8);
    const y = layer.apply(x);
    const changed = tensor(Float32Array.from(x.values), x.shape);
    // change the last two steps: outputs 0..6 must not move
    for (let i = 14; i < 18; i++) changed.values[i] += 1;
    const y2 = layer.apply(changed);
    assert.deepEqual([...y2.values.slice(0, 14)], [...y.values.slice(0, 14)]);
    assert.notDeepEqual([...y2.values.slice(14)], [...y.values.slice(14)]);
  });

  test('in a model: gradients reach the input and every weight', () => {
    setSeed(4);
    const model = sequential([conv1d({ filters: 4, kernelSize: 3, padding: 'causal', inputShape: [8, 2] })]);
    assertGradientsFlow(model.layers[0], randomTensor([2, 8, 2], 1));
  });

  test('errors name the layer and the shapes', () => {
    assert.throws(
      () => conv1d({ filters: 2, kernelSize: 3, name: 'c1' }).ensureBuilt([null, 10]),
      /Layer 'c1' \(Conv1D\) expects inputs of rank 3 \[batch, steps, channels\] \(e\.g\. \[null, 100, 8\]\), got shape \[null, 10\] of rank 2\. A batch of sequences of one value per step needs a channels axis: reshape it to \[N, 10, 1\]/,
    );
    assert.throws(
      () => conv1d({ filters: 2, kernelSize: 5, name: 'c2' }).ensureBuilt([null, 4, 3]),
      /Layer 'c2' \(Conv1D\): the kernel of 5 does not fit in the 4 steps of the input \(shape \[null, 4, 3\]\) with 'valid' padding/,
    );
    assert.throws(
      () => conv1d({ filters: 2, kernelSize: 3, dilationRate: 3, name: 'c3' }).ensureBuilt([null, 6, 3]),
      /the kernel of 3 \(spanning 7 steps with dilation 3\) does not fit in the 6 steps/,
    );
    assert.throws(
      () => conv1d({ filters: 2, kernelSize: 3, name: 'c4' }).ensureBuilt([null, 6, null]),
      /Layer 'c4' \(Conv1D\) needs the size of the channels axis/,
    );
    const built = conv1d({ filters: 2, kernelSize: 3, name: 'c5' });
    built.ensureBuilt([null, 6, 3]);
    assert.throws(() => built.apply(randomTensor([1, 6, 4], 1)), /Layer 'c5' \(Conv1D\) expects input of shape \[null, 6, 3\], got \[1, 6, 4\]/);
    assert.throws(() => conv1d({ filters: 0, kernelSize: 3, name: 'c6' }), /Layer 'c6' \(Conv1D\): filters must be a positive integer, got 0\./);
    assert.throws(
      () => conv1d({ filters: 1, kernelSize: [3, 3] as never, name: 'c7' }),
      /Layer 'c7' \(Conv1D\): kernelSize must be a positive integer \(or \[n\]\), got \[3,3\]\./,
    );
    assert.throws(() => conv1d({ filters: 1, kernelSize: 3, padding: 'full' as never, name: 'c8' }), /padding must be 'valid', 'same' or 'causal', got "full"/);
  });

  test('getConfig / fromConfig round trip, and a Keras 3 config', () => {
    const layer = conv1d({
      filters: 3,
      kernelSize: 4,
      strides: 2,
      padding: 'causal',
      dilationRate: 1,
      activation: 'relu',
      useBias: false,
      kernelRegularizer: 'l2',
      name: 'c',
    });
    const config = layer.getConfig();
    assert.deepEqual(config, {
      name: 'c',
      trainable: true,
      filters: 3,
      kernelSize: [4],
      strides: [2],
      padding: 'causal',
      dilationRate: [1],
      activation: 'relu',
      useBias: false,
      kernelInitializer: { className: 'GlorotUniform', config: { scale: 1, mode: 'fanAvg', distribution: 'uniform' } },
      biasInitializer: { className: 'Zeros', config: {} },
      kernelRegularizer: { className: 'L1L2', config: { l1: 0, l2: 0.01 } },
      biasRegularizer: null,
    });
    assert.deepEqual(Conv1D.fromConfig(config).getConfig(), config);
    const keras3 = Conv1D.fromConfig({
      name: 'conv1d',
      trainable: true,
      dtype: 'float32',
      filters: 8,
      kernelSize: [5],
      strides: [1],
      padding: 'same',
      dataFormat: 'channelsLast',
      dilationRate: [2],
      groups: 1,
      activation: 'linear',
      useBias: true,
      kernelInitializer: { module: 'keras.initializers', className: 'GlorotUniform', config: { seed: null } },
      biasInitializer: { module: 'keras.initializers', className: 'Zeros', config: {} },
      kernelRegularizer: null,
      biasRegularizer: null,
      activityRegularizer: null,
      kernelConstraint: null,
      biasConstraint: null,
    });
    assert.deepEqual([keras3.filters, keras3.kernelSize, keras3.dilationRate, keras3.padding], [8, [5], [2], 'same']);
    assert.throws(() => Conv1D.fromConfig({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' }), /data_format 'channelsFirst' is not supported/);
    assert.throws(() => Conv1D.fromConfig({ filters: 2, kernelSize: 3, groups: 2 }), /groups 2 is not supported/);
  });
});
