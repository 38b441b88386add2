import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gradients } from '../../../src/autograd/backward.js';
import { type BatchNormalization, batchNormalization } from '../../../src/nn/layers/batch-normalization.js';
import { dense } from '../../../src/nn/layers/dense.js';
import { sequential } from '../../../src/model/sequential.js';
import { mul } from '../../../src/ops/binary.js';
import { sum } from '../../../src/ops/reduce.js';
import { transpose } from '../../../src/ops/transpose.js';
import { tensor } from '../../../src/tensor/create.js';
import type { Tensor } from '../../../src/tensor/tensor.js';
import type { Fixture, FixtureTensor } from '../../conformance/fixture.js';
import { conformanceFixture } from '../../fixtures/conformance.js';
import { gradCheck, nd, type ND } from '../../gradcheck.js';
import { assertClose } from '../../helpers.js';
import { assertGradientsFlow, randomTensor } from './layer-checks.js';

/** Float64 per-feature statistics of x [rows, C] (the feature axis last): mean and biased variance. */
function stats(x: ArrayLike<number>, C: number): { mean: number[]; variance: number[]; n: number } {
  const n = x.length / C;
  const mean = new Array<number>(C).fill(0);
  const variance = new Array<number>(C).fill(0);
  for (let i = 0; i < x.length; i++) mean[i % C] += x[i] / n;
  for (let i = 0; i < x.length; i++) variance[i % C] += (x[i] - mean[i % C]) ** 2 / n;
  return { mean, variance, n };
}

/** gamma * (x - mean) / sqrt(var + eps) + beta, feature axis last, in float64. */
function normalise(x: ArrayLike<number>, mean: number[], variance: number[], gamma: number[], beta: number[], eps = 1e-3): number[] {
  const C = mean.length;
  return Array.from(x, (v, i) => (gamma[i % C] * (v - mean[i % C])) / Math.sqrt(variance[i % C] + eps) + beta[i % C]);
}

/** A built layer with weights [gamma, beta, movingMean, movingVariance]. */
function bnWith(inputShape: (number | null)[], weights: number[][], args: ConstructorParameters<typeof BatchNormalization>[0] = {}): BatchNormalization {
  const layer = batchNormalization(args);
  layer.ensureBuilt(inputShape);
  layer.setWeights(weights.map((w) => tensor(w)));
  return layer;
}

const gamma = [1.5, 0.5, -2];
const beta = [0.1, -0.2, 0.3];
const movingMean = [0.5, -1, 2];
const movingVariance = [2, 0.25, 1.5];

describe('BatchNormalization weights', () => {
  test('gamma, beta (trainable), moving_mean, moving_variance (non-trainable): 4*C params', () => {
    const layer = batchNormalization();
    assert.match(layer.name, /^batch_normalization(_\d+)?$/);
    assert.deepEqual(layer.ensureBuilt([null, 26, 26, 32]), [null, 26, 26, 32]);
    assert.deepEqual(
      layer.weights.map((w) => w.name),
      ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((n) => `${layer.name}/${n}`),
    );
    assert.ok(layer.weights.every((w) => w.shape.length === 1 && w.shape[0] === 32));
    assert.deepEqual(
      layer.trainableWeights.map((w) => w.name.split('/')[1]),
      ['gamma', 'beta'],
    );
    assert.deepEqual(
      layer.nonTrainableWeights.map((w) => w.name.split('/')[1]),
      ['moving_mean', 'moving_variance'],
    );
    assert.equal(layer.countParams(), 128);
    const [g, b, mm, mv] = layer.getWeights();
    assert.deepEqual([g.values[0], b.values[0], mm.values[0], mv.values[0]], [1, 0, 0, 1]);
  });

  test('2-D input, and center / scale off', () => {
    const layer = batchNormalization({ center: false, scale: false });
    layer.ensureBuilt([null, 5]);
    assert.equal(layer.trainableWeights.length, 0);
    assert.equal(layer.countParams(), 10);
    const onlyScale = batchNormalization({ center: false });
    onlyScale.ensureBuilt([null, 5]);
    assert.deepEqual(
      onlyScale.weights.map((w) => w.name.split('/')[1]),
      ['gamma', 'moving_mean', 'moving_variance'],
    );
  });

  test('another axis: channels-first input with axis 1', () => {
    const layer = batchNormalization({ axis: 1 });
    layer.ensureBuilt([null, 3, 4, 4]);
    assert.deepEqual(layer.weights[0].shape, [3]);
  });
});

