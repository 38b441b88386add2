// Graph models (`model({ inputs, outputs })`): building from symbolic tensors, the order of layers, errors for
// graphs that cannot run, predict on one or several inputs, shared layers, nested models, feature extractors,
// freezing, and the model's config.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  input,
  layers,
  loadModel,
  Model,
  model,
  optimizers,
  randomNormal,
  Sequential,
  sequential,
  setSeed,
  type SymbolicTensor,
  tensor,
  type Tensor,
} from '../../src/index.js';
import { assertClose } from '../helpers.js';

/** Deterministic values in [-1, 1) without touching the global generator. */
function ramp(shape: number[], offset = 0): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Array.from({ length: n }, (_, i) => (((i + offset) * 37) % 23) / 11.5 - 1),
    shape,
  );
}

describe('model(): building', () => {
  test('a chain: layers in order (inputs first), shapes, names, weights', () => {
    const x = input({ shape: [4], name: 'features' });
    const h = layers.dense({ units: 8, activation: 'relu', name: 'hidden' }).apply(x);
    const y = layers.dense({ units: 2, name: 'out' }).apply(h);
    const m = model({ inputs: x, outputs: y, name: 'chain' });
    assert.ok(m instanceof Model);
    assert.equal(m.name, 'chain');
    assert.equal(m.className, 'Model');
    assert.deepEqual(
      m.layers.map((l) => l.name),
      ['features', 'hidden', 'out'],
    );
    assert.deepEqual(m.inputNames, ['features']);
    assert.deepEqual(m.outputNames, ['out']);
    assert.deepEqual(m.inputShape, [null, 4]);
    assert.deepEqual(m.outputShape, [null, 2]);
    assert.deepEqual(m.inputs, [x]);
    assert.deepEqual(m.outputs, [y]);
    assert.equal(m.input, x);
    assert.equal(m.output, y);
    assert.equal(m.countParams(), 4 * 8 + 8 + 8 * 2 + 2);
    assert.equal(m.getLayer('hidden'), m.layers[1]);
    assert.equal(m.getLayer(2).name, 'out');
    assert.throws(() => m.getLayer('nope'), /Model 'chain' has no layer "nope" \(layers: features, hidden, out\)/);
  });

  test("the order of layers is Keras': by depth, then by first visit from the outputs", () => {
    const a = input({ shape: [3], name: 'a' });
    const b = input({ shape: [3], name: 'b' });
    const da = layers.dense({ units: 3, name: 'da' }).apply(a);
    const db = layers.dense({ units: 3, name: 'db' }).apply(layers.dense({ units: 3, name: 'db0' }).apply(b));
    const sum = layers.add({ name: 'sum' }).apply([da, db]);
    const m = model({ inputs: [a, b], outputs: sum });
    // b -> db0 -> db is deeper than a -> da, so b and db0 come first (as Keras orders them)
    assert.deepEqual(
      m.layers.map((l) => l.name),
      ['b', 'a', 'db0', 'da', 'db', 'sum'],
    );
  });

  test('a graph that cannot run is refused with an error naming what is missing', () => {
    const a = input({ shape: [2], name: 'in_a' });
    const b = input({ shape: [2], name: 'in_b' });
    const joined = layers.concatenate({ name: 'join' }).apply([a, b]);
    assert.throws(
      () => model({ inputs: a, outputs: joined }),
      /the graph is disconnected: layer 'join' \(Concatenate\) needs the input 'in_b', which is not among the model's inputs/,
    );
    const h = layers.dense({ units: 2, name: 'not_input' }).apply(a);
    assert.throws(() => model({ inputs: h, outputs: joined }), /inputs\[0\] is the output of layer 'not_input' \(Dense\), not a model input/);
    assert.throws(() => model({ inputs: [a, a], outputs: h }), /an input is given twice/);
    assert.throws(() => model({ inputs: a, outputs: [] }), /outputs must be a SymbolicTensor or a non-empty list/);
    assert.throws(() => model({ inputs: a, outputs: tensor([1]) as never }), /outputs must be a SymbolicTensor/);
    assert.throws(() => new Model({} as never), /model\(\) needs inputs and outputs/);
  });

  test('two layers of one name cannot be in one model', () => {
    const x = input({ shape: [2] });
    const y = layers.dense({ units: 2, name: 'twin' }).apply(layers.dense({ units: 2, name: 'twin' }).apply(x));
    assert.throws(() => model({ inputs: x, outputs: y }), /the name 'twin' is used by 2 layers; layer names must be unique/);
  });

  test('an input the outputs do not use still belongs to the model', () => {
    const a = input({ shape: [2], name: 'used' });
    const b = input({ shape: [5], name: 'unused' });
    const m = model({ inputs: [a, b], outputs: layers.dense({ units: 1 }).apply(a) });
    assert.deepEqual(m.inputNames, ['used', 'unused']);
    assert.deepEqual([...(m.predict([ramp([3, 2]), ramp([3, 5])]) as Tensor).shape], [3, 1]);
  });
});

