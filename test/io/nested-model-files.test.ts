// Models nested in models, as files: TF.js writes a Sequential or a functional model inside a Sequential or a
// functional one (the nested model's own input shape on its first layer, none on the outer model's entry), and
// dendrite must load each and predict what TF.js predicts; dendrite's own such models go back to both libraries.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  input,
  layers,
  type Model,
  model,
  modelFromArtifacts,
  modelToArtifacts,
  randomUniform,
  Sequential,
  sequential,
  setSeed,
  type Tensor,
} from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { randomizeDendrite, tfjsArtifacts, tfjsModelJson, tfPredict, weightBytes } from './tfjs-files.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** The model TF.js saved, loaded by dendrite; both predict on the same input. */
async function sameAsTfjs(theirs: tf.LayersModel, shape: number[]): Promise<Model> {
  const artifacts = await tfjsArtifacts(theirs);
  const ours = modelFromArtifacts(tfjsModelJson(artifacts), weightBytes(artifacts));
  setSeed(5);
  const x = randomUniform(shape, -1, 1);
  assertClose((ours.predict(x) as Tensor).values, tfPredict(theirs, x), { atol: 1e-6, rtol: 0 });
  return ours;
}

const tfDense = (units: number, extra: Record<string, unknown> = {}) => tf.layers.dense({ units, activation: 'tanh', ...extra });

test("TF.js files of a Sequential whose first layer is a model (its input shape is the nested model's) load", async () => {
  const seqInSeq = tf.sequential({ layers: [tf.sequential({ layers: [tfDense(4, { inputShape: [3] }), tfDense(2)] }), tfDense(1)] });
  const a = await sameAsTfjs(seqInSeq, [2, 3]);
  assert.ok(a instanceof Sequential);
  assert.deepEqual(a.inputShape, [null, 3]);
  assert.deepEqual(
    a.layers.map((l) => l.className),
    ['Sequential', 'Dense'],
  );

  const fi = tf.input({ shape: [3] });
  const functional = tf.model({ inputs: fi, outputs: tfDense(4).apply(fi) as tf.SymbolicTensor });
  await sameAsTfjs(tf.sequential({ layers: [functional, tfDense(2)] }), [2, 3]);

  // three levels: a Sequential in a Sequential in a Sequential
  const deep = tf.sequential({ layers: [tf.sequential({ layers: [tf.sequential({ layers: [tfDense(4, { inputShape: [3] })] }), tfDense(3)] }), tfDense(2)] });
  await sameAsTfjs(deep, [2, 3]);
});

test('TF.js files of a Sequential nested in a functional model, and after the first layer of a Sequential, load', async () => {
  const i = tf.input({ shape: [3] });
  const inner = tf.sequential({ layers: [tfDense(4, { inputShape: [3] }), tfDense(2)] });
  const out = tfDense(2).apply(inner.apply(i) as tf.SymbolicTensor) as tf.SymbolicTensor;
  await sameAsTfjs(tf.model({ inputs: i, outputs: out }), [2, 3]);
  await sameAsTfjs(
    tf.sequential({ layers: [tfDense(3, { inputShape: [3] }), tf.sequential({ layers: [tfDense(4, { inputShape: [3] })] }), tfDense(2)] }),
    [2, 3],
  );
});

test("dendrite's nested models: a Sequential first in a Sequential is built, and both libraries load the file", async () => {
  setSeed(8);
  const inner = sequential({ layers: [layers.dense({ units: 4, inputShape: [3], activation: 'relu' }), layers.dense({ units: 2 })] });
  const fi = input({ shape: [3] });
  const functional = model({ inputs: fi, outputs: layers.dense({ units: 4, activation: 'tanh' }).apply(fi) as never });
  for (const outer of [sequential({ layers: [inner, layers.dense({ units: 1 })] }), sequential({ layers: [functional, layers.dense({ units: 2 })] })]) {
    assert.ok(outer.built, 'the outer model takes the nested model input shape');
    assert.deepEqual(outer.inputShape, [null, 3]);
    randomizeDendrite(outer);
    const x = randomUniform([4, 3], -1, 1);
    const expected = (outer.predict(x) as Tensor).values;
    const { modelJson, weightData } = modelToArtifacts(outer);
    assertClose((modelFromArtifacts(modelJson, weightData).predict(x) as Tensor).values, expected, { atol: 0, rtol: 0 });
    const theirs = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest![0].weights as tf.io.WeightsManifestEntry[],
        weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer,
      }),
    );
    assertClose(tfPredict(theirs, x), expected, { atol: 1e-6, rtol: 0 });
  }
});

test('a Sequential file whose input shape is nowhere says what is missing', () => {
  const dense = (name: string) => ({ class_name: 'Dense', config: { name, units: 2 } });
  const json = {
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'outer', layers: [{ class_name: 'Sequential', config: { name: 'inner', layers: [dense('a')] } }, dense('b')] },
    },
    weightsManifest: [],
  };
  assert.throws(
    () => modelFromArtifacts(json, new Uint8Array(0)),
    /the model's input shape is unknown: its first entry is no InputLayer, and its first layer \(or the first layer of the model nested first\) has no batch_input_shape/,
  );
});
