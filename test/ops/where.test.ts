import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { greater, tensor, where } from '../../src/index.js';
import { gradCheck, nd, ndMap } from '../gradcheck.js';

describe('where', () => {
  test('picks by condition, with broadcasting', () => {
    assert.deepEqual(where(tensor([1, 0, 1]), tensor([1, 2, 3]), tensor([-1, -2, -3])).toArray(), [1, -2, 3]);
    assert.deepEqual(where(tensor([[1], [0]]), tensor([1, 2, 3]), 0).toArray(), [
      [1, 2, 3],
      [0, 0, 0],
    ]);
    assert.deepEqual(where(tensor([0.5, 0, -2]), 1, 2).toArray(), [1, 2, 1]);
    assert.throws(() => where(tensor([1, 0]), tensor([1, 2, 3]), 0), /cannot be broadcast/);
  });

  test('gradient goes to the picked branch, summed to each input shape', () => {
    const cond = tensor([
      [1, 0, 0, 1],
      [0, 1, 1, 0],
      [1, 1, 0, 0],
    ]);
    const c = nd(cond.shape, [...cond.values]);
    gradCheck(
      (a, b) => where(cond, a, b),
      (a, b) => ndMap([c, a, b], (k, x, y) => (k !== 0 ? x : y)),
      [{ shape: [3, 4] }, { shape: [3, 4] }],
    );
    gradCheck(
      (a, b) => where(cond, a, b),
      (a, b) => ndMap([c, a, b], (k, x, y) => (k !== 0 ? x : y)),
      [{ shape: [3, 1] }, { shape: [4] }],
    );
    gradCheck(
      (a, b) => where(cond, a, b),
      (a, b) => ndMap([c, a, b], (k, x, y) => (k !== 0 ? x : y)),
      [{ shape: [] }, { shape: [1, 4] }],
    );
  });

  test('a condition computed from the input (piecewise function)', () => {
    gradCheck(
      (x) => where(greater(x, 0), x.square(), x.mul(-3)),
      (x) => ndMap([x], (v) => (v > 0 ? v * v : -3 * v)),
      [{ shape: [8], awayFromZero: 0.05 }],
    );
  });
});
