// ONNX export of graph models (issue 14): residual blocks, a U-Net, several inputs and outputs, shared layers,
// nested models and every merge layer, each checked against ONNX Runtime's CPU provider on random weights.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import onnxProto, { type onnx } from 'onnx-proto';
import {
  input,
  Layer,
  layers,
  model,
  type Model,
  randomNormal,
  randomUniform,
  sequential,
  setSeed,
  type SymbolicShape,
  type SymbolicTensor,
  type Tensor,
} from '../../src/index.js';
import { onnxSignature, toOnnxModel } from '../../src/io/onnx/export.js';
import { assertClose } from '../helpers.js';

const { onnx: proto } = onnxProto;

function decodeGraph(bytes: Uint8Array): onnx.GraphProto {
  return proto.ModelProto.decode(bytes).graph as onnx.GraphProto;
}

/** Non-trivial values for every weight: biases and BatchNormalization statistics are not left at 0 / 1. */
function randomizeWeights(m: Model): void {
  for (const w of m.weights) {
    if (w.name.endsWith('/moving_variance')) w.assign(randomUniform(w.shape, 0.5, 2));
    else if (w.name.endsWith('/gamma')) w.assign(randomUniform(w.shape, 0.5, 1.5));
    else if (/\/(bias|beta|moving_mean)$/.test(w.name)) w.assign(randomNormal(w.shape, 0, 0.3));
  }
}

/** The model's outputs as a list, whatever kind it returns. */
function predictList(m: Model, xs: Tensor[]): Tensor[] {
  const y = m.predict(xs.length === 1 ? xs[0] : xs);
  return Array.isArray(y) ? y : [y];
}

/**
 * Exports `m` and checks that ONNX Runtime, fed by the graph's input names, gives `m.predict`'s outputs (each
 * by its output name, same shape, to 1e-5) for each batch size. Returns the decoded graph.
 */
async function checkAgainstOrt(m: Model, batches: readonly number[] = [1, 3]): Promise<onnx.GraphProto> {
  const bytes = toOnnxModel(m);
  const signature = onnxSignature(m);
  const session = await ort.InferenceSession.create(bytes);
  assert.deepEqual(
    [...session.inputNames],
    signature.inputs.map((t) => t.name),
    'ONNX input names',
  );
  assert.deepEqual(
    [...session.outputNames],
    signature.outputs.map((t) => t.name),
    'ONNX output names',
  );
  for (const n of batches) {
    const xs = m.inputShapes!.map((s) => randomNormal([n, ...(s.slice(1) as number[])]));
    const expected = predictList(m, xs);
    const feeds = Object.fromEntries(signature.inputs.map((t, i) => [t.name, new ort.Tensor('float32', xs[i].values, [...xs[i].shape])]));
    const result = await session.run(feeds);
    signature.outputs.forEach((t, i) => {
      const actual = result[t.name];
      assert.deepEqual([...actual.dims], [...expected[i].shape], `shape of output '${t.name}', batch ${n}`);
      assertClose(actual.data as Float32Array, expected[i].values, { atol: 1e-5, rtol: 1e-5 });
    });
  }
  return decodeGraph(bytes);
}

/** A conv, batch norm, relu, conv, batch norm, add (the shortcut), relu block (ResNet's basic block). */
function residualBlock(x: SymbolicTensor, filters: number, name: string): SymbolicTensor {
  let y = layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false, name: `${name}_conv1` }).apply(x);
  y = layers.batchNormalization({ name: `${name}_bn1` }).apply(y);
  y = layers.reLU({ name: `${name}_relu1` }).apply(y);
  y = layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false, name: `${name}_conv2` }).apply(y);
  y = layers.batchNormalization({ name: `${name}_bn2` }).apply(y);
  const sum = layers.add({ name: `${name}_add` }).apply([x, y]);
  return layers.activation({ activation: 'relu', name: `${name}_out` }).apply(sum);
}

