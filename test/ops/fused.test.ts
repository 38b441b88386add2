import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { add, biasActivation, relu, sigmoid, tanh, tensor, FUSABLE_ACTIVATIONS, type FusedActivation, type Tensor } from '../../src/index.js';
import { gradCheck, ndMap, type ND } from '../gradcheck.js';
import { assertClose } from '../helpers.js';

const f64: Record<FusedActivation, (v: number) => number> = {
  linear: (v) => v,
  relu: (v) => (v > 0 ? v : 0),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  tanh: Math.tanh,
};

/** Float64 reference: activation(x + bias) with bias over the last axis. */
function ref(activation: FusedActivation) {
  return (x: ND, b: ND): ND => {
    return ndMap([x, b], (v, c) => f64[activation](v + c));
  };
}

describe('biasActivation: forward and gradient vs float64 reference', () => {
  for (const activation of FUSABLE_ACTIVATIONS) {
    test(`${activation}, rank 2 and rank 4 inputs`, () => {
      gradCheck((x, b) => biasActivation(x, b, activation), ref(activation), [{ shape: [5, 3], awayFromZero: 0.05 }, { shape: [3] }]);
      gradCheck((x, b) => biasActivation(x, b, activation), ref(activation), [{ shape: [2, 3, 2, 4], awayFromZero: 0.05 }, { shape: [4] }]);
    });
  }
});

describe('biasActivation: same values as the separate ops', () => {
  const separate: Record<FusedActivation, (x: Tensor) => Tensor> = { linear: (x) => x, relu, sigmoid, tanh };
  for (const activation of FUSABLE_ACTIVATIONS) {
    test(activation, () => {
      const x = tensor([
        [-2, -0.5, 0.5],
        [1, 2, -3],
      ]);
      const b = tensor([0.25, -0.1, 3]);
      assertClose(biasActivation(x, b, activation), separate[activation](add(x, b)).values);
      assertClose(biasActivation(x, null, activation), separate[activation](x).values);
    });
  }

  test('sigmoid stays finite for large inputs', () => {
    const y = biasActivation(tensor([[-1000, 1000]]), tensor([0, 0]), 'sigmoid').values;
    assert.deepEqual([...y], [0, 1]);
  });

  test('a bias that does not match the last axis is an error', () => {
    assert.throws(() => biasActivation(tensor([[1, 2, 3]]), tensor([1, 2]), 'relu'), /bias of shape \[2\] does not match the last axis of \[1, 3\]/);
  });
});
