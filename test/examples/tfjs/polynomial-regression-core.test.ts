// tensorflow/tfjs-examples polynomial-regression-core on dendrite/tfjs: its index.js and data.js with only their
// import line changed (examples/tfjs/README.md). It learns a cubic's four coefficients by hand, with tf.variable,
// tf.train.sgd(0.5) and optimizer.minimize over 75 steps, from 100 noisy points (random data and random starting
// coefficients, unseeded, as in the original), and prints the mean squared error of its curve before and after.
//
// Measured with `node --import tsx examples/tfjs/run.ts --compare 20 polynomial-regression-core`, 20 runs each:
//   error after training  dendrite mean 0.0050 (0.0029-0.0096), TF.js 4.22 mean 0.0052 (0.0029-0.0086)
//   error before          dendrite mean 0.25 (0.093-0.56),       TF.js mean 0.28 (0.041-0.56)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runProgram } from '../../../examples/tfjs/run.js';

test('polynomial-regression-core: a hand-written tf.variable + optimizer.minimize loop fits the cubic', { timeout: 120_000 }, async () => {
  const r = await runProgram('polynomial-regression-core');
  assert.equal(r.code, 0, r.stderr);
  const { mseBefore, mseAfter } = r.figures;
  // the noise alone (sigma 0.04 before normalising) leaves about 0.003; the worst of 40 runs ended at 0.0096
  assert.ok(mseAfter < 0.02, `error after training ${mseAfter}`);
  assert.ok(mseAfter < mseBefore / 4, `error ${mseBefore} before, ${mseAfter} after`);
});