test('a residual network (conv, batch norm, add shortcuts) matches ONNX Runtime, with no transposes inside the blocks', async () => {
  setSeed(1);
  const image = input({ shape: [8, 8, 3] });
  let x = layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(image);
  x = residualBlock(x, 4, 'block1');
  x = residualBlock(x, 4, 'block2');
  const logits = layers.dense({ units: 5, activation: 'softmax' }).apply(layers.globalAveragePooling2d().apply(x));
  const m = model({ inputs: image, outputs: logits });
  randomizeWeights(m);
  const graph = await checkAgainstOrt(m);
  // the shortcut and the block stay NCHW: one transpose in, none out (global pooling flattens NCHW itself)
  assert.equal(graph.node.filter((n) => n.opType === 'Transpose').length, 1);
  assert.deepEqual(
    graph.node.filter((n) => n.opType === 'Add' && n.name!.startsWith('block')).map((n) => n.name),
    ['block1_add/add', 'block2_add/add'],
  );
});

test('a U-Net (conv, pooling, up-sampling and transposed conv, concatenated skips) matches', async () => {
  setSeed(2);
  const image = input({ shape: [16, 12, 2] });
  const conv = (filters: number) => layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu' });
  const e1 = conv(4).apply(image);
  const e2 = conv(6).apply(layers.maxPooling2d({ poolSize: 2 }).apply(e1));
  const bottom = conv(8).apply(layers.maxPooling2d({ poolSize: 2 }).apply(e2));
  const u2 = layers.conv2dTranspose({ filters: 6, kernelSize: 2, strides: 2 }).apply(bottom);
  const d2 = conv(6).apply(layers.concatenate().apply([u2, e2]));
  const u1 = layers.upSampling2d({ size: 2 }).apply(d2);
  const d1 = conv(4).apply(layers.concatenate({ axis: 3 }).apply([e1, u1]));
  const mask = layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid' }).apply(d1);
  const m = model({ inputs: image, outputs: mask });
  randomizeWeights(m);
  const graph = await checkAgainstOrt(m);
  const concats = graph.node.filter((n) => n.opType === 'Concat');
  assert.deepEqual(
    concats.map((n) => Number(n.attribute![0].i)),
    [1, 1],
    'the skips join on the NCHW channel axis',
  );
  // one transpose at the input and one at the output: the skips add none
  assert.equal(graph.node.filter((n) => n.opType === 'Transpose').length, 2);
});

