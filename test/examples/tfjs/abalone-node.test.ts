// tensorflow/tfjs-examples abalone-node on dendrite/tfjs: a tf.data pipeline from a CSV file (tf.data.csv with a
// label column, map, shuffle, batch, take / skip for a validation split) into model.fitDataset, then model.save
// and tf.loadLayersModel. Its train.js, model.js and data.js with the require of TF.js changed, argparse replaced
// by a stand-in, and the download of abalone.csv dropped (the same file, from the original's folder, is beside
// it) (examples/tfjs/README.md). Run with the original's settings: 100 epochs of batches of 500, a 50-50-1
// sigmoid network, SGD 0.01, mean squared error on the number of rings.
//
// Measured with `node --import tsx examples/tfjs/run.ts --compare 5 abalone-node --savePath file:///tmp/m`:
//   last epoch's loss      dendrite mean 7.26 (7.11-7.44), TF.js 4.22 mean 7.41 (7.25-7.52)
//   validation loss        dendrite mean 6.36 (5.90-6.79), TF.js mean 6.03 (5.75-6.30)
//   first epoch's loss     dendrite mean 38.4 (33.1-43.1), TF.js mean 35.7 (33.8-40.1)
//   the README's abalone (10 rings) predicted: dendrite 11.83 (11.75-11.94), TF.js 11.84 (11.80-11.91)
// (the original's README: loss 7.42, val_loss 5.60, prediction 11.93, on tfjs-node)
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { runProgram } from '../../../examples/tfjs/run.js';

test('abalone-node: tf.data.csv into model.fitDataset learns the rings, and the saved model loads', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'abalone-'));
  try {
    const r = await runProgram('abalone-node', ['--savePath', pathToFileURL(join(dir, 'model')).href]);
    assert.equal(r.code, 0, r.stderr);
    const { firstLoss, loss, valLoss, prediction } = r.figures;
    assert.ok(loss < 9 && loss < firstLoss / 3, `loss ${firstLoss} in the first epoch, ${loss} in the last`);
    assert.ok(valLoss < 8.5, `validation loss ${valLoss}`);
    // predicting the mean (about 9.9 rings) everywhere gives a loss of about 10.4
    assert.ok(prediction > 9 && prediction < 14, `prediction ${prediction} for an abalone of 10 rings`);
    assert.deepEqual(readdirSync(join(dir, 'model')).sort(), ['model.json', 'weights.bin']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
