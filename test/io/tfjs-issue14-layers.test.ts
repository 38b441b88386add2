// The layers and activations added with issue 14 in model files: each survives model.save + loadModel; where
// TF.js has the layer, dendrite writes what TF.js writes, TF.js loads dendrite's file and dendrite loads TF.js'
// file, with the same predictions; an activation stored as a Keras layer object (as Keras 3 writes it) loads.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  activationFromLayer,
  layers,
  loadModel,
  modelFromArtifacts,
  modelToArtifacts,
  randomNormal,
  randomUniform,
  sequential,
  setSeed,
  type Sequential,
  type Tensor,
} from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { fileHandler, tfjsArtifacts, tfjsModelJson, tfPredict, weightBytes, asDendriteWrites } from './tfjs-files.js';

let dir: string;
before(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'dendrite-issue14-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The same architecture in both libraries (names and initializers given, so the files can be compared). */
interface Case {
  name: string;
  inputShape: number[];
  dendrite(): Sequential;
  tfjs(): tf.Sequential;
}

const CASES: Case[] = [
  {
    name: 'activation layers and activations',
    inputShape: [4, 3, 2],
    dendrite: () =>
      sequential(
        [
          layers.reLU({ name: 'relu6', maxValue: 6, inputShape: [4, 3, 2] }),
          layers.prelu({ name: 'prelu', sharedAxes: [1, 2] }),
          layers.reLU({ name: 'relu' }),
          layers.leakyReLU({ name: 'leaky', alpha: 0.1 }),
          layers.elu({ name: 'elu' }),
          layers.thresholdedReLU({ name: 'thresholded', theta: 0.2 }),
          layers.softmax({ name: 'softmax', axis: -1 }),
          layers.flatten({ name: 'flat' }),
          layers.dense({ name: 'd_relu6', units: 5, activation: 'relu6' }),
          layers.dense({ name: 'd_selu', units: 5, activation: 'selu' }),
          layers.dense({ name: 'd_hard_sigmoid', units: 5, activation: 'hardSigmoid' }),
          layers.dense({ name: 'd_softsign', units: 5, activation: 'softsign' }),
          layers.dense({ name: 'd_mish', units: 3, activation: 'mish' }),
        ],
        { name: 'activations' },
      ),
    tfjs: () =>
      tf.sequential({
        name: 'activations',
        layers: [
          tf.layers.reLU({ name: 'relu6', maxValue: 6, inputShape: [4, 3, 2] }),
          tf.layers.prelu({ name: 'prelu', sharedAxes: [1, 2] }),
          tf.layers.reLU({ name: 'relu' }),
          tf.layers.leakyReLU({ name: 'leaky', alpha: 0.1 }),
          tf.layers.elu({ name: 'elu' }),
          tf.layers.thresholdedReLU({ name: 'thresholded', theta: 0.2 }),
          tf.layers.softmax({ name: 'softmax', axis: -1 }),
          tf.layers.flatten({ name: 'flat' }),
          tf.layers.dense({ name: 'd_relu6', units: 5, activation: 'relu6', kernelInitializer: 'glorotUniform' }),
          tf.layers.dense({ name: 'd_selu', units: 5, activation: 'selu', kernelInitializer: 'glorotUniform' }),
          tf.layers.dense({ name: 'd_hard_sigmoid', units: 5, activation: 'hardSigmoid', kernelInitializer: 'glorotUniform' }),
          tf.layers.dense({ name: 'd_softsign', units: 5, activation: 'softsign', kernelInitializer: 'glorotUniform' }),
          tf.layers.dense({ name: 'd_mish', units: 3, activation: 'mish', kernelInitializer: 'glorotUniform' }),
        ],
      }),
  },
  {
    name: 'separable convolution and reshaping layers',
    inputShape: [8, 7, 3],
    dendrite: () =>
      sequential(
        [
          layers.separableConv2d({ name: 'sep', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 7, 3] }),
          layers.cropping2d({
            name: 'crop',
            cropping: [
              [1, 0],
              [2, 1],
            ],
          }),
          layers.separableConv2d({ name: 'sep_b', filters: 2, kernelSize: [2, 3], strides: [2, 1], useBias: false }),
          layers.permute({ name: 'perm', dims: [2, 1, 3] }),
          layers.flatten({ name: 'flat' }),
          layers.repeatVector({ name: 'repeat', n: 3 }),
          layers.dense({ name: 'out', units: 2 }),
        ],
        { name: 'separable' },
      ),
    tfjs: () =>
      tf.sequential({
        name: 'separable',
        layers: [
          tf.layers.separableConv2d({ name: 'sep', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 7, 3] }),
          tf.layers.cropping2D({
            name: 'crop',
            cropping: [
              [1, 0],
              [2, 1],
            ],
          }),
          tf.layers.separableConv2d({ name: 'sep_b', filters: 2, kernelSize: [2, 3], strides: [2, 1], useBias: false }),
          tf.layers.permute({ name: 'perm', dims: [2, 1, 3] }),
          tf.layers.flatten({ name: 'flat' }),
          tf.layers.repeatVector({ name: 'repeat', n: 3 }),
          tf.layers.dense({ name: 'out', units: 2, kernelInitializer: 'glorotUniform' }),
        ],
      }),
  },
];

