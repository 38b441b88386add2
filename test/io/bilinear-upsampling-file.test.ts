// Bilinear UpSampling2D in the TF.js format: dendrite computes it as Keras does (half-pixel centres), TF.js'
// resizeBilinear without them, so TF.js predicts otherwise from the same file. Saving such a model warns once.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { input, layers, model, modelFromArtifacts, modelToArtifacts, sequential, tensor, type Tensor } from '../../src/index.js';
import { assertClose } from '../helpers.js';

before(async () => {
  await tf.setBackend('cpu');
});

const tfjsLoad = (artifacts: ReturnType<typeof modelToArtifacts>) => {
  const { modelJson, weightData } = artifacts;
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest![0].weights as tf.io.WeightsManifestEntry[],
      weightData: weightData.slice().buffer,
    }),
  );
};

test('a bilinear UpSampling2D predicts as Keras in dendrite, otherwise in TF.js; saving it warns once, naming the layer', async (t) => {
  const warn = t.mock.method(console, 'warn', () => {});
  const nearest = sequential([layers.upSampling2d({ size: 2, inputShape: [2, 2, 1] })]);
  modelToArtifacts(nearest);
  assert.equal(warn.mock.callCount(), 0, 'nearest neighbours compute alike everywhere');

  // nested in a graph model, so that the search goes into nested models
  const i = input({ shape: [2, 2, 1] });
  const inner = sequential([layers.upSampling2d({ size: 2, interpolation: 'bilinear', inputShape: [2, 2, 1], name: 'smooth_up' })]);
  const m = model({ inputs: i, outputs: inner.apply(i) as never });
  const artifacts = modelToArtifacts(m);
  assert.equal(warn.mock.callCount(), 1);
  assert.match(
    String(warn.mock.calls[0].arguments[0]),
    /layer 'smooth_up' \(UpSampling2D, interpolation 'bilinear'\), which dendrite and Keras compute with half-pixel centres and TensorFlow\.js without: TF\.js will predict differently/,
  );
  modelToArtifacts(m);
  assert.equal(warn.mock.callCount(), 1, 'once per process');

  const x = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
  // Keras 3.15.1: keras.layers.UpSampling2D(2, interpolation='bilinear') on [[1, 2], [3, 4]]
  const keras = [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4];
  assertClose((m.predict(x) as Tensor).values, keras, { atol: 1e-6, rtol: 0 });
  assertClose((modelFromArtifacts(artifacts.modelJson, artifacts.weightData).predict(x) as Tensor).values, keras, { atol: 1e-6, rtol: 0 });
  // TF.js samples at the corners of each source pixel (align_corners false, no half-pixel offset)
  const theirs = (await tfjsLoad(artifacts)).predict(tf.tensor(x.values, [1, 2, 2, 1])) as tf.Tensor;
  assertClose(theirs.dataSync() as Float32Array, [1, 1.5, 2, 2, 2, 2.5, 3, 3, 3, 3.5, 4, 4, 3, 3.5, 4, 4], { atol: 1e-6, rtol: 0 });
});
