import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { layers, loadModel, randomNormal, sequential, setSeed, type Sequential } from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { runCli, STACK_LINE } from './run-cli.js';

let dir = '';
let model: Sequential;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dendrite-cli-export-'));
  setSeed(11);
  model = sequential([
    layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 1] }),
    layers.batchNormalization(),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.flatten(),
    layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  await model.save(join(dir, 'model'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('export --help shows the --onnx flag and an example', () => {
  const r = runCli(['export', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /--onnx <file>/);
  assert.match(r.stdout, /dendrite export .* --onnx /);
});

test('export MODEL_DIR --onnx writes a file ONNX Runtime runs with the same predictions', async () => {
  const out = join(dir, 'out', 'model.onnx');
  const r = runCli(['export', join(dir, 'model'), '--onnx', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Wrote .*model\.onnx \(ONNX opset 17, .*\): input 'input' \[N, 8, 8, 1\] float32, output 'output' \[N, 3\]/);
  const session = await ort.InferenceSession.create(out);
  const x = randomNormal([4, 8, 8, 1]);
  const result = await session.run({ input: new ort.Tensor('float32', x.values, [4, 8, 8, 1]) });
  assertClose(result.output.data as Float32Array, model.predict(x).values, { atol: 1e-4, rtol: 1e-4 });
});

test('export MODEL_DIR --keras writes a .keras file that loads back with the same predictions; --tfjs turns it back into a folder', async () => {
  const keras = join(dir, 'out', 'model.keras');
  const r = runCli(['export', join(dir, 'model'), '--keras', keras]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Wrote .*model\.keras \(Keras 3 \.keras, .* KiB, not compiled\)/);
  const x = randomNormal([3, 8, 8, 1]);
  assert.deepEqual((await loadModel(keras)).predict(x).values, model.predict(x).values);
  const folder = join(dir, 'out', 'from-keras');
  const back = runCli(['export', keras, '--tfjs', folder]);
  assert.equal(back.status, 0, back.stderr);
  assert.match(back.stdout, /Wrote .*from-keras\/model\.json and weights\.bin \(TensorFlow\.js layers format\)/);
  assert.deepEqual((await loadModel(folder)).predict(x).values, model.predict(x).values);
});

test('export of a Keras-written .keras file to ONNX runs in ONNX Runtime with Keras predictions', async () => {
  const fixture = join(import.meta.dirname, '..', 'fixtures', 'keras3');
  const expected = JSON.parse(await readFile(join(fixture, 'sequential_cnn.json'), 'utf8'));
  const out = join(dir, 'out', 'keras.onnx');
  const r = runCli(['export', join(fixture, 'sequential_cnn.keras'), '--onnx', out]);
  assert.equal(r.status, 0, r.stderr);
  const session = await ort.InferenceSession.create(out);
  const [x] = expected.x;
  const result = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.values), x.shape) });
  assertClose(result.output.data as Float32Array, expected.y[0].values, { atol: 1e-5, rtol: 1e-5 });
});

for (const [what, args, pattern] of [
  ['a missing model folder', () => ['export', join(dir, 'nope'), '--onnx', join(dir, 'x.onnx')], /model '.*nope' does not exist/],
  ['a file that is not a model', () => ['export', join(dir, 'empty', 'README'), '--onnx', join(dir, 'x.onnx')], /cannot load the model in '.*README'/],
  ['no output format', () => ['export', join(dir, 'model')], /choose a format, e\.g\. '--onnx model\.onnx'/],
  ['a folder without a model', () => ['export', join(dir, 'empty'), '--onnx', join(dir, 'x.onnx')], /cannot load the model in '.*empty'/],
  ['a missing argument', () => ['export'], /missing required argument 'model'/],
  ['a --keras name without .keras', () => ['export', join(dir, 'model'), '--keras', join(dir, 'x.zip')], /the file name must end in \.keras/],
] as const) {
  test(`export rejects ${what} with one line and a non-zero exit`, async () => {
    await mkdir(join(dir, 'empty'), { recursive: true });
    await writeFile(join(dir, 'empty', 'README'), 'not a model');
    const r = runCli(args());
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, STACK_LINE, 'no stack trace');
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line, got:\n${r.stderr}`);
  });
}

test('summary reads Keras files: a .keras archive and a legacy .h5 model, with their compile settings', () => {
  const fixtures = join(import.meta.dirname, '..', 'fixtures');
  const keras = runCli(['summary', join(fixtures, 'keras3', 'two_in_two_out.keras')]);
  assert.equal(keras.status, 0, keras.stderr);
  assert.match(keras.stdout, /cls \(Dense\) +\(None, 3\) +39/);
  assert.match(keras.stdout, /Compiled with optimizer RMSprop .* losses score: binaryCrossentropy, cls: categoricalCrossentropy/);
  const h5 = runCli(['summary', join(fixtures, 'keras-h5', 'cnn_bn', 'model.h5')]);
  assert.equal(h5.status, 0, h5.stderr);
  assert.match(h5.stdout, /Compiled with optimizer Adam .* loss categoricalCrossentropy, metrics accuracy/);
  const notKeras = runCli(['summary', join(fixtures, 'hdf5', 'types.h5')]);
  assert.notEqual(notKeras.status, 0);
  assert.match(notKeras.stderr, /types\.h5 has no model_config attribute: it is not a Keras model file/);
  assert.doesNotMatch(notKeras.stderr, STACK_LINE);
});
