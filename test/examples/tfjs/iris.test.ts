// tensorflow/tfjs-examples iris on dendrite/tfjs: its data.js with only its import line changed, its index.js with
// the import line changed and the browser UI dropped (examples/tfjs/README.md says which lines), run as the page's
// "Train model from scratch" button runs it with the page's settings: a 4-10-3 network (sigmoid, softmax), Adam
// 0.01, 40 epochs of model.fit with validation data, on a random 85/15 split of the 150 flowers (unseeded, as in
// the original), then the 24 test flowers classified.
//
// Measured with `node --import tsx examples/tfjs/run.ts --compare 20 iris`, 20 runs each:
//   test accuracy      dendrite mean 0.977 (0.917-1.0),  TF.js 4.22 mean 0.969 (0.917-1.0)
//   final loss         dendrite mean 0.298 (0.239-0.416), TF.js mean 0.257 (0.201-0.313)
//   first epoch's loss dendrite mean 1.26 (1.08-1.62),   TF.js mean 1.15 (0.99-1.29)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runProgram } from '../../../examples/tfjs/run.js';

test('iris: the page program trains a 4-10-3 network to classify the test flowers', { timeout: 120_000 }, async () => {
  const r = await runProgram('iris');
  assert.equal(r.code, 0, r.stderr);
  const { firstLoss, loss, valLoss, testAccuracy } = r.figures;
  // 20 of 24: the worst of 40 runs on either library got 22 right (5 runs), the split and start being random
  assert.ok(testAccuracy >= 0.8, `test accuracy ${testAccuracy}`);
  assert.ok(loss < 0.6 && loss < firstLoss / 2, `loss ${firstLoss} in the first epoch, ${loss} in the last`);
  assert.ok(valLoss < 0.6, `validation loss ${valLoss}`);
});