/** Non-trivial weights: biases and PReLU slopes are not left at 0. */
function randomizeDendrite(model: Sequential): void {
  for (const w of model.weights) w.assign(w.name.endsWith('/alpha') ? randomUniform(w.shape, 0, 0.5) : randomNormal(w.shape, 0, 0.4));
}

function randomizeTfjs(model: tf.LayersModel, seed: number): void {
  model.weights.forEach((w, i) => {
    const shape = w.shape as number[];
    w.write(w.originalName.endsWith('/alpha') ? tf.randomUniform(shape, 0, 0.5, 'float32', seed + i) : tf.randomNormal(shape, 0, 0.4, 'float32', seed + i));
  });
}

function input(shape: number[]): Tensor {
  setSeed(7);
  return randomUniform([3, ...shape], -2, 2);
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
        // NOTE: TF.js' SeparableConv2D leaves its depth_multiplier out of the file (its getConfig drops it); Keras 2 and dendrite write it
        if (layer.class_name === 'SeparableConv2D') {
          assert.equal(layer.config.depth_multiplier, 1);
          delete layer.config.depth_multiplier;
        }
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
      const folder = join(dir, `to-tfjs-${c.name.replace(/ /g, '-')}`);
      await model.save(folder);
      const loaded = await tf.loadLayersModel(fileHandler(folder));
      const x = input(c.inputShape);
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
      const x = input(c.inputShape);
      assertClose(model.predict(x), tfPredict(original, x), { atol: 1e-5, rtol: 1e-5 });
    });
  });
}

test("SeparableConv2D's depth multiplier, which TF.js' own files lose, is in dendrite's file: TF.js loads it and predicts the same", async () => {
  setSeed(4);
  const model = sequential([layers.separableConv2d({ filters: 3, kernelSize: 2, depthMultiplier: 2, inputShape: [5, 4, 2] }), layers.flatten()]);
  randomizeDendrite(model);
  const folder = join(dir, 'depth-multiplier');
  await model.save(folder);
  const loaded = await tf.loadLayersModel(fileHandler(folder));
  const x = input([5, 4, 2]);
  assertClose(tfPredict(loaded, x), model.predict(x).values, { atol: 1e-5, rtol: 1e-5 });
  // what TF.js writes for the same layer: no depth_multiplier, so neither TF.js nor dendrite can read its kernel back
  const theirs = await tfjsArtifacts(loaded);
  const config = (theirs.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0].config;
  assert.equal(config.depth_multiplier, undefined);
  assert.throws(
    () => modelFromArtifacts(tfjsModelJson(theirs), weightBytes(theirs)),
    /weight '.*\/depthwise_kernel' has shape \[2, 2, 2, 2\] in the weightsManifest but the model's .* has shape \[2, 2, 2, 1\]/,
  );
});

