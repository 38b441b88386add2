import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import onnxProto, { type onnx } from 'onnx-proto';
import {
  exportOnnx,
  layers,
  Layer,
  randomNormal,
  randomUniform,
  Sequential,
  sequential,
  setSeed,
  toOnnxModel,
  type SymbolicShape,
  type Tensor,
} from '../../src/index.js';
import { ONNX_IR_VERSION, ONNX_OPSET } from '../../src/io/onnx/export.js';
import { assertClose } from '../helpers.js';

const { onnx: proto } = onnxProto;

/** The decoded model's graph. */
function decodeGraph(bytes: Uint8Array): { model: onnx.ModelProto; graph: onnx.GraphProto } {
  const model = proto.ModelProto.decode(bytes);
  return { model, graph: model.graph as onnx.GraphProto };
}

/** A value's dims: numbers, or the symbolic name. */
function dimsOf(v: onnx.IValueInfoProto): (string | number)[] {
  return (v.type?.tensorType?.shape?.dim ?? []).map((d) => d.dimParam || Number(d.dimValue));
}

/** Non-trivial values for every weight: biases and BatchNormalization statistics are not left at 0 / 1. */
function randomizeWeights(model: Sequential): void {
  for (const w of model.weights) {
    if (w.name.endsWith('/moving_variance')) w.assign(randomUniform(w.shape, 0.5, 2));
    else if (w.name.endsWith('/gamma')) w.assign(randomUniform(w.shape, 0.5, 1.5));
    else if (/\/(bias|beta|moving_mean)$/.test(w.name)) w.assign(randomNormal(w.shape, 0, 0.3));
  }
}

/** Runs the exported bytes on ONNX Runtime's CPU provider. */
async function runOnnx(bytes: Uint8Array, x: Tensor): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  const result = await session.run({ input: new ort.Tensor('float32', x.values, [...x.shape]) });
  return { data: result.output.data as Float32Array, dims: result.output.dims };
}

/** Exports `model` and checks ONNX Runtime's predictions against `model.predict` for each batch size. */
async function checkAgainstOrt(model: Sequential, batches: readonly number[] = [1, 5], sampleShape?: readonly number[]): Promise<void> {
  const bytes = toOnnxModel(model);
  for (const n of batches) {
    const x = randomNormal([n, ...(sampleShape ?? (model.inputShape!.slice(1) as number[]))]);
    const expected = model.predict(x);
    const actual = await runOnnx(bytes, x);
    assert.deepEqual([...actual.dims], [...expected.shape], `output shape for batch ${n}`);
    assertClose(actual.data, expected.values, { atol: 1e-4, rtol: 1e-4 });
  }
}

test('an MNIST MLP (784-128-10 softmax) gives the same predictions in ONNX Runtime, batch 1 and 5', async () => {
  setSeed(1);
  const model = sequential([layers.dense({ units: 128, activation: 'relu', inputShape: [784] }), layers.dense({ units: 10, activation: 'softmax' })]);
  randomizeWeights(model);
  await checkAgainstOrt(model);
});

test('an MNIST CNN (conv, conv, max pool, dropout, flatten, dense) matches, batch 1 and 5', async () => {
  setSeed(2);
  const model = sequential([
    layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.dropout({ rate: 0.25 }),
    layers.flatten(),
    layers.dense({ units: 128, activation: 'relu' }),
    layers.dropout({ rate: 0.5 }),
    layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  randomizeWeights(model);
  await checkAgainstOrt(model);
});

test("a CNN with 'same' padding, strides, batch norm, depthwise conv, average pooling, padding, up-sampling and transposed conv matches", async () => {
  setSeed(3);
  const model = sequential([
    layers.input({ shape: [15, 13, 3] }),
    layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'elu' }),
    layers.batchNormalization(),
    layers.depthwiseConv2d({ kernelSize: [3, 2], depthMultiplier: 2, padding: 'same', strides: 2, activation: 'relu' }),
    layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
    layers.zeroPadding2d({
      padding: [
        [1, 2],
        [0, 3],
      ],
    }),
    layers.upSampling2d({ size: [2, 3] }),
    layers.conv2dTranspose({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'leakyRelu' }),
    layers.layerNormalization(),
    layers.conv2d({ filters: 5, kernelSize: [2, 4], dilationRate: [2, 1], activation: 'gelu' }),
    layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
    layers.globalAveragePooling2d(),
    layers.dense({ units: 7, activation: 'swish' }),
    layers.batchNormalization(),
    layers.dense({ units: 4, activation: 'softmax' }),
  ]);
  randomizeWeights(model);
  await checkAgainstOrt(model);
});

