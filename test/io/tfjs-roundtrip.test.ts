// Round trips through real TensorFlow.js (pure-JS cpu backend): what dendrite writes is what TF.js writes
// for the same model, TF.js loads dendrite's files and predicts the same, and dendrite loads TF.js' files.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  layers,
  loadModel,
  modelFromArtifacts,
  modelToArtifacts,
  optimizers,
  randomUniform,
  regularizers,
  sequential,
  setSeed,
  type Sequential,
  type Tensor,
} from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { fileHandler, randomizeDendrite, randomizeTfjs, tfjsArtifacts, tfjsModelJson, tfPredict, weightBytes, asDendriteWrites } from './tfjs-files.js';

let dir: string;
before(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'dendrite-tfjs-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The same architecture in both libraries: names and initializers given, so the files can be compared. */
interface Case {
  name: string;
  inputShape: number[];
  dendrite(): Sequential;
  tfjs(): tf.Sequential;
}

const CASES: Case[] = [
  {
    name: 'mlp',
    inputShape: [5],
    dendrite: () =>
      sequential(
        [
          layers.dense({ name: 'hidden', units: 8, activation: 'relu', inputShape: [5], kernelRegularizer: regularizers.l1l2({ l1: 0.001, l2: 0.01 }) }),
          layers.dropout({ name: 'drop', rate: 0.3 }),
          layers.dense({ name: 'out', units: 3, activation: 'softmax', kernelInitializer: 'heNormal' }),
        ],
        { name: 'mlp' },
      ),
    tfjs: () =>
      tf.sequential({
        name: 'mlp',
        layers: [
          tf.layers.dense({
            name: 'hidden',
            units: 8,
            activation: 'relu',
            inputShape: [5],
            kernelInitializer: 'glorotUniform',
            kernelRegularizer: tf.regularizers.l1l2({ l1: 0.001, l2: 0.01 }),
          }),
          tf.layers.dropout({ name: 'drop', rate: 0.3 }),
          tf.layers.dense({ name: 'out', units: 3, activation: 'softmax', kernelInitializer: 'heNormal' }),
        ],
      }),
  },
  {
    name: 'cnn',
    inputShape: [8, 8, 2],
    dendrite: () =>
      sequential(
        [
          layers.conv2d({ name: 'conv', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 2] }),
          layers.batchNormalization({ name: 'bn' }),
          layers.maxPooling2d({ name: 'pool', poolSize: 2 }),
          layers.conv2d({ name: 'conv_b', filters: 3, kernelSize: [2, 3], strides: [1, 2], activation: 'tanh' }),
          layers.flatten({ name: 'flat' }),
          layers.dropout({ name: 'drop', rate: 0.5 }),
          layers.dense({ name: 'out', units: 2, activation: 'sigmoid' }),
        ],
        { name: 'cnn' },
      ),
    tfjs: () =>
      tf.sequential({
        name: 'cnn',
        layers: [
          tf.layers.conv2d({
            name: 'conv',
            filters: 4,
            kernelSize: 3,
            padding: 'same',
            activation: 'relu',
            inputShape: [8, 8, 2],
            kernelInitializer: 'glorotUniform',
          }),
          tf.layers.batchNormalization({ name: 'bn' }),
          tf.layers.maxPooling2d({ name: 'pool', poolSize: 2 }),
          tf.layers.conv2d({ name: 'conv_b', filters: 3, kernelSize: [2, 3], strides: [1, 2], activation: 'tanh', kernelInitializer: 'glorotUniform' }),
          tf.layers.flatten({ name: 'flat' }),
          tf.layers.dropout({ name: 'drop', rate: 0.5 }),
          tf.layers.dense({ name: 'out', units: 2, activation: 'sigmoid', kernelInitializer: 'glorotUniform' }),
        ],
      }),
  },
  {
    name: 'image layers',
    inputShape: [6, 6, 3],
    dendrite: () =>
      sequential(
        [
          layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, depthMultiplier: 2, padding: 'same', inputShape: [6, 6, 3] }),
          layers.averagePooling2d({ name: 'avg', poolSize: 2 }),
          layers.zeroPadding2d({
            name: 'pad',
            padding: [
              [1, 0],
              [0, 2],
            ],
          }),
          layers.upSampling2d({ name: 'up', size: [2, 1] }),
          layers.conv2dTranspose({ name: 'deconv', filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'elu' }),
          layers.activation({ name: 'act', activation: 'swish' }),
          layers.globalAveragePooling2d({ name: 'gap' }),
          layers.reshape({ name: 'reshape', targetShape: [2, 1] }),
          layers.layerNormalization({ name: 'ln', axis: -2 }),
          layers.flatten({ name: 'flat' }),
          layers.dense({ name: 'out', units: 2, activation: 'softplus' }),
        ],
        { name: 'image_layers' },
      ),
    tfjs: () =>
      tf.sequential({
        name: 'image_layers',
        layers: [
          tf.layers.depthwiseConv2d({
            name: 'dw',
            kernelSize: 3,
            depthMultiplier: 2,
            padding: 'same',
            inputShape: [6, 6, 3],
            depthwiseInitializer: 'glorotUniform',
          }),
          tf.layers.averagePooling2d({ name: 'avg', poolSize: 2 }),
          tf.layers.zeroPadding2d({
            name: 'pad',
            padding: [
              [1, 0],
              [0, 2],
            ],
          }),
          tf.layers.upSampling2d({ name: 'up', size: [2, 1] }),
          tf.layers.conv2dTranspose({
            name: 'deconv',
            filters: 2,
            kernelSize: 3,
            strides: 2,
            padding: 'same',
            activation: 'elu',
            kernelInitializer: 'glorotUniform',
          }),
          tf.layers.activation({ name: 'act', activation: 'swish' }),
          tf.layers.globalAveragePooling2d({ name: 'gap' }),
          tf.layers.reshape({ name: 'reshape', targetShape: [2, 1] }),
          tf.layers.layerNormalization({ name: 'ln', axis: -2 }),
          tf.layers.flatten({ name: 'flat' }),
          tf.layers.dense({ name: 'out', units: 2, activation: 'softplus', kernelInitializer: 'glorotUniform' }),
        ],
      }),
  },
];

