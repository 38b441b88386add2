import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { abs, erf, exp, floor, log, relu, round, sigmoid, sign, sqrt, step, tanh, tensor, type Tensor } from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { erf64, gradCheck, ndMap, type InputSpec } from '../gradcheck.js';

const unaryCases: [string, (x: Tensor) => Tensor, (v: number) => number, InputSpec][] = [
  ['abs', abs, Math.abs, { shape: [3, 4], awayFromZero: 0.05 }],
  ['exp', exp, Math.exp, { shape: [3, 4] }],
  ['log', log, Math.log, { shape: [3, 4], low: 0.1, high: 5 }],
  ['sqrt', sqrt, Math.sqrt, { shape: [3, 4], low: 0.1, high: 5 }],
  ['tanh', tanh, Math.tanh, { shape: [3, 4], low: -3, high: 3 }],
  ['sigmoid', sigmoid, (v) => 1 / (1 + Math.exp(-v)), { shape: [3, 4], low: -6, high: 6 }],
  ['relu', relu, (v) => (v > 0 ? v : 0), { shape: [3, 4], awayFromZero: 0.05 }],
  ['erf', erf, erf64, { shape: [3, 4], low: -2.5, high: 2.5 }],
];

describe('unary ops: known values', () => {
  test('hand-computed', () => {
    assertClose(abs(tensor([-2, 0, 3.5])), [2, 0, 3.5]);
    assertClose(exp(tensor([0, 1, -1])), [1, Math.E, 1 / Math.E]);
    assertClose(log(tensor([1, Math.E, 10])), [0, 1, Math.LN10]);
    assertClose(sqrt(tensor([0, 4, 2])), [0, 2, Math.SQRT2]);
    assertClose(tanh(tensor([0, 1])), [0, 0.7615941559557649]);
    assertClose(sigmoid(tensor([0, 2])), [0.5, 0.8807970779778823]);
    assertClose(relu(tensor([-1, 0, 2])), [0, 0, 2]);
    assertClose(erf(tensor([1, -0.5])), [0.8427007929497149, -0.5204998778130465]);
    assert.deepEqual(sign(tensor([-3, 0, 2])).toArray(), [-1, 0, 1]);
    assert.deepEqual(step(tensor([-3, 0, 2])).toArray(), [0, 0, 1]);
    assert.deepEqual(floor(tensor([-1.5, 1.5, 2])).toArray(), [-2, 1, 2]);
    assert.deepEqual(round(tensor([-1.2, 1.6, 2.4])).toArray(), [-1, 2, 2]);
  });

  test('log and sqrt outside their domain', () => {
    const l = log(tensor([0, -1])).values;
    assert.equal(l[0], -Infinity);
    assert.ok(Number.isNaN(l[1]));
    assert.ok(Number.isNaN(sqrt(tensor([-1])).item()));
  });

  test('sigmoid stays finite at +-100 and beyond', () => {
    const y = sigmoid(tensor([-100, 100, -1000, 1000])).values;
    assert.ok(y.every(Number.isFinite));
    assert.equal(y[1], 1);
    assert.equal(y[3], 1);
    assert.ok(y[0] >= 0 && y[0] < 1e-40);
    assert.equal(y[2], 0);
    // and its gradient too
    const x = tensor([-100, 100]).requireGrad();
    sigmoid(x).sum().backward();
    assert.ok(x.grad!.values.every((v) => Number.isFinite(v) && v >= 0 && v < 1e-40));
  });

  test('erf is odd, bounded and monotone', () => {
    const xs = Array.from({ length: 41 }, (_, i) => -4 + i * 0.2);
    const y = erf(tensor(xs)).values;
    for (let i = 0; i < xs.length; i++) {
      assert.ok(Math.abs(y[i] - erf64(xs[i])) < 3e-7, `erf(${xs[i]})`);
      assert.ok(Math.abs(y[i] + y[xs.length - 1 - i]) < 1e-6);
      if (i > 0) assert.ok(y[i] >= y[i - 1]);
    }
  });
});

describe('unary ops: forward and gradient vs float64 reference', () => {
  for (const [name, op, f, spec] of unaryCases) {
    test(name, () => {
      gradCheck(op, (x) => ndMap([x], f), [spec]);
      gradCheck(op, (x) => ndMap([x], f), [{ ...spec, shape: [] }], { seed: 99 });
    });
  }

  test('non-differentiable ops give zero gradient (not recorded)', () => {
    const x = tensor([1.3, -0.7]).requireGrad();
    for (const op of [sign, step, floor, round]) assert.equal(op(x).requiresGrad, false);
  });

  test('relu gradient at exactly 0 is 0', () => {
    const x = tensor([0, 1, -1]).requireGrad();
    relu(x).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [0, 1, 0]);
  });
});
