// The CLI on saved graph models: summary prints Keras' table with its Connected to column, evaluate and
// predict take a graph model of one input and one output as they take a Sequential, export writes an ONNX file
// naming several inputs and outputs, and a model of two outputs is refused by evaluate in one line.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PNG } from 'pngjs';
import { input, layers, loadModel, model, setSeed, type SymbolicTensor } from '../../src/index.js';
import { assertOneLineError, runCli } from './run-cli.js';

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dendrite-cli-graph-'));
  setSeed(9);
  // a residual MNIST classifier: conv, then a block whose input is added back
  const image = input({ shape: [28, 28, 1], name: 'image' });
  const c = layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, activation: 'relu', name: 'stem' }).apply(image) as SymbolicTensor;
  const f = layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'inner' }).apply(c) as SymbolicTensor;
  const sum = layers.add({ name: 'skip' }).apply([f, c]) as SymbolicTensor;
  const pooled = layers.globalAveragePooling2d().apply(sum) as SymbolicTensor;
  const digit = layers.dense({ units: 10, activation: 'softmax', name: 'digit' }).apply(pooled) as SymbolicTensor;
  const res = model({ inputs: image, outputs: digit, name: 'res_mnist' });
  res.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await res.save(join(dir, 'res'));

  const a = input({ shape: [3], name: 'a' });
  const b = input({ shape: [2], name: 'b' });
  const joined = layers.concatenate().apply([a, b]) as SymbolicTensor;
  const two = model({
    inputs: [a, b],
    outputs: [
      layers.dense({ units: 1, name: 'score' }).apply(joined) as SymbolicTensor,
      layers.dense({ units: 2, name: 'pair' }).apply(joined) as SymbolicTensor,
    ],
    name: 'two_heads',
  });
  two.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  await two.save(join(dir, 'two'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('summary of a graph model prints its Keras table with the Connected to column', async () => {
  const r = runCli(['summary', join(dir, 'res')]);
  assert.equal(r.status, 0, r.stderr);
  const table = (await loadModel(join(dir, 'res'))).summary(() => {});
  assert.ok(r.stdout.startsWith(table), r.stdout);
  assert.match(r.stdout, /Connected to/);
  // Keras puts each of a call's inputs on its own line
  assert.match(r.stdout, /skip \(Add\)[^\n]*\['inner\[0\]\[0\]',\s*\n\s+'stem\[0\]\[0\]'\]/);
});

test('evaluate and predict take a graph model of one input and one output', async () => {
  const e = runCli(['evaluate', join(dir, 'res'), '--data', 'mnist', '--test-size', '50']);
  assert.equal(e.status, 0, e.stderr);
  assert.match(e.stdout, /accuracy/);

  // a blank 28x28 image: the model's prediction for it, as loadModel gives it
  const png = new PNG({ width: 28, height: 28 });
  png.data.fill(255);
  const file = join(dir, 'blank.png');
  await writeFile(file, PNG.sync.write(png));
  const p = runCli(['predict', join(dir, 'res'), file]);
  assert.equal(p.status, 0, p.stderr);
  assert.match(p.stdout, /blank\.png/);
});

test('export names the inputs and outputs of a model of several', async () => {
  const out = join(dir, 'two.onnx');
  const r = runCli(['export', join(dir, 'two'), '--onnx', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /inputs 'a' \[N, 3\], 'b' \[N, 2\] float32, outputs 'score' \[N, 1\], 'pair' \[N, 2\]/);
  assert.ok((await readFile(out)).length > 0);
});

test('evaluate refuses a model of two inputs and two outputs in one line, naming them', () => {
  assertOneLineError(['evaluate', join(dir, 'two'), '--data', 'mnist', '--test-size', '5'], /2 inputs \(a, b\) and 2 outputs \(score, pair\)/);
});
