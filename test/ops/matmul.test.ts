import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dot, matmul, tensor } from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { gradCheck, nd, ndMatmul } from '../gradcheck.js';

describe('matmul: hand-computed values', () => {
  test('2-D', () => {
    const a = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = tensor([
      [7, 8],
      [9, 10],
      [11, 12],
    ]);
    assert.deepEqual(matmul(a, b).toArray(), [
      [58, 64],
      [139, 154],
    ]);
  });

  test('transpose flags', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([
      [5, 6],
      [7, 8],
    ]);
    assert.deepEqual(matmul(a, b).toArray(), [
      [19, 22],
      [43, 50],
    ]);
    assert.deepEqual(matmul(a, b, true, false).toArray(), [
      [26, 30],
      [38, 44],
    ]); // a^T b
    assert.deepEqual(matmul(a, b, false, true).toArray(), [
      [17, 23],
      [39, 53],
    ]); // a b^T
    assert.deepEqual(matmul(a, b, true, true).toArray(), [
      [23, 31],
      [34, 46],
    ]); // a^T b^T
  });

  test('batched', () => {
    const a = tensor([
      [
        [1, 0],
        [0, 1],
      ],
      [
        [2, 0],
        [0, 2],
      ],
    ]);
    const b = tensor([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [1, 1],
        [1, 1],
      ],
    ]);
    assert.deepEqual(matmul(a, b).toArray(), [
      [
        [1, 2],
        [3, 4],
      ],
      [
        [2, 2],
        [2, 2],
      ],
    ]);
  });

  test('errors', () => {
    assert.throws(() => matmul(tensor([1, 2]), tensor([[1], [2]])), /rank >= 2.*use dot/);
    assert.throws(() => matmul(tensor([[1, 2, 3]]), tensor([[1, 2, 3]])), /inner dimensions differ.*3 vs 1/);
    assert.throws(() => matmul(tensor([[[1]], [[1]]]), tensor([[[1]], [[1]], [[1]]])), /cannot be broadcast/);
  });
});

describe('matmul: forward vs float64 reference, with broadcasting batch dims', () => {
  const cases: [number[], number[]][] = [
    [
      [2, 3, 4, 5],
      [5, 6],
    ],
    [
      [2, 1, 4, 5],
      [3, 5, 6],
    ],
    [
      [4, 5],
      [2, 5, 3],
    ],
    [
      [1, 2, 5],
      [3, 1, 5, 2],
    ],
  ];
  for (const [as, bs] of cases) {
    test(`[${as}] . [${bs}]`, () => {
      gradCheck(
        (a, b) => matmul(a, b),
        (a, b) => ndMatmul(a, b),
        [{ shape: as }, { shape: bs }],
      );
    });
  }
});

describe('matmul gradients: all transpose combinations', () => {
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      const m = 3,
        k = 4,
        n = 2;
      const mat = (t: boolean, r: number, c: number) => (t ? [c, r] : [r, c]);
      test(`2-D transposeA=${ta} transposeB=${tb}`, () => {
        gradCheck(
          (a, b) => matmul(a, b, ta, tb),
          (a, b) => ndMatmul(a, b, ta, tb),
          [{ shape: mat(ta, m, k) }, { shape: mat(tb, k, n) }],
        );
      });
      test(`broadcast batch [2,1]x[3] transposeA=${ta} transposeB=${tb}`, () => {
        gradCheck(
          (a, b) => matmul(a, b, ta, tb),
          (a, b) => ndMatmul(a, b, ta, tb),
          [{ shape: [2, 1, ...mat(ta, m, k)] }, { shape: [3, ...mat(tb, k, n)] }],
        );
      });
      test(`batched left, 2-D right transposeA=${ta} transposeB=${tb}`, () => {
        gradCheck(
          (a, b) => matmul(a, b, ta, tb),
          (a, b) => ndMatmul(a, b, ta, tb),
          [{ shape: [2, ...mat(ta, m, k)] }, { shape: mat(tb, k, n) }],
        );
      });
    }
  }

  test('the same tensor on both sides (x^T x)', () => {
    gradCheck(
      (x) => matmul(x, x, true, false),
      (x) => ndMatmul(x, x, true, false),
      [{ shape: [4, 3] }],
    );
  });
});

describe('dot', () => {
  test('vector . vector is a scalar', () => {
    const y = dot(tensor([1, 2, 3]), tensor([4, 5, 6]));
    assert.deepEqual(y.shape, []);
    assert.equal(y.item(), 32);
  });

  test('matrix . vector and vector . matrix', () => {
    const m = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    assert.deepEqual(dot(m, tensor([1, -1])).toArray(), [-1, -1, -1]);
    assert.deepEqual(dot(tensor([1, 0, 2]), m).toArray(), [11, 14]);
    assert.deepEqual(dot(m, tensor([[1], [1]])).toArray(), [[3], [7], [11]]);
  });

  test('errors', () => {
    assert.throws(() => dot(tensor([[[1]]]), tensor([1])), /rank 1 or 2/);
    assert.throws(() => dot(tensor([1, 2]), tensor([1, 2, 3])), /inner dimensions/);
  });

  const vec = (v: { shape: number[]; data: number[] }, asRow: boolean) => nd(asRow ? [1, v.shape[0]] : [v.shape[0], 1], v.data);
  test('gradient: vector . vector', () => {
    gradCheck(dot, (a, b) => nd([], ndMatmul(vec(a, true), vec(b, false)).data), [{ shape: [5] }, { shape: [5] }]);
  });
  test('gradient: matrix . vector', () => {
    gradCheck(dot, (a, b) => nd([3], ndMatmul(a, vec(b, false)).data), [{ shape: [3, 4] }, { shape: [4] }]);
  });
  test('gradient: vector . matrix', () => {
    gradCheck(dot, (a, b) => nd([2], ndMatmul(vec(a, true), b).data), [{ shape: [4] }, { shape: [4, 2] }]);
  });
  test('gradient: matrix . matrix', () => {
    gradCheck(dot, (a, b) => ndMatmul(a, b), [{ shape: [3, 4] }, { shape: [4, 2] }]);
  });

  test('large product matches the reference', () => {
    const a = tensor(
      Array.from({ length: 64 * 48 }, (_, i) => Math.sin(i)),
      [64, 48],
    );
    const b = tensor(
      Array.from({ length: 48 * 32 }, (_, i) => Math.cos(i)),
      [48, 32],
    );
    const expected = ndMatmul(nd(a.shape, [...a.values]), nd(b.shape, [...b.values]));
    assertClose(matmul(a, b), expected.data, { rtol: 1e-5, atol: 1e-5, shape: [64, 32] });
  });
});