test('every new layer survives model.save and loadModel: same file, same weights, same predictions (SpatialDropout2D too, which TF.js lacks)', async () => {
  setSeed(3);
  const model = sequential(
    [
      layers.separableConv2d({
        filters: 4,
        kernelSize: 3,
        depthMultiplier: 2,
        padding: 'same',
        dilationRate: [1, 2],
        pointwiseRegularizer: 'l2',
        inputShape: [6, 6, 2],
      }),
      layers.spatialDropout2d({ rate: 0.3, seed: 4 }),
      layers.reLU({ maxValue: 3, negativeSlope: 0.1, threshold: 0.2 }),
      layers.prelu({ alphaInitializer: 'ones', alphaRegularizer: 'l1' }),
      layers.cropping2d({ cropping: 1 }),
      layers.permute({ dims: [3, 2, 1] }),
      layers.softmax({ axis: [1, 3] }),
      layers.leakyReLU(),
      layers.elu({ alpha: 0.5 }),
      layers.thresholdedReLU({ theta: 0.01 }),
      layers.flatten(),
      layers.repeatVector({ n: 2 }),
      layers.dense({ units: 3, activation: 'mish' }),
    ],
    { name: 'issue14' },
  );
  randomizeDendrite(model);
  const folder = join(dir, 'every-new-layer');
  await model.save(folder);
  const loaded = await loadModel(folder);
  const first = modelToArtifacts(model);
  const again = modelToArtifacts(loaded);
  assert.deepEqual(again.modelJson.modelTopology, first.modelJson.modelTopology);
  assert.deepEqual(again.weightData, first.weightData);
  const x = randomUniform([2, 6, 6, 2], -1, 1);
  assert.deepEqual(loaded.predict(x).values, model.predict(x).values);
});

