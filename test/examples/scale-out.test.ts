// The scale-out example end to end: dendrite trains a network, saves it as .keras, Keras 3 trains it data-parallel
// (keras.distribution.DataParallel on JAX) on two CPU devices, and dendrite loads what Keras saved. Needs the Keras
// venv (npm run setup:keras): skipped without it, failed without it where DENDRITE_REQUIRE_KERAS=1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run, type ScaleOutOptions, type ScaleOutResult } from '../../examples/scale-out/scale-out.js';
import { describeWithKeras, kerasPython } from '../keras/python.js';

const SMALL: ScaleOutOptions = { trainSize: 512, testSize: 200, dendriteEpochs: 1, kerasEpochs: 2, batchSize: 32, timeoutMs: 120_000 };

/** What must hold whichever way the two devices are laid out. */
function checkRoad(r: ScaleOutResult): void {
  const k = r.keras;
  // Keras' own account: two devices, every weight copied on both, each batch of 32 split 16 + 16.
  assert.equal(k.backend, 'jax');
  assert.equal(k.device_count, 2);
  assert.equal(k.weight_replicas, 2);
  assert.equal(k.per_device_batch, 16);
  assert.equal(k.samples, 512);
  assert.equal(k.history.loss.length, 2);

  // Keras read dendrite's file as dendrite computes it: the same loss on the same 512 digits before training.
  assert.ok(r.handOverLossDifference < 1e-4, `loss in Keras ${k.before.loss}, in dendrite ${r.before.train.loss}`);

  // The loss went down, by Keras' epochs and by dendrite's measure of the model Keras trained.
  assert.ok(k.history.loss[1] < k.history.loss[0], `Keras' losses ${k.history.loss}`);
  assert.ok(k.after.loss < k.before.loss, `Keras: ${k.before.loss} -> ${k.after.loss}`);
  assert.ok(r.after.train.loss < r.before.train.loss, `dendrite: ${r.before.train.loss} -> ${r.after.train.loss}`);

  // The file Keras wrote predicts the same in dendrite and, exported, in ONNX Runtime.
  assert.ok(r.maxPredictionDifference <= 1e-5, `max |dendrite - Keras| = ${r.maxPredictionDifference}`);
  assert.ok(r.maxOnnxDifference <= 1e-5, `max |ONNX Runtime - Keras| = ${r.maxOnnxDifference}`);
}

describeWithKeras('scale-out: dendrite -> .keras -> Keras 3 DataParallel on 2 devices -> dendrite', () => {
  test('an MLP on 2 virtual CPU devices of one process (XLA_FLAGS=--xla_force_host_platform_device_count=2)', async () => {
    const r = await run({ ...SMALL, model: 'mlp', python: kerasPython(), cpuDevices: 2, processes: 1 });
    assert.deepEqual(r.keras.devices, ['cpu:0', 'cpu:1']);
    assert.equal(r.keras.processes, 1);
    checkRoad(r);
  });

  test('a CNN on 2 processes of one CPU device each, joined as a cluster by keras.distribution.initialize', async () => {
    // Two processes, as two hosts of a cluster run: each trains on every other row, process 0 writes the files.
    const r = await run({ ...SMALL, model: 'cnn', python: kerasPython(), cpuDevices: 1, processes: 2 });
    assert.equal(r.keras.processes, 2);
    checkRoad(r);
  });
});
