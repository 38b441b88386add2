// Graph (functional) and nested models through real TensorFlow.js files: the same graph built in both libraries
// with the same names writes the same topology; TF.js loads dendrite's file and predicts the same, and dendrite
// loads TF.js' file (in memory and from a folder) and predicts the same, to 1e-5.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  input,
  layers,
  loadModel,
  Model,
  model,
  modelFromArtifacts,
  modelToArtifacts,
  optimizers,
  randomUniform,
  Sequential,
  sequential,
  setSeed,
  type SymbolicTensor,
  type Tensor,
  tensor,
  toCategorical,
} from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { fileHandler, randomizeDendrite, randomizeTfjs, tfjsArtifacts, tfjsModelJson, tfPredictAll, weightBytes } from './tfjs-files.js';

let dir: string;
before(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'dendrite-tfjs-graph-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The same graph in both libraries, every layer named, so that files and weights line up by name. */
interface Case {
  name: string;
  /** Per input, without the batch axis. */
  inputShapes: number[][];
  dendrite(): Model;
  tfjs(): tf.LayersModel;
}

const S = (t: SymbolicTensor | SymbolicTensor[]) => t as SymbolicTensor;
const T = (t: tf.SymbolicTensor | tf.SymbolicTensor[] | tf.Tensor | tf.Tensor[]) => t as tf.SymbolicTensor;

const CASES: Case[] = [
  {
    name: 'residual block (conv, batch norm, ReLU layer, add with a 1x1 shortcut)',
    inputShapes: [[8, 8, 3]],
    dendrite: () => {
      const x = input({ shape: [8, 8, 3], name: 'image' });
      const c1 = S(layers.conv2d({ name: 'c1', filters: 4, kernelSize: 3, padding: 'same' }).apply(x));
      const b1 = S(layers.batchNormalization({ name: 'bn1' }).apply(c1));
      const r1 = S(layers.reLU({ name: 'relu1' }).apply(b1));
      const c2 = S(layers.conv2d({ name: 'c2', filters: 4, kernelSize: 3, padding: 'same' }).apply(r1));
      const short = S(layers.conv2d({ name: 'shortcut', filters: 4, kernelSize: 1 }).apply(x));
      const sum = S(layers.add({ name: 'sum' }).apply([c2, short]));
      const r2 = S(layers.activation({ name: 'relu2', activation: 'relu' }).apply(sum));
      const pooled = S(layers.globalAveragePooling2d({ name: 'gap' }).apply(r2));
      const out = S(layers.dense({ name: 'probs', units: 3, activation: 'softmax' }).apply(pooled));
      return model({ inputs: x, outputs: out, name: 'resblock' });
    },
    tfjs: () => {
      const x = tf.input({ shape: [8, 8, 3], name: 'image' });
      const c1 = T(tf.layers.conv2d({ name: 'c1', filters: 4, kernelSize: 3, padding: 'same' }).apply(x));
      const b1 = T(tf.layers.batchNormalization({ name: 'bn1' }).apply(c1));
      const r1 = T(tf.layers.reLU({ name: 'relu1' }).apply(b1));
      const c2 = T(tf.layers.conv2d({ name: 'c2', filters: 4, kernelSize: 3, padding: 'same' }).apply(r1));
      const short = T(tf.layers.conv2d({ name: 'shortcut', filters: 4, kernelSize: 1 }).apply(x));
      const sum = T(tf.layers.add({ name: 'sum' }).apply([c2, short]));
      const r2 = T(tf.layers.activation({ name: 'relu2', activation: 'relu' }).apply(sum));
      const pooled = T(tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(r2));
      const out = T(tf.layers.dense({ name: 'probs', units: 3, activation: 'softmax' }).apply(pooled));
      return tf.model({ inputs: x, outputs: out, name: 'resblock' });
    },
  },
  {
    name: 'two inputs, two outputs, a layer shared by both inputs',
    inputShapes: [[4], [4]],
    dendrite: () => {
      const a = input({ shape: [4], name: 'left' });
      const b = input({ shape: [4], name: 'right' });
      const shared = layers.dense({ name: 'tower', units: 5, activation: 'tanh' });
      const ta = S(shared.apply(a));
      const tb = S(shared.apply(b));
      const joined = S(layers.concatenate({ name: 'join' }).apply([ta, tb]));
      const diff = S(layers.multiply({ name: 'diff' }).apply([ta, tb]));
      const score = S(layers.dense({ name: 'score', units: 1, activation: 'sigmoid' }).apply(joined));
      const cls = S(layers.dense({ name: 'cls', units: 3, activation: 'softmax' }).apply(diff));
      return model({ inputs: [a, b], outputs: [score, cls], name: 'siamese' });
    },
    tfjs: () => {
      const a = tf.input({ shape: [4], name: 'left' });
      const b = tf.input({ shape: [4], name: 'right' });
      const shared = tf.layers.dense({ name: 'tower', units: 5, activation: 'tanh' });
      const ta = T(shared.apply(a));
      const tb = T(shared.apply(b));
      const joined = T(tf.layers.concatenate({ name: 'join' }).apply([ta, tb]));
      const diff = T(tf.layers.multiply({ name: 'diff' }).apply([ta, tb]));
      const score = T(tf.layers.dense({ name: 'score', units: 1, activation: 'sigmoid' }).apply(joined));
      const cls = T(tf.layers.dense({ name: 'cls', units: 3, activation: 'softmax' }).apply(diff));
      return tf.model({ inputs: [a, b], outputs: [score, cls], name: 'siamese' });
    },
  },
  {
    name: 'nested: a Sequential and a graph model used as layers, the graph model called twice',
    inputShapes: [[6]],
    dendrite: () => {
      const inner = sequential([layers.dense({ name: 'in_d1', units: 5, activation: 'relu', inputShape: [6] }), layers.dense({ name: 'in_d2', units: 4 })], {
        name: 'inner_seq',
      });
      const gi = input({ shape: [4], name: 'g_in' });
      const g1 = S(layers.dense({ name: 'g_dense', units: 4, activation: 'tanh' }).apply(gi));
      const gOut = S(layers.add({ name: 'g_add' }).apply([g1, gi]));
      const block = model({ inputs: gi, outputs: gOut, name: 'inner_graph' });
      const x = input({ shape: [6], name: 'x' });
      const h = S(inner.apply(x));
      const once = S(block.apply(h));
      const twice = S(block.apply(once));
      const out = S(layers.dense({ name: 'head', units: 2 }).apply(layers.concatenate({ name: 'cat' }).apply([once, twice])));
      return model({ inputs: x, outputs: out, name: 'outer' });
    },
    tfjs: () => {
      const inner = tf.sequential({
        name: 'inner_seq',
        layers: [tf.layers.dense({ name: 'in_d1', units: 5, activation: 'relu', inputShape: [6] }), tf.layers.dense({ name: 'in_d2', units: 4 })],
      });
      const gi = tf.input({ shape: [4], name: 'g_in' });
      const g1 = T(tf.layers.dense({ name: 'g_dense', units: 4, activation: 'tanh' }).apply(gi));
      const gOut = T(tf.layers.add({ name: 'g_add' }).apply([g1, gi]));
      const block = tf.model({ inputs: gi, outputs: gOut, name: 'inner_graph' });
      const x = tf.input({ shape: [6], name: 'x' });
      const h = T(inner.apply(x));
      const once = T(block.apply(h));
      const twice = T(block.apply(once));
      const out = T(tf.layers.dense({ name: 'head', units: 2 }).apply(tf.layers.concatenate({ name: 'cat' }).apply([once, twice])));
      return tf.model({ inputs: x, outputs: out, name: 'outer' });
    },
  },
  {
    name: 'tiny U-Net (pooling down, up-sampling and transposed convolution up, concatenated skips)',
    inputShapes: [[8, 8, 1]],
    dendrite: () => {
      const x = input({ shape: [8, 8, 1], name: 'img' });
      const e1 = S(layers.conv2d({ name: 'e1', filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x));
      const p1 = S(layers.maxPooling2d({ name: 'p1', poolSize: 2 }).apply(e1));
      const e2 = S(layers.conv2d({ name: 'e2', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(p1));
      const up = S(layers.upSampling2d({ name: 'up', size: 2 }).apply(e2));
      const tr = S(layers.conv2dTranspose({ name: 'tr', filters: 2, kernelSize: 2, strides: 2 }).apply(e2));
      const cat = S(layers.concatenate({ name: 'skip', axis: -1 }).apply([up, tr, e1]));
      const out = S(layers.conv2d({ name: 'mask', filters: 1, kernelSize: 1, activation: 'sigmoid' }).apply(cat));
      return model({ inputs: x, outputs: out, name: 'unet' });
    },
    tfjs: () => {
      const x = tf.input({ shape: [8, 8, 1], name: 'img' });
      const e1 = T(tf.layers.conv2d({ name: 'e1', filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x));
      const p1 = T(tf.layers.maxPooling2d({ name: 'p1', poolSize: 2 }).apply(e1));
      const e2 = T(tf.layers.conv2d({ name: 'e2', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(p1));
      const up = T(tf.layers.upSampling2d({ name: 'up', size: [2, 2] }).apply(e2));
      const tr = T(tf.layers.conv2dTranspose({ name: 'tr', filters: 2, kernelSize: 2, strides: 2 }).apply(e2));
      const cat = T(tf.layers.concatenate({ name: 'skip', axis: -1 }).apply([up, tr, e1]));
      const out = T(tf.layers.conv2d({ name: 'mask', filters: 1, kernelSize: 1, activation: 'sigmoid' }).apply(cat));
      return tf.model({ inputs: x, outputs: out, name: 'unet' });
    },
  },
];

function inputsFor(shapes: number[][]): Tensor[] {
  setSeed(7);
  return shapes.map((s) => randomUniform([3, ...s], -1, 1));
}

/** dendrite's predictions, one array per output. */
function predictAll(m: Model, xs: Tensor[]): Float32Array[] {
  const out = (m as Model<Tensor | Tensor[]>).predict(xs.length === 1 ? xs[0] : xs);
  return (Array.isArray(out) ? out : [out]).map((t) => t.values as Float32Array);
}

function assertSame(actual: Float32Array[], expected: Float32Array[]): void {
  assert.equal(actual.length, expected.length, 'the number of outputs');
  for (const [i, a] of actual.entries()) assertClose(a, expected[i], { atol: 1e-5, rtol: 0 });
}

for (const c of CASES) {
  describe(c.name, () => {
    test('model.json holds the topology TF.js writes for the same graph', async () => {
      setSeed(1);
      const ours = JSON.parse(JSON.stringify(modelToArtifacts(c.dendrite()).modelJson));
      const theirs = await tfjsArtifacts(c.tfjs());
      // each library writes its own version
      delete ours.modelTopology.keras_version;
      const topology = JSON.parse(JSON.stringify(theirs.modelTopology));
      delete topology.keras_version;
      assert.deepEqual(ours.modelTopology.class_name, topology.class_name);
      assert.deepEqual(ours.modelTopology.config.input_layers, topology.config.input_layers);
      assert.deepEqual(ours.modelTopology.config.output_layers, topology.config.output_layers);
      const connections = (t: { config: { layers: { class_name: string; name: string; inbound_nodes: unknown }[] } }) =>
        t.config.layers.map((l) => [l.class_name, l.name, l.inbound_nodes]);
      assert.deepEqual(connections(ours.modelTopology), connections(topology));
      // the same weights by name and shape (the order may differ: TF.js lists every trainable weight first, dendrite
      // and Keras layer by layer; readers match weights by name)
      const specs = (list: tf.io.WeightsManifestEntry[]) => list.map((s) => [s.name, s.shape]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      assert.deepEqual(specs(ours.weightsManifest[0].weights), specs(theirs.weightSpecs!));
    });

    test('a graph model saved by dendrite loads in TF.js and predicts the same', async () => {
      setSeed(2);
      const m = c.dendrite();
      randomizeDendrite(m);
      const folder = join(dir, `to-tfjs-${c.name.slice(0, 12).replace(/\W/g, '-')}`);
      await m.save(folder);
      const loaded = await tf.loadLayersModel(fileHandler(folder));
      const xs = inputsFor(c.inputShapes);
      assertSame(predictAll(m, xs), tfPredictAll(loaded, xs));
    });

    test('a graph model saved by TF.js loads in dendrite, in memory and from a folder, and predicts the same', async () => {
      const original = c.tfjs();
      randomizeTfjs(original, 100);
      const artifacts = await tfjsArtifacts(original);
      const bytes = weightBytes(artifacts);
      const xs = inputsFor(c.inputShapes);
      const expected = tfPredictAll(original, xs);
      const fromMemory = modelFromArtifacts(tfjsModelJson(artifacts), bytes);
      assertSame(predictAll(fromMemory, xs), expected);

      const folder = join(dir, `from-tfjs-${c.name.slice(0, 12).replace(/\W/g, '-')}`);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'weights.bin'), bytes);
      await writeFile(join(folder, 'model.json'), JSON.stringify(tfjsModelJson(artifacts)));
      const fromFolder = await loadModel(folder);
      assert.ok(fromFolder instanceof Model && !(fromFolder instanceof Sequential));
      assert.equal(fromFolder.name, original.name);
      assert.deepEqual(
        fromFolder.layers.map((l) => l.name),
        original.layers.map((l) => l.name),
      );
      assert.deepEqual(fromFolder.inputNames, original.inputNames);
      assert.deepEqual(fromFolder.outputNames, original.outputNames);
      assertSame(predictAll(fromFolder, xs), expected);
      // and back out again: dendrite's save of the loaded model is still the same model in TF.js
      const again = join(folder, 'resaved');
      await fromFolder.save(again);
      assertSame(tfPredictAll(await tf.loadLayersModel(fileHandler(again)), xs), expected);
    });
  });
}

test('nested models load as models: a Sequential as a Sequential, a graph as a Model, the twice-called one shared', async () => {
  const original = CASES[2].tfjs();
  randomizeTfjs(original, 300);
  const artifacts = await tfjsArtifacts(original);
  const loaded = modelFromArtifacts(tfjsModelJson(artifacts), weightBytes(artifacts));
  const inner = loaded.getLayer('inner_seq');
  const block = loaded.getLayer('inner_graph');
  assert.ok(inner instanceof Sequential);
  assert.ok(block instanceof Model && !(block instanceof Sequential));
  assert.equal(block.inboundNodes.length, 3, "its own graph's node and the outer model's two calls");
  // the nested weights are the nested layers' own: one set, whatever the number of calls
  assert.equal(loaded.countParams(), original.countParams());
  assert.equal(loaded.weights.length, original.weights.length);
});

test('a compiled model of two outputs keeps its losses, loss weights and metrics through a save, and TF.js loads it compiled', async () => {
  setSeed(4);
  const m = CASES[1].dendrite();
  m.compile({
    optimizer: optimizers.adam({ learningRate: 0.01 }),
    loss: { score: 'binaryCrossentropy', cls: 'categoricalCrossentropy' },
    lossWeights: { score: 0.25, cls: 1 },
    metrics: { score: ['accuracy'], cls: ['accuracy'] },
  });
  const folder = join(dir, 'compiled-two-outputs');
  await m.save(folder);
  const back = await loadModel<Tensor[]>(folder);
  assert.deepEqual(
    back.compiled?.outputs.map((o) => [o.outputName, o.loss.lossName, o.weight]),
    [
      ['score', 'binaryCrossentropy', 0.25],
      ['cls', 'categoricalCrossentropy', 1],
    ],
  );
  const xs = inputsFor(CASES[1].inputShapes);
  const ys = [tensor([1, 0, 1], [3, 1]), toCategorical([0, 2, 1], 3)];
  // the same loss on the same data: the loaded model is compiled as the saved one
  assertClose([back.evaluate(xs, ys).loss], [m.evaluate(xs, ys).loss], { atol: 1e-6, rtol: 0 });
  const inTfjs = await tf.loadLayersModel(fileHandler(folder));
  assertSame(tfPredictAll(inTfjs, xs), predictAll(m, xs));
});

test('a TF.js model of two outputs compiled with a loss per output loads compiled', async () => {
  const original = CASES[1].tfjs();
  original.compile({ optimizer: tf.train.sgd(0.1), loss: ['binaryCrossentropy', 'categoricalCrossentropy'], metrics: ['accuracy'] });
  // TF.js writes the training config only with the optimizer
  const artifacts = await tfjsArtifacts(original, true);
  const loaded = modelFromArtifacts<Tensor[]>(tfjsModelJson(artifacts), weightBytes(artifacts));
  assert.deepEqual(
    loaded.compiled?.outputs.map((o) => [o.outputName, o.loss.lossName, o.metrics.map((x) => x.name)]),
    [
      ['score', 'binaryCrossentropy', ['score_accuracy']],
      ['cls', 'categoricalCrossentropy', ['cls_accuracy']],
    ],
  );
});
