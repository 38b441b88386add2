import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  getRngState,
  initializers,
  layers,
  loadCheckpoint,
  loadModel,
  modelFromArtifacts,
  modelToArtifacts,
  optimizers,
  randomNormal,
  randomUniform,
  regularizers,
  sequential,
  setRngState,
  setSeed,
  toCategorical,
  type Model,
  type Sequential,
  type Tensor,
} from '../../src/index.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dendrite-load-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every layer class dendrite has, with non-default arguments. */
function everyLayer(): Sequential {
  return sequential(
    [
      layers.input({ shape: [8, 8, 2], name: 'image' }),
      layers.conv2d({
        filters: 3,
        kernelSize: [3, 2],
        padding: 'same',
        dilationRate: 2,
        activation: 'relu',
        kernelInitializer: 'heNormal',
        biasRegularizer: regularizers.l2({ l2: 0.1 }),
      }),
      layers.batchNormalization({ momentum: 0.9, epsilon: 0.01, center: false }),
      layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, useBias: false, depthwiseInitializer: initializers.randomNormal({ stddev: 0.2 }) }),
      layers.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
      layers.averagePooling2d({ poolSize: [2, 3] }),
      layers.zeroPadding2d({ padding: [1, 2] }),
      layers.upSampling2d({ size: 2, interpolation: 'bilinear' }),
      layers.conv2dTranspose({
        filters: 2,
        kernelSize: 2,
        strides: 2,
        activation: 'leakyRelu',
        kernelInitializer: initializers.varianceScaling({ scale: 0.5, mode: 'fanOut', distribution: 'untruncatedNormal' }),
      }),
      layers.globalMaxPooling2d({ keepDims: true }),
      layers.globalAveragePooling2d(),
      layers.reshape({ targetShape: [2, 1] }),
      layers.layerNormalization({ axis: [1, 2], epsilon: 1e-5 }),
      layers.flatten(),
      layers.dropout({ rate: 0.1, seed: 5 }),
      layers.dense({
        units: 4,
        activation: 'gelu',
        kernelInitializer: initializers.truncatedNormal({ stddev: 0.3 }),
        biasInitializer: initializers.constant({ value: 0.1 }),
      }),
      layers.activation({ activation: 'softmax', trainable: false }),
    ],
    { name: 'every_layer' },
  );
}

function randomize(model: Sequential): void {
  for (const w of model.weights) w.assign(w.name.endsWith('/moving_variance') ? randomUniform(w.shape, 0.5, 2) : randomNormal(w.shape, 0, 0.5));
}

function mlp(): Sequential {
  return sequential(
    [
      layers.dense({ name: 'hidden', units: 6, activation: 'relu', inputShape: [4] }),
      layers.dropout({ name: 'drop', rate: 0.2 }),
      layers.dense({ name: 'out', units: 3, activation: 'softmax' }),
    ],
    { name: 'mlp' },
  );
}

/** A small 3-class problem. */
function data(): { x: Tensor; y: Tensor } {
  setSeed(11);
  const x = randomNormal([40, 4]);
  const labels = Array.from({ length: 40 }, (_, i) => (x.values[4 * i] + x.values[4 * i + 1] > 0 ? (x.values[4 * i + 2] > 0 ? 2 : 1) : 0));
  return { x, y: toCategorical(labels, 3) };
}

/** A fresh seeded model unless one is given. */
function seededModel(): Sequential {
  setSeed(1);
  return randomizeAndReturn(mlp());
}

async function saved(name: string, model: Sequential = seededModel()): Promise<string> {
  const folder = join(dir, name);
  await model.save(folder);
  return folder;
}

function randomizeAndReturn(model: Sequential): Sequential {
  randomize(model);
  return model;
}

// biome-ignore lint/suspicious/noExplicitAny: the test edits model.json's free-form JSON at any depth
async function editJson(folder: string, edit: (json: any) => void): Promise<void> {
  const path = join(folder, 'model.json');
  const json = JSON.parse(await readFile(path, 'utf8'));
  edit(json);
  await writeFile(path, JSON.stringify(json));
}

test('every layer class survives save and load: same file, bit-identical weights, same predictions and summary', async () => {
  setSeed(3);
  const model = everyLayer();
  randomize(model);
  const folder = join(dir, 'every-layer');
  await model.save(folder);
  const loaded = await loadModel(folder);
  const first = modelToArtifacts(model);
  const again = modelToArtifacts(loaded);
  assert.deepEqual(again.modelJson.modelTopology, first.modelJson.modelTopology);
  assert.deepEqual(again.modelJson.weightsManifest, first.modelJson.weightsManifest);
  assert.deepEqual(again.weightData, first.weightData);
  const x = randomUniform([2, 8, 8, 2]);
  assert.deepEqual(loaded.predict(x).values, model.predict(x).values);
  // the input layer is implicit in the file (as in TF.js), so its shape moves onto the first layer
  const lines = (m: Model<Tensor>) =>
    m
      .summary(() => {})
      .split('\n')
      .slice(1);
  assert.deepEqual(lines(loaded), lines(model));
});

