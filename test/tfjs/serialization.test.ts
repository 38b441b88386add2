// tf.serialization.registerClass in a TF.js program: a custom layer class registered by its static className
// loads from a saved model (TF.js programs register their custom layers so; tf.loadLayersModel finds them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '../../src/tfjs/index.js';

/** y = x * w, one learned weight per feature: a TF.js-style custom layer. */
class PerFeatureScale extends tf.layers.Layer {
  static readonly className = 'PerFeatureScale';
  w: tf.Tensor | null = null;

  override build(inputShape: (number | null)[] | (number | null)[][]): void {
    const shape = inputShape as (number | null)[];
    this.w = this.addWeight('w', [shape[shape.length - 1] as number], 'ones');
  }

  call(x: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.mul(x as tf.Tensor, this.w!);
  }
}

test('tf.serialization.registerClass: a saved model with a custom layer loads back with tf.loadLayersModel', async () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2] }), new PerFeatureScale({ name: 'scale' })] });
  model.getLayer('scale').setWeights([tf.tensor([1, -2, 3])]);
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  assert.ok(saved);
  await assert.rejects(tf.loadLayersModel(tf.io.fromMemory(saved)), /unknown layer class 'PerFeatureScale'.*serialization\.registerClass/);
  tf.serialization.registerClass(PerFeatureScale);
  const back = await tf.loadLayersModel(tf.io.fromMemory(saved));
  assert.ok(back.getLayer('scale') instanceof PerFeatureScale);
  const x = tf.tensor([
    [1, 2],
    [-3, 0.5],
  ]);
  assert.deepEqual((back.predict(x) as tf.Tensor).dataSync(), (model.predict(x) as tf.Tensor).dataSync());
});