test('transposed convolutions with valid padding (also strides wider than the kernel), bilinear up-sampling and global max pooling match', async () => {
  setSeed(4);
  const model = sequential([
    layers.conv2dTranspose({ filters: 4, kernelSize: 2, strides: 3, inputShape: [5, 4, 2], activation: 'tanh' }),
    layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: [1, 2], dilationRate: [2, 1], activation: 'sigmoid' }),
    layers.conv2dTranspose({ filters: 3, kernelSize: 4, strides: 3, padding: 'same', useBias: false }),
    layers.conv2dTranspose({ filters: 2, kernelSize: 1, strides: 2, padding: 'same' }),
    layers.upSampling2d({ size: 2, interpolation: 'bilinear' }),
  ]);
  randomizeWeights(model);
  await checkAgainstOrt(model);
  for (const keepDims of [false, true]) {
    const pooled = sequential([
      layers.conv2d({ filters: 3, kernelSize: 2, inputShape: [5, 6, 2] }),
      layers.globalMaxPooling2d({ keepDims }),
      layers.dense({ units: 2 }),
    ]);
    randomizeWeights(pooled);
    await checkAgainstOrt(pooled);
  }
});

test('reshape, flatten, layer norm over [height, width], batch norm on NHWC inputs and softmax over channels match', async () => {
  setSeed(5);
  const model = sequential([
    layers.reshape({ targetShape: [6, 4, 2], inputShape: [48] }),
    layers.batchNormalization({ center: false }),
    layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'softplus' }),
    layers.layerNormalization({ axis: [1, 2], scale: false }),
    layers.activation({ activation: 'softmax' }),
    layers.conv2d({ filters: 4, kernelSize: 2, useBias: false }),
    layers.batchNormalization({ scale: false }),
    layers.layerNormalization({ axis: [1, 2, 3], center: false }),
    layers.reshape({ targetShape: [-1, 4] }),
    layers.dense({ units: 6, activation: 'relu' }),
    layers.layerNormalization({ axis: -1 }),
    layers.batchNormalization(),
    layers.flatten(),
    layers.dense({ units: 3 }),
  ]);
  randomizeWeights(model);
  await checkAgainstOrt(model);
});

test('every activation matches, both on [N, T, F] features (MatMul broadcasting) and on NCHW feature maps', async () => {
  setSeed(6);
  const names = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'leakyRelu', 'softplus', 'gelu', 'swish'] as const;
  for (const activation of names) {
    const dense = sequential([layers.dense({ units: 5, activation, inputShape: [3, 4] }), layers.activation({ activation }), layers.dense({ units: 2 })]);
    randomizeWeights(dense);
    await checkAgainstOrt(dense, [2]);
    const conv = sequential([
      layers.conv2d({ filters: 3, kernelSize: 2, activation, inputShape: [4, 5, 2] }),
      layers.activation({ activation }),
      layers.globalAveragePooling2d({ keepDims: true }),
    ]);
    randomizeWeights(conv);
    await checkAgainstOrt(conv, [2]);
  }
});

test('images of unknown size export with symbolic height and width (padding computed at run time)', async () => {
  setSeed(7);
  const open = new Sequential({
    layers: [
      layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', batchInputShape: [null, null, null, 2] }),
      layers.averagePooling2d({ poolSize: 2, strides: 2, padding: 'same' }),
      layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }),
      layers.globalAveragePooling2d(),
      layers.dense({ units: 2 }),
    ],
  });
  randomizeWeights(open);
  await checkAgainstOrt(open, [3], [9, 7, 2]);
  await checkAgainstOrt(open, [2], [8, 11, 2]);
  const { graph } = decodeGraph(toOnnxModel(open));
  assert.deepEqual(dimsOf(graph.input[0]), ['N', 'd1', 'd2', 2]);
});