test('model.json follows the TF.js layers format and weights are little-endian float32, layer by layer', async () => {
  setSeed(4);
  const model = sequential([layers.dense({ units: 2, inputShape: [3], name: 'd' }), layers.batchNormalization({ name: 'bn' })], { name: 'm' });
  randomize(model);
  const { modelJson, weightData } = modelToArtifacts(model);
  assert.equal(modelJson.format, 'layers-model');
  assert.match(String(modelJson.generatedBy), /^dendrite /);
  assert.deepEqual(
    modelJson.weightsManifest![0].weights.map((w) => w.name),
    ['d/kernel', 'd/bias', 'bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance'],
  );
  const view = new DataView(weightData.buffer, weightData.byteOffset, weightData.byteLength);
  const all = model.weights.flatMap((w) => [...w.values]);
  assert.equal(weightData.length, 4 * all.length);
  all.forEach((v, i) => {
    assert.equal(view.getFloat32(4 * i, true), v);
  });
});

test('loading does not move the global random stream', async () => {
  const folder = await saved('rng');
  setSeed(99);
  const before = getRngState();
  await loadModel(folder);
  assert.deepEqual(getRngState(), before);
});

for (const [name, make] of [
  ['sgd with nesterov momentum', () => optimizers.sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
  ['adam', () => optimizers.adam({ learningRate: 0.01, beta1: 0.8 })],
  ['adamw', () => optimizers.adamw({ learningRate: 0.01, weightDecay: 0.05 })],
  ['centered rmsprop with momentum', () => optimizers.rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true })],
  ['adagrad', () => optimizers.adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.2 })],
] as const) {
  test(`${name}: a model saved with includeOptimizer continues training exactly as if never saved`, async () => {
    const { x, y } = data();
    setSeed(5);
    const model = mlp();
    model.compile({ optimizer: make(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    const folder = join(dir, `optimizer-${name.replace(/ /g, '-')}`);
    await model.save(folder, { includeOptimizer: true, trainingState: { epoch: 2, rngState: getRngState() } });

    const { model: loaded, epoch, rngState } = await loadCheckpoint(folder);
    assert.equal(epoch, 2);
    assert.equal(loaded.compiled?.optimizer.className, model.compiled!.optimizer.className);
    assert.deepEqual(loaded.compiled?.optimizer.getConfig(), model.compiled!.optimizer.getConfig());
    assert.equal(loaded.compiled?.optimizer.iterations, model.compiled!.optimizer.iterations);

    await model.fit(x, y, { epochs: 4, initialEpoch: 2, batchSize: 8, verbose: 0 });
    setRngState(rngState!);
    await loaded.fit(x, y, { epochs: 4, initialEpoch: 2, batchSize: 8, verbose: 0 });
    loaded.weights.forEach((w, i) => {
      assert.deepEqual(w.values, model.weights[i].values, w.name);
    });
  });
}

test('the compile settings come back: loss with fromLogits, metrics, and optimizers TF.js lacks (no TF.js training config then)', async () => {
  setSeed(6);
  const model = sequential([layers.dense({ units: 3, inputShape: [4] })]);
  model.compile({ optimizer: optimizers.adamw({ learningRate: 0.003 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy', 'mse'] });
  // fromLogits via a Loss object
  const { losses } = await import('../../src/index.js');
  model.compile({
    optimizer: optimizers.adamw({ learningRate: 0.003 }),
    loss: losses.getLoss('sparseCategoricalCrossentropy', { fromLogits: true }),
    metrics: ['accuracy', 'mse'],
  });
  const folder = join(dir, 'compile');
  await model.save(folder);
  const json = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8'));
  assert.equal(json.trainingConfig, undefined, 'TF.js has neither AdamW nor fromLogits in a training config');
  const loaded = await loadModel(folder);
  assert.equal(loaded.compiled?.optimizer.className, 'AdamW');
  assert.equal(loaded.compiled?.loss.lossName, 'sparseCategoricalCrossentropy');
  assert.equal(loaded.compiled?.loss.fromLogits, true);
  assert.deepEqual(
    loaded.compiled?.metrics.map((m) => m.name),
    ['accuracy', 'mse'],
  );
  assert.equal((await loadModel(folder, { compile: false })).compiled, null);
});

test('a Keras 3 style file loads: InputLayer with batch_shape, initializers by class name, dtype policies', () => {
  const dtype = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
  const json = {
    format: 'layers-model',
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 'keras3',
        trainable: true,
        dtype,
        layers: [
          {
            module: 'keras.layers',
            class_name: 'InputLayer',
            config: { batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'input_layer' },
            registered_name: null,
          },
          {
            module: 'keras.layers',
            class_name: 'Dense',
            config: {
              name: 'dense',
              trainable: true,
              dtype,
              units: 2,
              activation: 'relu',
              use_bias: true,
              kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null },
              bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
              kernel_regularizer: { module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.01 }, registered_name: null },
              bias_regularizer: null,
              kernel_constraint: null,
              bias_constraint: null,
            },
            registered_name: null,
          },
        ],
        build_input_shape: [null, 3],
      },
    },
    weightsManifest: [
      {
        paths: ['w.bin'],
        weights: [
          { name: 'dense/kernel', shape: [3, 2], dtype: 'float32' },
          { name: 'dense/bias', shape: [2], dtype: 'float32' },
        ],
      },
    ],
  };
  const values = new Float32Array([1, 2, 3, 4, 5, 6, -1, 0.5]);
  const model = modelFromArtifacts(json, values.buffer);
  assert.deepEqual(model.predict(randomUniform([1, 3]).mul(0).add(1)).toArray(), [[8, 12.5]]);
  assert.equal(model.getLayer('dense').getConfig().kernelRegularizer !== null, true);
});

test('quantised (uint8) weights from the TF.js converter are expanded', () => {
  const json = {
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'q', layers: [{ class_name: 'Dense', config: { name: 'd', units: 1, use_bias: false, batch_input_shape: [null, 2] } }] },
    },
    weightsManifest: [
      { paths: ['w.bin'], weights: [{ name: 'd/kernel', shape: [2, 1], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } }] },
    ],
  };
  const model = modelFromArtifacts(json, new Uint8Array([2, 6]));
  assert.deepEqual([...model.weights[0].values], [0, 2]);
});

