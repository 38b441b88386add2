import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { argMax, argMin, max, mean, min, sum, tensor, type Axis } from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { gradCheck, ndReduce, sum64 } from '../gradcheck.js';

const x23 = () =>
  tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

describe('reductions: hand-computed values', () => {
  test('sum', () => {
    assert.equal(sum(x23()).item(), 21);
    assert.deepEqual(sum(x23()).shape, []);
    assert.deepEqual(sum(x23(), 0).toArray(), [5, 7, 9]);
    assert.deepEqual(sum(x23(), 1).toArray(), [6, 15]);
    assert.deepEqual(sum(x23(), -1).toArray(), [6, 15]);
    assert.deepEqual(sum(x23(), [0, 1]).toArray(), 21);
    assert.deepEqual(sum(x23(), 1, true).toArray(), [[6], [15]]);
    assert.deepEqual(sum(x23(), null, true).toArray(), [[21]]);
    assert.deepEqual(sum(x23(), [-1, -2], true).shape, [1, 1]);
  });

  test('mean', () => {
    assert.equal(mean(x23()).item(), 3.5);
    assert.deepEqual(mean(x23(), 0).toArray(), [2.5, 3.5, 4.5]);
    assert.deepEqual(mean(x23(), -1, true).toArray(), [[2], [5]]);
  });

  test('max and min', () => {
    const x = tensor([
      [3, -1, 7],
      [0, 8, -5],
    ]);
    assert.equal(max(x).item(), 8);
    assert.equal(min(x).item(), -5);
    assert.deepEqual(max(x, 0).toArray(), [3, 8, 7]);
    assert.deepEqual(min(x, 1).toArray(), [-1, -5]);
    assert.deepEqual(max(x, -1, true).toArray(), [[7], [8]]);
    assert.deepEqual(min(x, [0, 1], true).toArray(), [[-5]]);
  });

  test('rank 3 with an axis list', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 3, 2]);
    assert.deepEqual(sum(x, [0, 2]).toArray(), [1 + 2 + 7 + 8, 3 + 4 + 9 + 10, 5 + 6 + 11 + 12]);
    assert.deepEqual(max(x, [0, -1], true).toArray(), [[[8], [10], [12]]]);
  });

  test('scalar input and empty axis list', () => {
    assert.equal(sum(tensor(4)).item(), 4);
    assert.equal(mean(tensor(4)).item(), 4);
    assert.equal(max(tensor(4)).item(), 4);
    assert.throws(() => mean(tensor(4), 0), /a scalar has no axes/);
    assert.throws(() => sum(tensor(4), -1), /a scalar has no axes/);
    assert.deepEqual(sum(x23(), []).toArray(), [
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  test('bad axes are errors', () => {
    assert.throws(() => sum(x23(), 2), /Axis 2 is out of range for a tensor of rank 2/);
    assert.throws(() => mean(x23(), -3), /out of range/);
    assert.throws(() => max(x23(), [1, -1]), /repeated/);
  });

  test('argMax / argMin', () => {
    const x = tensor([
      [3, -1, 7, 7],
      [9, 8, -5, 9],
    ]);
    assert.deepEqual(argMax(x).toArray(), [2, 0]);
    assert.deepEqual(argMin(x).toArray(), [1, 2]);
    assert.deepEqual(argMax(x, 0).toArray(), [1, 1, 0, 1]);
    assert.deepEqual(argMin(x, -2).toArray(), [0, 0, 1, 0]);
    assert.deepEqual(argMax(tensor([5])).toArray(), 0);
    assert.deepEqual(argMax(tensor([[[1, 2]], [[4, 3]]]), 2).toArray(), [[1], [0]]);
    assert.throws(() => argMax(tensor([], [2, 0])), /size 0/);
    assert.equal(argMax(x.requireGrad()).requiresGrad, false);
  });

  test('sum of a large tensor is accurate', () => {
    const n = 100000;
    const x = tensor(new Float32Array(n).fill(0.1));
    assertClose(sum(x), [n * Math.fround(0.1)], { rtol: 1e-5 });
  });
});

const axisCases: [number[], Axis, boolean][] = [
  [[2, 3], undefined, false],
  [[2, 3], 0, false],
  [[2, 3], 1, true],
  [[2, 3], -1, false],
  [[2, 3, 4], [0, 2], false],
  [[2, 3, 4], [-1, -3], true],
  [[2, 3, 4], -2, true],
  [[3, 1, 2], 1, false],
  [[4], 0, true],
  [[2, 3, 4], null, true],
];

function axesOf(axis: Axis, rank: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  return (typeof axis === 'number' ? [axis] : [...axis]).map((a) => (a < 0 ? a + rank : a));
}

describe('reductions: forward and gradient vs float64 reference', () => {
  for (const [shape, axis, keepDims] of axisCases) {
    const label = `[${shape}] axis ${JSON.stringify(axis)} keepDims ${keepDims}`;
    const axes = axesOf(axis, shape.length);
    test(`sum ${label}`, () =>
      gradCheck(
        (x) => sum(x, axis, keepDims),
        (x) => ndReduce(x, axes, keepDims, sum64),
        [{ shape }],
      ));
    test(`mean ${label}`, () =>
      gradCheck(
        (x) => mean(x, axis, keepDims),
        (x) => ndReduce(x, axes, keepDims, (v) => sum64(v) / v.length),
        [{ shape }],
      ));
    test(`max ${label}`, () =>
      gradCheck(
        (x) => max(x, axis, keepDims),
        (x) => ndReduce(x, axes, keepDims, (v) => Math.max(...v)),
        [{ shape, minGap: 0.01 }],
      ));
    test(`min ${label}`, () =>
      gradCheck(
        (x) => min(x, axis, keepDims),
        (x) => ndReduce(x, axes, keepDims, (v) => Math.min(...v)),
        [{ shape, minGap: 0.01 }],
      ));
  }

  test('max gradient with ties is shared equally', () => {
    const x = tensor([
      [1, 3, 3],
      [2, 0, 1],
    ]).requireGrad();
    max(x, 1).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [
      [0, 0.5, 0.5],
      [1, 0, 0],
    ]);
  });
});
