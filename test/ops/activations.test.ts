import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  elu,
  gelu,
  generalRelu,
  hardSigmoid,
  leakyRelu,
  mish,
  prelu,
  relu6,
  selu,
  softplus,
  softsign,
  swish,
  tensor,
  thresholdedRelu,
  type Tensor,
} from '../../src/index.js';
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

// Keras' constants for SELU and the float64 definitions of the activations added with issue 14
const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;
const softplus64 = (v: number) => Math.log1p(Math.exp(-Math.abs(v))) + Math.max(v, 0);
const selu64 = (v: number) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(v));
const hardSigmoid64 = (v: number) => Math.min(Math.max(0.2 * v + 0.5, 0), 1);
const softsign64 = (v: number) => v / (1 + Math.abs(v));
const mish64 = (v: number) => v * Math.tanh(softplus64(v));
/** Keras' relu(x, negative_slope, max_value, threshold), written from its documented steps. */
const generalRelu64 =
  (negativeSlope: number, maxValue: number | null, threshold: number) =>
  (v: number): number => {
    let y = v > threshold ? v : 0;
    if (maxValue !== null) y = Math.min(Math.max(y, 0), maxValue);
    return y - negativeSlope * Math.max(threshold - v, 0);
  };

const moreCases: [string, (x: Tensor) => Tensor, (v: number) => number, InputSpec][] = [
  // kinks at 0 and 6, so inputs stay away from both
  [
    'relu6',
    relu6,
    (v) => Math.min(Math.max(v, 0), 6),
    { shape: [4, 5], low: -3, high: 9, values: [-3, -1, -0.5, 0.5, 1, 2, 3, 4, 5, 5.5, 5.9, 6.1, 6.5, 7, 8, 8.5, -2.5, 0.25, 2.5, 4.5] },
  ],
  ['selu', selu, selu64, { shape: [3, 4], low: -4, high: 3, awayFromZero: 0.05 }],
  // kinks at -2.5 and 2.5
  ['hardSigmoid', hardSigmoid, hardSigmoid64, { shape: [2, 5], values: [-4, -3, -2, -1, -0.1, 0.1, 1, 2, 3, 4] }],
  ['softsign', softsign, softsign64, { shape: [3, 4], low: -5, high: 5 }],
  ['mish', mish, mish64, { shape: [3, 4], low: -6, high: 6 }],
  [
    'thresholdedRelu (theta 1)',
    (x) => thresholdedRelu(x),
    (v) => (v > 1 ? v : 0),
    { shape: [3, 4], low: -3, high: 3, values: [-3, -2, -1, -0.5, 0, 0.5, 0.9, 1.1, 1.5, 2, 2.5, 3] },
  ],
  ['thresholdedRelu theta -0.5', (x) => thresholdedRelu(x, -0.5), (v) => (v > -0.5 ? v : 0), { shape: [6], values: [-2, -1, -0.6, -0.4, 0.5, 2] }],
  ['generalRelu maxValue 2', (x) => generalRelu(x, { maxValue: 2 }), generalRelu64(0, 2, 0), { shape: [8], values: [-2, -1, -0.5, 0.5, 1, 1.5, 2.5, 3] }],
  [
    'generalRelu negativeSlope 0.1, threshold 1, maxValue 3',
    (x) => generalRelu(x, { negativeSlope: 0.1, threshold: 1, maxValue: 3 }),
    generalRelu64(0.1, 3, 1),
    { shape: [8], values: [-2, -1, 0, 0.5, 1.5, 2.5, 3.5, 4] },
  ],
  ['generalRelu negativeSlope 0.3 (leaky)', (x) => generalRelu(x, { negativeSlope: 0.3 }), generalRelu64(0.3, null, 0), { shape: [3, 4], awayFromZero: 0.05 }],
];

describe('activations added in issue 14: known values', () => {
  test('relu6 caps at 6', () => {
    assertClose(relu6(tensor([-1, 0, 3, 6, 7.5])), [0, 0, 3, 6, 6]);
  });

  test("selu uses Keras' constants", () => {
    // selu(1) = scale; selu(-1) = scale * alpha * (e^-1 - 1)
    assertClose(selu(tensor([1, -1, 0])), [SELU_SCALE, SELU_SCALE * SELU_ALPHA * (Math.exp(-1) - 1), 0], { rtol: 1e-6 });
  });

  test("hardSigmoid is TF.js' clip(0.2 x + 0.5, 0, 1), not Keras 3's relu6(x + 3) / 6", () => {
    assertClose(hardSigmoid(tensor([-3, -2.5, 0, 1, 2.5, 3])), [0, 0, 0.5, 0.7, 1, 1]);
  });

  test('softsign and mish', () => {
    assertClose(softsign(tensor([-3, 0, 1])), [-0.75, 0, 0.5]);
    // mish(1) = tanh(log(1 + e)) = 0.8650983882673103 (float64)
    assertClose(mish(tensor([1, 0, -1])), [0.8650983882673103, 0, -0.30340146137410895], { rtol: 1e-6 });
    assert.ok(mish(tensor([-100, 100])).values.every(Number.isFinite));
  });

  test("generalRelu follows Keras' relu(x, negative_slope, max_value, threshold) docstring examples", () => {
    const x = tensor([-10, -5, 0, 5, 10]);
    assertClose(generalRelu(x), [0, 0, 0, 5, 10]);
    assertClose(generalRelu(x, { negativeSlope: 0.5 }), [-5, -2.5, 0, 5, 10]);
    assertClose(generalRelu(x, { maxValue: 5 }), [0, 0, 0, 5, 5]);
    assertClose(generalRelu(x, { threshold: 5 }), [0, 0, 0, 0, 10]);
  });

  test('prelu: one learned slope per feature, broadcast over the batch', () => {
    const x = tensor(
      [
        [-1, 2, -3],
        [4, -5, -6],
      ],
      [2, 3],
    );
    assertClose(prelu(x, tensor([0.1, 0.2, 0.3])), [-0.1, 2, -0.9, 4, -1, -1.8]);
  });
});

describe('activations added in issue 14: forward and gradient vs float64 reference', () => {
  for (const [name, op, f, spec] of moreCases) {
    test(name, () => gradCheck(op, (x) => ndMap([x], f), [spec]));
  }

  test('selu, softsign and mish at exactly 0 (composed from ops with a kink there)', () => {
    // selu'(0+) = scale, selu'(0-) = scale * alpha: at 0 TF.js and Keras take the x <= 0 branch; only smooth ones here
    for (const [op, f] of [
      [softsign, softsign64],
      [mish, mish64],
    ] as const) {
      gradCheck(op, (x) => ndMap([x], f), [{ shape: [6], values: [0, 0, -1e-3, 1e-3, 0.5, -0.5] }], { h: 1e-7 });
    }
  });

  test('prelu: gradients of x and of the broadcast slopes', () => {
    gradCheck(prelu, (x, a) => ndMap([x, a], (v, s) => (v > 0 ? v : s * v)), [
      { shape: [3, 2, 4], awayFromZero: 0.05 },
      { shape: [1, 4], low: 0, high: 0.5 },
    ]);
  });
});
