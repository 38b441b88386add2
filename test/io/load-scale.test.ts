// Loading time grows linearly with the number of layers: Sequential.add builds only the new layer (it once
// rebuilt every layer before it, so 32,000 layers took 93 s to load).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layers, modelFromArtifacts, sequential } from '../../src/index.js';

test('Sequential.add computes the shape of the new layer only', () => {
  const probe = layers.activation({ activation: 'relu' });
  const proto = Object.getPrototypeOf(probe) as { computeOutputShape: (shape: unknown) => unknown };
  const original = proto.computeOutputShape;
  let calls = 0;
  proto.computeOutputShape = function (this: unknown, shape: unknown) {
    calls++;
    return original.call(this, shape);
  };
  try {
    const model = sequential([layers.dense({ units: 2, inputShape: [3] })]);
    for (let i = 0; i < 2000; i++) model.add(layers.activation({ activation: 'relu' }));
    // once per layer when it is added (the old add recomputed all earlier ones: 2,001,000 calls)
    assert.equal(calls, 2000);
    assert.deepEqual(model.outputShape, [null, 2]);
  } finally {
    proto.computeOutputShape = original;
  }
});

test('Sequential.add still rejects a repeated name and a bad shape, leaving the model as it was', () => {
  const model = sequential([layers.dense({ units: 2, inputShape: [3], name: 'a' }), layers.dense({ units: 4, name: 'b' })]);
  assert.throws(() => model.add(layers.dense({ units: 1, name: 'a' })), /already has a layer named 'a'/);
  assert.throws(() => model.add(layers.conv2d({ filters: 1, kernelSize: 3, name: 'c' })), /c/);
  assert.deepEqual(
    model.layers.map((l) => l.name),
    ['a', 'b'],
  );
  assert.deepEqual(model.outputShape, [null, 4]);
  model.add(layers.dense({ units: 1, name: 'c' }));
  assert.deepEqual(model.outputShape, [null, 1]);
});

test('a model.json with 20,000 layers loads in seconds', { timeout: 60_000 }, () => {
  const n = 20_000;
  const entries = [];
  const weights = [];
  for (let i = 0; i < n; i++) {
    entries.push({ class_name: 'Dense', config: { name: `d${i}`, units: 1, ...(i === 0 ? { batch_input_shape: [null, 1] } : {}) } });
    weights.push({ name: `d${i}/kernel`, shape: [1, 1], dtype: 'float32' }, { name: `d${i}/bias`, shape: [1], dtype: 'float32' });
  }
  const json = {
    format: 'layers-model',
    modelTopology: { class_name: 'Sequential', config: { name: 'deep', layers: entries } },
    weightsManifest: [{ paths: ['weights.bin'], weights }],
  };
  const values = new Float32Array(2 * n).map((_, i) => (i % 2 === 0 ? 1 : 0));
  const started = performance.now();
  const model = modelFromArtifacts(json, values.buffer);
  const seconds = (performance.now() - started) / 1000;
  assert.equal(model.layers.length, n);
  // generous for a busy machine: linear loading takes well under a second here, the quadratic one took ~50 s
  assert.ok(seconds < 30, `${seconds.toFixed(1)} s`);
});
