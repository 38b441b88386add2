// tensorflow/tfjs-examples data-generator on dendrite/tfjs: a tf.data.generator of simulated card games (an
// endless JavaScript generator), map to one-hot features in tf.tidy, batch, and model.fitDataset with
// batchesPerEpoch, validationData and validationBatches, then a prediction for a hand in each epoch's callback.
// Its index.js with the import line changed and the page dropped (examples/tfjs/README.md says which lines),
// run as the page's "Train model using fitDataset" button runs it with the page's settings: 50 epochs of 50
// batches of 100 games, a 13-20-20-1 network, RMSprop, binary crossentropy. Whether player 1 wins depends on
// the other player's hidden hand too, so about 75% is what can be learnt.
//
// Measured with `node --import tsx examples/tfjs/run.ts --compare 5 data-generator`, 5 runs each:
//   validation accuracy        dendrite mean 0.735 (0.702-0.754), TF.js 4.22 mean 0.746 (0.731-0.764)
//   last epoch's loss          dendrite mean 0.520 (0.498-0.541), TF.js mean 0.526 (0.517-0.535)
//   first epoch's loss         dendrite mean 0.687, TF.js 0.681 (ln 2 = 0.693 is a coin toss)
//   P(win) for three 13s       dendrite mean 0.993, TF.js 0.989 (it never loses)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runProgram } from '../../../examples/tfjs/run.js';

test('data-generator: model.fitDataset on a tf.data.generator learns which hands win', { timeout: 180_000 }, async () => {
  const r = await runProgram('data-generator');
  assert.equal(r.code, 0, r.stderr);
  const { firstLoss, loss, valLoss, valAccuracy, predictionFor13s } = r.figures;
  assert.ok(valAccuracy > 0.65, `validation accuracy ${valAccuracy}`);
  assert.ok(loss < 0.6 && loss < firstLoss - 0.08, `loss ${firstLoss} in the first epoch, ${loss} in the last`);
  assert.ok(valLoss < 0.6, `validation loss ${valLoss}`);
  assert.ok(predictionFor13s > 0.9, `P(win) ${predictionFor13s} for three 13s`);
});
