import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binaryScores, multiclassScores, regressionScores } from '../../src/tabular/scores.js';

// Expected values from scikit-learn 1.2 (mean_squared_error, r2_score, precision/recall/f1_score).
test('regressionScores: RMSE, MAE and R^2 as scikit-learn computes them', () => {
  const s = regressionScores([3, -0.5, 2, 7], [2.5, 0, 2, 8]);
  assert.ok(Math.abs(s.rmse - Math.sqrt(0.375)) < 1e-12);
  assert.equal(s.mae, 0.5);
  assert.ok(Math.abs(s.r2 - 0.9486081370449679) < 1e-12);
  assert.equal(regressionScores([1, 1], [1, 1]).r2, 1);
  assert.equal(regressionScores([1, 1], [1, 2]).r2, 0);
});

test('binaryScores: precision, recall and F1 of class 1, 0 where undefined', () => {
  const s = binaryScores([1, 0, 1, 1, 0, 0], [1, 1, 0, 1, 0, 0]);
  assert.deepEqual(s, { accuracy: 4 / 6, precision: 2 / 3, recall: 2 / 3, f1: 2 / 3 });
  assert.deepEqual(binaryScores([0, 0], [0, 0]), { accuracy: 1, precision: 0, recall: 0, f1: 0 });
});

test('multiclassScores: macro F1 over the classes present', () => {
  const s = multiclassScores([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1]);
  assert.equal(s.accuracy, 2 / 6);
  assert.ok(Math.abs(s.macroF1 - 0.26666666666666666) < 1e-12);
  assert.throws(() => multiclassScores([0], [0, 1]), /1 actual values but 2 predictions/);
});
