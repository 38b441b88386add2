import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { layerNormalization } from '../../../src/nn/layers/layer-normalization.js';
import { layerNorm } from '../../../src/ops/normalization.js';
import { tensor } from '../../../src/tensor/create.js';
import { gradCheck, nd, type ND } from '../../gradcheck.js';
import { assertClose } from '../../helpers.js';
import { assertGradientsFlow, randomTensor } from './layer-checks.js';

/** Each row of x [rows, F] normalised with its own mean and biased variance, then * gamma + beta (float64). */
function refLayerNorm(x: ND, gamma: number[], beta: number[], eps = 1e-3): ND {
  const F = x.shape[x.shape.length - 1];
  const out: number[] = [];
  for (let r = 0; r < x.data.length / F; r++) {
    const row = x.data.slice(r * F, (r + 1) * F);
    const mean = row.reduce((a, b) => a + b, 0) / F;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / F;
    row.forEach((v, i) => {
      out.push(((v - mean) / Math.sqrt(variance + eps)) * gamma[i] + beta[i]);
    });
  }
  return nd(x.shape, out);
}

describe('LayerNormalization', () => {
  test('gamma and beta over the normalised axis; same output shape', () => {
    const layer = layerNormalization();
    assert.match(layer.name, /^layer_normalization(_\d+)?$/);
    assert.deepEqual(layer.ensureBuilt([null, 10, 64]), [null, 10, 64]);
    assert.deepEqual(
      layer.weights.map((w) => [w.name.split('/')[1], w.shape]),
      [
        ['gamma', [64]],
        ['beta', [64]],
      ],
    );
    assert.equal(layer.countParams(), 128);
    const multi = layerNormalization({ axis: [-2, -1] });
    multi.ensureBuilt([null, 4, 5, 6]);
    assert.deepEqual(multi.weights[0].shape, [5, 6]);
    const bare = layerNormalization({ center: false, scale: false });
    bare.ensureBuilt([null, 3]);
    assert.equal(bare.weights.length, 0);
  });

  test('matches a float64 reference with set weights, in training and inference alike', () => {
    const gamma = [1.5, -0.5, 2, 1];
    const beta = [0.1, 0.2, -0.3, 0];
    const layer = layerNormalization();
    layer.ensureBuilt([null, 3, 4]);
    layer.setWeights([tensor(gamma), tensor(beta)]);
    const x = randomTensor([2, 3, 4], 1, -2, 2);
    const expected = refLayerNorm(nd(x.shape, [...x.values]), gamma, beta);
    assertClose(layer.apply(x), expected.data, { shape: [2, 3, 4], rtol: 1e-5, atol: 1e-5 });
    assertClose(layer.apply(x, { training: true }), expected.data, { rtol: 1e-5, atol: 1e-5 });
    assertClose(layer.apply(x), layerNorm(x, tensor(gamma), tensor(beta)).values);
  });

  test('input gradient (finite differences) and gradients reaching gamma and beta', () => {
    const layer = layerNormalization({ epsilon: 1e-2, gammaInitializer: 'ones' });
    layer.ensureBuilt([null, 5]);
    gradCheck(
      (x) => layer.apply(x),
      (x: ND) => refLayerNorm(x, [1, 1, 1, 1, 1], [0, 0, 0, 0, 0], 1e-2),
      [{ shape: [3, 5] }],
      { rtol: 2e-3, atol: 2e-4, h: 1e-5 },
    );
    assertGradientsFlow(layerNormalization(), randomTensor([3, 5], 2));
  });

  test('errors and config', () => {
    assert.throws(
      () => layerNormalization({ axis: 0, name: 'ln0' }).ensureBuilt([null, 4]),
      /Layer 'ln0' \(LayerNormalization\): axis 0 must name distinct non-batch axes/,
    );
    assert.throws(
      () => layerNormalization({ name: 'ln1' }).ensureBuilt([null, null]),
      /Layer 'ln1' \(LayerNormalization\) needs the sizes of the normalised axes/,
    );
    const built = layerNormalization({ name: 'ln2' });
    built.ensureBuilt([null, 4]);
    assert.throws(() => built.computeOutputShape([null, 5]), /Layer 'ln2' \(LayerNormalization\) was built for normalised axes of shape \[4\]/);
    assert.deepEqual(layerNormalization({ name: 'ln_cfg', epsilon: 1e-6 }).getConfig(), {
      name: 'ln_cfg',
      trainable: true,
      axis: -1,
      epsilon: 1e-6,
      center: true,
      scale: true,
      betaInitializer: { className: 'Zeros', config: {} },
      gammaInitializer: { className: 'Ones', config: {} },
      betaRegularizer: null,
      gammaRegularizer: null,
    });
  });
});
