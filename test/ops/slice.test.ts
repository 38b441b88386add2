import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { concat, pad, slice, tensor } from '../../src/index.js';
import { gradCheck, ravel, size, unravel, type ND } from '../gradcheck.js';

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

function ndSlice(x: ND, begin: number[], extent: number[]): ND {
  const data = iota(size(extent)).map(
    (o) =>
      x.data[
        ravel(
          unravel(o, extent).map((v, i) => v + begin[i]),
          x.shape,
        )
      ],
  );
  return { shape: extent, data };
}

function ndPad(x: ND, paddings: [number, number][], value: number): ND {
  const shape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const data = iota(size(shape)).map((o) => {
    const idx = unravel(o, shape).map((v, i) => v - paddings[i][0]);
    return idx.every((v, i) => v >= 0 && v < x.shape[i]) ? x.data[ravel(idx, x.shape)] : value;
  });
  return { shape, data };
}

function ndConcat(xs: ND[], axis: number): ND {
  const shape = [...xs[0].shape];
  shape[axis] = xs.reduce((n, x) => n + x.shape[axis], 0);
  const data = iota(size(shape)).map((o) => {
    const idx = unravel(o, shape);
    let k = 0;
    while (idx[axis] >= xs[k].shape[axis]) idx[axis] -= xs[k++].shape[axis];
    return xs[k].data[ravel(idx, xs[k].shape)];
  });
  return { shape, data };
}

describe('slice', () => {
  const x = tensor(iota(12), [3, 4]);
  test('a box', () => {
    assert.deepEqual(slice(x, [1, 1], [2, 2]).toArray(), [
      [5, 6],
      [9, 10],
    ]);
    assert.deepEqual(slice(x, [0, 2], [-1, -1]).toArray(), [
      [2, 3],
      [6, 7],
      [10, 11],
    ]);
    assert.deepEqual(slice(x, [2]).toArray(), [[8, 9, 10, 11]]);
    assert.deepEqual(slice(x, 1, 1).toArray(), [[4, 5, 6, 7]]);
    assert.deepEqual(slice(x, [0, 0], [0, 4]).shape, [0, 4]);
  });

  test('out of bounds is an error', () => {
    assert.throws(() => slice(x, [2, 0], [2, 4]), /do not fit in a tensor of shape \[3, 4\] \(axis 0\)/);
    assert.throws(() => slice(x, [-1, 0]), /do not fit/);
    assert.throws(() => slice(x, [0, 3], [1, 2]), /axis 1/);
    assert.throws(() => slice(x, [0.5, 0], [2, 2]), /do not fit|integer/);
  });

  test('gradient', () => {
    gradCheck(
      (t) => slice(t, [1, 0, 2], [2, -1, 2]),
      (t) => ndSlice(t, [1, 0, 2], [2, 3, 2]),
      [{ shape: [3, 3, 5] }],
    );
    gradCheck(
      (t) => slice(t, [1], [3]),
      (t) => ndSlice(t, [1], [3]),
      [{ shape: [6] }],
    );
  });
});

describe('pad', () => {
  test('zeros and a constant', () => {
    assert.deepEqual(
      pad(tensor([[1, 2]]), [
        [1, 0],
        [1, 2],
      ]).toArray(),
      [
        [0, 0, 0, 0, 0],
        [0, 1, 2, 0, 0],
      ],
    );
    assert.deepEqual(pad(tensor([1, 2]), [[2, 1]], -1).toArray(), [-1, -1, 1, 2, -1]);
    assert.deepEqual(pad(tensor([1, 2]), [[0, 0]]).toArray(), [1, 2]);
  });

  test('errors', () => {
    assert.throws(() => pad(tensor([[1, 2]]), [[1, 1]]), /need 2 \[before, after\] pairs/);
    assert.throws(
      () =>
        pad(tensor([[1, 2]]), [
          [0, 0],
          [-1, 0],
        ]),
      /non-negative|invalid/,
    );
  });

  test('gradient', () => {
    const p: [number, number][] = [
      [1, 0],
      [0, 2],
      [2, 1],
    ];
    gradCheck(
      (t) => pad(t, p),
      (t) => ndPad(t, p, 0),
      [{ shape: [2, 3, 2] }],
    );
    gradCheck(
      (t) => pad(t, [[1, 1]], 5),
      (t) => ndPad(t, [[1, 1]], 5),
      [{ shape: [3] }],
    );
  });
});

describe('concat', () => {
  test('along each axis', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([[5, 6]]);
    assert.deepEqual(concat([a, b]).toArray(), [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    assert.deepEqual(concat([a, tensor([[7], [8]])], 1).toArray(), [
      [1, 2, 7],
      [3, 4, 8],
    ]);
    assert.deepEqual(concat([a, tensor([[7], [8]])], -1).shape, [2, 3]);
    assert.deepEqual(concat([tensor([1]), tensor([2, 3]), tensor([4])]).toArray(), [1, 2, 3, 4]);
    assert.deepEqual(concat([a]).toArray(), [
      [1, 2],
      [3, 4],
    ]);
  });

  test('errors', () => {
    assert.throws(() => concat([]), /at least one/);
    assert.throws(() => concat([tensor([[1, 2]]), tensor([[1, 2, 3]])], 0), /tensor 1 has shape \[1, 3\]/);
    assert.throws(() => concat([tensor([[1, 2]]), tensor([1, 2])]), /tensor 1/);
    assert.throws(() => concat([tensor(1), tensor(2)]), /a scalar has no axes/);
  });

  test('gradient', () => {
    gradCheck(
      (a, b, c) => concat([a, b, c], 1),
      (a, b, c) => ndConcat([a, b, c], 1),
      [{ shape: [2, 1, 3] }, { shape: [2, 2, 3] }, { shape: [2, 3, 3] }],
    );
    gradCheck(
      (a, b) => concat([a, b], -1),
      (a, b) => ndConcat([a, b], 1),
      [{ shape: [3, 2] }, { shape: [3, 1] }],
    );
    // gradient reaches only the inputs that need one
    const a = tensor([1, 2]).requireGrad();
    const b = tensor([3]);
    concat([a, b])
      .mul(tensor([1, 2, 3]))
      .sum()
      .backward();
    assert.deepEqual(a.grad!.toArray(), [1, 2]);
    assert.equal(b.grad, null);
  });
});