// ---- damaged or foreign files: one message naming the file and what is wrong ----

async function rejects(folder: string, pattern: RegExp): Promise<void> {
  await assert.rejects(loadModel(folder), (error: Error) => {
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /\n/, 'one line');
    return true;
  });
}

test('a missing folder or model.json is named', async () => {
  await rejects(join(dir, 'nowhere'), /nowhere does not exist/);
  const empty = join(dir, 'empty');
  await import('node:fs/promises').then((fs) => fs.mkdir(empty, { recursive: true }));
  await rejects(empty, /empty[/\\]model\.json not found/);
});

test('invalid JSON is reported with the file and the line and column', async () => {
  const folder = await saved('bad-json');
  const path = join(folder, 'model.json');
  const text = await readFile(path, 'utf8');
  await writeFile(path, text.replace('"layers-model",', '"layers-model"'));
  await rejects(folder, /bad-json[/\\]model\.json is not valid JSON: .*\(line 3, column \d+\)/);
});

test('a missing weights file is named', async () => {
  const folder = await saved('no-weights');
  await unlink(join(folder, 'weights.bin'));
  await rejects(folder, /no-weights[/\\]weights\.bin is missing \(model\.json's weightsManifest\[0\]\.paths\[0\] lists it\)/);
});

test('truncated weights: expected and actual bytes', async () => {
  const folder = await saved('truncated');
  const bytes = await readFile(join(folder, 'weights.bin'));
  await writeFile(join(folder, 'weights.bin'), bytes.subarray(0, 100));
  await rejects(folder, new RegExp(`weights\\.bin is truncated: the 4 weights in .*model\\.json's weightsManifest need ${bytes.length} bytes, got 100`));
});

test('damaged weights (same size) fail the checksum', async () => {
  const folder = await saved('damaged');
  const bytes = await readFile(join(folder, 'weights.bin'));
  bytes[10] ^= 0xff;
  await writeFile(join(folder, 'weights.bin'), bytes);
  await rejects(folder, /weights\.bin does not match .*model\.json: its CRC-32 differs/);
});

test('a weight whose shape does not fit the layer is named with both shapes', async () => {
  const folder = await saved('shape');
  await editJson(folder, (json) => {
    json.modelTopology.config.layers[0].config.batch_input_shape = [null, 8];
    json.modelTopology.config.layers[1].config.units = 3;
    delete json.dendrite.files;
  });
  await rejects(folder, /weight 'hidden\/kernel' has shape \[4, 6\] in the weightsManifest but the model's 'hidden\/kernel' has shape \[8, 3\]/);
});

test('a missing weight in the manifest is named', async () => {
  const folder = await saved('count');
  const bytes = await readFile(join(folder, 'weights.bin'));
  await writeFile(join(folder, 'weights.bin'), bytes.subarray(0, bytes.length - 12));
  await editJson(folder, (json) => {
    json.weightsManifest[0].weights.pop();
    delete json.dendrite.files;
  });
  await rejects(
    folder,
    /the weightsManifest has no values for the model's weight 'out\/bias' \[3\]; it lists 3 model weights: 'hidden\/kernel', 'hidden\/bias', 'out\/kernel'/,
  );
});

test('an unknown layer class lists the supported ones', async () => {
  const folder = await saved('unknown-class');
  await editJson(folder, (json) => (json.modelTopology.config.layers[2].class_name = 'ConvLSTM2D'));
  await rejects(
    folder,
    /layer 2 'drop' \(ConvLSTM2D\): unknown layer class 'ConvLSTM2D'; dendrite can load InputLayer, Dense, Embedding, Activation, Dropout, Flatten, Reshape, Conv1D, MaxPooling1D/,
  );
});

test('features dendrite lacks are refused, naming the layer', async () => {
  const folder = await saved('constraint');
  await editJson(folder, (json) => (json.modelTopology.config.layers[1].config.kernel_constraint = { class_name: 'MaxNorm', config: { max_value: 2 } }));
  await rejects(folder, /layer 1 'hidden' \(Dense\): kernelConstraint .* is not supported by dendrite/);
  const functional = await saved('functional');
  await editJson(functional, (json) => (json.modelTopology.class_name = 'Functional'));
  // a Sequential config relabelled as functional lacks what a functional model names its inputs and outputs with
  await rejects(functional, /config\.input_layers is missing: a functional model names its inputs and outputs there/);
});

test('a training config naming an optimizer dendrite lacks is refused with the way to load the model for prediction', async () => {
  const folder = await saved('ftrl');
  await editJson(folder, (json) => {
    json.trainingConfig = { loss: 'categorical_crossentropy', metrics: [], optimizer_config: { class_name: 'Ftrl', config: { learning_rate: 0.01 } } };
  });
  await rejects(folder, /optimizer 'Ftrl' is not supported .* Load it with \{ compile: false \}/);
  const model = await loadModel(folder, { compile: false });
  assert.equal(model.compiled, null);
});

test('a missing optimizer.bin is named when the model was saved with its optimizer', async () => {
  setSeed(8);
  const model = mlp();
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const { x, y } = data();
  await model.fit(x, y, { epochs: 1, verbose: 0 });
  const folder = join(dir, 'no-optimizer');
  await model.save(folder, { includeOptimizer: true });
  await unlink(join(folder, 'optimizer.bin'));
  await rejects(folder, /optimizer\.bin is missing \(model\.json's dendrite\.optimizerState\.path lists it\)/);
  // without compiling, the optimizer's state is not needed
  assert.equal((await loadModel(folder, { compile: false })).compiled, null);
});

test('saving refuses what a file cannot hold', async () => {
  const custom = sequential([layers.dense({ units: 2, inputShape: [2], activation: (t) => t.mul(2) })]);
  await assert.rejects(custom.save(join(dir, 'custom')), /uses the custom activation .* which a model file cannot hold/);
  const unbuilt = sequential([layers.dense({ units: 2 })]);
  await assert.rejects(unbuilt.save(join(dir, 'unbuilt')), /is not built yet/);
  const uncompiled = await saved('uncompiled');
  void uncompiled;
  await assert.rejects(mlp().save(join(dir, 'uncompiled-opt'), { includeOptimizer: true }), /is not compiled, so it has no optimizer state/);
});

test('a damaged compile section names the part that is wrong', () => {
  const model = sequential([layers.dense({ units: 2, inputShape: [3] })]);
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError', metrics: ['mae'] });
  const { modelJson, weightData } = modelToArtifacts(model);
  const withCompile = (compile: unknown) => {
    const json = structuredClone(modelJson) as unknown as { dendrite: { compile: unknown } };
    json.dendrite.compile = compile;
    return json;
  };
  const compile = (modelJson as unknown as { dendrite: { compile: Record<string, unknown> } }).dendrite.compile;
  assert.throws(() => modelFromArtifacts(withCompile(true), weightData), /cannot compile the saved model: dendrite\.compile must be an object, got true/);
  assert.throws(() => modelFromArtifacts(withCompile({ ...compile, optimizer: null }), weightData), /dendrite\.compile\.optimizer must be an object, got null/);
  assert.throws(() => modelFromArtifacts(withCompile({ ...compile, metrics: true }), weightData), /dendrite\.compile\.metrics must be a list, got true/);
});
