import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { broadcastShapes, formatShape, normalizeAxes, normalizeAxis, reducedShape, shapesEqual, sizeOf, stridesOf } from '../../src/tensor/shape.js';

describe('shape helpers', () => {
  test('sizeOf and stridesOf', () => {
    assert.equal(sizeOf([]), 1);
    assert.equal(sizeOf([2, 3, 4]), 24);
    assert.equal(sizeOf([2, 0]), 0);
    assert.deepEqual(stridesOf([2, 3, 4]), [12, 4, 1]);
    assert.deepEqual(stridesOf([]), []);
  });

  test('broadcastShapes follows numpy', () => {
    assert.deepEqual(broadcastShapes([3, 1], [1, 4]), [3, 4]);
    assert.deepEqual(broadcastShapes([4], []), [4]);
    assert.deepEqual(broadcastShapes([2, 1, 5], [3, 1]), [2, 3, 5]);
    assert.deepEqual(broadcastShapes([0], [1]), [0]);
    assert.throws(() => broadcastShapes([2, 3], [4, 3]), /\[2, 3\] and \[4, 3\] cannot be broadcast.*axis -2: 2 vs 4/);
  });

  test('normalizeAxis / normalizeAxes', () => {
    assert.equal(normalizeAxis(-1, 3), 2);
    assert.equal(normalizeAxis(0, 3), 0);
    assert.throws(() => normalizeAxis(3, 3), /out of range.*-3\.\.2/);
    assert.throws(() => normalizeAxis(-4, 3), /out of range/);
    assert.throws(() => normalizeAxis(0.5, 3), /out of range/);
    assert.throws(() => normalizeAxis(0, 0), /rank 0 \(a scalar has no axes\)/);
    assert.throws(() => normalizeAxis(-1, 0), /a scalar has no axes/);
    assert.deepEqual(normalizeAxes(undefined, 3), [0, 1, 2]);
    assert.deepEqual(normalizeAxes(null, 2), [0, 1]);
    assert.deepEqual(normalizeAxes([-1, 0], 3), [0, 2]);
    assert.throws(() => normalizeAxes([1, -2], 3), /repeated/);
  });

  test('reducedShape, shapesEqual, formatShape', () => {
    assert.deepEqual(reducedShape([2, 3, 4], [0, 2], false), [3]);
    assert.deepEqual(reducedShape([2, 3, 4], [0, 2], true), [1, 3, 1]);
    assert.ok(shapesEqual([1, 2], [1, 2]));
    assert.ok(!shapesEqual([1, 2], [2, 1]));
    assert.ok(!shapesEqual([1], [1, 1]));
    assert.equal(formatShape([null, 28, 28]), '[null, 28, 28]');
  });
});