test('the file holds opset 17, input `input` [N, ...] float32 and output `output`, with the weights as initializers', () => {
  setSeed(8);
  const model = sequential([layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [6, 6, 1] }), layers.flatten(), layers.dense({ units: 3 })]);
  const { model: decoded, graph } = decodeGraph(toOnnxModel(model));
  assert.equal(Number(decoded.irVersion), ONNX_IR_VERSION);
  assert.deepEqual(
    decoded.opsetImport.map((o) => [o.domain, Number(o.version)]),
    [['', ONNX_OPSET]],
  );
  assert.equal(ONNX_OPSET, 17);
  assert.deepEqual(
    graph.input.map((i) => i.name),
    ['input'],
  );
  assert.deepEqual(
    graph.output.map((o) => o.name),
    ['output'],
  );
  assert.deepEqual(dimsOf(graph.input[0]), ['N', 6, 6, 1]);
  assert.deepEqual(dimsOf(graph.output[0]), ['N', 3]);
  assert.equal(graph.input[0].type!.tensorType!.elemType, proto.TensorProto.DataType.FLOAT);
  const kernel = graph.initializer.find((t) => t.name === `${model.layers[0].name}/kernel`)!;
  assert.deepEqual((kernel.dims ?? []).map(Number), [2, 1, 3, 3], 'Conv kernel as [out, in, kh, kw]');
  assert.deepEqual(
    graph.node.map((n) => n.opType),
    ['Transpose', 'Conv', 'Transpose', 'Flatten', 'MatMul', 'Add'],
  );
});

class Doubler extends Layer {
  static readonly className = 'Doubler';
  constructor() {
    super({}, 'Doubler');
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
  call(x: Tensor): Tensor {
    return x.mul(2);
  }
}

test('a model with layers that cannot be exported fails with one error naming each of them', () => {
  const cube = (x: Tensor): Tensor => x.mul(x).mul(x);
  const model = sequential([
    layers.dense({ units: 4, inputShape: [3], name: 'fine' }),
    new Doubler(),
    layers.dense({ units: 2, activation: cube, name: 'cubed' }),
  ]);
  assert.throws(
    () => toOnnxModel(model),
    (e: Error) => {
      assert.match(e.message, /cannot be exported to ONNX/);
      assert.match(e.message, /2 layers/);
      assert.match(e.message, /'doubler(_\d+)?' \(Doubler\)/);
      assert.match(e.message, /'cubed' \(Dense with the custom activation 'cube'\)/);
      assert.doesNotMatch(e.message, /'fine'/);
      assert.match(e.message, /Exportable layers: .*Conv2D/);
      return true;
    },
  );
});

test('an unbuilt model cannot be exported and says how to build it', () => {
  const model = sequential([layers.dense({ units: 2 })]);
  assert.throws(() => toOnnxModel(model), /not built yet.*inputShape/);
});

test('exportOnnx and model.exportOnnx write a file ONNX Runtime loads, leaving no temporary files', async () => {
  setSeed(9);
  const dir = await mkdtemp(join(tmpdir(), 'dendrite-onnx-'));
  try {
    const model = sequential([layers.dense({ units: 3, activation: 'tanh', inputShape: [4] })]);
    await exportOnnx(model, join(dir, 'a.onnx'));
    await model.exportOnnx(join(dir, 'nested', 'b.onnx'));
    assert.deepEqual((await readdir(dir)).sort(), ['a.onnx', 'nested']);
    assert.deepEqual(await readdir(join(dir, 'nested')), ['b.onnx']);
    const x = randomNormal([2, 4]);
    for (const file of [join(dir, 'a.onnx'), join(dir, 'nested', 'b.onnx')]) {
      const session = await ort.InferenceSession.create(file);
      const out = await session.run({ input: new ort.Tensor('float32', x.values, [2, 4]) });
      assertClose(out.output.data as Float32Array, model.predict(x).values, { atol: 1e-5 });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
