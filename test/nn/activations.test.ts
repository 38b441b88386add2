import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { grad } from '../../src/autograd/functional.js';
import { activationFromLayer, getActivation, isBuiltInActivation, type ActivationName } from '../../src/nn/activations.js';
import { mul } from '../../src/ops/binary.js';
import { sum } from '../../src/ops/reduce.js';
import { tensor } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { assertClose } from '../helpers.js';
import { gradCheck, ndMap } from '../gradcheck.js';
import { tf, tfjsApply } from './layers/tfjs-reference.js';

const xs = [-3, -1.5, -0.5, 0.25, 1, 2.5];
const x = tensor(xs, [2, 3]);
const sigmoid64 = (v: number) => 1 / (1 + Math.exp(-v));
// exact GELU values 0.5 x (1 + erf(x / sqrt 2)), from Python's math.erf in float64
const geluExact: Record<number, number> = {
  [-3]: -0.00404969409489031,
  [-1.5]: -0.10021080190328713,
  [-0.5]: -0.15426876936299344,
  0.25: 0.14967658142073093,
  1: 0.8413447460685429,
  2.5: 2.4844758366855597,
};

const references: Record<string, (v: number) => number> = {
  linear: (v) => v,
  relu: (v) => Math.max(v, 0),
  leakyRelu: (v) => (v > 0 ? v : 0.2 * v),
  elu: (v) => (v > 0 ? v : Math.exp(v) - 1),
  sigmoid: sigmoid64,
  tanh: Math.tanh,
  softplus: (v) => Math.log1p(Math.exp(v)),
  gelu: (v) => geluExact[v],
  swish: (v) => v * sigmoid64(v),
  relu6: (v) => Math.min(Math.max(v, 0), 6),
  // Keras' SELU constants
  selu: (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * Math.expm1(v)),
  // TF.js' (and Keras 2's) definition, not Keras 3's relu6(x + 3) / 6
  hardSigmoid: (v) => Math.min(Math.max(0.2 * v + 0.5, 0), 1),
  softsign: (v) => v / (1 + Math.abs(v)),
  mish: (v) => v * Math.tanh(Math.log1p(Math.exp(v))),
};

/** Inputs away from each activation's kinks (0, and relu6's 6, hardSigmoid's +-2.5), with large values too. */
const gradInputs = [-7, -3, -2, -1.2, -0.4, 0.3, 0.9, 1.7, 2.2, 3.5, 5.2, 6.8];

describe('getActivation', () => {
  for (const [name, ref] of Object.entries(references)) {
    test(`${name} matches its float64 definition`, () => {
      const act = getActivation(name as ActivationName);
      assert.equal(act.name, name);
      assertClose(act.apply(x), xs.map(ref), { rtol: 1e-5, atol: 1e-6, shape: [2, 3] });
    });
  }

  test('softmax normalises over the last axis', () => {
    const y = getActivation('softmax').apply(x);
    const expected: number[] = [];
    for (const row of [xs.slice(0, 3), xs.slice(3)]) {
      const e = row.map(Math.exp);
      const s = e.reduce((a, b) => a + b, 0);
      expected.push(...e.map((v) => v / s));
    }
    assertClose(y, expected, { shape: [2, 3] });
  });

  test('Keras snake_case aliases resolve to the canonical names', () => {
    assert.equal(getActivation('hard_sigmoid').name, 'hardSigmoid');
    assert.equal(getActivation('leaky_relu').name, 'leakyRelu');
    assert.equal(getActivation('silu').name, 'swish');
    assertClose(getActivation('silu').apply(x), xs.map(references.swish));
  });

  test('a function is used as is, under its own name', () => {
    function double(t: Tensor): Tensor {
      return mul(t, 2);
    }
    const act = getActivation(double);
    assert.equal(act.name, 'double');
    assertClose(
      act.apply(x),
      xs.map((v) => 2 * v),
    );
    assert.equal(getActivation((t) => t).name, 'custom');
  });

  test('activations are differentiable', () => {
    const g = grad((t) => sum(getActivation('relu').apply(t)))(x);
    assertClose(g, [0, 0, 0, 1, 1, 1]);
    const s = grad((t) => sum(getActivation('sigmoid').apply(t)))(x);
    assertClose(
      s,
      xs.map((v) => sigmoid64(v) * (1 - sigmoid64(v))),
      { rtol: 1e-5 },
    );
  });

  test('an unknown name suggests the closest one', () => {
    assert.throws(() => getActivation('relux' as ActivationName), /Unknown activation 'relux' — did you mean 'relu'\?/);
    assert.throws(() => getActivation('LeakyReLU' as ActivationName), /did you mean 'leakyRelu'\?/);
    assert.throws(
      () => getActivation('mystery' as ActivationName),
      (e: Error) => {
        assert.match(e.message, /^Unknown activation 'mystery'\. Valid activations: 'linear', 'relu'/);
        assert.doesNotMatch(e.message, /did you mean/);
        return true;
      },
    );
    assert.throws(() => getActivation(null as never), /must be a name or a function/);
  });
});