describe('model(): running', () => {
  test('predict and apply on one input equal the layers applied by hand, in batches too', () => {
    setSeed(1);
    const x = input({ shape: [5] });
    const d1 = layers.dense({ units: 6, activation: 'tanh' });
    const d2 = layers.dense({ units: 3 });
    const m = model({ inputs: x, outputs: d2.apply(d1.apply(x)) });
    const data = ramp([23, 5]);
    const expected = d2.apply(d1.apply(data));
    assertClose(m.predict(data), expected.values);
    assertClose(m.predict(data, { batchSize: 4 }), expected.values);
    assertClose(m.apply(data), expected.values);
    assert.throws(() => m.predict(ramp([2, 4])), /expects input of shape \[null, 5\], got \[2, 4\]/);
    assert.throws(() => m.predict(tensor(3)), /predict\(\): x needs a batch axis/);
    assert.throws(() => m.predict([[1, 2]] as never), /predict\(\): x must be a Tensor, got an array/);
  });

  test('several inputs and outputs: lists in the model order, or objects keyed by name', () => {
    const a = input({ shape: [2], name: 'left' });
    const b = input({ shape: [3], name: 'right' });
    const both = layers.concatenate().apply([a, b]);
    const sum = layers.dense({ units: 1, kernelInitializer: 'ones', name: 'total' }).apply(both);
    const first = layers.dense({ units: 2, kernelInitializer: 'ones', name: 'pair' }).apply(a);
    const m = model({ inputs: [a, b], outputs: [sum, first] });
    const left = tensor([
      [1, 2],
      [3, 4],
    ]);
    const right = tensor([
      [10, 20, 30],
      [0, 0, 1],
    ]);
    const [total, pair] = m.predict([left, right]);
    assert.deepEqual(total.toArray(), [[63], [8]]);
    assert.deepEqual(pair.toArray(), [
      [3, 3],
      [7, 7],
    ]);
    const [byName] = m.predict({ right, left }, { batchSize: 1 });
    assert.deepEqual(byName.toArray(), [[63], [8]]);
    assert.throws(
      () => m.predict(left),
      /the model has 2 inputs \(left, right\); pass x as a list \[left, right\] or an object keyed by input name, got one Tensor/,
    );
    assert.throws(() => m.predict({ left, rigth: right }), /x has a key 'rigth' that is no input of the model \(did you mean 'right'\?\)/);
    assert.throws(() => m.predict({ left }), /x has no entry for the input 'right'/);
    assert.throws(() => m.predict([left, ramp([3, 3])]), /x\['left'\] has 2 samples but x\['right'\] has 3/);
  });

  test('a model made with a list of one output returns a list of one', () => {
    const x = input({ shape: [2] });
    const m = model({ inputs: x, outputs: [layers.dense({ units: 1 }).apply(x)] });
    const out = m.predict(ramp([3, 2]));
    assert.ok(Array.isArray(out));
    assert.equal(out.length, 1);
    assert.equal(m.outputKind, 'list');
  });

  test('each node runs once: a branch shared by two outputs is computed once per call', () => {
    let calls = 0;
    const x = input({ shape: [2] });
    const counted = layers.dense({ units: 2 });
    const original = counted.call.bind(counted);
    counted.call = (inputs, args) => {
      calls++;
      return original(inputs, args);
    };
    const h = counted.apply(x);
    const m = model({ inputs: x, outputs: [layers.dense({ units: 1 }).apply(h), layers.dense({ units: 1 }).apply(h)] });
    m.predict(ramp([4, 2]));
    assert.equal(calls, 1);
  });
});

