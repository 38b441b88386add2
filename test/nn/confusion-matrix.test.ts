import assert from 'node:assert/strict';
import { test } from 'node:test';
import { confusionMatrix, formatConfusionMatrix, tensor } from '../../src/index.js';

test('confusionMatrix counts (true, predicted) pairs from tensors, arrays and typed arrays', () => {
  const labels = [0, 1, 2, 2, 1];
  const predicted = [0, 2, 2, 2, 1];
  const want = [
    [1, 0, 0],
    [0, 1, 1],
    [0, 0, 2],
  ];
  assert.deepEqual(confusionMatrix(tensor(labels), tensor(predicted), 3), want);
  assert.deepEqual(confusionMatrix(labels, predicted, 3), want);
  assert.deepEqual(confusionMatrix(Float32Array.from(labels), Int32Array.from(predicted), 3), want);
});

test('confusionMatrix rejects ids outside the classes and length mismatches', () => {
  assert.throws(() => confusionMatrix([0, 3], [0, 1], 3), /pair 1 \(3, 1\) is not a pair of class ids in 0\.\.2/);
  assert.throws(() => confusionMatrix([0, 1], [0], 3), /2 labels but 1 predictions/);
});

test('formatConfusionMatrix aligns the columns', () => {
  const text = formatConfusionMatrix(
    [
      [10, 2],
      [0, 123],
    ],
    ['cat', 'dog'],
  );
  const lines = text.split('\n');
  assert.equal(lines.length, 3);
  assert.ok(lines.every((l) => l.length === lines[0].length));
  assert.match(lines[2], /^dog\s+0\s+123$/);
});