test('two inputs and two outputs are named as the model names them and fed by name', async () => {
  setSeed(3);
  const image = input({ shape: [6, 6, 1], name: 'image' });
  const meta = input({ shape: [3], name: 'meta' });
  const features = layers.flatten().apply(layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu' }).apply(image));
  const joined = layers.concatenate().apply([features, layers.dense({ units: 4, activation: 'tanh' }).apply(meta)]);
  const digit = layers.dense({ units: 10, activation: 'softmax', name: 'digit' }).apply(joined);
  const parity = layers.dense({ units: 1, activation: 'sigmoid', name: 'parity' }).apply(joined);
  const m = model({ inputs: [image, meta], outputs: [digit, parity] });
  randomizeWeights(m);
  const graph = await checkAgainstOrt(m);
  assert.deepEqual(
    graph.input.map((i) => i.name),
    ['image', 'meta'],
  );
  assert.deepEqual(
    graph.output.map((o) => o.name),
    ['digit', 'parity'],
  );
  assert.equal(graph.input[0].docString, 'NHWC images');
  // the outputs are written by the nodes that compute them (no Identity copies)
  assert.equal(graph.node.filter((n) => n.opType === 'Identity').length, 0);
});

test('one input and several outputs: `input`, and outputs named by their layers', async () => {
  setSeed(4);
  const x = input({ shape: [5] });
  const h = layers.dense({ units: 4, activation: 'relu', name: 'hidden' }).apply(x);
  const a = layers.dense({ units: 2, name: 'head_a' }).apply(h);
  const m = model({ inputs: x, outputs: [h, a] });
  randomizeWeights(m);
  const graph = await checkAgainstOrt(m);
  assert.deepEqual(
    graph.output.map((o) => o.name),
    ['hidden', 'head_a'],
  );
  assert.deepEqual(
    graph.input.map((i) => i.name),
    ['input'],
  );
  // `hidden` is an output and head_a's input: head_a reads the output's name
  assert.ok(graph.node.some((n) => n.opType === 'MatMul' && n.input!.includes('hidden')));
});

test('an input passed through, and one tensor given as two outputs, become Identity copies', async () => {
  setSeed(5);
  const x = input({ shape: [3], name: 'features' });
  const y = layers.dense({ units: 2, name: 'scores' }).apply(x);
  const m = model({ inputs: x, outputs: [x, y, y] });
  randomizeWeights(m);
  const graph = await checkAgainstOrt(m);
  assert.deepEqual(
    graph.output.map((o) => o.name),
    ['features', 'scores', 'scores_1'],
  );
  assert.equal(graph.node.filter((n) => n.opType === 'Identity').length, 2);
});

test('a shared layer (siamese towers) is stored once and referenced by both calls', async () => {
  setSeed(6);
  const left = input({ shape: [5, 5, 2], name: 'left' });
  const right = input({ shape: [5, 5, 2], name: 'right' });
  const conv = layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', name: 'shared_conv' });
  const pool = layers.globalMaxPooling2d({ name: 'shared_pool' });
  const embed = layers.dense({ units: 4, name: 'shared_embed' });
  const tower = (t: SymbolicTensor) => embed.apply(pool.apply(conv.apply(t)));
  const distance = layers.subtract().apply([tower(left), tower(right)]);
  const score = layers.dense({ units: 1, activation: 'sigmoid', name: 'score' }).apply(layers.multiply().apply([distance, distance]));
  const m = model({ inputs: [left, right], outputs: score });
  randomizeWeights(m);
  const graph = await checkAgainstOrt(m);
  const names = graph.initializer.map((t) => t.name ?? '');
  for (const weight of ['shared_conv/kernel', 'shared_conv/bias', 'shared_embed/kernel', 'shared_embed/bias']) {
    assert.equal(names.filter((n) => n.startsWith(weight)).length, 1, `${weight} stored once`);
  }
  assert.equal(graph.node.filter((n) => n.input!.includes('shared_conv/kernel')).length, 2, 'both convolutions read the one kernel');
  assert.equal(graph.node.filter((n) => n.input!.includes('shared_embed/kernel')).length, 2);
});

test('a nested Sequential and a nested graph model are inlined under their names, weights shared by a second call', async () => {
  setSeed(7);
  const encoder = sequential(
    [
      layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 1], name: 'enc_conv' }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.flatten(),
    ],
    { name: 'encoder' },
  );
  const headIn = input({ shape: [12] });
  const branchA = layers.dense({ units: 3, activation: 'relu', name: 'dense' }).apply(headIn);
  const branchB = layers.dense({ units: 3, activation: 'tanh', name: 'dense_b' }).apply(headIn);
  const head = model({ inputs: headIn, outputs: [layers.add().apply([branchA, branchB]), branchB], name: 'head' });
  const a = input({ shape: [6, 6, 1], name: 'a' });
  const b = input({ shape: [6, 6, 1], name: 'b' });
  const [sumA, bA] = head.apply(encoder.apply(a));
  const [sumB] = head.apply(encoder.apply(b));
  // an outer layer named like an inner one: the inner one's nodes are under `head/`
  const out = layers.dense({ units: 2, name: 'dense' }).apply(layers.concatenate().apply([sumA, bA, sumB]));
  const m = model({ inputs: [a, b], outputs: out });
  randomizeWeights(m);
  const graph = await checkAgainstOrt(m);
  const names = graph.initializer.map((t) => t.name ?? '');
  assert.ok(names.includes('encoder/enc_conv/kernel'));
  assert.ok(names.includes('head/dense/kernel'));
  assert.ok(names.includes('dense/kernel'));
  assert.equal(names.filter((n) => n.startsWith('encoder/enc_conv/kernel')).length, 1, 'the encoder called twice keeps one kernel');
  assert.equal(names.filter((n) => n.startsWith('head/dense_b/kernel')).length, 1, 'the head called twice keeps one kernel');
});