describe('BatchNormalization inference', () => {
  test('uses the moving statistics (training false or not given), and leaves them alone', () => {
    const layer = bnWith([null, 3], [gamma, beta, movingMean, movingVariance]);
    const x = randomTensor([4, 3], 1, -2, 2);
    const expected = normalise(x.values, movingMean, movingVariance, gamma, beta);
    assertClose(layer.apply(x), expected, { shape: [4, 3] });
    assertClose(layer.apply(x, { training: false }), expected);
    assertClose(layer.getWeights()[2], movingMean);
    assertClose(layer.getWeights()[3], movingVariance);
  });

  test('NHWC input: statistics per channel', () => {
    const layer = bnWith([null, 2, 3, 3], [gamma, beta, movingMean, movingVariance]);
    const x = randomTensor([2, 2, 3, 3], 2, -2, 2);
    assertClose(layer.apply(x), normalise(x.values, movingMean, movingVariance, gamma, beta), { shape: [2, 2, 3, 3] });
  });

  test('default weights: x / sqrt(1 + epsilon)', () => {
    const x = randomTensor([3, 4], 3);
    assertClose(
      batchNormalization().apply(x),
      Array.from(x.values, (v) => v / Math.sqrt(1.001)),
    );
  });
});

describe('BatchNormalization training', () => {
  test('normalises with the batch mean and biased variance', () => {
    const layer = bnWith([null, 3], [gamma, beta, movingMean, movingVariance]);
    const x = randomTensor([6, 3], 4, -3, 3);
    const { mean, variance } = stats(x.values, 3);
    const y = layer.apply(x, { training: true });
    assertClose(y, normalise(x.values, mean, variance, gamma, beta), { shape: [6, 3], rtol: 1e-5, atol: 1e-5 });
    // and differs from inference
    assert.ok(Math.abs(y.values[0] - layer.apply(x).values[0]) > 1e-3);
  });

  test('one step moves the statistics: moving = moving*momentum + batch*(1 - momentum), biased variance', () => {
    const layer = bnWith([null, 2, 2, 3], [gamma, beta, movingMean, movingVariance], { momentum: 0.9 });
    const x = randomTensor([3, 2, 2, 3], 5, -2, 4);
    const { mean, variance } = stats(x.values, 3);
    layer.apply(x, { training: true });
    const [, , mm, mv] = layer.getWeights();
    assertClose(
      mm,
      movingMean.map((m, c) => m * 0.9 + mean[c] * 0.1),
      { rtol: 1e-6 },
    );
    assertClose(
      mv,
      movingVariance.map((v, c) => v * 0.9 + variance[c] * 0.1),
      { rtol: 1e-6 },
    );
    // a second step moves them again, from where they are
    layer.apply(x, { training: true });
    assertClose(
      layer.getWeights()[2],
      movingMean.map((m, c) => (m * 0.9 + mean[c] * 0.1) * 0.9 + mean[c] * 0.1),
      { rtol: 1e-6 },
    );
  });

  test('the gradient with respect to x flows through the batch statistics (finite differences)', () => {
    const layer = bnWith([null, 3], [gamma, beta, movingMean, movingVariance]);
    gradCheck(
      (x) => layer.apply(x, { training: true }),
      (x: ND) => {
        const { mean, variance } = stats(x.data, 3);
        return nd(x.shape, normalise(x.data, mean, variance, gamma, beta));
      },
      [{ shape: [5, 3] }],
      { rtol: 2e-3, atol: 2e-4, h: 1e-5 },
    );
  });

  test('gamma and beta gradients: sum(upstream * xhat) and sum(upstream) per feature', () => {
    const layer = bnWith([null, 3], [gamma, beta, movingMean, movingVariance]);
    const x = randomTensor([5, 3], 6, -2, 2);
    const up = randomTensor([5, 3], 7);
    const [gGamma, gBeta] = gradients(sum(mul(layer.apply(x, { training: true }), up)), layer.trainableWeights);
    const { mean, variance } = stats(x.values, 3);
    const xhat = normalise(x.values, mean, variance, [1, 1, 1], [0, 0, 0]);
    const expectGamma = [0, 0, 0];
    const expectBeta = [0, 0, 0];
    up.values.forEach((u, i) => {
      expectGamma[i % 3] += u * xhat[i];
      expectBeta[i % 3] += u;
    });
    assertClose(gGamma, expectGamma, { rtol: 1e-4, atol: 1e-5 });
    assertClose(gBeta, expectBeta, { rtol: 1e-5, atol: 1e-6 });
  });

  test('gradients reach x, gamma and beta (2-D and NHWC)', () => {
    assertGradientsFlow(batchNormalization(), randomTensor([4, 3], 8), true);
    assertGradientsFlow(batchNormalization(), randomTensor([2, 3, 3, 2], 9), true);
  });

  test('axis 1 equals axis -1 on the transposed input', () => {
    const first = bnWith([null, 3, 2, 2], [gamma, beta, movingMean, movingVariance], { axis: 1 });
    const last = bnWith([null, 2, 2, 3], [gamma, beta, movingMean, movingVariance]);
    const x = randomTensor([2, 3, 2, 2], 10, -2, 2);
    const toLast = (t: Tensor) => transpose(t, [0, 2, 3, 1]);
    for (const training of [false, true]) {
      assertClose(toLast(first.apply(x, { training })), last.apply(toLast(x), { training }).values, { rtol: 1e-5, atol: 1e-5 });
    }
    assertClose(first.getWeights()[2], last.getWeights()[2].values);
  });

  test('a frozen layer runs in inference mode even when training (Keras)', () => {
    const layer = bnWith([null, 3], [gamma, beta, movingMean, movingVariance], { trainable: false });
    const x = randomTensor([4, 3], 11, -2, 2);
    assertClose(layer.apply(x, { training: true }), normalise(x.values, movingMean, movingVariance, gamma, beta));
    assertClose(layer.getWeights()[2], movingMean);
  });

  test('fit updates the moving statistics; predict uses them', async () => {
    const model = sequential([dense({ units: 4, inputShape: [3] }), batchNormalization(), dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const bn = model.layers[1] as BatchNormalization;
    const x = randomTensor([16, 3], 12, 1, 3);
    await model.fit(x, randomTensor([16, 1], 13), { epochs: 2, batchSize: 8, verbose: 0 });
    assert.ok(bn.movingMean!.values.some((v) => v !== 0));
    const before = bn.getWeights().map((w) => [...w.values]);
    model.predict(x);
    assert.deepEqual(
      bn.getWeights().map((w) => [...w.values]),
      before,
    );
  });
});

describe('BatchNormalization conformance fixtures', () => {
  const load = conformanceFixture;
  const t = (v: FixtureTensor) => tensor(Float32Array.from(v.data), v.shape);
  /** Passes with the primary values or, where the fixture has them, the alt ones. */
  const closeToEither = (got: Tensor, f: Fixture, key: string, primary: FixtureTensor, alt?: FixtureTensor) => {
    const opts = { ...f.tolerance, shape: primary.shape };
    try {
      assertClose(got, primary.data, opts);
    } catch (e) {
      if (!alt) throw new Error(`${key}: ${(e as Error).message}`);
      assertClose(got, alt.data, opts);
    }
  };

  for (const name of ['batch_norm_train_2d', 'batch_norm_inference_nhwc']) {
    test(name, () => {
      const f = load(name);
      const p = f.params as { training: boolean; axis: number; epsilon: number; momentum: number };
      const layer = batchNormalization({ axis: p.axis, epsilon: p.epsilon, momentum: p.momentum });
      const x = t(f.inputs.x).requireGrad();
      layer.ensureBuilt([null, ...x.shape.slice(1)]);
      layer.setWeights(['gamma', 'beta', 'moving_mean', 'moving_variance'].map((k) => t(f.inputs[k])));
      const y = layer.apply(x, { training: p.training });
      closeToEither(y, f, 'output', f.output, f.alt?.output);
      const [gx, gGamma, gBeta] = gradients(sum(mul(y, t(f.upstream!))), [x, ...layer.trainableWeights]);
      closeToEither(gx, f, 'grads.x', f.grads.x, f.alt?.grads?.x);
      closeToEither(gGamma, f, 'grads.gamma', f.grads.gamma, f.alt?.grads?.gamma);
      closeToEither(gBeta, f, 'grads.beta', f.grads.beta, f.alt?.grads?.beta);
      const [, , mm, mv] = layer.getWeights();
      if (p.training) {
        const extra = f.extra_outputs!;
        closeToEither(mm, f, 'moving_mean', extra.moving_mean, f.alt?.extra_outputs?.moving_mean);
        closeToEither(mv, f, 'moving_variance', extra.moving_variance, f.alt?.extra_outputs?.moving_variance);
        // we implement the primary (biased-variance) convention, so it should match without the alt
        assertClose(mv, extra.moving_variance.data, f.tolerance);
      } else {
        assertClose(mm, f.inputs.moving_mean.data, f.tolerance);
        assertClose(mv, f.inputs.moving_variance.data, f.tolerance);
      }
    });
  }
});

describe('BatchNormalization errors and config', () => {
  test('errors name the layer', () => {
    assert.throws(
      () => batchNormalization({ name: 'bn0' }).ensureBuilt([null]),
      /Layer 'bn0' \(BatchNormalization\): axis -1 is not a feature axis of inputs of shape \[null\]/,
    );
    assert.throws(
      () => batchNormalization({ axis: 4, name: 'bn1' }).ensureBuilt([null, 2, 2, 3]),
      /Layer 'bn1' \(BatchNormalization\): axis 4 is not a feature axis/,
    );
    assert.throws(() => batchNormalization({ name: 'bn2' }).ensureBuilt([null, null]), /Layer 'bn2' \(BatchNormalization\) needs the size of axis -1/);
    assert.throws(() => batchNormalization({ momentum: 1.5, name: 'bn3' }), /Layer 'bn3' \(BatchNormalization\): momentum must be in \[0, 1\]/);
    const layer = batchNormalization({ name: 'bn4' });
    layer.ensureBuilt([null, 3]);
    assert.throws(
      () => layer.computeOutputShape([null, 4]),
      /Layer 'bn4' \(BatchNormalization\) was built for 3 features on axis -1, got inputs of shape \[null, 4\]/,
    );
  });

  test('config in Keras names', () => {
    assert.deepEqual(batchNormalization({ name: 'bn_cfg', momentum: 0.9, gammaRegularizer: 'l2' }).getConfig(), {
      name: 'bn_cfg',
      trainable: true,
      axis: -1,
      momentum: 0.9,
      epsilon: 1e-3,
      center: true,
      scale: true,
      betaInitializer: { className: 'Zeros', config: {} },
      gammaInitializer: { className: 'Ones', config: {} },
      movingMeanInitializer: { className: 'Zeros', config: {} },
      movingVarianceInitializer: { className: 'Ones', config: {} },
      betaRegularizer: null,
      gammaRegularizer: { className: 'L1L2', config: { l1: 0, l2: 0.01 } },
    });
  });
});
