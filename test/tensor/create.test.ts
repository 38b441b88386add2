import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { linspace, ones, onesLike, range, scalar, tensor, zerosLike } from '../../src/index.js';
import { toTensor } from '../../src/tensor/create.js';

describe('other creators', () => {
  test('zerosLike / onesLike keep the shape', () => {
    const x = tensor([[1, 2, 3]]);
    assert.deepEqual(zerosLike(x).shape, [1, 3]);
    assert.deepEqual([...zerosLike(x).values], [0, 0, 0]);
    assert.deepEqual([...onesLike(x).values], [1, 1, 1]);
  });

  test('linspace includes both ends', () => {
    const t = linspace(0, 1, 5);
    assert.deepEqual([...t.values], [0, 0.25, 0.5, 0.75, 1]);
    assert.deepEqual([...linspace(2, 2, 1).values], [2]);
  });

  test('range excludes stop', () => {
    assert.deepEqual([...range(0, 5).values], [0, 1, 2, 3, 4]);
    assert.deepEqual([...range(1, 2, 0.25).values], [1, 1.25, 1.5, 1.75]);
    assert.deepEqual([...range(5, 0, -2).values], [5, 3, 1]);
    assert.equal(range(3, 1).size, 0);
  });

  test('toTensor wraps numbers and passes tensors through', () => {
    const t = ones([2]);
    assert.equal(toTensor(t), t);
    const s = toTensor(4);
    assert.deepEqual(s.shape, []);
    assert.equal(s.item(), 4);
    assert.equal(scalar(1.5).item(), 1.5);
  });
});