test('a Sequential containing a graph model and a Sequential exports as the chain', async () => {
  setSeed(8);
  const x = input({ shape: [4] });
  const inner = model({ inputs: x, outputs: layers.maximum().apply([layers.dense({ units: 3 }).apply(x), layers.dense({ units: 3 }).apply(x)]) });
  const m = sequential([layers.dense({ units: 4, inputShape: [4] }), inner, sequential([layers.dense({ units: 2, inputShape: [3] })])]);
  randomizeWeights(m);
  await checkAgainstOrt(m);
});

test('Add, Subtract, Multiply, Average, Maximum and Minimum match on features and on NCHW feature maps, with 2 and 3 inputs', async () => {
  setSeed(9);
  const merges = [layers.add, layers.subtract, layers.multiply, layers.average, layers.maximum, layers.minimum];
  for (const merge of merges) {
    const x = input({ shape: [5] });
    const branch = (activation: 'relu' | 'tanh' | 'sigmoid') => layers.dense({ units: 4, activation }).apply(x);
    const ins = merge === layers.subtract ? [branch('relu'), branch('tanh')] : [branch('relu'), branch('tanh'), branch('sigmoid')];
    const flat = model({ inputs: x, outputs: merge().apply(ins) });
    randomizeWeights(flat);
    await checkAgainstOrt(flat);

    const image = input({ shape: [5, 4, 2] });
    const conv = () => layers.conv2d({ filters: 3, kernelSize: 2, padding: 'same' }).apply(image);
    const maps = model({ inputs: image, outputs: layers.flatten().apply(merge().apply([conv(), conv()])) });
    randomizeWeights(maps);
    const graph = await checkAgainstOrt(maps);
    assert.equal(graph.node.filter((n) => n.opType === 'Transpose').length, 2, 'in once, out once: the merge stays NCHW');
  }
});

test('elementwise merges broadcast as Keras: a lower rank gains axes after the batch, sizes of 1 stretch, layouts mix', async () => {
  setSeed(10);
  const image = input({ shape: [4, 3, 2] });
  const maps = layers.conv2d({ filters: 2, kernelSize: 1 }).apply(image);
  const perChannel = input({ shape: [2] });
  const perRow = input({ shape: [4, 1, 1] });
  const perPixel = input({ shape: [4, 3, 2] });
  const sum = layers.add().apply([maps, perChannel, perRow]);
  const product = layers.multiply().apply([perPixel, sum]);
  const m = model({ inputs: [image, perChannel, perRow, perPixel], outputs: [sum, product, layers.maximum().apply([perChannel, perChannel])] });
  randomizeWeights(m);
  await checkAgainstOrt(m);
  const seq = input({ shape: [4, 3] });
  const vec = input({ shape: [3] });
  await checkAgainstOrt(model({ inputs: [seq, vec], outputs: layers.subtract().apply([vec, seq]) }));
});

test('Concatenate on every axis, of NCHW maps, of NHWC inputs, of the two mixed, and of features', async () => {
  setSeed(11);
  for (const axis of [-1, 1, 2, 3, -3]) {
    const image = input({ shape: [4, 4, 2] });
    const conv = layers.conv2d({ filters: 2, kernelSize: 1 }).apply(image);
    const m = model({ inputs: image, outputs: [layers.concatenate({ axis }).apply([conv, image]), layers.concatenate({ axis }).apply([image, image])] });
    randomizeWeights(m);
    await checkAgainstOrt(m);
  }
  const a = input({ shape: [3] });
  const b = input({ shape: [5] });
  const c = input({ shape: [2, 3] });
  const d = input({ shape: [4, 3] });
  await checkAgainstOrt(model({ inputs: [a, b, c, d], outputs: [layers.concatenate().apply([a, b, a]), layers.concatenate({ axis: 1 }).apply([c, d])] }));
});