describe('activations: gradients against float64 finite differences', () => {
  for (const [name, ref] of Object.entries(references)) {
    if (name === 'gelu') continue; // its reference is a table of values; test/ops/activations.test.ts checks gelu
    test(name, () => {
      gradCheck(
        (t: Tensor) => getActivation(name as ActivationName).apply(t),
        (t) => ndMap([t], ref),
        [{ shape: [3, 4], values: gradInputs }],
      );
    });
  }
});

describe('activations: the same values as TF.js', () => {
  for (const name of ['relu6', 'selu', 'hardSigmoid', 'softsign', 'mish'] as const) {
    test(`${name} matches tf.layers.activation({ activation: '${name}' })`, async () => {
      const input = tensor(gradInputs, [3, 4]);
      const expected = await tfjsApply(tf.layers.activation({ activation: name }), input);
      assertClose(getActivation(name).apply(input), expected, { rtol: 1e-5, atol: 1e-6 });
    });
  }
});

describe('activationFromLayer: a Keras activation layer in place of a name', () => {
  test('is the named activation where one is the same', () => {
    assert.equal(activationFromLayer({ className: 'ReLU', config: {} }).name, 'relu');
    assert.equal(activationFromLayer({ className: 'ReLU', config: { maxValue: 6, negativeSlope: 0, threshold: 0 } }).name, 'relu6');
    assert.equal(activationFromLayer({ className: 'LeakyReLU', config: { alpha: 0.2 } }).name, 'leakyRelu');
    assert.equal(activationFromLayer({ className: 'ELU', config: { alpha: 1 } }).name, 'elu');
    assert.equal(activationFromLayer({ className: 'Softmax', config: { axis: -1 } }).name, 'softmax');
    assert.equal(activationFromLayer({ className: 'ReLU', config: {} }).layer, undefined);
  });

  test('otherwise keeps its parameters and the layer to store', () => {
    const leaky = activationFromLayer({ className: 'LeakyReLU', config: { alpha: 0.3 } });
    assert.equal(leaky.name, 'LeakyReLU(alpha=0.3)');
    assert.deepEqual(leaky.layer, { className: 'LeakyReLU', config: { alpha: 0.3 } });
    assert.ok(isBuiltInActivation(leaky), "dendrite's own code, like the named ones");
    assertClose(
      leaky.apply(x),
      xs.map((v) => (v > 0 ? v : 0.3 * v)),
    );
    const capped = activationFromLayer({ className: 'ReLU', config: { maxValue: 1, negativeSlope: 0.1, threshold: 0 } });
    assertClose(
      capped.apply(x),
      xs.map((v) => (v > 0 ? Math.min(v, 1) : 0.1 * v)),
    );
    assertClose(
      activationFromLayer({ className: 'ThresholdedReLU', config: { theta: 0.5 } }).apply(x),
      xs.map((v) => (v > 0.5 ? v : 0)),
    );
    assertClose(
      activationFromLayer({ className: 'ELU', config: { alpha: 0.5 } }).apply(x),
      xs.map((v) => (v > 0 ? v : 0.5 * Math.expm1(v))),
    );
    const overRows = activationFromLayer({ className: 'Softmax', config: { axis: 0 } }).apply(x);
    const e = xs.map(Math.exp);
    assertClose(
      overRows,
      [0, 1, 2, 0, 1, 2].map((c, i) => e[i] / (e[c] + e[c + 3])),
    );
    // getActivation passes a resolved activation through
    assert.equal(getActivation(leaky), leaky);
  });

  test("refuses ReLU's negative parameters, as Keras does", () => {
    assert.throws(() => activationFromLayer({ className: 'ReLU', config: { maxValue: -1 } }), /activation ReLU: maxValue must be non-negative, got -1/);
    assert.throws(() => activationFromLayer({ className: 'LeakyReLU', config: { alpha: Number.NaN } }), /activation LeakyReLU: alpha must be a finite number/);
  });
});
