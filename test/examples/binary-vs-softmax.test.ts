import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run } from '../../examples/binary-vs-softmax.js';

test('binary-vs-softmax: sigmoid and 2-way softmax models both learn the circles and agree', async () => {
  const r = await run();
  // Measured (seed 4): 98.0% and 99.0%, agreement 99.0%; over seeds 0-5 all three stayed >= 0.98.
  assert.ok(r.sigmoidTestAccuracy >= 0.95, `sigmoid accuracy ${r.sigmoidTestAccuracy}`);
  assert.ok(r.softmaxTestAccuracy >= 0.95, `softmax accuracy ${r.softmaxTestAccuracy}`);
  assert.ok(r.agreement >= 0.95, `agreement ${r.agreement}`);
});

test('binary-vs-softmax: a softmax model with output kernel [0, w] and bias [0, b] is the sigmoid model', async () => {
  const r = await run({ epochs: 20 });
  // softmax([0, z])[1] = sigmoid(z) exactly; float32 rounding leaves ~6e-8.
  assert.ok(r.maxProbabilityDifference < 1e-6, `max difference ${r.maxProbabilityDifference}`);
  assert.equal(r.convertedAgreement, 1);
});
