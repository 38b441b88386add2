import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clipByValue, tensor } from '../../src/index.js';
import { gradCheck, ndMap } from '../gradcheck.js';

describe('clipByValue', () => {
  test('values', () => {
    assert.deepEqual(clipByValue(tensor([-2, -0.5, 0, 0.5, 2]), -1, 1).toArray(), [-1, -0.5, 0, 0.5, 1]);
    assert.deepEqual(clipByValue(tensor([3]), 1, 1).toArray(), [1]);
    assert.throws(() => clipByValue(tensor([1]), 2, 1), /min \(2\) is greater than max \(1\)/);
  });

  test('gradient is 1 inside, 0 where clipped', () => {
    gradCheck(
      (x) => clipByValue(x, -1, 0.5),
      (x) => ndMap([x], (v) => Math.min(Math.max(v, -1), 0.5)),
      [{ shape: [3, 4], values: [-2, -1.5, -0.99, -0.5, 0, 0.2, 0.49, 0.51, 1, 3, -3, 0.1] }],
    );
    const x = tensor([-5, 0, 5]).requireGrad();
    clipByValue(x, -1, 1).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [0, 1, 0]);
  });
});
