import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exp, mul } from '../../src/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { record } from '../../src/ops/op.js';
import { drawValues, gradCheck, makeRng, ndMap, ndTranspose, ndReduce, sum64, unravel, ravel } from '../gradcheck.js';

// The harness itself must catch wrong forwards and wrong gradients, or every gradient test is vacuous.
describe('gradCheck harness', () => {
  test('passes a correct op', () => {
    gradCheck(
      (x) => exp(x),
      (x) => ndMap([x], Math.exp),
      [{ shape: [3] }],
    );
  });

  test('fails on a wrong forward', () => {
    assert.throws(
      () =>
        gradCheck(
          (x) => exp(x),
          (x) => ndMap([x], (v) => Math.exp(v) + 1e-3),
          [{ shape: [3] }],
        ),
      /forward/,
    );
  });

  test('fails on a wrong gradient', () => {
    // forward x^2 but a backward that claims 3x
    const badSquare = (x: Tensor) => {
      const out = new Tensor(
        x.values.map((v) => v * v),
        x.shape,
      );
      return record(out, 'badSquare', [x], (dy) => [mul(dy, mul(x, 3))]);
    };
    assert.throws(() => gradCheck(badSquare, (x) => ndMap([x], (v) => v * v), [{ shape: [4] }]), /gradient of input 0/);
  });

  test('fails on a wrong output shape', () => {
    assert.throws(
      () =>
        gradCheck(
          (x) => x.reshape([3, 1]),
          (x) => x,
          [{ shape: [3] }],
        ),
      /forward shape/,
    );
  });

  test('input constraints hold and are float32', () => {
    const v = drawValues({ shape: [50], awayFromZero: 0.5, minGap: 0.01 }, makeRng(1));
    assert.ok(v.every((x) => Math.abs(x) >= 0.5 && Math.fround(x) === x));
    const sorted = [...v].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i] - sorted[i - 1] >= 0.01);
    assert.deepEqual(drawValues({ shape: [2], values: [0.1, 2] }, makeRng(1)), [Math.fround(0.1), 2]);
  });

  test('reference helpers agree with hand-computed results', () => {
    assert.deepEqual(unravel(5, [2, 3]), [1, 2]);
    assert.equal(ravel([1, 2], [2, 3]), 5);
    assert.deepEqual(ndTranspose({ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }, [1, 0]).data, [1, 4, 2, 5, 3, 6]);
    assert.deepEqual(ndReduce({ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }, [0], false, sum64), { shape: [3], data: [5, 7, 9] });
    assert.deepEqual(
      ndMap(
        [
          { shape: [2, 1], data: [1, 2] },
          { shape: [3], data: [10, 20, 30] },
        ],
        (a, b) => a + b,
      ),
      { shape: [2, 3], data: [11, 21, 31, 12, 22, 32] },
    );
  });
});
