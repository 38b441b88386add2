import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as dd from '../../src/index.js';
import { buildResnet, run } from '../../examples/resnet-mnist.js';

test('resnet-mnist: a graph model with two Add layers and the parameters counted by hand', () => {
  const model = buildResnet();
  assert.ok(!(model instanceof dd.Sequential), 'a graph model, not a Sequential');
  const adds = model.layers.filter((l) => l.className === 'Add');
  assert.equal(adds.length, 2);
  // Block 16 adds x itself (identity shortcut); block 32 adds a strided 1x1 projection of it: both sides of each sum
  // have one shape, [batch, 28, 28, 16] and then [batch, 14, 14, 32].
  const shapes = adds.map((l) => (l.input as dd.SymbolicTensor[]).map((t) => t.shape));
  assert.deepEqual(shapes, [
    [
      [null, 28, 28, 16],
      [null, 28, 28, 16],
    ],
    [
      [null, 14, 14, 32],
      [null, 14, 14, 32],
    ],
  ]);
  assert.equal(model.layers.filter((l) => l.className === 'Conv2D').length, 6);
  assert.equal(model.layers.filter((l) => l.className === 'BatchNormalization').length, 6);
  // Convolutions have no bias (kh * kw * in * out); each batch normalisation has 4 per channel (gamma, beta, and the
  // non-trainable moving mean and variance):
  //   stem     conv 3x3x1x16 = 144                        + BN 4x16 = 64                       ->    208
  //   block 16 conv 3x3x16x16 = 2,304, twice              + BN 64, twice                       ->  4,736
  //   block 32 conv 3x3x16x32 = 4,608, conv 3x3x32x32 = 9,216, shortcut 1x1x16x32 = 512 + BN 128, 3 times -> 14,720
  //   dense    32 x 10 + 10 = 330                                                              ->    330
  //   total 208 + 4,736 + 14,720 + 330 = 19,994, of which 2 x (16 + 16 + 16 + 32 + 32 + 32) = 288 moving statistics.
  assert.equal(model.countParams(), 19_994);
  assert.equal(
    model.trainableWeights.reduce((n, w) => n + w.size, 0),
    19_994 - 288,
  );
  assert.deepEqual(model.outputs[0].shape, [null, 10]);
});

test('resnet-mnist: one epoch on 12,000 images classifies held-out digits far above chance', async () => {
  // Batch 16 rather than 64: this network learns slowly per step (global average pooling of 13x13-pixel features),
  // and batch normalisation's moving statistics, which evaluate uses, need steps to follow the weights: 750 steps here.
  const r = await run({ trainSize: 12_000, testSize: 500, epochs: 1, batchSize: 16 });
  assert.equal(r.trainImages, 12_000);
  assert.equal(r.testImages, 500);
  assert.equal(r.losses.length, 1);
  // Measured (seed 42, native backend): 90.2% (seeds 1 and 7: 90.8%, 91.4%); chance is 10%.
  assert.ok(r.testAccuracy > 0.8, `test accuracy ${r.testAccuracy}`);
  // Measured 1.10 (mean over the epoch); an untrained network is at ln 10 = 2.30.
  assert.ok(r.losses[0] < 1.5, `training loss ${r.losses[0]}`);
});

test('resnet-mnist: run() is reproducible with the same seed', async () => {
  const options = { trainSize: 256, testSize: 100, epochs: 1, batchSize: 32, seed: 3 };
  const [a, b] = [await run(options), await run(options)];
  assert.equal(a.testAccuracy, b.testAccuracy);
  assert.deepEqual(a.losses, b.losses);
  assert.deepEqual(
    a.model.getWeights().map((w) => Array.from(w.values)),
    b.model.getWeights().map((w) => Array.from(w.values)),
  );
});
