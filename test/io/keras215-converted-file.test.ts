// A model.json as the tensorflowjs converter writes it from Keras 2.15 (test/fixtures/keras2-converted/keras215-cnn,
// made by scripts/keras-fixtures/make_model_file_fixtures.py after real converted files): its training config
// names Keras 2.12-2.15's `Custom>Adam` with the settings of Keras 2.11+ optimizers, and its metrics are Keras 2's
// `[[MeanMetricWrapper]]`. dendrite loads it compiled as Keras had it, and predicts what Keras and TF.js predict.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { loadModel, Sequential, tensor, type Tensor } from '../../src/index.js';
import { Adam } from '../../src/nn/optimizers/index.js';
import { assertClose } from '../helpers.js';
import { fileHandler, tfPredict } from './tfjs-files.js';

const FOLDER = join(import.meta.dirname, '..', 'fixtures', 'keras2-converted', 'keras215-cnn');

before(async () => {
  await tf.setBackend('cpu');
});

test('a Keras 2.15 file with Custom>Adam and MeanMetricWrapper metrics loads compiled, and predicts as Keras and TF.js do', async () => {
  const json = JSON.parse(await readFile(join(FOLDER, 'model.json'), 'utf8'));
  assert.equal(json.modelTopology.training_config.optimizer_config.class_name, 'Custom>Adam');
  const expected = JSON.parse(await readFile(join(FOLDER, 'expected.json'), 'utf8'));
  const model = await loadModel(join(FOLDER, 'model.json'));
  assert.ok(model instanceof Sequential);
  assert.deepEqual(
    model.layers.map((l) => [l.name, l.className]),
    [
      ['conv2d_input', 'InputLayer'],
      ['conv2d', 'Conv2D'],
      ['max_pooling2d', 'MaxPooling2D'],
      ['flatten', 'Flatten'],
      ['dense', 'Dense'],
      ['dropout', 'Dropout'],
      ['dense_1', 'Dense'],
    ],
  );
  const compiled = model.compiled!;
  assert.ok(compiled.optimizer instanceof Adam);
  assert.deepEqual(compiled.optimizer.getConfig(), { learningRate: 0.0010000000474974513, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  assert.equal(compiled.loss.lossName, 'categoricalCrossentropy');
  assert.deepEqual(
    compiled.metrics.map((m) => m.name),
    ['accuracy'],
  );

  const [x] = expected.inputs;
  const input = tensor(x.values, x.shape);
  const y = model.predict(input) as Tensor;
  assertClose(y.values, expected.outputs[0].values, { atol: 1e-5, rtol: 0 });
  // TF.js reads the same file (it ignores the training config inside the topology)
  const theirs = await tf.loadLayersModel(fileHandler(FOLDER));
  assertClose(y.values, tfPredict(theirs, input), { atol: 1e-6, rtol: 0 });

  // the metric is categorical accuracy: the labels are Keras' own predicted classes, so it is 1
  const labels = tensor(
    Array.from({ length: 3 }, (_, i) => {
      const row = Array.from(y.values.slice(3 * i, 3 * i + 3));
      return row.map((v) => (v === Math.max(...row) ? 1 : 0));
    }),
  );
  const logs = model.evaluate(input, labels);
  assert.equal(logs.accuracy, 1);
});
