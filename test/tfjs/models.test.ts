// dendrite/tfjs' models against real TensorFlow.js: the same network with the same weights evaluates to the
// same scalars, `save` hands a TF.js IOHandler the artifacts TF.js loads, and `loadLayersModel` takes TF.js'
// own handlers, file:// URLs, and gives TF.js' classes back.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import * as tfjs from '@tensorflow/tfjs';
import { randomUniform, setSeed, type Tensor } from '../../src/index.js';
import * as tf from '../../src/tfjs/index.js';
import { assertClose } from '../helpers.js';

let dir: string;
before(async () => {
  await tfjs.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'dendrite-tfjs-models-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The same Sequential in both: dense 4 -> 3 relu -> 2 softmax, compiled alike; dendrite's weights copied into TF.js'. */
function pair(): { ours: tf.Sequential; theirs: tfjs.Sequential } {
  setSeed(8);
  const ours = tf.sequential({
    layers: [tf.layers.dense({ units: 3, activation: 'relu', inputShape: [4] }), tf.layers.dense({ units: 2, activation: 'softmax' })],
  });
  const theirs = tfjs.sequential({
    layers: [tfjs.layers.dense({ units: 3, activation: 'relu', inputShape: [4] }), tfjs.layers.dense({ units: 2, activation: 'softmax' })],
  });
  theirs.setWeights(ours.getWeights().map((w) => tfjs.tensor(w.values, [...w.shape])));
  ours.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  theirs.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return { ours, theirs };
}

const toTfjs = (t: Tensor) => tfjs.tensor(t.values, [...t.shape]);

test('evaluate returns [loss, accuracy] as scalars equal to TF.js', () => {
  const { ours, theirs } = pair();
  const x = randomUniform([6, 4], -1, 1);
  const y = randomUniform([6, 2]); // soft labels
  const a = ours.evaluate(x, y) as Tensor[];
  const b = theirs.evaluate(toTfjs(x), toTfjs(y)) as tfjs.Scalar[];
  assert.ok(Array.isArray(a) && a.length === 2);
  for (const [i, s] of a.entries()) {
    assert.deepEqual(s.shape, []);
    assertClose([s.values[0]], b[i].dataSync(), { atol: 1e-5, rtol: 0 });
  }
  // with no metric, one scalar
  ours.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const only = ours.evaluate(x, y) as Tensor;
  assert.ok(!Array.isArray(only));
  assert.deepEqual(only.shape, []);
});

test('save through a TF.js IOHandler gives artifacts TF.js loads, predicting the same', async () => {
  const { ours } = pair();
  let captured: tfjs.io.ModelArtifacts | undefined;
  const result = await ours.save(
    tfjs.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  assert.equal(result.modelArtifactsInfo.modelTopologyType, 'JSON');
  const loaded = await tfjs.loadLayersModel(tfjs.io.fromMemory(captured!));
  const x = randomUniform([3, 4], -1, 1);
  assertClose(ours.predict(x).values, (loaded.predict(toTfjs(x)) as tfjs.Tensor).dataSync(), { atol: 1e-6, rtol: 0 });
});

test('loadLayersModel takes TF.js handlers: a TF.js functional model loads as a tf.LayersModel and predicts the same', async () => {
  const a = tfjs.input({ shape: [3], name: 'a' });
  const h = tfjs.layers.dense({ units: 4, activation: 'tanh', name: 'h' }).apply(a) as tfjs.SymbolicTensor;
  const out = tfjs.layers.add({ name: 'sum' }).apply([h, tfjs.layers.dense({ units: 4, name: 'skip' }).apply(a) as tfjs.SymbolicTensor]) as tfjs.SymbolicTensor;
  const theirs = tfjs.model({ inputs: a, outputs: out, name: 'residual' });
  let artifacts: tfjs.io.ModelArtifacts | undefined;
  await theirs.save(
    tfjs.io.withSaveHandler(async (x) => {
      artifacts = x;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  for (const handler of [tfjs.io.fromMemory(artifacts!), tf.io.fromMemory(artifacts! as tf.io.ModelArtifacts)]) {
    const ours = await tf.loadLayersModel(handler as tf.io.IOHandler);
    assert.ok(ours instanceof tf.LayersModel);
    assert.equal(ours.name, 'residual');
    const x = randomUniform([2, 3], -1, 1);
    assertClose((ours.predict(x) as Tensor).values, (theirs.predict(toTfjs(x)) as tfjs.Tensor).dataSync(), { atol: 1e-6, rtol: 0 });
  }
});

test('save and loadLayersModel with file:// URLs; a Sequential file loads as a tf.Sequential; other schemes are named', async () => {
  const { ours } = pair();
  const url = pathToFileURL(join(dir, 'seq')).href;
  const result = await ours.save(url);
  assert.ok((result.modelArtifactsInfo.weightDataBytes ?? 0) > 0);
  const back = await tf.loadLayersModel(url);
  assert.ok(back instanceof tf.Sequential);
  const x = randomUniform([2, 4], -1, 1);
  assert.deepEqual([...back.predict(x).values], [...ours.predict(x).values]);
  // compiled from the file's training config, with TF.js' evaluate
  assert.ok(Array.isArray(back.evaluate(x, randomUniform([2, 2]))));
  // browser storage in Node.js: the handler's own message, and what Node.js takes instead
  await assert.rejects(
    ours.save('localstorage://m'),
    /model\.save\('localstorage:\/\/m'\): The current environment does not support local storage\. In Node\.js/,
  );
  await assert.rejects(
    tf.loadLayersModel('indexeddb://m'),
    /loadLayersModel\('indexeddb:\/\/m'\): The current browser does not appear to support IndexedDB\. In Node\.js/,
  );
  await assert.rejects(tf.loadLayersModel('downloads://m'), /downloads:\/\/ only saves/);
  await assert.rejects(
    ours.save('ftp://m'),
    /saves to file:\/\/ \(Node\.js\), localstorage:\/\/, indexeddb:\/\/, downloads:\/\/, http\(s\):\/\/ URLs and IOHandlers/,
  );
});

test('evaluateDataset returns scalars equal to TF.js evaluateDataset on the same batches', async () => {
  const { ours, theirs } = pair();
  const x = randomUniform([6, 4], -1, 1);
  const y = randomUniform([6, 2]);
  const rows = Array.from({ length: 6 }, (_, i) => ({ xs: [...x.values.slice(4 * i, 4 * i + 4)], ys: [...y.values.slice(2 * i, 2 * i + 2)] }));
  const a = (await ours.evaluateDataset(tf.data.array(rows).batch(4))) as Tensor[];
  const b = (await theirs.evaluateDataset(
    tfjs.data.array(rows.map((r) => ({ xs: tfjs.tensor1d(r.xs), ys: tfjs.tensor1d(r.ys) }))).batch(4) as never,
    {},
  )) as tfjs.Scalar[];
  assert.equal(a.length, 2);
  for (const [i, s] of a.entries()) assertClose([s.values[0]], b[i].dataSync(), { atol: 1e-5, rtol: 0 });
});

test('tf.input and tf.model build the graph TF.js builds: same weights, same predictions', () => {
  setSeed(12);
  const a = tf.input({ shape: [3], name: 'a' });
  const h = tf.layers.dense({ units: 4, activation: 'relu', name: 'h' }).apply(a) as tf.SymbolicTensor;
  const out = tf.layers.concatenate({ name: 'cat' }).apply([h, a]) as tf.SymbolicTensor;
  const ours = tf.model({ inputs: a, outputs: out, name: 'g' });
  const ta = tfjs.input({ shape: [3], name: 'a' });
  const th = tfjs.layers.dense({ units: 4, activation: 'relu', name: 'h' }).apply(ta) as tfjs.SymbolicTensor;
  const theirs = tfjs.model({ inputs: ta, outputs: tfjs.layers.concatenate({ name: 'cat' }).apply([th, ta]) as tfjs.SymbolicTensor, name: 'g' });
  theirs.setWeights(ours.getWeights().map((w) => tfjs.tensor(w.values, [...w.shape])));
  assert.ok(ours instanceof tf.LayersModel);
  const x = randomUniform([2, 3], -1, 1);
  assertClose((ours.predict(x) as Tensor).values, (theirs.predict(toTfjs(x)) as tfjs.Tensor).dataSync(), { atol: 1e-6, rtol: 0 });
  assert.deepEqual(ours.outputShape, theirs.outputShape);
});

test("fit logs the metric 'accuracy' as acc and val_acc, as TF.js does", async () => {
  const { ours, theirs } = pair();
  const x = randomUniform([8, 4], -1, 1);
  const y = randomUniform([8, 2]);
  const a = await ours.fit(x, y, { epochs: 1, verbose: 0, validationSplit: 0.25 });
  const b = await theirs.fit(toTfjs(x), toTfjs(y), { epochs: 1, verbose: 0, validationSplit: 0.25 });
  assert.deepEqual(Object.keys(a.history).sort(), Object.keys(b.history).sort());
  assert.ok('acc' in a.history);
});

test('tf.callbacks.earlyStopping stops at the epoch TF.js stops at', async () => {
  // a learning rate too small to move the loss: no epoch improves on the first, so both stop after patience epochs
  const x = randomUniform([8, 4], -1, 1);
  const y = randomUniform([8, 2]);
  for (const patience of [0, 2]) {
    const { ours, theirs } = pair();
    ours.compile({ optimizer: tf.train.sgd(1e-30), loss: 'meanSquaredError' });
    theirs.compile({ optimizer: tfjs.train.sgd(1e-30), loss: 'meanSquaredError' });
    const a = await ours.fit(x, y, { epochs: 10, verbose: 0, callbacks: tf.callbacks.earlyStopping({ monitor: 'loss', patience }) });
    const b = await theirs.fit(toTfjs(x), toTfjs(y), { epochs: 10, verbose: 0, callbacks: tfjs.callbacks.earlyStopping({ monitor: 'loss', patience }) });
    assert.deepEqual(a.epoch, b.epoch, `patience ${patience}`);
  }
});

test('tf.io.browserHTTPRequest is tf.io.http, and tf.data.csv makes a tf.data.CSVDataset, as in TF.js', () => {
  assert.equal(tf.io.browserHTTPRequest, tf.io.http);
  assert.equal(typeof tfjs.io.browserHTTPRequest, 'function');
  assert.ok(tf.data.csv('file:///nonexistent.csv') instanceof tf.data.CSVDataset);
  assert.ok(tfjs.data.csv('file:///nonexistent.csv') instanceof tfjs.data.CSVDataset);
  // util.now: milliseconds from an arbitrary origin (TF.js' in Node.js is process.hrtime's): the same interval on both clocks
  const [a0, b0] = [tf.util.now(), tfjs.util.now()];
  while (tfjs.util.now() - b0 < 30) {}
  const [a1, b1] = [tf.util.now(), tfjs.util.now()];
  assert.ok(Math.abs(a1 - a0 - (b1 - b0)) < 5, `${a1 - a0} ms against ${b1 - b0} ms`);
});
