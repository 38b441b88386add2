// The CLI on a model.json converted from Keras 2.15 (test/fixtures/keras2-converted/keras215-cnn): summary shows its
// training config as compiled (Custom>Adam, MeanMetricWrapper accuracy), export writes an ONNX file that predicts
// as Keras did, and a training config dendrite cannot compile is named as such (not as no training config) and
// stops neither command.
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { assertClose } from '../helpers.js';
import { runCli } from './run-cli.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'keras2-converted', 'keras215-cnn');
let dir = '';
let uncompilable = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dendrite-cli-keras215-'));
  // the same file with a metric dendrite lacks
  uncompilable = join(dir, 'top-k');
  await mkdir(uncompilable);
  const json = JSON.parse(await readFile(join(FIXTURE, 'model.json'), 'utf8'));
  json.modelTopology.training_config.metrics = [
    [{ class_name: 'MeanMetricWrapper', config: { name: 'top2', dtype: 'float32', fn: 'top_k_categorical_accuracy', k: 2 } }],
  ];
  await writeFile(join(uncompilable, 'model.json'), JSON.stringify(json));
  await copyFile(join(FIXTURE, 'group1-shard1of1.bin'), join(uncompilable, 'group1-shard1of1.bin'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('summary of a Keras 2.15 converted file shows its compile settings', () => {
  const r = runCli(['summary', FIXTURE]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Total params: 363/);
  assert.match(r.stdout, /Compiled with optimizer Adam \(learning rate 0\.0010000000474974513\), loss categoricalCrossentropy, metrics accuracy\./);
  assert.doesNotMatch(r.stdout, /Not compiled/);
});

test('summary names a training config dendrite cannot compile, rather than saying there is none', () => {
  const r = runCli(['summary', uncompilable]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /Not compiled: dendrite cannot compile the file's training config \(its metrics\[0\]\[0\] "top2" \(MeanMetricWrapper of 'top_k_categorical_accuracy'\) is not supported .*\); it can predict/,
  );
  assert.doesNotMatch(r.stdout, /no training config/);
});

test('export --onnx writes a Keras 2.15 converted model that ONNX Runtime runs as Keras predicted, also when its training config cannot compile', async () => {
  const expected = JSON.parse(await readFile(join(FIXTURE, 'expected.json'), 'utf8'));
  const [x] = expected.inputs;
  for (const [i, folder] of [FIXTURE, uncompilable].entries()) {
    const out = join(dir, `model-${i}.onnx`);
    const r = runCli(['export', folder, '--onnx', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /input 'input' \[N, 8, 8, 1\] float32, output 'output' \[N, 3\]/);
    const session = await ort.InferenceSession.create(out);
    const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(x.values), x.shape) });
    assertClose(result[session.outputNames[0]].data as Float32Array, expected.outputs[0].values, { atol: 1e-5, rtol: 0 });
  }
});