describe('shared layers', () => {
  test('one layer applied to two inputs shares its weights; a siamese network trains them', async () => {
    setSeed(5);
    const left = input({ shape: [4], name: 'left' });
    const right = input({ shape: [4], name: 'right' });
    const encoder = layers.dense({ units: 3, activation: 'tanh', name: 'encoder' });
    const distance = layers.subtract().apply([encoder.apply(left), encoder.apply(right)]);
    const same = layers.dense({ units: 1, activation: 'sigmoid', name: 'same' }).apply(layers.multiply().apply([distance, distance]));
    const m = model({ inputs: [left, right], outputs: same });
    // the encoder counts once: kernel 4x3 + bias 3, then the head 3 + 1
    assert.equal(m.weights.length, 4);
    assert.equal(m.countParams(), 15 + 4);
    const n = 64;
    const a = randomNormal([n, 4]);
    const flip = Array.from({ length: n }, (_, i) => i % 2);
    const b = tensor(
      Array.from(a.values).map((v, i) => (flip[Math.floor(i / 4)] ? -v : v + 0.01)),
      [n, 4],
    );
    const labels = tensor(
      flip.map((f) => 1 - f),
      [n, 1],
    );
    m.compile({ optimizer: optimizers.adam({ learningRate: 0.03 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const before = encoder.getWeights()[0].dataSync();
    const history = await m.fit([a, b], labels, { epochs: 40, batchSize: 16, verbose: 0 });
    const losses = history.history.loss;
    assert.ok(losses[losses.length - 1] < losses[0] * 0.3, `loss went from ${losses[0]} to ${losses.at(-1)}`);
    assert.equal(history.history.accuracy.at(-1), 1);
    assert.notDeepEqual(encoder.getWeights()[0].dataSync(), before);
    // both branches read the same (updated) kernel
    assert.equal(encoder.inboundNodes.length, 2);
  });
});

describe('nested models', () => {
  test('a graph model and a Sequential used as layers: one node each, their weights shared', () => {
    setSeed(2);
    const innerIn = input({ shape: [3] });
    const inner = model({ inputs: innerIn, outputs: layers.dense({ units: 4, activation: 'relu', name: 'inner_dense' }).apply(innerIn), name: 'inner' });
    const seq = sequential([layers.dense({ units: 2, inputShape: [4], name: 'seq_dense' })], { name: 'head' });
    const x = input({ shape: [3], name: 'outer_in' });
    const y = seq.apply(inner.apply(x));
    const outer = model({ inputs: x, outputs: y, name: 'outer' });
    assert.deepEqual(
      outer.layers.map((l) => l.name),
      ['outer_in', 'inner', 'head'],
    );
    assert.equal(outer.countParams(), 3 * 4 + 4 + 4 * 2 + 2);
    assert.equal(outer.weights.length, 4);
    // node 0 of a model is its own graph; the call in the outer model is node 1
    assert.equal(inner.inboundNodes.length, 2);
    assert.equal((y as SymbolicTensor).nodeIndex, 1);
    const data = ramp([5, 3]);
    assertClose(outer.predict(data), seq.predict(inner.predict(data)).values);
    // the nested model still answers for itself
    assert.equal(inner.input, innerIn);
    assert.deepEqual([...inner.predict(data).shape], [5, 4]);
  });

  test('a Sequential nested before it is built is built by the call', () => {
    const seq = sequential([layers.dense({ units: 2, name: 'late' })]);
    const x = input({ shape: [6] });
    const m = model({ inputs: x, outputs: seq.apply(x) });
    assert.equal(seq.built, true);
    assert.deepEqual(seq.inputShape, [null, 6]);
    assert.deepEqual([...m.predict(ramp([2, 6])).shape], [2, 2]);
  });

  test('a Sequential has the graph of a chain once its input shape is known', () => {
    const seq = sequential([layers.dense({ units: 5, inputShape: [3], name: 'first' }), layers.dense({ units: 2, name: 'second' })]);
    assert.deepEqual(seq.inputNames, ['first_input']);
    assert.deepEqual(seq.outputNames, ['second']);
    assert.equal(seq.inputs[0].sourceLayer.name, 'first_input');
    assert.equal(seq.outputs[0], seq.getLayer('second').output);
    // its layers stay those added (no input layer), as in Keras
    assert.deepEqual(
      seq.layers.map((l) => l.name),
      ['first', 'second'],
    );
    assert.ok(seq instanceof Model);
    assert.throws(() => sequential([layers.dense({ units: 1 })], { name: 'unbuilt' }).inputs, /Model 'unbuilt' is not built yet, so it has no symbolic inputs/);
  });
});

describe('feature extractors', () => {
  test('model({ inputs: m.inputs, outputs: m.getLayer(name).output }) runs the model up to that layer, with its weights', () => {
    setSeed(3);
    const m = sequential([
      layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 1], name: 'conv2d_a' }),
      layers.conv2d({ filters: 3, kernelSize: 3, name: 'conv2d_b' }),
      layers.flatten(),
      layers.dense({ units: 2 }),
    ]);
    const features = model({ inputs: m.inputs, outputs: m.getLayer('conv2d_b').output });
    const images = ramp([2, 6, 6, 1]);
    const expected = m.getLayer('conv2d_b').apply(m.getLayer('conv2d_a').apply(images));
    assertClose(features.predict(images), expected.values, { shape: [2, 2, 2, 3] });
    assert.equal(features.weights[0], m.getLayer('conv2d_a').weights[0]);
  });
});

describe('freezing', () => {
  test('a frozen layer keeps its weights in fit; summary counts them as non-trainable', async () => {
    setSeed(4);
    const x = input({ shape: [3] });
    const frozen = layers.dense({ units: 4, name: 'frozen' });
    const head = layers.dense({ units: 1, name: 'head' });
    const m = model({ inputs: x, outputs: head.apply(frozen.apply(x)) });
    frozen.trainable = false;
    assert.deepEqual(
      m.trainableWeights.map((w) => w.name),
      ['head/kernel', 'head/bias'],
    );
    const before = frozen.getWeights().map((w) => w.dataSync());
    const headBefore = head.getWeights()[0].dataSync();
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await m.fit(ramp([16, 3]), ramp([16, 1], 5), { epochs: 2, verbose: 0 });
    assert.deepEqual(
      frozen.getWeights().map((w) => w.dataSync()),
      before,
    );
    assert.notDeepEqual(head.getWeights()[0].dataSync(), headBefore);
    const lines: string[] = [];
    m.summary((l) => lines.push(l));
    assert.ok(lines.includes('Total params: 21'));
    assert.ok(lines.includes('Trainable params: 5'));
    assert.ok(lines.includes('Non-trainable params: 16'));
    frozen.trainable = true;
    assert.equal(m.trainableWeights.length, 4);
  });

  test('model.trainable = false freezes every layer, nested ones too; a layer made frozen can be unfrozen', () => {
    const inner = sequential([layers.dense({ units: 2, inputShape: [2] }), layers.batchNormalization()]);
    const x = input({ shape: [2] });
    const outer = model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(inner.apply(x)) });
    inner.trainable = false;
    assert.ok(inner.layers.every((l) => !l.trainable));
    assert.equal(outer.trainableWeights.length, 2);
    assert.equal(outer.nonTrainableWeights.length, 6);
    outer.trainable = false;
    assert.equal(outer.trainableWeights.length, 0);
    outer.trainable = true;
    assert.equal(outer.trainableWeights.length, 2 + 2 + 2);
    const born = layers.dense({ units: 1, trainable: false, inputShape: [2] });
    sequential([born]);
    assert.equal(born.trainableWeights.length, 0);
    born.trainable = true;
    assert.equal(born.trainableWeights.length, 2);
    assert.ok(born.weights.every((w) => w.requiresGrad));
  });

  test('a frozen BatchNormalization runs in inference mode in a graph model too', async () => {
    setSeed(6);
    const x = input({ shape: [3] });
    const bn = layers.batchNormalization({ name: 'bn' });
    const m = model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(bn.apply(x)) });
    bn.trainable = false;
    const stats = bn.getWeights().map((w) => w.dataSync());
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    await m.fit(ramp([8, 3]), ramp([8, 1], 3), { epochs: 1, verbose: 0 });
    assert.deepEqual(
      bn.getWeights().map((w) => w.dataSync()),
      stats,
    );
  });
});

