import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { layers, randomNormal, sequential, setSeed, type Sequential } from '../../src/index.js';
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

for (const [what, args, pattern] of [
  ['a missing model folder', () => ['export', join(dir, 'nope'), '--onnx', join(dir, 'x.onnx')], /model folder '.*nope' does not exist/],
  ['a file that is not a model', () => ['export', join(dir, 'empty', 'README'), '--onnx', join(dir, 'x.onnx')], /cannot load the model in '.*README'/],
  ['no output format', () => ['export', join(dir, 'model')], /choose a format, e\.g\. '--onnx model\.onnx'/],
  ['a folder without a model', () => ['export', join(dir, 'empty'), '--onnx', join(dir, 'x.onnx')], /cannot load the model in '.*empty'/],
  ['a missing argument', () => ['export'], /missing required argument 'model-dir'/],
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
