// ONNX export of the layers and activations added with issue 14, each checked against ONNX Runtime's CPU
// provider on random weights, in both stored layouts (after a convolution a value is NCHW, after Dense NHWC).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { layers, randomNormal, randomUniform, Sequential, sequential, setSeed, toOnnxModel, activationFromLayer, type Tensor } from '../../src/index.js';
import { assertClose } from '../helpers.js';

/** Non-trivial weights: biases and PReLU slopes are not left at 0. */
function randomizeWeights(model: Sequential): void {
  for (const w of model.weights) {
    if (w.name.endsWith('/alpha')) w.assign(randomUniform(w.shape, 0.05, 0.5));
    else if (w.name.endsWith('/bias')) w.assign(randomNormal(w.shape, 0, 0.3));
  }
}

async function runOnnx(bytes: Uint8Array, x: Tensor): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  const result = await session.run({ input: new ort.Tensor('float32', x.values, [...x.shape]) });
  return { data: result.output.data as Float32Array, dims: result.output.dims };
}

/** Exports `model` and checks ONNX Runtime's predictions against `model.predict` for each batch size. */
async function checkAgainstOrt(model: Sequential, batches: readonly number[] = [1, 3], sampleShape?: readonly number[]): Promise<void> {
  const bytes = toOnnxModel(model);
  for (const n of batches) {
    const x = randomNormal([n, ...(sampleShape ?? (model.inputShape!.slice(1) as number[]))], 0, 2);
    const expected = model.predict(x);
    const actual = await runOnnx(bytes, x);
    assert.deepEqual([...actual.dims], [...expected.shape], `output shape for batch ${n}`);
    assertClose(actual.data, expected.values, { atol: 1e-4, rtol: 1e-4 });
  }
}

test('the activation layers match on NCHW feature maps and on [N, F] features', async () => {
  setSeed(1);
  const activationLayers = () => [
    layers.reLU({ maxValue: 1.5 }),
    layers.prelu({ sharedAxes: [1, 2] }),
    layers.leakyReLU({ alpha: 0.15 }),
    layers.elu({ alpha: 0.6 }),
    layers.thresholdedReLU({ theta: 0.1 }),
    layers.reLU({ negativeSlope: 0.2, threshold: 0.3, maxValue: 2 }),
    layers.reLU({ negativeSlope: 0.1 }),
    layers.reLU(),
  ];
  const conv = sequential([layers.conv2d({ filters: 3, kernelSize: 2, inputShape: [5, 4, 2] }), ...activationLayers(), layers.globalAveragePooling2d()]);
  randomizeWeights(conv);
  await checkAgainstOrt(conv);
  const flat = sequential([layers.dense({ units: 6, inputShape: [4] }), ...activationLayers().slice(2), layers.prelu(), layers.dense({ units: 2 })]);
  randomizeWeights(flat);
  await checkAgainstOrt(flat);
});

test('a PReLU with one slope per pixel and channel follows the NCHW layout', async () => {
  setSeed(2);
  const model = sequential([layers.conv2d({ filters: 2, kernelSize: 2, inputShape: [4, 5, 1] }), layers.prelu(), layers.flatten()]);
  randomizeWeights(model);
  await checkAgainstOrt(model);
});

test('Softmax layers over the channels, over one spatial axis and over [height, width] match', async () => {
  setSeed(3);
  for (const axis of [-1, 1, 2, [1, 2], [2, 3]]) {
    const model = sequential([layers.conv2d({ filters: 3, kernelSize: 2, inputShape: [4, 5, 2] }), layers.softmax({ axis })]);
    randomizeWeights(model);
    await checkAgainstOrt(model);
  }
});

test('the activations relu6, selu, hardSigmoid, softsign and mish match, in Dense and in Conv2D', async () => {
  setSeed(4);
  for (const activation of ['relu6', 'selu', 'hardSigmoid', 'softsign', 'mish'] as const) {
    const dense = sequential([layers.dense({ units: 5, activation, inputShape: [4] }), layers.activation({ activation })]);
    randomizeWeights(dense);
    await checkAgainstOrt(dense);
    const conv = sequential([layers.conv2d({ filters: 3, kernelSize: 2, activation, inputShape: [4, 5, 2] }), layers.flatten()]);
    randomizeWeights(conv);
    await checkAgainstOrt(conv);
  }
});

test('SeparableConv2D (same and valid padding, strides, dilation, depth multiplier), Cropping2D and SpatialDropout2D match', async () => {
  setSeed(5);
  const model = sequential([
    layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu', inputShape: [11, 9, 3] }),
    layers.spatialDropout2d({ rate: 0.5 }),
    layers.cropping2d({
      cropping: [
        [1, 0],
        [0, 2],
      ],
    }),
    layers.separableConv2d({ filters: 3, kernelSize: [2, 3], dilationRate: [2, 1], useBias: false }),
    layers.flatten(),
  ]);
  randomizeWeights(model);
  await checkAgainstOrt(model);
});

test('Cropping2D on images of unknown size', async () => {
  setSeed(6);
  const open = new Sequential({
    layers: [
      layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', batchInputShape: [null, null, null, 2] }),
      layers.cropping2d({ cropping: [2, 1] }),
      layers.globalMaxPooling2d(),
    ],
  });
  randomizeWeights(open);
  await checkAgainstOrt(open, [2], [7, 6, 2]);
  await checkAgainstOrt(open, [1], [9, 5, 2]);
});

test('Permute (also straight after a convolution, in NCHW) and RepeatVector match', async () => {
  setSeed(7);
  const model = sequential([
    layers.conv2d({ filters: 3, kernelSize: 2, inputShape: [5, 4, 2] }),
    layers.permute({ dims: [3, 1, 2] }),
    layers.flatten(),
    layers.dense({ units: 4 }),
    layers.repeatVector({ n: 3 }),
    layers.permute({ dims: [2, 1] }),
    layers.dense({ units: 2 }),
  ]);
  randomizeWeights(model);
  await checkAgainstOrt(model);
});

test('an activation given as a Keras layer with parameters no name stands for is refused by name', () => {
  const model = sequential([
    layers.dense({ units: 2, inputShape: [3], name: 'leaky_dense', activation: activationFromLayer({ className: 'LeakyReLU', config: { alpha: 0.3 } }) }),
  ]);
  assert.throws(() => toOnnxModel(model), /'leaky_dense' \(Dense with the custom activation 'LeakyReLU\(alpha=0\.3\)'\)/);
});
