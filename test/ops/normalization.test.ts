import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { batchNorm, layerNorm, moments, randomNormal, tensor } from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { gradCheck, ndReduce, ravel, unravel, type ND } from '../gradcheck.js';

// Float64 references: statistics from explicit groups of values, biased variance (divide by n).

const meanOf = (v: number[]) => v.reduce((s, a) => s + a, 0) / v.length;
const varianceOf = (v: number[]) => {
  const m = meanOf(v);
  return v.reduce((s, a) => s + (a - m) ** 2, 0) / v.length;
};

/** Value of a parameter `p` shaped like the normalised axes of `x`, at x's multi-index `idx`. */
const paramAt = (p: ND, idx: number[], axes: number[]) =>
  p.data[
    ravel(
      axes.map((a) => idx[a]),
      p.shape,
    )
  ];

function refLayerNorm(x: ND, gamma: ND | null, beta: ND | null, axes: number[], eps: number): ND {
  const stats = new Map<number, { m: number; v: number }>();
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const groups = new Map<number, number[]>();
  for (let f = 0; f < x.data.length; f++) {
    const key = ravel(
      unravel(f, x.shape).map((v, i) => (axes.includes(i) ? 0 : v)),
      kept,
    );
    groups.set(key, [...(groups.get(key) ?? []), x.data[f]]);
  }
  for (const [k, v] of groups) stats.set(k, { m: meanOf(v), v: varianceOf(v) });
  const data = x.data.map((value, f) => {
    const idx = unravel(f, x.shape);
    const { m, v } = stats.get(
      ravel(
        idx.map((d, i) => (axes.includes(i) ? 0 : d)),
        kept,
      ),
    )!;
    const y = (value - m) / Math.sqrt(v + eps);
    return y * (gamma ? paramAt(gamma, idx, axes) : 1) + (beta ? paramAt(beta, idx, axes) : 0);
  });
  return { shape: [...x.shape], data };
}

describe('moments', () => {
  test('mean and biased variance over the given axes', () => {
    const x = randomNormal([2, 3, 4, 5]);
    const xd: ND = { shape: [2, 3, 4, 5], data: [...x.values] };
    for (const [axes, keepDims] of [
      [[0, 1, 2], false],
      [[1, 2], true],
      [[3], false],
    ] as const) {
      const { mean, variance } = moments(x, axes, keepDims);
      const wantMean = ndReduce(xd, axes, keepDims, meanOf);
      const wantVar = ndReduce(xd, axes, keepDims, varianceOf);
      assertClose(mean, wantMean.data, { shape: wantMean.shape, rtol: 1e-5, atol: 1e-5 });
      assertClose(variance, wantVar.data, { shape: wantVar.shape, rtol: 1e-5, atol: 1e-5 });
    }
  });

  test('gradients flow through both statistics', () => {
    const ref = (x: ND) => {
      const m = ndReduce(x, [0, 2], false, meanOf);
      const v = ndReduce(x, [0, 2], false, varianceOf);
      return { shape: m.shape, data: m.data.map((mi, i) => mi + 2 * v.data[i]) };
    };
    gradCheck(
      (x) => {
        const { mean, variance } = moments(x, [0, 2]);
        return mean.add(variance.mul(2));
      },
      ref,
      [{ shape: [3, 2, 4] }],
    );
  });
});

describe('batchNorm (given statistics)', () => {
  const ref = (x: ND, m: ND, v: ND, offset: ND | null, scale: ND | null, eps: number): ND => {
    const C = x.shape[x.shape.length - 1];
    return {
      shape: [...x.shape],
      data: x.data.map(
        (value, f) => ((value - m.data[f % C]) / Math.sqrt(v.data[f % C] + eps)) * (scale ? scale.data[f % C] : 1) + (offset ? offset.data[f % C] : 0),
      ),
    };
  };

  test('NHWC with per-channel statistics, offset and scale: all five gradients', () => {
    gradCheck(
      (x, m, v, o, s) => batchNorm(x, m, v, o, s, 1e-3),
      (x, m, v, o, s) => ref(x, m, v, o, s, 1e-3),
      [{ shape: [2, 3, 3, 4] }, { shape: [4] }, { shape: [4], low: 0.2, high: 2 }, { shape: [4] }, { shape: [4] }],
    );
  });

  test('without offset and scale, 2-D input, another epsilon', () => {
    gradCheck(
      (x, m, v) => batchNorm(x, m, v, null, null, 0.01),
      (x, m, v) => ref(x, m, v, null, null, 0.01),
      [{ shape: [5, 3] }, { shape: [3] }, { shape: [3], low: 0.2, high: 2 }],
    );
  });

  test('hand-computed values', () => {
    const y = batchNorm(
      tensor([
        [1, 2],
        [3, 4],
      ]),
      tensor([1, 2]),
      tensor([4, 1]),
      tensor([10, 20]),
      tensor([2, 3]),
      0,
    );
    assertClose(y, [10, 20, 12, 26]);
  });
});

describe('layerNorm', () => {
  test('last axis with gamma and beta (Keras default epsilon 1e-3)', () => {
    gradCheck(
      (x, g, b) => layerNorm(x, g, b),
      (x, g, b) => refLayerNorm(x, g, b, [1], 1e-3),
      [{ shape: [4, 6] }, { shape: [6] }, { shape: [6] }],
    );
  });

  test('rank 4, normalised over [1, 2, 3] with [H, W, C] parameters', () => {
    gradCheck(
      (x, g, b) => layerNorm(x, g, b, { axis: [1, 2, 3], epsilon: 1e-5 }),
      (x, g, b) => refLayerNorm(x, g, b, [1, 2, 3], 1e-5),
      [{ shape: [2, 3, 2, 3] }, { shape: [3, 2, 3] }, { shape: [3, 2, 3] }],
    );
  });

  test('a middle axis with a negative index, no gamma or beta', () => {
    gradCheck(
      (x) => layerNorm(x, null, null, { axis: -2 }),
      (x) => refLayerNorm(x, null, null, [1], 1e-3),
      [{ shape: [2, 5, 3] }],
    );
  });

  test('parameters already in broadcast shape are accepted; others are explained', () => {
    const x = randomNormal([2, 3, 4]);
    const g = randomNormal([3]);
    assertClose(layerNorm(x, g.reshape([1, 3, 1]), null, { axis: 1 }), layerNorm(x, g, null, { axis: 1 }).values);
    assert.throws(() => layerNorm(x, randomNormal([3])), /gamma must have shape \[4\].*\[2, 3, 4\].*got \[3\]/);
  });
});
