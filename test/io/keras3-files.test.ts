// Model files written from Keras 3 models (test/fixtures/keras3-files, made by
// scripts/keras-fixtures/make_model_file_fixtures.py): activations stored as layer objects (ReLU, LeakyReLU with
// Keras 3's negative_slope) and as a serialised function, and a DepthwiseConv2D whose weight Keras 3 calls
// `kernel` (TF.js: `depthwise_kernel`). dendrite must predict what Keras predicted, to 1e-5.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadModel, modelFromArtifacts, tensor, type Tensor } from '../../src/index.js';
import { assertClose } from '../helpers.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'keras3-files');

interface Expected {
  inputs: { name: string; shape: number[]; values: number[] }[];
  outputs: { name: string; shape: number[]; values: number[] }[];
}

test('a Keras 3 Sequential with activation objects and a DepthwiseConv2D predicts as Keras did', async () => {
  const folder = join(FIXTURES, 'activations');
  const expected: Expected = JSON.parse(await readFile(join(folder, 'expected.json'), 'utf8'));
  const model = await loadModel(folder);
  assert.deepEqual(
    model.layers.map((l) => l.className),
    ['InputLayer', 'DepthwiseConv2D', 'Conv2D', 'Conv2D', 'Flatten', 'Dense', 'Dense', 'Dense', 'Dense'],
  );
  const [x] = expected.inputs;
  const y = model.predict(tensor(x.values, x.shape)) as Tensor;
  assert.deepEqual(y.shape, expected.outputs[0].shape);
  assertClose(y.values, expected.outputs[0].values, { atol: 1e-5, rtol: 0 });
  // the depthwise weight, named `kernel` in the file, went to the layer's depthwise kernel
  const depthwise = model.layers[1].weights.map((w) => w.name);
  assert.deepEqual(depthwise, ['depthwise_conv2d/depthwise_kernel', 'depthwise_conv2d/bias']);
});

test("an activation dendrite lacks, and Keras 3's hard_sigmoid (not TF.js'), are refused naming the layer", async () => {
  const folder = join(FIXTURES, 'activations');
  const json = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8'));
  const weights = new Uint8Array(await readFile(join(folder, 'weights.bin')));
  const dense = (i: number) => json.modelTopology.config.layers[i].config;
  const withActivation = (activation: unknown) => {
    const copy = structuredClone(json);
    copy.modelTopology.config.layers[6].config.activation = activation;
    return copy;
  };
  assert.equal(dense(6).name, 'dense_1');
  // the fixture's relu as Keras 3.0-3.x serialise a function (module keras.activations): the same predictions
  const expected: Expected = JSON.parse(await readFile(join(folder, 'expected.json'), 'utf8'));
  const relu = modelFromArtifacts(withActivation({ module: 'keras.activations', class_name: 'function', config: 'relu', registered_name: 'relu' }), weights);
  const [x] = expected.inputs;
  assertClose((relu.predict(tensor(x.values, x.shape)) as Tensor).values, expected.outputs[0].values, { atol: 1e-5, rtol: 0 });
  assert.throws(
    () => modelFromArtifacts(withActivation('hard_silu'), weights),
    /layer 6 'dense_1' \(Dense\): activation 'hardSilu' is not supported \(supported: linear, relu/,
  );
  assert.throws(
    () =>
      modelFromArtifacts(
        withActivation({ module: 'keras.activations', class_name: 'function', config: 'log_softmax', registered_name: 'log_softmax' }),
        weights,
      ),
    /layer 6 'dense_1' \(Dense\): activation 'logSoftmax' is not supported/,
  );
  assert.throws(
    () => modelFromArtifacts(withActivation({ module: 'keras.layers', class_name: 'PReLU', config: { name: 'p' } }), weights),
    /layer 6 'dense_1' \(Dense\): activation PReLU is not supported inside another layer/,
  );
  // Keras 3's hard_sigmoid is relu6(x + 3) / 6; dendrite's (TF.js' and Keras 2's) is clip(0.2 x + 0.5, 0, 1)
  for (const activation of ['hard_sigmoid', { module: 'keras.activations', class_name: 'function', config: 'hard_sigmoid', registered_name: 'hard_sigmoid' }]) {
    assert.throws(() => modelFromArtifacts(withActivation(activation), weights), /layer 6 'dense_1' \(Dense\): activation 'hard_sigmoid' of a Keras 3 file/);
  }
});
