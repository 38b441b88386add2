import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { grad } from '../../src/autograd/functional.js';
import { getActivation, type ActivationName } from '../../src/nn/activations.js';
import { mul } from '../../src/ops/binary.js';
import { sum } from '../../src/ops/reduce.js';
import { tensor } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { assertClose } from '../helpers.js';

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
};

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