function input(shape: number[]): Tensor {
  setSeed(7);
  return randomUniform([3, ...shape], -1, 1);
}

for (const c of CASES) {
  test(`${c.name}: model.json is what TF.js writes for the same model`, async () => {
    setSeed(1);
    const ours = modelToArtifacts(c.dendrite()).modelJson;
    const theirs = await tfjsArtifacts(c.tfjs());
    assert.equal(ours.format, 'layers-model');
    assert.equal(ours.convertedBy, null);
    // NOTE: dendrite states Flatten's data_format ('channels_last'), which TF.js writes only when given: Keras
    // reads a missing one from its image_data_format setting, which may be channels_first and would permute the
    // flattened features. TF.js reads both the same.
    const topology = JSON.parse(JSON.stringify(ours.modelTopology));
    for (const layer of topology.config.layers) {
      if (layer.class_name === 'Flatten') {
        assert.equal(layer.config.data_format, 'channels_last');
        delete layer.config.data_format;
      }
    }
    // dendrite writes the input layer TF.js leaves implicit (TF.js writes it for a model built with one), for Keras 3
    assert.deepEqual(topology, asDendriteWrites(theirs.modelTopology));
    // TF.js lists every trainable weight before the non-trainable ones; dendrite keeps each layer's together
    const specs = (s: readonly tf.io.WeightsManifestEntry[]) => Object.fromEntries(s.map((w) => [w.name, [w.shape, w.dtype]]));
    assert.deepEqual(specs(ours.weightsManifest![0].weights as tf.io.WeightsManifestEntry[]), specs(theirs.weightSpecs!));
  });

  test(`${c.name}: a model saved by dendrite loads in TF.js and predicts the same`, async () => {
    setSeed(2);
    const model = c.dendrite();
    randomizeDendrite(model);
    const folder = join(dir, `to-tfjs-${c.name.replace(/ /g, '-')}`);
    await model.save(folder);
    const loaded = await tf.loadLayersModel(fileHandler(folder));
    const x = input(c.inputShape);
    assertClose(tfPredict(loaded, x), model.predict(x).values, { atol: 1e-5, rtol: 0 });
  });

  test(`${c.name}: a model saved by TF.js loads in dendrite and predicts the same`, async () => {
    const original = c.tfjs();
    randomizeTfjs(original, 100);
    const artifacts = await tfjsArtifacts(original);
    const bytes = weightBytes(artifacts);
    // in memory, as the browser would
    const fromMemory = modelFromArtifacts(tfjsModelJson(artifacts, ['weights.bin']), bytes);
    const x = input(c.inputShape);
    const expected = tfPredict(original, x);
    assertClose(fromMemory.predict(x), expected, { atol: 1e-5, rtol: 0 });
    // from files, the weights split in two shards as the TF.js converter does
    const folder = join(dir, `from-tfjs-${c.name.replace(/ /g, '-')}`);
    await rm(folder, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(folder, { recursive: true }));
    const cut = Math.floor(bytes.length / 2);
    await writeFile(join(folder, 'group1-shard1of2.bin'), bytes.subarray(0, cut));
    await writeFile(join(folder, 'group1-shard2of2.bin'), bytes.subarray(cut));
    await writeFile(join(folder, 'model.json'), JSON.stringify(tfjsModelJson(artifacts, ['group1-shard1of2.bin', 'group1-shard2of2.bin'])));
    const fromFiles = await loadModel(folder);
    assert.equal(fromFiles.name, original.name);
    assert.deepEqual(
      fromFiles.layers.map((l) => l.name),
      original.layers.map((l) => l.name),
    );
    assertClose(fromFiles.predict(x), expected, { atol: 1e-5, rtol: 0 });
  });
}

