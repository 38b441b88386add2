// The sequence layers of issue 18 in model files: where TF.js has the layer, dendrite writes what TF.js writes,
// TF.js loads dendrite's file and dendrite loads TF.js' file, with the same predictions; every layer survives
// model.save + loadModel.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  layers,
  loadModel,
  type Model,
  modelFromArtifacts,
  modelToArtifacts,
  sequential,
  setSeed,
  tensor,
  type Sequential,
  type Tensor,
} from '../../src/index.js';
import { makeRng } from '../gradcheck.js';
import { assertClose } from '../helpers.js';
import { asDendriteWrites, fileHandler, randomizeDendrite, randomizeTfjs, tfjsArtifacts, tfjsModelJson, tfPredict, weightBytes } from './tfjs-files.js';

let dir: string;
before(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'dendrite-issue18-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The same architecture in both libraries (names and initializers given, so the files can be compared). */
interface Case {
  name: string;
  inputShape: number[];
  /** Token ids in 0..vocabulary-1 as input, instead of real values. */
  vocabulary?: number;
  dendrite(): Sequential;
  tfjs(): tf.Sequential;
}

const CASES: Case[] = [
  {
    name: 'Embedding',
    inputShape: [6],
    vocabulary: 20,
    dendrite: () =>
      sequential(
        [
          layers.embedding({ name: 'emb', inputDim: 20, outputDim: 4, inputShape: [6] }),
          layers.flatten({ name: 'flat' }),
          layers.dense({ name: 'out', units: 3 }),
        ],
        { name: 'embedding' },
      ),
    tfjs: () =>
      tf.sequential({
        name: 'embedding',
        layers: [
          tf.layers.embedding({ name: 'emb', inputDim: 20, outputDim: 4, inputShape: [6], maskZero: false }),
          tf.layers.flatten({ name: 'flat' }),
          tf.layers.dense({ name: 'out', units: 3, kernelInitializer: 'glorotUniform' }),
        ],
      }),
  },
  {
    name: 'Embedding with maskZero and inputLength, then Dense on each step',
    inputShape: [5],
    vocabulary: 9,
    dendrite: () =>
      sequential([layers.embedding({ name: 'emb', inputDim: 9, outputDim: 3, maskZero: true, inputLength: 5 }), layers.dense({ name: 'out', units: 2 })], {
        name: 'masked',
      }),
    tfjs: () =>
      tf.sequential({
        name: 'masked',
        layers: [
          // NOTE: TF.js writes no dtype for a first layer given only inputLength, so its input shape is given too
          tf.layers.embedding({ name: 'emb', inputDim: 9, outputDim: 3, maskZero: true, inputLength: 5, inputShape: [5] }),
          tf.layers.dense({ name: 'out', units: 2, kernelInitializer: 'glorotUniform' }),
        ],
      }),
  },
  {
    name: 'Conv1D and the 1-D poolings',
    inputShape: [12, 3],
    dendrite: () =>
      sequential(
        [
          layers.conv1d({ name: 'c1', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [12, 3] }),
          layers.maxPooling1d({ name: 'mp', poolSize: 2 }),
          layers.conv1d({ name: 'c2', filters: 3, kernelSize: 2, strides: 2, useBias: false }),
          layers.averagePooling1d({ name: 'ap', poolSize: 2, strides: 1, padding: 'same' }),
          layers.globalMaxPooling1d({ name: 'gmp' }),
          layers.dense({ name: 'out', units: 2 }),
        ],
        { name: 'conv1d' },
      ),
    tfjs: () =>
      tf.sequential({
        name: 'conv1d',
        layers: [
          tf.layers.conv1d({
            name: 'c1',
            filters: 4,
            kernelSize: 3,
            padding: 'same',
            activation: 'relu',
            inputShape: [12, 3],
            kernelInitializer: 'glorotUniform',
          }),
          tf.layers.maxPooling1d({ name: 'mp', poolSize: 2 }),
          tf.layers.conv1d({ name: 'c2', filters: 3, kernelSize: 2, strides: 2, useBias: false, kernelInitializer: 'glorotUniform' }),
          tf.layers.averagePooling1d({ name: 'ap', poolSize: 2, strides: 1, padding: 'same' }),
          tf.layers.globalMaxPooling1d({ name: 'gmp' }),
          tf.layers.dense({ name: 'out', units: 2, kernelInitializer: 'glorotUniform' }),
        ],
      }),
  },
  {
    name: 'Embedding, dilated Conv1D and GlobalAveragePooling1D',
    inputShape: [10],
    vocabulary: 30,
    dendrite: () =>
      sequential(
        [
          layers.embedding({ name: 'emb', inputDim: 30, outputDim: 5, inputShape: [10] }),
          layers.conv1d({ name: 'conv', filters: 6, kernelSize: 3, dilationRate: 2, activation: 'tanh' }),
          layers.globalAveragePooling1d({ name: 'gap' }),
          layers.dense({ name: 'out', units: 1, activation: 'sigmoid' }),
        ],
        { name: 'text' },
      ),
    tfjs: () =>
      tf.sequential({
        name: 'text',
        layers: [
          tf.layers.embedding({ name: 'emb', inputDim: 30, outputDim: 5, inputShape: [10], maskZero: false }),
          tf.layers.conv1d({ name: 'conv', filters: 6, kernelSize: 3, dilationRate: 2, activation: 'tanh', kernelInitializer: 'glorotUniform' }),
          tf.layers.globalAveragePooling1d({ name: 'gap' }),
          tf.layers.dense({ name: 'out', units: 1, activation: 'sigmoid', kernelInitializer: 'glorotUniform' }),
        ],
      }),
  },
];

function input(c: Case): Tensor {
  setSeed(7);
  const rand = makeRng(7);
  const shape = [3, ...c.inputShape];
  const n = shape.reduce((a, b) => a * b, 1);
  const scale = c.vocabulary ?? 0;
  return tensor(
    Float32Array.from({ length: n }, () => (c.vocabulary ? Math.floor(rand() * scale) : rand() * 4 - 2)),
    shape,
  );
}

for (const c of CASES) {
  describe(c.name, () => {
    test('model.json is what TF.js writes for the same model', async () => {
      setSeed(1);
      const ours = modelToArtifacts(c.dendrite()).modelJson;
      const theirs = await tfjsArtifacts(c.tfjs());
      const topology = JSON.parse(JSON.stringify(ours.modelTopology));
      for (const layer of topology.config.layers) {
        // NOTE: dendrite states Flatten's data_format, which TF.js writes only when given (see tfjs-roundtrip.test.ts)
        if (layer.class_name === 'Flatten') delete layer.config.data_format;
      }
      // dendrite writes the input layer TF.js leaves implicit (see tfjs-roundtrip.test.ts)
      assert.deepEqual(topology, asDendriteWrites(theirs.modelTopology));
      const specs = (s: readonly tf.io.WeightsManifestEntry[]) => s.map((w) => [w.name, w.shape]);
      assert.deepEqual(specs(ours.weightsManifest![0].weights as tf.io.WeightsManifestEntry[]), specs(theirs.weightSpecs!));
    });

    test('a model saved by dendrite loads in TF.js and predicts the same', async () => {
      setSeed(2);
      const model = c.dendrite();
      randomizeDendrite(model);
      const folder = join(dir, `to-tfjs-${c.name.replace(/[^a-zA-Z0-9]+/g, '-')}`);
      await model.save(folder);
      const loaded = await tf.loadLayersModel(fileHandler(folder));
      const x = input(c);
      assertClose(tfPredict(loaded, x), model.predict(x).values, { atol: 1e-5, rtol: 1e-5 });
    });

    test('a model saved by TF.js loads in dendrite and predicts the same', async () => {
      const original = c.tfjs();
      randomizeTfjs(original, 100);
      const artifacts = await tfjsArtifacts(original);
      const model = modelFromArtifacts(tfjsModelJson(artifacts), weightBytes(artifacts));
      assert.deepEqual(
        model.layers.map((l) => l.className),
        original.layers.map((l) => l.getClassName()),
      );
      const x = input(c);
      assertClose(model.predict(x), tfPredict(original, x), { atol: 1e-5, rtol: 1e-5 });
    });
  });
}

/** model.save, loadModel: the same file, weights and predictions. */
async function roundTrip(model: Sequential, x: Tensor, folderName: string): Promise<Model> {
  randomizeDendrite(model);
  const folder = join(dir, folderName);
  await model.save(folder);
  const loaded = await loadModel(folder);
  const first = modelToArtifacts(model);
  const again = modelToArtifacts(loaded);
  assert.deepEqual(again.modelJson.modelTopology, first.modelJson.modelTopology);
  assert.deepEqual(again.weightData, first.weightData);
  assert.deepEqual(loaded.predict(x).values, model.predict(x).values);
  return loaded;
}

test('every sequence layer survives model.save and loadModel (those TF.js lacks too): same file, same weights, same predictions', async () => {
  setSeed(3);
  const masked = sequential(
    [
      layers.embedding({ inputDim: 12, outputDim: 4, maskZero: true, embeddingsRegularizer: 'l2', inputShape: [10] }),
      layers.dense({ units: 3 }),
      layers.globalAveragePooling1d(),
      layers.dense({ units: 2 }),
    ],
    { name: 'masked_average' },
  );
  // padding ids (0) in the input: the mask reaches the pooling after loading too
  const ids = input({ name: '', inputShape: [10], vocabulary: 12, dendrite: () => masked, tfjs: () => tf.sequential() });
  const loaded = await roundTrip(masked, ids, 'masked-average');
  // the mask reaches the pooling in the loaded model: the padding id's row does not matter
  assert.ok(ids.values.includes(0));
  const before = loaded.predict(ids).values;
  const embeddingLayer = loaded.layers.find((l) => l.className === 'Embedding')!;
  const table = embeddingLayer.getWeights()[0];
  table.values.fill(100, 0, 4);
  embeddingLayer.setWeights([table]);
  assert.deepEqual(loaded.predict(ids).values, before);

  const shapes = sequential(
    [
      layers.conv1d({ filters: 3, kernelSize: 3, padding: 'causal', dilationRate: 2, kernelRegularizer: 'l1', inputShape: [8, 2] }),
      layers.upSampling1d({ size: 3 }),
      layers.zeroPadding1d({ padding: [2, 1] }),
      layers.cropping1d({ cropping: [1, 4] }),
      layers.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same' }),
      layers.averagePooling1d({ poolSize: 2 }),
      layers.globalMaxPooling1d({ keepDims: true }),
      layers.flatten(),
      layers.dense({ units: 2 }),
    ],
    { name: 'issue18_1d' },
  );
  await roundTrip(shapes, input({ name: '', inputShape: [8, 2], dendrite: () => shapes, tfjs: () => tf.sequential() }), 'one-d-layers');
});
