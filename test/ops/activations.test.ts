import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { elu, gelu, leakyRelu, softplus, swish, tensor, type Tensor } from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { erf64, gradCheck, ndMap, type InputSpec } from '../gradcheck.js';

const sigmoid64 = (v: number) => 1 / (1 + Math.exp(-v));
const geluTanh64 = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
const geluErf64 = (v: number) => 0.5 * v * (1 + erf64(v / Math.SQRT2));

const cases: [string, (x: Tensor) => Tensor, (v: number) => number, InputSpec][] = [
  ['leakyRelu (default alpha 0.2)', (x) => leakyRelu(x), (v) => (v > 0 ? v : 0.2 * v), { shape: [3, 4], awayFromZero: 0.05 }],
  ['leakyRelu alpha 0.3', (x) => leakyRelu(x, 0.3), (v) => (v > 0 ? v : 0.3 * v), { shape: [3, 4], awayFromZero: 0.05 }],
  ['elu (alpha 1)', (x) => elu(x), (v) => (v > 0 ? v : Math.exp(v) - 1), { shape: [3, 4], awayFromZero: 0.05 }],
  ['elu alpha 0.5', (x) => elu(x, 0.5), (v) => (v > 0 ? v : 0.5 * (Math.exp(v) - 1)), { shape: [3, 4], low: -4, high: 3, awayFromZero: 0.05 }],
  ['softplus', softplus, (v) => Math.log1p(Math.exp(v)), { shape: [3, 4], low: -5, high: 5 }],
  ['gelu exact', (x) => gelu(x), geluErf64, { shape: [3, 4], low: -4, high: 4 }],
  ['gelu approximate', (x) => gelu(x, true), geluTanh64, { shape: [3, 4], low: -4, high: 4 }],
  ['swish', swish, (v) => v * sigmoid64(v), { shape: [3, 4], low: -6, high: 6 }],
];

describe('activations: known values', () => {
  test('leakyRelu', () => {
    assertClose(leakyRelu(tensor([-2, 0, 3])), [-0.4, 0, 3]);
    assertClose(leakyRelu(tensor([-2, 3]), 0.01), [-0.02, 3]);
  });

  test('elu', () => {
    assertClose(elu(tensor([-1, 0, 2])), [Math.exp(-1) - 1, 0, 2]);
    assertClose(elu(tensor([-1000])), [-1]);
  });

  test('softplus is log(1 + e^x) and stable at +-100', () => {
    assertClose(softplus(tensor([0, 1, -1])), [Math.LN2, 1.3132616875182228, 0.31326168751822286]);
    const y = softplus(tensor([100, -100, 1000, -1000])).values;
    assert.ok(y.every(Number.isFinite));
    assertClose(y, [100, 0, 1000, 0], { rtol: 1e-6, atol: 1e-30 });
    const x = tensor([100, -100]).requireGrad();
    softplus(x).sum().backward();
    assertClose(x.grad!, [1, 0], { atol: 1e-30 });
    assert.ok(x.grad!.values.every(Number.isFinite));
  });

  test('gelu exact uses erf: gelu(1) = Phi(1)', () => {
    // x * Phi(x), Phi the standard normal CDF: Phi(1) = 0.8413447460685429, Phi(-1) = 0.15865525393145707
    assertClose(gelu(tensor([1, -1, 0, 2])), [0.8413447460685429, -0.15865525393145707, 0, 2 * 0.9772498680518208], { rtol: 1e-6, atol: 1e-7 });
  });

  test('gelu approximate uses tanh', () => {
    assertClose(gelu(tensor([1, -1, 0]), true), [0.8411919906082768, -0.15880800939172324, 0], { rtol: 1e-6, atol: 1e-7 });
    // the two forms differ slightly
    assert.notEqual(gelu(tensor([1]), true).item(), gelu(tensor([1])).item());
  });

  test('swish is x * sigmoid(x)', () => {
    assertClose(swish(tensor([1, -1, 0])), [0.7310585786300049, -0.2689414213699951, 0]);
    assert.ok(swish(tensor([-100, 100])).values.every(Number.isFinite));
  });

  test('elu gradient is finite for large positive inputs', () => {
    const x = tensor([100, 500, -3]).requireGrad();
    elu(x).sum().backward();
    assertClose(x.grad!, [1, 1, Math.exp(-3)]);
  });
});

describe('activations: forward and gradient vs float64 reference', () => {
  for (const [name, op, f, spec] of cases) {
    test(name, () => gradCheck(op, (x) => ndMap([x], f), [spec]));
  }

  // Smooth activations must have the right gradient at exactly 0 too, even when composed from ops with a
  // kink there (relu, abs, where): softplus'(0) = 1/2, gelu'(0) = 1/2, swish'(0) = 1/2, elu'(0) = 1 (alpha 1).
  for (const [name, op, f] of cases.filter(([n]) => !n.startsWith('leakyRelu') && n !== 'elu alpha 0.5')) {
    test(`${name} at exactly 0`, () => gradCheck(op, (x) => ndMap([x], f), [{ shape: [6], values: [0, 0, -1e-3, 1e-3, 0.5, -0.5] }], { h: 1e-7 }));
  }
});