test('Dot matches on vectors, on sequences with every pair of axes, negative axes and normalize (cosine similarity)', async () => {
  setSeed(12);
  const cases: { a: number[]; b: number[]; axes: number | [number, number]; normalize?: boolean }[] = [
    { a: [6], b: [6], axes: 1 },
    { a: [6], b: [6], axes: -1, normalize: true },
    { a: [5, 8], b: [8, 3], axes: [2, 1] },
    { a: [5, 8], b: [3, 8], axes: [2, 2] },
    { a: [8, 5], b: [8, 3], axes: 1, normalize: true },
    { a: [5, 8], b: [8], axes: [-1, 1] },
    { a: [4], b: [2, 3, 4], axes: [1, 3] },
    { a: [2, 3, 4], b: [3, 5], axes: [2, 1], normalize: true },
  ];
  for (const { a, b, axes, normalize } of cases) {
    const ia = input({ shape: a });
    const ib = input({ shape: b });
    const m = model({ inputs: [ia, ib], outputs: layers.dot({ axes, normalize }).apply([ia, ib]) });
    await checkAgainstOrt(m);
  }
  // after convolutions, the NCHW maps come back to NHWC for the products
  const image = input({ shape: [3, 3, 2] });
  const left = layers.conv2d({ filters: 2, kernelSize: 1 }).apply(image);
  const right = layers.conv2d({ filters: 2, kernelSize: 1 }).apply(image);
  const m = model({ inputs: image, outputs: layers.dot({ axes: 3 }).apply([left, right]) });
  randomizeWeights(m);
  await checkAgainstOrt(m);
});

test('a graph chain exports the same nodes and weights as the Sequential of its layers', () => {
  setSeed(13);
  const chain = [
    layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu' }),
    layers.batchNormalization(),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.flatten(),
    layers.dense({ units: 4, activation: 'softmax' }),
  ];
  const x = input({ shape: [8, 8, 1] });
  let y = x;
  for (const layer of chain) y = layer.apply(y) as typeof y;
  const graphModel = model({ inputs: x, outputs: y });
  randomizeWeights(graphModel);
  const fromGraph = decodeGraph(toOnnxModel(graphModel));
  const chained = sequential(chain);
  chained.build([null, 8, 8, 1]);
  const fromSequential = decodeGraph(toOnnxModel(chained));
  assert.deepEqual(fromGraph.node, fromSequential.node);
  assert.deepEqual(fromGraph.initializer, fromSequential.initializer);
  assert.deepEqual(fromGraph.input, fromSequential.input);
  assert.deepEqual(fromGraph.output, fromSequential.output);
});

class Doubler extends Layer {
  static readonly className = 'Doubler';
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
  call(x: Tensor): Tensor {
    return x.mul(2);
  }
}

test('a layer without an ONNX form inside a nested model is named, and so is a call made with training: true', () => {
  const innerIn = input({ shape: [3] });
  const inner = model({ inputs: innerIn, outputs: new Doubler({ name: 'doubler_inside' }).apply(innerIn), name: 'inner' });
  const x = input({ shape: [3] });
  const m = model({ inputs: x, outputs: layers.dense({ units: 2 }).apply(inner.apply(x)) });
  assert.throws(() => toOnnxModel(m), /cannot be exported to ONNX: it has a layer that has no ONNX form: 'doubler_inside' \(Doubler\)/);

  const y = layers.dropout({ rate: 0.5, name: 'mc_dropout' }).apply(x, { training: true });
  const mc = model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(y), name: 'mc' });
  assert.throws(() => toOnnxModel(mc), /Model 'mc' cannot be exported to ONNX: 'mc_dropout' \(Dropout\) in model 'mc' is called with training: true/);
});
