import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Embedding, embedding } from '../../../src/nn/layers/embedding.js';
import { dense } from '../../../src/nn/layers/dense.js';
import { sequential, setSeed, tensor } from '../../../src/index.js';
import { assertClose } from '../../helpers.js';
import { makeRng, nd } from '../../gradcheck.js';
import { layerGradCheck } from './layer-gradcheck.js';
import { tf, tfjsApply } from './tfjs-reference.js';

/** Seeded integer ids in 0..inputDim-1. */
function ids(shape: readonly number[], inputDim: number, seed: number): number[] {
  const rand = makeRng(seed);
  return Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.floor(rand() * inputDim));
}

describe('Embedding', () => {
  test('ids [N, T] -> rows of the table [N, T, outputDim]; any rank of ids', () => {
    const layer = embedding({ inputDim: 3, outputDim: 2 });
    assert.deepEqual(layer.computeOutputShape([null, 4]), [null, 4, 2]);
    assert.deepEqual(layer.computeOutputShape([null, 4, 5]), [null, 4, 5, 2]);
    assert.deepEqual(layer.computeOutputShape([null]), [null, 2]);
    layer.ensureBuilt([null, 2]);
    layer.setWeights([tensor([1, 2, 3, 4, 5, 6], [3, 2])]);
    assertClose(layer.apply(tensor([2, 0, 1, 2], [2, 2])), [5, 6, 1, 2, 3, 4, 5, 6], { shape: [2, 2, 2], rtol: 0, atol: 0 });
    assert.match(layer.name, /^embedding(_\d+)?$/);
    assert.deepEqual(
      layer.weights.map((w) => [w.name.replace(/^.*\//, ''), [...w.shape]]),
      [['embeddings', [3, 2]]],
    );
  });

  test('the default initializer is uniform in [-0.05, 0.05) (TF.js randomUniform, Keras "uniform")', () => {
    setSeed(1);
    const layer = embedding({ inputDim: 50, outputDim: 40 });
    layer.ensureBuilt([null, 3]);
    const v = layer.embeddings!.values;
    assert.ok(v.every((x) => x >= -0.05 && x < 0.05));
    assert.ok(v.some((x) => x > 0.045) && v.some((x) => x < -0.045));
  });

  test('the same values as TF.js (tf.layers.embedding) with the same table, for ids of rank 2 and 3', async () => {
    for (const shape of [
      [4, 6],
      [2, 3, 5],
    ]) {
      const x = tensor(ids(shape, 7, 3), shape);
      const layer = embedding({ inputDim: 7, outputDim: 5 });
      layer.ensureBuilt([null, ...shape.slice(1)]);
      const table = layer.getWeights();
      assertClose(layer.apply(x), await tfjsApply(tf.layers.embedding({ inputDim: 7, outputDim: 5 }), x, table), { rtol: 0, atol: 0 });
    }
  });

  test('the gradient of the table against float64 finite differences (repeated ids add up; unused rows get 0)', () => {
    const shape = [3, 4];
    const x = [1, 4, 1, 0, 4, 4, 2, 1, 0, 1, 4, 2];
    layerGradCheck(
      embedding({ inputDim: 6, outputDim: 3 }),
      { shape, values: x },
      (xs, table) =>
        nd(
          [...shape, 3],
          xs.data.flatMap((id) => table.data.slice(id * 3, id * 3 + 3)),
        ),
      { constantInput: true },
    );
  });

  test('maskZero: computeMask is (id != 0) as float 0/1 and the mask passes on; without it there is none', () => {
    const x = tensor([3, 0, 1, 0, 0, 2], [2, 3]);
    const masked = embedding({ inputDim: 4, outputDim: 2, maskZero: true });
    assert.equal(masked.supportsMasking, true);
    const m = masked.computeMask(x, undefined);
    assert.ok(m && !Array.isArray(m));
    assert.deepEqual([...m.shape], [2, 3]);
    assert.deepEqual([...m.values], [1, 0, 1, 0, 0, 1]);
    const plain = embedding({ inputDim: 4, outputDim: 2 });
    assert.equal(plain.supportsMasking, false);
    assert.equal(plain.computeMask(x, tensor([1, 1, 1, 1, 1, 1], [2, 3])), null);
  });

  test('an id outside the vocabulary, a fractional id and bad arguments are errors naming the layer', () => {
    const layer = embedding({ inputDim: 5, outputDim: 2, name: 'words' });
    assert.throws(
      () => layer.apply(tensor([1, 2, 3, 4, 7, 0], [2, 3])),
      /Layer 'words' \(Embedding\): id 7 at position \[1, 1\] of the input \(shape \[2, 3\]\) is outside the vocabulary 0\.\.4 \(inputDim 5\)\. Raise inputDim/,
    );
    assert.throws(() => layer.apply(tensor([1, -1, 0], [1, 3])), /Layer 'words' \(Embedding\): id -1 at position \[0, 1\] .* outside the vocabulary 0\.\.4/);
    assert.throws(() => layer.apply(tensor([1.5, 1, 0], [1, 3])), /Layer 'words' \(Embedding\): id 1\.5 at position \[0, 0\] .* is not an integer id/);
    assert.throws(() => embedding({ inputDim: 0, outputDim: 2, name: 'e0' }), /Layer 'e0' \(Embedding\): inputDim must be a positive integer, got 0\./);
    assert.throws(() => embedding({ inputDim: 3, outputDim: 2.5, name: 'e1' }), /Layer 'e1' \(Embedding\): outputDim must be a positive integer, got 2\.5\./);
    assert.throws(
      () => embedding({ inputDim: 3, outputDim: 2, inputLength: 4, name: 'e2' }).ensureBuilt([null, 5]),
      /Layer 'e2' \(Embedding\) was declared with inputLength 4, so it expects inputs of shape \[null, 4\], got \[null, 5\]\./,
    );
  });

  test('inputLength gives a first layer its input shape, as in TF.js', () => {
    const model = sequential([embedding({ inputDim: 10, outputDim: 4, inputLength: 6 }), dense({ units: 2 })]);
    assert.deepEqual(model.outputShape, [null, 6, 2]);
  });

  test('embeddingsRegularizer adds its penalty', () => {
    const layer = embedding({ inputDim: 2, outputDim: 2, embeddingsRegularizer: 'l2' });
    layer.ensureBuilt([null, 1]);
    layer.setWeights([tensor([1, 2, 3, 4], [2, 2])]);
    assertClose(layer.regularizationLoss(), [0.01 * 30], { atol: 1e-6 });
  });

  test('getConfig / fromConfig round trip, and a Keras 3 config', () => {
    const layer = embedding({ inputDim: 9, outputDim: 3, maskZero: true, inputLength: 5, embeddingsRegularizer: 'l1', name: 'emb' });
    const config = layer.getConfig();
    assert.deepEqual(config, {
      name: 'emb',
      trainable: true,
      batchInputShape: [null, 5],
      inputDim: 9,
      outputDim: 3,
      embeddingsInitializer: { className: 'RandomUniform', config: { minval: -0.05, maxval: 0.05 } },
      embeddingsRegularizer: { className: 'L1L2', config: { l1: 0.01, l2: 0 } },
      maskZero: true,
      inputLength: 5,
    });
    assert.deepEqual(Embedding.fromConfig(config).getConfig(), config);
    const keras3 = Embedding.fromConfig({
      name: 'embedding',
      trainable: true,
      dtype: 'float32',
      inputDim: 100,
      outputDim: 8,
      embeddingsInitializer: { module: 'keras.initializers', className: 'RandomUniform', config: { seed: null, minval: -0.05, maxval: 0.05 } },
      embeddingsRegularizer: null,
      activityRegularizer: null,
      embeddingsConstraint: null,
      maskZero: true,
    });
    assert.equal(keras3.inputDim, 100);
    assert.equal(keras3.maskZero, true);
    assert.equal(keras3.inputLength, null);
    assert.equal(keras3.getConfig().inputLength, null);
    assert.throws(
      () => Embedding.fromConfig({ inputDim: 3, outputDim: 2, embeddingsConstraint: { className: 'MaxNorm', config: {} } }),
      /embeddingsConstraint/,
    );
  });
});
