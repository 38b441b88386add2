// Sequences of any length (Keras' `Input(shape=(None,))`): an input size given as null is free, so one model takes
// batches of different lengths, trains on them, and keeps the free size through its model file, as TF.js reads it.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { input, layers, loadModel, model, sequential, setSeed, tensor, type Tensor } from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { fileHandler, tfPredict } from '../io/tfjs-files.js';

/** Token ids [batch, length], 0 for padding after the text. */
function ids(rows: number[][], length: number): Tensor {
  return tensor(
    rows.flatMap((r) => [...r, ...new Array<number>(length - r.length).fill(0)]),
    [rows.length, length],
  );
}

describe('sequences of any length', () => {
  test('a Sequential from inputShape [null] takes batches of different lengths, fits them, and reloads with the free length', async () => {
    setSeed(3);
    const m = sequential({
      layers: [
        layers.embedding({ inputDim: 12, outputDim: 4, maskZero: true, inputShape: [null] }),
        layers.lstm({ units: 5 }),
        layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    assert.deepEqual(m.inputShape, [null, null]);
    m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    await m.fit(ids([[1, 2], [3]], 3), tensor([1, 0], [2, 1]), { epochs: 1, verbose: 0 });
    await m.fit(ids([[1, 2, 4, 5], [3]], 6), tensor([1, 0], [2, 1]), { epochs: 1, verbose: 0 });
    // padding after the text is masked: the same text at two padded lengths predicts the same
    const short = m.predict(ids([[7, 8, 9]], 3));
    const long = m.predict(ids([[7, 8, 9]], 8));
    assertClose(long, short.values, { atol: 1e-6 });

    const dir = await mkdtemp(join(tmpdir(), 'dendrite-varlen-'));
    try {
      await m.save(dir);
      const loaded = await loadModel(dir);
      assert.deepEqual(loaded.inputShape, [null, null]);
      const x = ids([[1, 2, 3, 4, 5], [6]], 5);
      assertClose(loaded.predict(x) as Tensor, m.predict(x).values, { atol: 0 });
      // TF.js reads the free length too, and predicts as dendrite does
      const theirs = await tf.loadLayersModel(fileHandler(dir));
      assert.deepEqual(theirs.inputs[0].shape, [null, null]);
      assertClose(m.predict(x), tfPredict(theirs, x), { atol: 1e-5 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a graph model from input({ shape: [null, 3] }) runs any number of steps; what needs a fixed size says so', () => {
    const x = input({ shape: [null, 3] });
    const y = layers.globalAveragePooling1d().apply(layers.conv1d({ filters: 2, kernelSize: 2, padding: 'same' }).apply(x));
    const g = model({ inputs: x, outputs: y });
    assert.deepEqual(g.predict(tensor(new Float32Array(2 * 4 * 3).fill(1), [2, 4, 3])).shape, [2, 2]);
    assert.deepEqual(g.predict(tensor(new Float32Array(2 * 9 * 3).fill(1), [2, 9, 3])).shape, [2, 2]);
    assert.throws(
      () => layers.flatten({ name: 'flat' }).apply(input({ shape: [null, 3] })),
      /'flat' \(Flatten\) needs every axis but the batch axis to be known, got shape \[null, null, 3\]/,
    );
    assert.throws(() => layers.dense({ units: 2, name: 'd' }).apply(input({ shape: [null] })), /'d' \(Dense\) needs the size of the last input axis/);
  });
});
