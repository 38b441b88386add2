import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { oneHot, tensor } from '../../src/index.js';

describe('oneHot', () => {
  test('encodes class indices', () => {
    assert.deepEqual(oneHot(tensor([0, 2, 1]), 3).toArray(), [
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ]);
    assert.deepEqual(oneHot(tensor([[1], [0]]), 2).toArray(), [[[0, 1]], [[1, 0]]]);
    assert.deepEqual(oneHot(tensor(1), 2).toArray(), [0, 1]);
    assert.deepEqual(oneHot(tensor([]), 4).shape, [0, 4]);
  });

  test('errors', () => {
    assert.throws(() => oneHot(tensor([3]), 3), /index 3 at position 0 is not an integer class in 0\.\.2/);
    assert.throws(() => oneHot(tensor([0, -1]), 3), /index -1 at position 1/);
    assert.throws(() => oneHot(tensor([0.5]), 3), /index 0.5/);
    assert.throws(() => oneHot(tensor([0]), 0), /depth must be a positive integer/);
  });
});
