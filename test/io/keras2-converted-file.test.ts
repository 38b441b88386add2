// A real model.json written by the tensorflowjs converter from Keras 2.1.6 (test/fixtures/keras2-converted): a
// functional model holding two functional models (an encoder and a decoder), in the older `model_config`
// wrapper, with list-style inbound_nodes that call each nested model's node 1. Its weights were not published,
// so the test gives both libraries the same generated weights under the file's own manifest, and dendrite must
// predict what TF.js predicts from the same file.
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { loadModel, Model, randomUniform, Sequential, setSeed } from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { tfPredict } from './tfjs-files.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'keras2-converted', 'emoji-autoencoder', 'model.json');

let dir: string;
before(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'dendrite-keras2-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a Keras 2 converted model of two nested functional models loads and predicts as TF.js does', async () => {
  const json = JSON.parse(await readFile(FIXTURE, 'utf8'));
  const specs: { name: string; shape: number[] }[] = json.weightsManifest[0].weights;
  // weights in the manifest's order, scaled by fan-in so that activations stay in range through 14 layers
  setSeed(11);
  const parts = specs.map(({ shape }) => {
    const fanIn = shape.length > 1 ? shape.slice(0, -1).reduce((a, b) => a * b, 1) : 4;
    return randomUniform(shape, -1.5 / Math.sqrt(fanIn), 1.5 / Math.sqrt(fanIn)).values as Float32Array;
  });
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
    at += p.byteLength;
  }
  const folder = join(dir, 'emoji');
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder);
  await copyFile(FIXTURE, join(folder, 'model.json'));
  await writeFile(join(folder, json.weightsManifest[0].paths[0]), bytes);

  // its training config names Keras 2's Adadelta (lr 1.0, rho 0.95): the model loads compiled with it
  const compiled = await loadModel(folder);
  assert.equal(compiled.compiled?.optimizer.className, 'Adadelta');
  assert.deepEqual(compiled.compiled?.optimizer.getConfig(), { learningRate: 1, rho: 0.95, epsilon: 1e-7 });
  const ours = await loadModel(folder, { compile: false });
  const theirs = await tf.loadLayersModel({
    load: async () => ({
      modelTopology: json.modelTopology,
      weightSpecs: specs.map((s) => ({ ...s, dtype: 'float32' as const })),
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    }),
  });

  assert.ok(ours instanceof Model && !(ours instanceof Sequential));
  assert.equal(ours.name, 'emoji_autoencoder');
  assert.deepEqual(
    ours.layers.map((l) => [l.name, l.className]),
    [
      ['input_1', 'InputLayer'],
      ['Encoder', 'Model'],
      ['Decoder', 'Model'],
    ],
  );
  assert.equal(ours.countParams(), theirs.countParams());

  setSeed(3);
  const x = randomUniform([2, 128, 128, 1], 0, 1);
  const expected = tfPredict(theirs, x);
  const actual = ours.predict(x);
  assert.deepEqual(actual.shape, [2, 128, 128, 1]);
  // the output is not constant, so equal outputs say the weights went to the right layers
  assert.ok(Math.max(...expected) - Math.min(...expected) > 0.05, 'the output varies over the image');
  assertClose(actual.values, expected, { atol: 1e-5, rtol: 0 });
});
