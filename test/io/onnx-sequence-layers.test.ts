// ONNX export of the 1-D sequence layers of issue 18 (Conv1D, the 1-D poolings, global poolings with and without a
// mask, UpSampling1D, ZeroPadding1D, Cropping1D), with Embedding in front, each checked against ONNX Runtime's CPU
// provider on random weights.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { layers, randomNormal, Sequential, sequential, setSeed, tensor, toOnnxModel, type Tensor } from '../../src/index.js';
import { makeRng } from '../gradcheck.js';
import { assertClose } from '../helpers.js';

/** Non-trivial weights: biases are not left at 0. */
function randomizeBiases(model: Sequential): void {
  for (const w of model.weights) if (w.name.endsWith('/bias')) w.assign(randomNormal(w.shape, 0, 0.3));
}

async function runOnnx(bytes: Uint8Array, x: Tensor): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  const result = await session.run({ input: new ort.Tensor('float32', x.values, [...x.shape]) });
  return { data: result.output.data as Float32Array, dims: result.output.dims };
}

/** Exports `model` and checks ONNX Runtime's predictions against `model.predict` on each input. */
async function checkAgainstOrt(model: Sequential, inputs: readonly Tensor[]): Promise<void> {
  const bytes = toOnnxModel(model);
  for (const x of inputs) {
    const expected = model.predict(x);
    const actual = await runOnnx(bytes, x);
    assert.deepEqual([...actual.dims], [...expected.shape], `output shape for input ${JSON.stringify(x.shape)}`);
    assertClose(actual.data, expected.values, { atol: 1e-4, rtol: 1e-4 });
  }
}

/** Random real-valued sequences [n, ...shape]. */
const sequences = (n: number, shape: readonly number[]) => randomNormal([n, ...shape], 0, 1.5);

/** Token ids in 1..vocabulary-1, and 0 (padding) after a random length in each row. */
function ids(n: number, steps: number, vocabulary: number, seed: number): Tensor {
  const rand = makeRng(seed);
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const length = 1 + Math.floor(rand() * steps);
    for (let s = 0; s < steps; s++) values.push(s < length ? 1 + Math.floor(rand() * (vocabulary - 1)) : 0);
  }
  return tensor(values, [n, steps]);
}

test('Conv1D (valid, same, causal; strides, dilation, activations, no bias) and the 1-D poolings match', async () => {
  setSeed(1);
  const model = sequential([
    layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [17, 3] }),
    layers.conv1d({ filters: 5, kernelSize: 3, padding: 'causal', dilationRate: 2, activation: 'tanh' }),
    layers.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same' }),
    layers.conv1d({ filters: 3, kernelSize: 2, strides: 2, useBias: false, activation: 'softmax' }),
    layers.averagePooling1d({ poolSize: 2, strides: 1, padding: 'same' }),
    layers.conv1d({ filters: 2, kernelSize: 2, padding: 'causal', strides: 2 }),
    layers.averagePooling1d({ poolSize: 1 }),
    layers.globalMaxPooling1d(),
    layers.dense({ units: 2 }),
  ]);
  randomizeBiases(model);
  await checkAgainstOrt(model, [sequences(1, [17, 3]), sequences(3, [17, 3])]);
});

test('UpSampling1D, ZeroPadding1D, Cropping1D and the global poolings with keepDims match', async () => {
  setSeed(2);
  const model = sequential([
    layers.upSampling1d({ size: 3, inputShape: [5, 2] }),
    layers.zeroPadding1d({ padding: [2, 1] }),
    layers.cropping1d({ cropping: [1, 0] }),
    layers.conv1d({ filters: 3, kernelSize: 2 }),
    layers.cropping1d({ cropping: [0, 2] }),
    layers.globalAveragePooling1d({ keepDims: true }),
    layers.zeroPadding1d({ padding: 1 }),
    layers.globalMaxPooling1d({ keepDims: true }),
    layers.flatten(),
  ]);
  randomizeBiases(model);
  await checkAgainstOrt(model, [sequences(2, [5, 2])]);
});

test('sequences of unknown length: same padding, up-sampling and cropping computed at run time', async () => {
  setSeed(3);
  const model = new Sequential({
    layers: [
      layers.conv1d({ filters: 3, kernelSize: 4, strides: 2, padding: 'same', batchInputShape: [null, null, 2] }),
      layers.maxPooling1d({ poolSize: 2, padding: 'same' }),
      layers.upSampling1d({ size: 2 }),
      layers.cropping1d({ cropping: [1, 1] }),
      layers.globalAveragePooling1d(),
    ],
  });
  randomizeBiases(model);
  const bytes = toOnnxModel(model);
  for (const steps of [9, 14]) {
    const x = sequences(2, [steps, 2]);
    const actual = await runOnnx(bytes, x);
    assertClose(actual.data, model.predict(x).values, { atol: 1e-4, rtol: 1e-4 });
  }
});

test('Embedding -> Conv1D -> GlobalMaxPooling1D -> Dense on token ids', async () => {
  setSeed(4);
  const model = sequential([
    layers.embedding({ inputDim: 20, outputDim: 6, inputLength: 12 }),
    layers.conv1d({ filters: 8, kernelSize: 3, activation: 'relu' }),
    layers.globalMaxPooling1d(),
    layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  randomizeBiases(model);
  await checkAgainstOrt(model, [ids(1, 12, 20, 1), ids(4, 12, 20, 2)]);
});

test("GlobalAveragePooling1D reads Embedding({ maskZero })'s mask through Dense: the mean over the real tokens", async () => {
  setSeed(5);
  const model = sequential([
    layers.embedding({ inputDim: 15, outputDim: 4, maskZero: true, inputShape: [9] }),
    layers.dense({ units: 5, activation: 'tanh' }),
    layers.globalAveragePooling1d(),
    layers.dense({ units: 2 }),
  ]);
  randomizeBiases(model);
  const x = ids(5, 9, 15, 3);
  assert.ok(x.values.includes(0), 'some padding');
  await checkAgainstOrt(model, [x]);
  // the same model without the mask gives other predictions: the export does follow it
  const unmasked = sequential([
    layers.embedding({ inputDim: 15, outputDim: 4, inputShape: [9] }),
    layers.dense({ units: 5, activation: 'tanh' }),
    layers.globalAveragePooling1d(),
    layers.dense({ units: 2 }),
  ]);
  unmasked.setWeights(model.getWeights());
  const plain = await runOnnx(toOnnxModel(unmasked), x);
  assert.ok(plain.data.some((v, i) => Math.abs(v - model.predict(x).values[i]) > 1e-3));
});
