// TF.js habits that used to misbehave in dendrite's main API without an error: file:// URLs for model folders,
// a number as an optimizer's learning rate, a custom layer named only by `static className`, gradients through
// `predict`, `sequential({ layers })`, and the `acc` spelling of the accuracy metric.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { grad, layers, loadModel, optimizers, randomNormal, sequential, setSeed, type Tensor, tensor } from '../../src/index.js';
import { assertClose } from '../helpers.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dendrite traps '));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('save and loadModel take file:// URLs (percent-encoded too) and refuse browser schemes by name', async () => {
  setSeed(1);
  const m = sequential([layers.dense({ units: 2, inputShape: [3] })]);
  const folder = join(dir, 'a model');
  const url = pathToFileURL(folder).href; // file:///tmp/dendrite%20traps%20.../a%20model
  assert.match(url, /%20/);
  await m.save(url);
  assert.ok(existsSync(join(folder, 'model.json')), 'written where the URL points');
  assert.ok(!existsSync('file:'), 'no folder named file: in the working directory');
  const back = await loadModel(url);
  const x = randomNormal([2, 3]);
  assert.deepEqual([...back.predict(x).values], [...m.predict(x).values]);
  for (const bad of ['localstorage://m', 'indexeddb://m', 'downloads://m', 'https://example.com/m']) {
    await assert.rejects(m.save(bad), /is a [a-z]+:\/\/ URL; in Node\.js dendrite saves and loads folders, given as a path or a file:\/\/ URL/);
    await assert.rejects(loadModel(bad), /loadModel: .* URL; in Node\.js dendrite saves and loads folders/);
  }
});

test('a number given to an optimizer is its learning rate; anything else unknown is an error', () => {
  assert.equal(optimizers.adam(0.05).learningRate, 0.05);
  assert.equal(optimizers.sgd(0.5).learningRate, 0.5);
  assert.equal(optimizers.rmsprop(0.2).learningRate, 0.2);
  assert.equal(optimizers.adagrad(0.3).learningRate, 0.3);
  assert.equal(optimizers.adamw(0.04).learningRate, 0.04);
  assert.equal(optimizers.adam().learningRate, 0.001, 'the default stays');
  assert.throws(() => optimizers.adam({ learningrate: 0.1 } as never), /adam\(\) takes a learning rate .* it has no option 'learningrate'/);
  assert.throws(
    () => optimizers.sgd('0.1' as never),
    /sgd\(\) takes a learning rate \(a number\) or an options object \{ learningRate, momentum, nesterov \}, got the string '0.1'/,
  );
  assert.throws(() => optimizers.sgd(-1), /learningRate must be a positive number, got -1/);
});

test('a custom layer named only by static className (TF.js style) summarises, and keeps its shape by default', () => {
  class Scale extends layers.Layer {
    static className = 'Scale';
    call(x: Tensor | Tensor[]): Tensor {
      return (x as Tensor).mul(2);
    }
  }
  const m = sequential([layers.dense({ units: 4, inputShape: [3], name: 'd' }), new Scale({ name: 'scale' })]);
  const table = m.summary(() => {});
  assert.match(table, /scale \(Scale\)\s+\(None, 4\)\s+0/);
  assert.equal(new Scale().className, 'Scale');
  assert.deepEqual(m.predict(randomNormal([2, 3])).shape, [2, 4]);
});

test('predict is differentiable where gradients are asked for, as in TF.js', () => {
  setSeed(3);
  const m = sequential([layers.dense({ units: 1, inputShape: [2] })]);
  const kernel = m.getWeights()[0].values;
  // d sum(x W + b) / dx = W^T for every row of x
  const g = grad((x) => m.predict(x).sum())(tensor([1, 2, 3, 4], [2, 2]));
  assertClose(g.values, [kernel[0], kernel[1], kernel[0], kernel[1]], { atol: 1e-7, rtol: 0 });
  const x = tensor([1, 2], [1, 2]);
  x.requiresGrad = true;
  m.predict(x).sum().backward();
  assertClose(x.grad!.values, kernel, { atol: 1e-7, rtol: 0 });
  // elsewhere predict records nothing, and differentiating its output says why
  const y = m.predict(tensor([1, 2], [1, 2])).sum();
  assert.equal(y.requiresGrad, false);
  assert.throws(() => y.backward(), /model\.predict and evaluate do not record gradients, for speed: call model\.apply\(x\)/);
});

test('sequential({ layers, name }) as TF.js takes it', () => {
  const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })], name: 'linear' });
  assert.equal(m.name, 'linear');
  assert.equal(m.layers.length, 1);
  assert.throws(
    () => sequential(layers.dense({ units: 1 }) as never),
    /sequential\(\) takes a list of layers or \{ layers, name \}, got the layer '.*' alone: put it in a list/,
  );
});

test("metrics: ['acc'] logs acc and val_acc, as TF.js and Keras do", async () => {
  setSeed(4);
  const m = sequential([layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })]);
  m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['acc'] });
  const h = await m.fit(randomNormal([8, 2]), tensor([0, 1, 0, 1, 0, 1, 0, 1], [8, 1]), { epochs: 1, verbose: 0, validationSplit: 0.25 });
  assert.deepEqual(Object.keys(h.history).sort(), ['acc', 'loss', 'val_acc', 'val_loss']);
});
