import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  layers,
  loadModel,
  type Model,
  oneHot,
  optimizers,
  randomNormal,
  regularizers,
  sequential,
  setSeed,
  type SymbolicTensor,
  type Tensor,
  tensor,
} from '../../src/index.js';
import { input, model as functional, modelFromKerasBytes, modelToKerasBytes } from '../../src/index.js';
import { describeWithKeras, REPO_ROOT, runPython } from '../keras/python.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'keras3');
const SCRIPT = join(REPO_ROOT, 'test', 'keras', 'keras3_files.py');
const TOLERANCE = 1e-5;

interface TensorJson {
  shape: number[];
  values: number[];
}
interface Expected {
  x: TensorJson[];
  y: TensorJson[];
  train: { x: TensorJson[]; y: TensorJson[] };
  y_after_step: TensorJson[];
}

const fromJson = (t: TensorJson) => tensor(Float32Array.from(t.values), t.shape);
const toJson = (t: Tensor): TensorJson => ({ shape: [...t.shape], values: [...t.values] });
const one = <T>(xs: T[]): T | T[] => (xs.length === 1 ? xs[0] : xs);
const asList = (y: Tensor | Tensor[]) => (Array.isArray(y) ? y : [y]);

function assertClose(actual: readonly Tensor[], expected: readonly TensorJson[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: number of outputs`);
  actual.forEach((a, k) => {
    assert.deepEqual([...a.shape], expected[k].shape, `${what}: output ${k} shape`);
    let worst = 0;
    a.values.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(v - expected[k].values[i]));
    });
    assert.ok(worst <= TOLERANCE, `${what}: output ${k} differs by ${worst}`);
  });
}

/** Loads a Keras-written `.keras` file, predicts as Keras did, then takes Keras' next training step from the saved optimizer state. */
async function checkKerasFile(path: string, expected: Expected, name: string): Promise<void> {
  const model = (await loadModel<Tensor | Tensor[]>(path)) as Model<Tensor | Tensor[]>;
  assert.ok(model.compiled, `${name}: compiled from compile_config`);
  const x = expected.x.map(fromJson);
  assertClose(asList(model.predict(one(x))), expected.y, `${name} predictions`);
  await model.fit(one(expected.train.x.map(fromJson)), one(expected.train.y.map(fromJson)), { batchSize: 4, epochs: 1, shuffle: false, verbose: 0 });
  assertClose(asList(model.predict(one(x))), expected.y_after_step, `${name} after one more step from the restored optimizer state`);
}

const NAMES = ['sequential_cnn', 'nested_functional', 'two_in_two_out'];

describe('.keras files written by Keras 3.15 (committed fixtures)', () => {
  for (const name of NAMES) {
    test(`${name}: the predictions and the next training step of Keras (to 1e-5)`, async () => {
      const expected = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Expected;
      await checkKerasFile(join(FIXTURES, `${name}.keras`), expected, name);
    });
  }

  test('loads as the model class Keras saved: Sequential or Model, layers in order', async () => {
    const seq = await loadModel(join(FIXTURES, 'sequential_cnn.keras'));
    assert.equal(seq.className, 'Sequential');
    assert.deepEqual(
      seq.layers.map((l) => l.className).filter((c) => c !== 'InputLayer'),
      ['Conv2D', 'BatchNormalization', 'DepthwiseConv2D', 'SeparableConv2D', 'MaxPooling2D', 'Flatten', 'Dense'],
    );
    const nested = await loadModel(join(FIXTURES, 'nested_functional.keras'), { compile: false });
    assert.equal(nested.className, 'Model');
    assert.equal(nested.compiled, null, '{ compile: false }');
  });
});

const dir = mkdtempSync(join(tmpdir(), 'dendrite-keras3-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A wide Sequential: every layer kind that Keras 3 has, trained a little with Adam. */
async function wideSequential(): Promise<Model> {
  setSeed(11);
  const m = sequential({ name: 'wide' });
  m.add(layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 2] }));
  m.add(layers.batchNormalization({}));
  m.add(layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }));
  m.add(layers.separableConv2d({ filters: 5, kernelSize: 3 }));
  m.add(layers.maxPooling2d({ poolSize: 2 }));
  m.add(layers.conv2dTranspose({ filters: 3, kernelSize: 2, strides: 2 }));
  m.add(layers.upSampling2d({ size: [2, 2] }));
  m.add(layers.averagePooling2d({ poolSize: 2 }));
  m.add(layers.zeroPadding2d({ padding: 1 }));
  m.add(layers.cropping2d({ cropping: 1 }));
  m.add(layers.leakyReLU({ alpha: 0.2 }));
  m.add(layers.prelu({}));
  m.add(layers.globalAveragePooling2d({}));
  m.add(layers.layerNormalization({}));
  m.add(layers.dense({ units: 6, activation: 'elu', kernelRegularizer: regularizers.l2({ l2: 0.01 }) }));
  m.add(layers.reshape({ targetShape: [2, 3] }));
  m.add(layers.permute({ dims: [2, 1] }));
  m.add(layers.flatten({}));
  m.add(layers.repeatVector({ n: 2 }));
  m.add(layers.flatten({}));
  m.add(layers.activation({ activation: 'tanh' }));
  m.add(layers.reLU({ maxValue: 6 }));
  m.add(layers.elu({}));
  m.add(layers.thresholdedReLU({ theta: 0.01 }));
  m.add(layers.dense({ units: 3 }));
  m.add(layers.softmax({}));
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await m.fit(randomNormal([16, 8, 8, 2]), oneHot(tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0]), 3), { epochs: 1, batchSize: 8, verbose: 0 });
  return m;
}

/** A graph: two inputs, a nested Sequential, a shared layer, two outputs; trained with SGD with momentum. */
async function twoOutputGraph(): Promise<Model<Tensor[]>> {
  setSeed(12);
  const a = input({ shape: [5], name: 'a' });
  const b = input({ shape: [5], name: 'b' });
  const inner = sequential({ name: 'inner', layers: [layers.dense({ units: 5, activation: 'relu', inputShape: [5] }), layers.dense({ units: 5 })] });
  const shared = layers.dense({ units: 4, activation: 'tanh', name: 'shared' });
  const ha = shared.apply(inner.apply(a) as SymbolicTensor) as SymbolicTensor;
  const hb = shared.apply(b) as SymbolicTensor;
  const joined = layers.concatenate({}).apply([ha, hb]) as SymbolicTensor;
  const score = layers.dense({ units: 1, activation: 'sigmoid', name: 'score' }).apply(joined) as SymbolicTensor;
  const diff = layers.subtract({}).apply([ha, hb]) as SymbolicTensor;
  const cls = layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(diff) as SymbolicTensor;
  const m = functional({ inputs: [a, b], outputs: [score, cls], name: 'two_outputs' });
  m.compile({ optimizer: new optimizers.SGD({ learningRate: 0.05, momentum: 0.9 }), loss: ['binaryCrossentropy', 'categoricalCrossentropy'] });
  const x = [randomNormal([8, 5]), randomNormal([8, 5])];
  const y = [tensor([[1], [0], [1], [1], [0], [0], [1], [0]]), oneHot(tensor([0, 1, 2, 0, 1, 2, 0, 1]), 3)];
  await m.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
  return m;
}

/** Every merge layer, global max pooling and the dropouts (which Keras and dendrite draw differently: predictions only). */
async function mergeGraph(): Promise<Model> {
  setSeed(13);
  const image = input({ shape: [6, 6, 2], name: 'image' });
  const pooled = layers.globalMaxPooling2d({}).apply(layers.spatialDropout2d({ rate: 0.2 }).apply(image) as SymbolicTensor) as SymbolicTensor;
  const a = layers.dense({ units: 4, name: 'left' }).apply(pooled) as SymbolicTensor;
  const b = layers.dense({ units: 4, name: 'right' }).apply(layers.dropout({ rate: 0.3 }).apply(pooled) as SymbolicTensor) as SymbolicTensor;
  const merged = [layers.add({}), layers.subtract({}), layers.multiply({}), layers.average({}), layers.maximum({}), layers.minimum({})].map(
    (l) => l.apply([a, b]) as SymbolicTensor,
  );
  const dot = layers.dot({ axes: 1, normalize: true }).apply([a, b]) as SymbolicTensor;
  const all = layers.concatenate({}).apply([...merged, dot]) as SymbolicTensor;
  const out = layers.dense({ units: 2, activation: 'softmax', name: 'out' }).apply(all) as SymbolicTensor;
  const m = functional({ inputs: image, outputs: out, name: 'merges' });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  return m;
}

describe('.keras files written by dendrite, read back by dendrite', () => {
  test('the same predictions, the same optimizer state: the next step agrees to float32 rounding', async () => {
    const m = await twoOutputGraph();
    const path = join(dir, 'self.keras');
    await m.save(path);
    const back = await loadModel<Tensor[]>(path);
    const x = [randomNormal([3, 5]), randomNormal([3, 5])];
    const before = m.predict(x);
    for (const [k, t] of back.predict(x).entries()) assert.deepEqual(t.values, before[k].values);
    const tx = [randomNormal([4, 5]), randomNormal([4, 5])];
    const ty = [tensor([[1], [0], [0], [1]]), oneHot(tensor([2, 1, 0, 2]), 3)];
    await m.fit(tx, ty, { epochs: 1, batchSize: 4, verbose: 0 });
    await back.fit(tx, ty, { epochs: 1, batchSize: 4, verbose: 0 });
    // the rebuilt graph may add the shared layer's two gradient contributions in the other order (the TF.js
    // format's round trip of this model does the same): a last-bit difference, hence 1e-6 rather than equality
    const after = m.predict(x).map(toJson);
    const afterBack = back.predict(x);
    for (const [k, t] of afterBack.entries()) {
      for (const [i, v] of t.values.entries()) assert.ok(Math.abs(v - after[k].values[i]) <= 1e-6, `output ${k} element ${i}: ${v} vs ${after[k].values[i]}`);
    }
  });

  test('save options of the TF.js format only, and .h5, are refused by name; nothing is written', async () => {
    const m = await wideSequential();
    await assert.rejects(m.save(join(dir, 'x.keras'), { metadata: { a: 1 } }), /metadata can be saved in the TF\.js format \(a folder\) only/);
    await assert.rejects(m.save(join(dir, 'x.h5')), /legacy Keras \.h5 file, which dendrite reads but does not write/);
    await assert.rejects(loadModel(join(dir, 'x.keras')), /does not exist/);
  });

  test('damaged archives: not a zip, no config.json, a weight of the wrong shape', async () => {
    const bad = join(dir, 'bad.keras');
    writeFileSync(bad, 'not a zip');
    await assert.rejects(loadModel(bad), /bad\.keras is not a readable zip archive/);
    const { zipSync, unzipSync } = await import('fflate');
    const members = unzipSync(readFileSync(join(FIXTURES, 'sequential_cnn.keras')));
    writeFileSync(bad, zipSync({ 'model.weights.h5': members['model.weights.h5'] }));
    await assert.rejects(loadModel(bad), /has no config\.json/);
    const config = JSON.parse(new TextDecoder().decode(members['config.json']));
    config.config.layers[1].config.filters = 5;
    writeFileSync(bad, zipSync({ ...members, 'config.json': new TextEncoder().encode(JSON.stringify(config)) }));
    await assert.rejects(loadModel(bad), /\/layers\/conv2d\/vars\/0 has shape \[3, 3, 2, 4\], but layer 'conv2d' needs \[3, 3, 2, 5\]/);
  });
});

test('a zip member larger than its limit is refused by its declared size, before it is inflated', async () => {
  const { zipSync } = await import('fflate');
  // 65 MiB of spaces deflate to a few dozen KB: a small file that would unpack past config.json's 64 MiB limit
  const bomb = zipSync({ 'config.json': new Uint8Array(65 * 2 ** 20).fill(0x20), 'model.weights.h5': new Uint8Array(8) }, { level: 9 });
  assert.ok(bomb.length < 2 ** 20, `the archive itself is small (${bomb.length} bytes)`);
  const path = join(dir, 'bomb.keras');
  writeFileSync(path, bomb);
  await assert.rejects(loadModel(path), /bomb\.keras: config\.json \(68157440 bytes, at most 67108864 read\) is too large/);
});

describeWithKeras('.keras files both ways with Keras 3 (live)', () => {
  test('Keras builds, trains and saves three models; dendrite predicts and steps as Keras (1e-5)', { timeout: 180_000 }, async () => {
    const out = join(dir, 'from-keras');
    await runPython(SCRIPT, ['make', out]);
    for (const name of NAMES) {
      const expected = JSON.parse(readFileSync(join(out, `${name}.json`), 'utf8')) as Expected;
      await checkKerasFile(join(out, `${name}.keras`), expected, name);
    }
  });

  for (const [name, make, optimizer, step] of [
    ['a Sequential of every layer kind Keras 3 has, Adam', wideSequential, 'Adam', true],
    ['a graph with two inputs and outputs, a nested Sequential and a shared layer, SGD with momentum', twoOutputGraph, 'SGD', true],
    ['a graph of every merge layer, global max pooling and both dropouts (their masks differ: no step)', mergeGraph, 'Adam', false],
  ] as const) {
    test(`${name}: Keras loads it compiled, predicts as dendrite${step ? ' and takes the same next step' : ''}, and its own save of it loads back (1e-5)`, {
      timeout: 180_000,
    }, async () => {
      const m = (await make()) as Model<Tensor | Tensor[]>;
      const path = join(dir, `${m.name}.keras`);
      await m.save(path);
      const inputs = m.inputs.map((s) => randomNormal([3, ...s.shape.slice(1).map(Number)]));
      const trainX = m.inputs.map((s) => randomNormal([4, ...s.shape.slice(1).map(Number)]));
      const outputs = asList(m.predict(one(inputs)));
      const trainY = outputs.map((o) => {
        const width = o.shape[1];
        return width === 1 ? tensor([[1], [0], [0], [1]]) : oneHot(tensor([0, 1, 2, 1].map((v) => v % width)), width);
      });
      const given = { x: inputs.map(toJson), ...(step ? { train: { x: trainX.map(toJson), y: trainY.map(toJson) } } : {}) };
      writeFileSync(join(dir, 'in.json'), JSON.stringify(given));
      const resaved = join(dir, `${m.name}-resaved.keras`);
      await runPython(SCRIPT, ['check', path, join(dir, 'in.json'), join(dir, 'out.json'), resaved]);
      const keras = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
      assert.equal(keras.compiled, true);
      assert.equal(keras.optimizer, optimizer);
      assert.equal(keras.iterations, (m.compiled!.optimizer as unknown as { iterations: number }).iterations);
      assertClose(outputs, keras.y, `${m.name}: Keras' predictions`);
      // Keras' own config and layout of every layer: the file Keras saved again loads in dendrite with its predictions
      assertClose(asList((await loadModel<Tensor | Tensor[]>(resaved)).predict(one(inputs))), keras.y, `${m.name}: as Keras saved it again`);
      if (!step) return;
      await m.fit(one(trainX), one(trainY), { batchSize: 4, epochs: 1, shuffle: false, verbose: 0 });
      assertClose(asList(m.predict(one(inputs))), keras.y_after_step, `${m.name}: after one step in each`);
    });
  }
});