describe('an activation stored as a Keras layer object (Keras 3: Dense(activation=LeakyReLU()))', () => {
  /**
   * A TF.js model of one Dense layer followed by the activation layer `activation` (the expected predictions),
   * and the same Dense with `activationJson` as its activation in place of the layer (the file under test).
   */
  async function filePair(
    activation: tf.layers.Layer,
    activationJson: unknown,
  ): Promise<{ json: Record<string, unknown>; bytes: Uint8Array; expected: Float32Array }> {
    const reference = tf.sequential({ layers: [tf.layers.dense({ name: 'out', units: 4, inputShape: [3], kernelInitializer: 'glorotUniform' }), activation] });
    randomizeTfjs(reference, 7);
    const artifacts = await tfjsArtifacts(reference);
    const json = JSON.parse(JSON.stringify(tfjsModelJson(artifacts)));
    json.modelTopology.config.layers = [json.modelTopology.config.layers[0]];
    json.modelTopology.config.layers[0].config.activation = activationJson;
    return { json, bytes: weightBytes(artifacts), expected: tfPredict(reference, input([3])) };
  }

  test("ReLU(max_value=6) loads as 'relu6' and saves as that name", async () => {
    const relu6 = {
      module: 'keras.layers',
      class_name: 'ReLU',
      config: { name: 're_lu', trainable: true, dtype: 'float32', max_value: 6.0, negative_slope: 0.0, threshold: 0.0 },
      registered_name: null,
    };
    const { json, bytes, expected } = await filePair(tf.layers.reLU({ maxValue: 6 }), relu6);
    const model = modelFromArtifacts(json, bytes);
    assertClose(model.predict(input([3])), expected, { atol: 1e-6 });
    const saved = modelToArtifacts(model).modelJson.modelTopology as { config: { layers: { config: { activation: unknown } }[] } };
    // entry 0 is the input layer
    assert.equal(saved.config.layers[1].config.activation, 'relu6');
  });

  test('LeakyReLU (negative_slope 0.3, Keras 3; or alpha, Keras 2) loads, and saves back as the same object', async () => {
    for (const config of [{ negative_slope: 0.3 }, { alpha: 0.3 }, {}]) {
      const leaky = {
        module: 'keras.layers',
        class_name: 'LeakyReLU',
        config: { name: 'leaky_re_lu', trainable: true, dtype: 'float32', ...config },
        registered_name: null,
      };
      const { json, bytes, expected } = await filePair(tf.layers.leakyReLU({ alpha: 0.3 }), leaky);
      const model = modelFromArtifacts(json, bytes);
      assertClose(model.predict(input([3])), expected, { atol: 1e-6 });
      const resaved = modelToArtifacts(model);
      const topology = resaved.modelJson.modelTopology as { config: { layers: { config: { activation: unknown } }[] } };
      assert.deepEqual(topology.config.layers[1].config.activation, { class_name: 'LeakyReLU', config: { alpha: 0.3 } });
      assertClose(modelFromArtifacts(resaved.modelJson, resaved.weightData).predict(input([3])), expected, { atol: 1e-6 });
    }
  });

  test('ELU, Softmax, ThresholdedReLU, a ReLU with a slope, an Activation layer and a function name load too', async () => {
    const cases: [tf.layers.Layer, unknown][] = [
      [tf.layers.elu(), { class_name: 'ELU', config: { alpha: 1.0 } }],
      [tf.layers.softmax({ axis: -1 }), { class_name: 'Softmax', config: { axis: -1 } }],
      [tf.layers.thresholdedReLU({ theta: 0.1 }), { class_name: 'ThresholdedReLU', config: { theta: 0.1 } }],
      [tf.layers.activation({ activation: 'softsign' }), { class_name: 'Activation', config: { activation: 'softsign' } }],
      [tf.layers.activation({ activation: 'selu' }), { module: 'keras.activations', class_name: 'function', config: 'selu', registered_name: 'selu' }],
    ];
    for (const [reference, activationJson] of cases) {
      const { json, bytes, expected } = await filePair(reference, activationJson);
      assertClose(modelFromArtifacts(json, bytes).predict(input([3])), expected, { atol: 1e-6 });
    }
    // TF.js' ReLU has no slope: compare with Keras' formula on the Dense layer's linear output
    const { json, bytes } = await filePair(tf.layers.reLU(), { class_name: 'ReLU', config: { max_value: null, negative_slope: 0.5, threshold: 0.25 } });
    const model = modelFromArtifacts(json, bytes);
    assert.equal((model.layers[0] as unknown as { activation: { name: string } }).activation.name, 'ReLU(negativeSlope=0.5, threshold=0.25)');
    (json.modelTopology as { config: { layers: { config: { activation: unknown } }[] } }).config.layers[0].config.activation = 'linear';
    const linear = modelFromArtifacts(json, bytes).predict(input([3])).values;
    assertClose(
      model.predict(input([3])),
      [...linear].map((v) => (v > 0.25 ? v : 0.5 * (v - 0.25))),
      { atol: 1e-6 },
    );
  });

  test('a PReLU or an unknown class as an activation fails, naming the file and the layer', async () => {
    const { json, bytes } = await filePair(tf.layers.reLU(), { class_name: 'PReLU', config: {} });
    assert.throws(
      () => modelFromArtifacts(json, bytes),
      /layer 0 'out' \(Dense\): activation PReLU is not supported inside another layer \(its alpha is a weight\); put a PReLU layer after this one/,
    );
    json.modelTopology = JSON.parse(JSON.stringify(json.modelTopology).replace('"PReLU"', '"Swoosh"'));
    assert.throws(() => modelFromArtifacts(json, bytes), /activation 'Swoosh' is not supported \(supported: linear, relu/);
  });

  test('a model built with activationFromLayer saves and loads the same', () => {
    setSeed(5);
    const model = sequential([layers.dense({ units: 3, inputShape: [2], activation: activationFromLayer({ className: 'ELU', config: { alpha: 0.4 } }) })]);
    randomizeDendrite(model);
    const { modelJson, weightData } = modelToArtifacts(model);
    const x = randomUniform([4, 2], -3, 3);
    assertClose(modelFromArtifacts(modelJson, weightData).predict(x), model.predict(x).values, { rtol: 0, atol: 0 });
  });
});
