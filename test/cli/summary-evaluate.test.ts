import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { layers, loadModel, mnist, reshape, sequential, setSeed, toCategorical } from '../../src/index.js';
import { runCli, STACK_LINE } from './run-cli.js';

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dendrite-cli-summary-'));
  setSeed(4);
  const mlp = sequential([layers.dense({ units: 16, activation: 'relu', inputShape: [784] }), layers.dense({ units: 10, activation: 'softmax' })], {
    name: 'tiny_mlp',
  });
  mlp.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await mlp.save(join(dir, 'mlp'));
  const cnn = sequential([
    layers.conv2d({ filters: 2, kernelSize: 5, strides: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    layers.flatten(),
    layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  cnn.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await cnn.save(join(dir, 'cnn'));
  const uncompiled = sequential([layers.dense({ units: 10, inputShape: [784] })]);
  await uncompiled.save(join(dir, 'uncompiled'));
  const wrongShape = sequential([layers.dense({ units: 10, inputShape: [20] })]);
  wrongShape.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  await wrongShape.save(join(dir, 'wrong-shape'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function oneLineError(args: string[], pattern: RegExp): void {
  const r = runCli(args);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, STACK_LINE, 'no stack trace');
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line, got:\n${r.stderr}`);
}

test('summary and evaluate have --help with an example, and are listed', () => {
  assert.match(runCli(['--help']).stdout, /summary[\s\S]*evaluate|evaluate[\s\S]*summary/);
  const s = runCli(['summary', '--help']);
  assert.equal(s.status, 0);
  assert.match(s.stdout, /dendrite summary .*model-dir/);
  const e = runCli(['evaluate', '--help']);
  assert.equal(e.status, 0);
  for (const flag of ['--data', '--test-size', '--batch-size']) assert.match(e.stdout, new RegExp(flag));
});

test('summary prints the Keras summary of a saved model and its compile settings', async () => {
  const r = runCli(['summary', join(dir, 'mlp')]);
  assert.equal(r.status, 0, r.stderr);
  const model = await loadModel(join(dir, 'mlp'));
  const table = model.summary(() => {});
  assert.ok(r.stdout.startsWith(table), r.stdout);
  assert.match(r.stdout, /Model: "tiny_mlp"/);
  assert.match(r.stdout, /Total params: 12,730/);
  assert.match(r.stdout, /Compiled with optimizer Adam \(learning rate 0\.001\), loss categoricalCrossentropy, metrics accuracy/);
  // the path of model.json works too
  assert.equal(runCli(['summary', join(dir, 'mlp', 'model.json')]).stdout, r.stdout);
  assert.match(runCli(['summary', join(dir, 'uncompiled')]).stdout, /Not compiled/);
});

test('evaluate prints the loss and accuracy on MNIST test images, as model.evaluate computes them', async () => {
  for (const [name, layout] of [
    ['mlp', [784]],
    ['cnn', [28, 28, 1]],
  ] as const) {
    const r = runCli(['evaluate', join(dir, name), '--data', 'mnist', '--test-size', '200']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /on 200 MNIST test images/);
    const model = await loadModel(join(dir, name));
    const data = await mnist({ trainSize: 1, testSize: 200 });
    const y = name === 'cnn' ? data.yTest : toCategorical(data.yTest, 10);
    const expected = model.evaluate(reshape(data.xTest, [200, ...layout]), y, { batchSize: 256 });
    assert.equal(r.stdout.match(/loss: (\S+)/)?.[1], expected.loss.toFixed(4));
    assert.equal(r.stdout.match(/accuracy: (\S+)%/)?.[1], (expected.accuracy * 100).toFixed(2));
  }
});

test('summary and evaluate errors are one line naming the problem', async () => {
  oneLineError(['summary', join(dir, 'nowhere')], /nowhere does not exist/);
  oneLineError(['summary'], /missing required argument 'model-dir'/);
  oneLineError(['evaluate', join(dir, 'mlp')], /required option '--data <name>' not specified/);
  oneLineError(['evaluate', join(dir, 'mlp'), '--data', 'cifar'], /--data must be one of mnist/);
  oneLineError(['evaluate', join(dir, 'mlp'), '--data', 'mnist', '--test-size', '0'], /--test-size must be an integer between 1 and 10000/);
  oneLineError(['evaluate', join(dir, 'uncompiled'), '--data', 'mnist'], /saved without its loss and metrics/);
  oneLineError(['evaluate', join(dir, 'wrong-shape'), '--data', 'mnist'], /expects inputs of shape \[null, 20\], but MNIST images are 28x28x1/);
  const broken = join(dir, 'broken');
  await rm(broken, { recursive: true, force: true });
  await import('node:fs/promises').then((fs) => fs.cp(join(dir, 'mlp'), broken, { recursive: true }));
  const text = await readFile(join(broken, 'model.json'), 'utf8');
  await writeFile(join(broken, 'model.json'), text.slice(0, 200));
  oneLineError(['summary', broken], /model\.json is not valid JSON/);
  oneLineError(['evaluate', broken, '--data', 'mnist'], /model\.json is not valid JSON/);
});
