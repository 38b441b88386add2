// tensorflow/tfjs-examples iris-fitDataset on dendrite/tfjs: iris again, but through tf.data: tf.data.array of
// the features and of the one-hot labels, tf.data.zip({xs, ys}), batch(32), model.fitDataset with a validation
// dataset, and the test flowers read back with toArray(). Its data.js with only its import line changed, its
// index.js with the import line changed and the browser UI dropped as in iris (examples/tfjs/README.md), run as
// the page's "Train model from scratch" button runs it with the page's settings (40 epochs, Adam 0.01).
//
// Measured with `node --import tsx examples/tfjs/run.ts --compare 20 iris-fitDataset`, 20 runs each:
//   test accuracy (23 flowers)  dendrite mean 0.976 (0.913-1.0),  TF.js 4.22 mean 0.972 (0.913-1.0)
//   final loss                  dendrite mean 0.263 (0.156-0.366), TF.js mean 0.261 (0.176-0.437)
//   validation loss             dendrite mean 0.256 (0.190-0.340), TF.js mean 0.268 (0.161-0.513)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runProgram } from '../../../examples/tfjs/run.js';

test('iris-fitDataset: tf.data.array and zip into model.fitDataset classify the test flowers', { timeout: 120_000 }, async () => {
  const r = await runProgram('iris-fitDataset');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /test set: \d+ of 23 correct/);
  const { firstLoss, loss, valLoss, testAccuracy } = r.figures;
  // 19 of 23: the worst of 40 runs on either library got 21 right (5 runs)
  assert.ok(testAccuracy >= 0.8, `test accuracy ${testAccuracy}`);
  assert.ok(loss < 0.7 && loss < firstLoss - 0.3, `loss ${firstLoss} in the first epoch, ${loss} in the last`);
  assert.ok(valLoss < 0.7, `validation loss ${valLoss}`);
});
