import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expandDims, flatten, reshape, squeeze, tensor } from '../../src/index.js';
import { gradCheck, nd, ndMap } from '../gradcheck.js';

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('reshape', () => {
  test('keeps row-major order', () => {
    const x = tensor(iota(6), [2, 3]);
    assert.deepEqual(reshape(x, [3, 2]).toArray(), [
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    assert.deepEqual(reshape(x, [6]).toArray(), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(reshape(tensor([5]), []).shape, []);
  });

  test('fills in one -1', () => {
    const x = tensor(iota(24), [2, 3, 4]);
    assert.deepEqual(reshape(x, [-1]).shape, [24]);
    assert.deepEqual(reshape(x, [4, -1]).shape, [4, 6]);
    assert.deepEqual(reshape(x, [-1, 2, 3]).shape, [4, 2, 3]);
    assert.deepEqual(reshape(x, [2, -1, 2]).toArray(), reshape(x, [2, 6, 2]).toArray());
  });

  test('errors', () => {
    const x = tensor(iota(6), [2, 3]);
    assert.throws(() => reshape(x, [4, -1]), /cannot reshape 6 elements to \[4, -1\]/);
    assert.throws(() => reshape(x, [-1, -1]), /only one dimension can be -1/);
    assert.throws(() => reshape(x, [5]), /cannot reshape 6 elements to \[5\]/);
    assert.throws(() => reshape(x, [2, -3]), /invalid dimension -3/);
  });

  test('gradient is reshaped back', () => {
    gradCheck(
      (x) => reshape(x, [4, -1]),
      (x) => nd([4, 6], x.data),
      [{ shape: [2, 3, 4] }],
    );
    gradCheck(
      (x) => reshape(x, [3, 2]).mul(tensor([1, 2])),
      (x) => ndMap([nd([3, 2], x.data), nd([2], [1, 2])], (a, b) => a * b),
      [{ shape: [2, 3] }],
    );
  });
});

describe('flatten / expandDims / squeeze', () => {
  test('flatten keeps the first axis', () => {
    assert.deepEqual(flatten(tensor(iota(24), [2, 3, 4])).shape, [2, 12]);
    assert.deepEqual(flatten(tensor(iota(3))).shape, [3, 1]);
    assert.deepEqual(flatten(tensor(iota(6), [2, 3])).toArray(), [
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });

  test('expandDims inserts a size-1 axis', () => {
    const x = tensor(iota(6), [2, 3]);
    assert.deepEqual(expandDims(x).shape, [1, 2, 3]);
    assert.deepEqual(expandDims(x, 1).shape, [2, 1, 3]);
    assert.deepEqual(expandDims(x, 2).shape, [2, 3, 1]);
    assert.deepEqual(expandDims(x, -1).shape, [2, 3, 1]);
    assert.deepEqual(expandDims(tensor(1)).shape, [1]);
    assert.throws(() => expandDims(x, 4), /out of range/);
  });

  test('squeeze removes size-1 axes', () => {
    const x = tensor(iota(6), [1, 2, 1, 3, 1]);
    assert.deepEqual(squeeze(x).shape, [2, 3]);
    assert.deepEqual(squeeze(x, 0).shape, [2, 1, 3, 1]);
    assert.deepEqual(squeeze(x, [-1, 2]).shape, [1, 2, 3]);
    assert.deepEqual(squeeze(x).toArray(), [
      [0, 1, 2],
      [3, 4, 5],
    ]);
    assert.throws(() => squeeze(x, 1), /axis 1 has size 2, not 1/);
  });

  test('gradients', () => {
    gradCheck(
      (x) => flatten(x),
      (x) => nd([2, 12], x.data),
      [{ shape: [2, 3, 4] }],
    );
    gradCheck(
      (x) => expandDims(x, 1),
      (x) => nd([2, 1, 3], x.data),
      [{ shape: [2, 3] }],
    );
    gradCheck(
      (x) => squeeze(x),
      (x) => nd([2, 3], x.data),
      [{ shape: [1, 2, 1, 3] }],
    );
  });
});
