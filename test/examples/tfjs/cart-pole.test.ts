// tensorflow/tfjs-examples cart-pole on dendrite/tfjs: reinforcement learning by policy gradients. A policy network
// (tf.sequential, 4-128-1 with elu) picks left or right by tf.multinomial; every step's gradients come from
// tf.variableGrads of a sigmoid crossentropy, and after each round of games the rewards are discounted
// (tf.buffer), normalised, and the gradients scaled by them are applied with optimizer.applyGradients (Adam 0.05).
// index.js and cart_pole.js with only their import line changed; ui.js is the Node.js stand-in for the page, doing
// what its "Create model" and "Train" buttons do (examples/tfjs/README.md). The page's settings but 10 iterations
// (of 20 games of at most 500 steps) instead of 20. A random policy keeps the pole up for about 20 steps.
//
// Measured with `node --import tsx examples/tfjs/run.ts --compare 15 cart-pole --num-iterations 10`, 15 runs each:
//   mean steps per game, first iteration  dendrite 21.7 (16.2-29.7),  TF.js 4.22 22.1 (17.6-29.8)
//   mean steps per game, last iteration   dendrite 266 (54-500),       TF.js 233 (111-493)
//   best iteration                        dendrite 327 (74-500),       TF.js 285 (111-493)
//   wall time                             dendrite 5.4 s,              TF.js 19 s
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runProgram } from '../../../examples/tfjs/run.js';

test('cart-pole: policy gradients with tf.variableGrads and applyGradients learn to balance the pole', { timeout: 180_000 }, async () => {
  const r = await runProgram('cart-pole', ['--num-iterations', '10']);
  assert.equal(r.code, 0, r.stderr);
  const { firstIteration, best } = r.figures;
  assert.ok(firstIteration < 45, `mean steps per game in the first iteration ${firstIteration}`);
  // twice the random policy's 20 steps, at least; the worst of 30 runs on either library reached 74
  assert.ok(best >= 45 && best >= 2 * firstIteration, `best iteration's mean steps per game ${best} (first ${firstIteration})`);
});
