import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run } from '../../examples/xor.js';

test('xor: a perceptron stays at or below 3 of 4 points; a 2-4-1 network solves XOR', async () => {
  const r = await run();
  // A line separates at most 3 of the 4 XOR points, whatever the training (measured: 0.5, loss ln 2).
  assert.ok(r.perceptronAccuracy <= 0.75, `perceptron accuracy ${r.perceptronAccuracy}`);
  assert.equal(r.networkAccuracy, 1);
  assert.ok(r.networkLoss < 0.05, `network loss ${r.networkLoss}`); // measured 2e-4
  const targets = [0, 1, 1, 0];
  r.networkPredictions.forEach((p, i) => {
    assert.equal(p > 0.5 ? 1 : 0, targets[i], `point ${i}: output ${p}`);
  });
});

test('xor: run() is reproducible with the same seed', async () => {
  const [a, b] = [await run({ epochs: 50 }), await run({ epochs: 50 })];
  assert.deepEqual(a, b);
});
