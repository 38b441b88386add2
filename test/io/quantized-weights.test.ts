// Quantised weights as the tensorflowjs converter writes them (--quantize_float16 / --quantize_uint8 /
// --quantize_uint16): the manifest keeps dtype float32 and says `quantization: {dtype, [min, scale,] original_dtype}`.
// The fixtures (test/fixtures/keras2-converted/keras215-cnn-*, quantised by the converter's own rules in
// scripts/keras-fixtures/make_model_file_fixtures.py) must load in dendrite as in TF.js; float16 is decoded exactly.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { decodeFloat16, readWeight } from '../../src/io/weights.js';
import { loadModel, modelFromArtifacts, tensor, type Tensor } from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { fileHandler, tfPredict } from './tfjs-files.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'keras2-converted');

before(async () => {
  await tf.setBackend('cpu');
});

test('float16 decodes exactly as TF.js decodes it, for all 65,536 values (subnormals, infinities, NaNs)', () => {
  const all = new Uint16Array(65536).map((_, i) => i);
  const ours = new Uint32Array(decodeFloat16(all).buffer);
  const [theirs] = Object.values(
    tf.io.decodeWeights(all.buffer, [{ name: 'w', shape: [65536], dtype: 'float32', quantization: { dtype: 'float16', original_dtype: 'float32' } as never }]),
  );
  const theirBits = new Uint32Array((theirs.dataSync() as Float32Array).slice().buffer);
  for (let i = 0; i < 65536; i++)
    if (ours[i] !== theirBits[i]) assert.fail(`half 0x${i.toString(16)}: 0x${ours[i].toString(16)} vs TF.js 0x${theirBits[i].toString(16)}`);
  const values = (bits: number[]) => Array.from(decodeFloat16(Uint16Array.from(bits)));
  // IEEE 754 binary16: the smallest subnormal, the largest subnormal, the smallest normal, the largest, 1, -2, -0
  assert.deepEqual(values([0x0001, 0x03ff, 0x0400, 0x7bff, 0x3c00, 0xc000]), [2 ** -24, 1023 * 2 ** -24, 2 ** -14, 65504, 1, -2]);
  assert.ok(Object.is(values([0x8000])[0], -0));
  assert.deepEqual(values([0x7c00, 0xfc00]), [Infinity, -Infinity]);
  assert.ok(Number.isNaN(values([0x7e00])[0]) && Number.isNaN(values([0xfc01])[0]));
});

for (const variant of ['float16', 'uint8', 'uint16']) {
  test(`a model quantised to ${variant} by the converter predicts as in TF.js, and as Keras with the same weights`, async () => {
    const folder = join(FIXTURES, `keras215-cnn-${variant}`);
    const json = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8'));
    assert.equal(json.weightsManifest[0].weights[0].quantization.dtype, variant);
    const expected = JSON.parse(await readFile(join(folder, 'expected.json'), 'utf8'));
    const [x] = expected.inputs;
    const input = tensor(x.values, x.shape);
    const model = await loadModel(folder);
    const ours = model.predict(input) as Tensor;
    const theirs = await tf.loadLayersModel(fileHandler(folder));
    assertClose(ours.values, tfPredict(theirs, input), { atol: 1e-6, rtol: 0 });
    assertClose(ours.values, expected.outputs[0].values, { atol: 1e-5, rtol: 0 });
    // and dendrite reads the same values TF.js does, weight by weight, bit for bit
    const theirWeights = theirs.getWeights();
    assert.equal(model.weights.length, theirWeights.length);
    for (const [i, w] of theirWeights.entries()) assert.deepEqual(model.weights[i].values, w.dataSync(), model.weights[i].name);
  });
}

test("a manifest entry of dtype 'float16' (no quantization) is read as the same values; TF.js refuses it", async () => {
  const folder = join(FIXTURES, 'keras215-cnn-float16');
  const json = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8'));
  const weights = new Uint8Array(await readFile(join(folder, 'group1-shard1of1.bin')));
  const quantised = modelFromArtifacts(json, weights);
  for (const entry of json.weightsManifest[0].weights) {
    delete entry.quantization;
    entry.dtype = 'float16';
  }
  const plain = modelFromArtifacts(json, weights);
  for (const [i, w] of plain.weights.entries()) assert.deepEqual(w.values, quantised.weights[i].values);
  await assert.rejects(
    tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weights.slice().buffer }),
    ),
    /Unsupported dtype in weight/,
  );
});

test('a float16 infinity or NaN in a weight is refused by name; float16 quantisation of a non-float32 weight too', () => {
  const spec = (extra: object) => ({
    name: 'dense/kernel',
    shape: [2],
    dtype: 'float32',
    quantization: { dtype: 'float16', original_dtype: 'float32' },
    ...extra,
  });
  const bytes = new Uint8Array(Uint16Array.from([0x3c00, 0x7c00]).buffer);
  assert.throws(() => readWeight(bytes, 0, spec({})), /weight 'dense\/kernel' holds Infinity \(value 1 of 2\)/);
  assert.deepEqual(Array.from(readWeight(bytes.slice(0, 2), 0, { ...spec({}), shape: [1] })), [1]);
  const json = {
    modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { units: 1, batch_input_shape: [null, 1] } }] } },
    weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'dense/kernel', shape: [1, 1], dtype: 'int32', quantization: { dtype: 'float16' } }] }],
  };
  assert.throws(() => modelFromArtifacts(json, new Uint8Array(2)), /quantised as float16, which stands for float32 weights only, not "int32"/);
});

test('uint8-quantised int32 values are rounded to whole numbers, as TF.js decodes them', () => {
  const q = { dtype: 'uint8', scale: 0.3, min: -1 };
  const raw = Uint8Array.from([0, 1, 2, 5]);
  assert.deepEqual(Array.from(readWeight(raw, 0, { name: 'w', shape: [4], dtype: 'int32', quantization: q })), [-1, -1, 0, 1]);
  const [theirs] = Object.values(tf.io.decodeWeights(raw.slice().buffer, [{ name: 'w', shape: [4], dtype: 'int32', quantization: q as never }]));
  assert.deepEqual(Array.from(theirs.dataSync()), [-1, -1, 0, 1]);
  assertClose(readWeight(raw, 0, { name: 'w', shape: [4], dtype: 'float32', quantization: q }), [-1, -0.7, -0.4, 0.5], { atol: 1e-7, rtol: 0 });
});