describe('a graph chain and the same Sequential', () => {
  test('train to bit-identical weights', async () => {
    const build = () => [layers.dense({ units: 8, activation: 'relu' }), layers.dense({ units: 3, activation: 'softmax' })];
    setSeed(9);
    const stack = build();
    const seq = sequential(stack, { name: 'as_sequential' });
    seq.build([null, 5]);
    const weights = seq.getWeights();
    const graphLayers = build();
    const x = input({ shape: [5] });
    const graph = model({ inputs: x, outputs: graphLayers[1].apply(graphLayers[0].apply(x)) });
    graph.setWeights(weights);
    const data = ramp([40, 5]);
    const labels = tensor(
      Array.from({ length: 40 }, (_, i) => i % 3),
      [40],
    );
    const results: number[][][] = [];
    for (const m of [seq, graph] as (Sequential | Model<Tensor>)[]) {
      setSeed(11);
      m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      await m.fit(data, labels, { epochs: 3, batchSize: 8, verbose: 0 });
      results.push(m.getWeights().map((w) => [...w.values]));
    }
    assert.deepEqual(results[1], results[0]);
  });
});

describe('config', () => {
  test('getConfig and toJSON describe the layers with the calls that connect them, as Keras and TF.js do', () => {
    const a = input({ shape: [2], name: 'ca' });
    const b = input({ shape: [2], name: 'cb' });
    const shared = layers.dense({ units: 2, name: 'cshared' });
    const out = layers.add({ name: 'csum' }).apply([shared.apply(a), shared.apply(b)]);
    const m = model({ inputs: [a, b], outputs: out, name: 'cfg' });
    const config = m.getConfig() as {
      name: string;
      layers: { name: string; className: string; inboundNodes: unknown[] }[];
      inputLayers: unknown;
      outputLayers: unknown;
    };
    assert.equal(config.name, 'cfg');
    assert.deepEqual(
      config.layers.map((l) => [l.name, l.className, l.inboundNodes]),
      [
        ['ca', 'InputLayer', []],
        ['cb', 'InputLayer', []],
        ['cshared', 'Dense', [[['ca', 0, 0, {}]], [['cb', 0, 0, {}]]]],
        [
          'csum',
          'Add',
          [
            [
              ['cshared', 0, 0, {}],
              ['cshared', 1, 0, {}],
            ],
          ],
        ],
      ],
    );
    assert.deepEqual(config.inputLayers, [
      ['ca', 0, 0],
      ['cb', 0, 0],
    ]);
    assert.deepEqual(config.outputLayers, [['csum', 0, 0]]);
    const json = JSON.parse(m.toJSON() as string);
    assert.equal(json.class_name, 'Model');
    assert.equal(json.config.layers[0].config.batch_input_shape[1], 2);
    assert.deepEqual(json.config.layers[3].inbound_nodes, config.layers[3].inboundNodes);
    assert.deepEqual(json.config.input_layers, config.inputLayers);
    assert.equal(json.config.layers[2].config.kernel_initializer.class_name, 'VarianceScaling');
    // a Sequential's toJSON is the topology its model.json holds
    const seq = sequential([layers.dense({ units: 1, inputShape: [2], name: 'only' })], { name: 'seqjson' });
    const seqJson = seq.toJSON(null, false) as { class_name: string; config: { layers: { config: { batch_input_shape: unknown } }[] } };
    assert.equal(seqJson.class_name, 'Sequential');
    assert.deepEqual(seqJson.config.layers[0].config.batch_input_shape, [null, 2]);
  });

  test('a nested model is referred to by its node 1, as Keras writes it', () => {
    const innerIn = input({ shape: [2] });
    const inner = model({ inputs: innerIn, outputs: layers.dense({ units: 2 }).apply(innerIn), name: 'nested_cfg' });
    const x = input({ shape: [2] });
    const outer = model({ inputs: x, outputs: layers.dense({ units: 1, name: 'after_nested' }).apply(inner.apply(x)) });
    const json = outer.toJSON(null, false) as { config: { layers: { name: string; class_name: string; inbound_nodes: unknown }[] } };
    const after = json.config.layers.find((l) => l.name === 'after_nested')!;
    assert.deepEqual(after.inbound_nodes, [[['nested_cfg', 1, 0, {}]]]);
    assert.equal(json.config.layers.find((l) => l.name === 'nested_cfg')!.class_name, 'Model');
  });

  test('a graph model saves and loads back as a graph model with the same predictions', async () => {
    const x = input({ shape: [2] });
    const h = layers.dense({ units: 3, activation: 'relu' }).apply(x);
    const m = model({ inputs: x, outputs: layers.add().apply([h, layers.dense({ units: 3 }).apply(x)]), name: 'saved_graph' });
    const dir = await mkdtemp(join(tmpdir(), 'dendrite-graph-save-'));
    try {
      await m.save(dir);
      const back = await loadModel(dir);
      assert.ok(!(back instanceof Sequential) && back.name === 'saved_graph');
      assert.deepEqual(
        back.layers.map((l) => l.className),
        m.layers.map((l) => l.className),
      );
      const xs = tensor([1, -2, 0.5, 3], [2, 2]);
      assert.deepEqual([...back.predict(xs).values], [...m.predict(xs).values]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