describe('Keras files as bytes (browser-safe): modelFromKerasBytes and modelToKerasBytes', () => {
  test('a .keras archive and a legacy .h5 are told apart by their first bytes; other bytes are refused', async () => {
    const expected = JSON.parse(readFileSync(join(FIXTURES, 'sequential_cnn.json'), 'utf8')) as Expected;
    const fromZip = await modelFromKerasBytes(readFileSync(join(FIXTURES, 'sequential_cnn.keras')));
    assertClose([fromZip.predict(fromJson(expected.x[0]))], expected.y, 'modelFromKerasBytes(.keras)');
    const h5 = join(REPO_ROOT, 'test', 'fixtures', 'keras-h5', 'cnn_bn');
    const h5Expected = JSON.parse(readFileSync(join(h5, 'expected.json'), 'utf8'));
    const fromH5 = await modelFromKerasBytes(readFileSync(join(h5, 'model.h5')), { compile: false });
    assert.equal(fromH5.compiled, null);
    assertClose([fromH5.predict(fromJson(h5Expected.inputs[0])) as Tensor], h5Expected.outputs, 'modelFromKerasBytes(.h5)');
    await assert.rejects(modelFromKerasBytes(new TextEncoder().encode('{"modelTopology": {}}')), /neither a \.keras archive \(a zip\) nor a Keras \.h5 file/);
  });

  test('modelToKerasBytes gives the bytes that model.save writes to a .keras path, which load back the same', async () => {
    const m = await wideSequential();
    const bytes = await modelToKerasBytes(m);
    assert.deepEqual([...bytes.subarray(0, 2)], [0x50, 0x4b], 'a zip');
    const back = await modelFromKerasBytes(bytes);
    const x = randomNormal([2, 8, 8, 2]);
    assert.deepEqual((back.predict(x) as Tensor).values, (m.predict(x) as Tensor).values);
  });
});
