import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadModel, sequential } from '../../../src/index.js';
import { fromKerasConfig } from '../../../src/io/keras-json.js';
import { layerEntry } from '../../../src/io/layer-config.js';
import { layerFromConfig } from '../../../src/io/layer-registry.js';
import { Dense, dense } from '../../../src/nn/layers/dense.js';
import { dropout } from '../../../src/nn/layers/dropout.js';
import { TimeDistributed, timeDistributed } from '../../../src/nn/layers/time-distributed.js';
import { reshape } from '../../../src/ops/reshape.js';
import type { LayerConfig } from '../../../src/nn/layers/config-args.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { assertClose } from '../../helpers.js';
import { nd, ndMatmul, type ND } from '../../gradcheck.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { randomTensor } from './layer-checks.js';
import { tf, tfjsApply } from './tfjs-reference.js';

/** Dense (kernel [f, u], bias [u]) on each step of x [n, t, f], in float64. */
function denseSteps(x: ND, kernel: ND, bias: ND): ND {
  const [n, t, f] = x.shape;
  const y = ndMatmul(nd([n * t, f], x.data), kernel);
  const u = kernel.shape[1];
  return nd(
    [n, t, u],
    y.data.map((v, i) => v + bias.data[i % u]),
  );
}

describe('TimeDistributed', () => {
  test('applies the layer to every step: [N, T, ...] -> [N, T, ...layer output]', () => {
    const layer = timeDistributed({ layer: dense({ units: 3 }) });
    assert.deepEqual(layer.computeOutputShape([null, 7, 4]), [null, 7, 3]);
    const x = randomTensor([2, 5, 4], 1);
    const y = layer.apply(x);
    assert.deepEqual([...y.shape], [2, 5, 3]);
    // the same as the layer on each step's rows
    const perStep = layer.layer.apply(reshape(x, [10, 4])) as Tensor;
    assertClose(y, perStep.values, { rtol: 0, atol: 0 });
    // a layer of images on a sequence of them: [N, T, H, W, C]
    assert.deepEqual(timeDistributed({ layer: dense({ units: 2 }) }).computeOutputShape([null, 3, 5, 6, 4]), [null, 3, 5, 6, 2]);
  });

  test('gradients of the input and the wrapped weights against float64 finite differences', () => {
    layerGradCheck(timeDistributed({ layer: dense({ units: 3 }) }), { shape: [2, 3, 4] }, denseSteps);
  });

  test('the same values as TF.js (tf.layers.timeDistributed over tf.layers.dense)', async () => {
    const layer = timeDistributed({ layer: dense({ units: 3, activation: 'tanh' }) });
    const x = randomTensor([3, 4, 5], 2);
    const y = layer.apply(x);
    const theirs = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3, activation: 'tanh' }) });
    assertClose(y, await tfjsApply(theirs, x, layer.getWeights()), { rtol: 1e-5, atol: 1e-6 });
  });

  test("its weights are the wrapped layer's, named as TF.js and Keras name them; freezing it freezes them", () => {
    const inner = dense({ units: 3, name: 'inner' });
    const layer = timeDistributed({ layer: inner, name: 'td' });
    layer.ensureBuilt([null, 5, 4]);
    assert.deepEqual(
      layer.weights.map((w) => w.name),
      ['td/kernel', 'td/bias'],
    );
    assert.deepEqual(layer.weights, inner.weights);
    assert.equal(layer.countParams(), 15);
    layer.trainable = false;
    assert.equal(inner.trainable, false);
    assert.deepEqual(layer.trainableWeights, []);
    assert.equal(layer.nonTrainableWeights.length, 2);
    assert.equal(timeDistributed({ layer: dense({ units: 1 }), trainable: false }).layer.trainable, false);
    // setWeights reaches the wrapped layer
    layer.setWeights([new Tensor(new Float32Array(12).fill(1), [4, 3]), new Tensor(new Float32Array([1, 2, 3]), [3])]);
    assertClose(inner.getWeights()[1], [1, 2, 3]);
  });

  test('passes the mask on; the training flag reaches the wrapped layer', () => {
    const layer = timeDistributed({ layer: dropout({ rate: 0.5 }) });
    const mask = new Tensor(Float32Array.from([1, 1, 0, 1, 0, 0]), [2, 3]);
    const x = randomTensor([2, 3, 4], 3, 1, 2);
    assert.equal(layer.computeMask(x, mask), mask);
    assert.equal(layer.computeMask(x, null), null);
    assertClose(layer.apply(x, { mask }), x.values, { rtol: 0, atol: 0 });
    const dropped = layer.apply(x, { training: true });
    assert.ok(dropped.values.some((v) => v === 0));
  });

  test('errors name the layer', () => {
    assert.throws(
      () => timeDistributed({ layer: dense({ units: 2 }), name: 'td1' }).ensureBuilt([null, 4]),
      /Layer 'td1' \(TimeDistributed\) expects inputs of rank 3 or more \[batch, timesteps, \.\.\.\], got shape \[null, 4\] of rank 2\./,
    );
    assert.throws(() => timeDistributed({ layer: {} as Dense, name: 'td2' }), /Layer 'td2' \(TimeDistributed\): layer must be a dendrite Layer/);
  });

  test('config: the wrapped layer nested as {class_name, config}, read back through the file format', () => {
    const layer = timeDistributed({ layer: dense({ units: 3, activation: 'relu', name: 'd' }), name: 'td' });
    const entry = layerEntry(layer, null);
    assert.equal(entry.class_name, 'TimeDistributed');
    const nested = entry.config.layer as { class_name: string; config: Record<string, unknown> };
    assert.equal(nested.class_name, 'Dense');
    assert.equal(nested.config.name, 'd');
    assert.equal(nested.config.units, 3);
    assert.equal(nested.config.activity_regularizer, null);
    const back = layerFromConfig('TimeDistributed', fromKerasConfig(entry.config) as LayerConfig) as TimeDistributed;
    assert.ok(back instanceof TimeDistributed);
    assert.equal(back.name, 'td');
    assert.ok(back.layer instanceof Dense);
    assert.equal((back.layer as Dense).units, 3);
    assert.equal((back.layer as Dense).activation.name, 'relu');
    assert.deepEqual(layerEntry(back, null), entry);
    assert.throws(() => layerFromConfig('TimeDistributed', { name: 'x' }), /layer is missing/);
    assert.throws(
      () =>
        layerFromConfig('TimeDistributed', { layer: { className: 'Dense', config: { name: 'bad', units: 2, kernelConstraint: { className: 'MaxNorm' } } } }),
      /its layer 'bad' \(Dense\): kernelConstraint .* is not supported/,
    );
  });

  test('a model with it saves and loads with the same predictions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dendrite-td-'));
    try {
      const model = sequential([timeDistributed({ layer: dense({ units: 3 }), inputShape: [4, 2] }), timeDistributed({ layer: dense({ units: 1 }) })]);
      await model.save(dir);
      const loaded = await loadModel(dir);
      assert.deepEqual(
        loaded.layers.map((l) => l.className).filter((c) => c !== 'InputLayer'),
        ['TimeDistributed', 'TimeDistributed'],
      );
      const x = randomTensor([3, 4, 2], 4);
      assertClose(loaded.predict(x), model.predict(x).values, { rtol: 0, atol: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