test('older topology forms load: the model_config wrapper and config as a bare list of layers', async () => {
  const original = CASES[1].tfjs();
  randomizeTfjs(original, 200);
  const artifacts = await tfjsArtifacts(original);
  const bytes = weightBytes(artifacts);
  const topology = artifacts.modelTopology as { class_name: string; config: { name: string; layers: unknown[] } };
  const x = input(CASES[1].inputShape);
  const expected = tfPredict(original, x);
  const wrapped = { ...tfjsModelJson(artifacts, ['w.bin']), modelTopology: { keras_version: '2.1.6', backend: 'tensorflow', model_config: topology } };
  assertClose(modelFromArtifacts(wrapped, bytes).predict(x), expected, { atol: 1e-5, rtol: 0 });
  const bare = { ...tfjsModelJson(artifacts, ['w.bin']), modelTopology: { class_name: 'Sequential', config: topology.config.layers } };
  assertClose(modelFromArtifacts(bare, bytes).predict(x), expected, { atol: 1e-5, rtol: 0 });
});

test('a compiled TF.js model saved with its optimizer loads compiled in dendrite (TF.js optimizer weights are skipped)', async () => {
  const original = CASES[0].tfjs();
  original.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await original.fit(tf.randomNormal([8, 5], 0, 1, 'float32', 1), tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3), { epochs: 2, verbose: 0 });
  const artifacts = await tfjsArtifacts(original, true);
  assert.ok(artifacts.weightSpecs!.some((s) => s.group === 'optimizer'));
  const model = modelFromArtifacts(tfjsModelJson(artifacts, ['weights.bin']), weightBytes(artifacts));
  assert.equal(model.compiled?.optimizer.className, 'Adam');
  assert.ok(Math.abs(model.compiled!.optimizer.learningRate - 0.02) < 1e-9);
  assert.equal(model.compiled?.loss.lossName, 'categoricalCrossentropy');
  assert.deepEqual(
    model.compiled?.metrics.map((m) => m.name),
    ['accuracy'],
  );
  const x = input([5]);
  assertClose(model.predict(x), tfPredict(original, x), { atol: 1e-5, rtol: 0 });
});

test('a compiled dendrite model loads compiled in TF.js (training config) and TF.js ignores optimizer.bin', async () => {
  setSeed(3);
  // no regularizer: TF.js' evaluate leaves regularization penalties out of the loss, Keras and dendrite add them
  const model = sequential([layers.dense({ units: 6, activation: 'tanh', inputShape: [5] }), layers.dense({ units: 3, activation: 'softmax' })]);
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = input([5]);
  const y = randomUniform([3, 3]);
  await model.fit(x, y, { epochs: 1, verbose: 0 });
  const folder = join(dir, 'compiled-to-tfjs');
  await model.save(folder, { includeOptimizer: true });
  const json = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8'));
  assert.deepEqual(json.trainingConfig, {
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
    optimizer_config: { class_name: 'Momentum', config: { learningRate: 0.05, momentum: 0.9, useNesterov: true } },
  });
  const loaded = await tf.loadLayersModel(fileHandler(folder));
  assert.ok(loaded.optimizer, 'TF.js compiled the model');
  assert.equal(loaded.optimizer.getClassName(), 'Momentum');
  const evaluated = loaded.evaluate(tf.tensor(x.values, [...x.shape]), tf.tensor(y.values, [...y.shape])) as tf.Scalar[];
  assertClose([evaluated[0].dataSync()[0]], [model.evaluate(x, y).loss], { atol: 1e-5 });
});

test("a Sequential's file starts with its InputLayer (Keras 3 reads no other form): TF.js loads it, and it loads back the same", async () => {
  setSeed(9);
  const named = new layers.InputLayer({ shape: [5], name: 'features' });
  for (const [model, inputName] of [
    [sequential([layers.dense({ units: 4, inputShape: [5], activation: 'relu', name: 'hidden' }), layers.dense({ units: 2, name: 'out' })]), 'hidden_input'],
    [sequential([named, layers.dense({ units: 2, name: 'out' })]), 'features'],
  ] as const) {
    randomizeDendrite(model);
    const folder = join(dir, `input-layer-${inputName}`);
    await model.save(folder);
    const json = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8'));
    const entries: { class_name: string; config: Record<string, unknown> }[] = json.modelTopology.config.layers;
    assert.equal(json.modelTopology.module, 'keras');
    assert.deepEqual(entries[0], { class_name: 'InputLayer', config: { batch_input_shape: [null, 5], dtype: 'float32', sparse: false, name: inputName } });
    assert.ok(entries.slice(1).every((e) => !('batch_input_shape' in e.config)));
    const theirs = await tf.loadLayersModel(fileHandler(folder));
    assert.deepEqual(
      theirs.layers.map((l) => l.getClassName()),
      ['InputLayer', 'Dense', ...(inputName === 'features' ? [] : ['Dense'])],
    );
    const x = randomUniform([3, 5], -1, 1);
    assertClose(tfPredict(theirs, x), model.predict(x).values, { atol: 1e-6, rtol: 0 });
    // dendrite reads the input layer back as TF.js does, and writes the same file again
    const back = await loadModel(folder);
    assert.equal(back.layers[0].name, inputName);
    assert.deepEqual(modelToArtifacts(back).modelJson.modelTopology, json.modelTopology);
  }
});
