import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tensor, transpose } from '../../src/index.js';
import { gradCheck, ndTranspose } from '../gradcheck.js';

describe('transpose', () => {
  test('2-D default reverses the axes', () => {
    assert.deepEqual(
      transpose(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ).toArray(),
      [
        [1, 4],
        [2, 5],
        [3, 6],
      ],
    );
  });

  test('with perm', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 3, 2]);
    const y = transpose(x, [1, 0, 2]);
    assert.deepEqual(y.shape, [3, 2, 2]);
    // y[i][j][k] = x[j][i][k]
    assert.deepEqual(y.toArray(), [
      [
        [1, 2],
        [7, 8],
      ],
      [
        [3, 4],
        [9, 10],
      ],
      [
        [5, 6],
        [11, 12],
      ],
    ]);
    assert.deepEqual(transpose(x, [0, -1, 1]).shape, [2, 2, 3]);
  });

  test('identity, rank 0 and rank 1', () => {
    assert.deepEqual(transpose(tensor([1, 2, 3])).toArray(), [1, 2, 3]);
    assert.equal(transpose(tensor(7)).item(), 7);
  });

  test('bad perms are errors', () => {
    const x = tensor([[1, 2]]);
    assert.throws(() => transpose(x, [0, 0]), /not a permutation/);
    assert.throws(() => transpose(x, [0]), /not a permutation/);
    assert.throws(() => transpose(x, [0, 2]), /not a permutation/);
  });

  for (const [shape, perm] of [
    [
      [3, 4],
      [1, 0],
    ],
    [
      [2, 3, 4],
      [2, 0, 1],
    ],
    [
      [2, 3, 4, 2],
      [3, 1, 0, 2],
    ],
    [
      [2, 1, 3],
      [1, 2, 0],
    ],
  ] as [number[], number[]][]) {
    test(`gradient: [${shape}] perm [${perm}]`, () => {
      gradCheck(
        (x) => transpose(x, perm),
        (x) => ndTranspose(x, perm),
        [{ shape }],
      );
    });
  }
});
