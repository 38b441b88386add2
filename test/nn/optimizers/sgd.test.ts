import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SGD } from '../../../src/nn/optimizers/sgd.js';
import { tensor } from '../../../src/tensor/create.js';
import { Variable } from '../../../src/tensor/tensor.js';
import { agreesWithReference } from './reference.js';

/**
 * Runs `opt` (float32) and `refStep` (a float64 loop over plain arrays, written from the Keras formulas) on the
 * same random gradients and checks that they agree after every step.
 */

describe('SGD', () => {
  it('Keras defaults', () => {
    assert.deepEqual(new SGD().getConfig(), { learningRate: 0.01, momentum: 0, nesterov: false });
  });

  it('plain: p -= lr * g', () => {
    agreesWithReference(
      new SGD({ learningRate: 0.1 }),
      (p, g) => {
        for (let i = 0; i < p.length; i++) p[i] -= 0.1 * g[i];
      },
      { seed: 7 },
    );
  });

  it('momentum: v = m v - lr g; p += v', () => {
    const vel = new Array(12).fill(0);
    agreesWithReference(
      new SGD({ learningRate: 0.05, momentum: 0.9 }),
      (p, g) => {
        for (let i = 0; i < p.length; i++) {
          vel[i] = 0.9 * vel[i] - 0.05 * g[i];
          p[i] += vel[i];
        }
      },
      { seed: 7 },
    );
  });

  it('nesterov: v = m v - lr g; p += m v - lr g', () => {
    const vel = new Array(12).fill(0);
    agreesWithReference(
      new SGD({ learningRate: 0.05, momentum: 0.8, nesterov: true }),
      (p, g) => {
        for (let i = 0; i < p.length; i++) {
          vel[i] = 0.8 * vel[i] - 0.05 * g[i];
          p[i] += 0.8 * vel[i] - 0.05 * g[i];
        }
      },
      { seed: 7 },
    );
  });

  it('plain SGD keeps no state; momentum keeps one slot per variable', () => {
    const v = new Variable(new Float32Array(3), [3], 'w');
    const plain = new SGD();
    plain.applyGradients([[tensor([1, 2, 3]), v]]);
    assert.deepEqual(plain.getState().slots, []);
    const withMomentum = new SGD({ momentum: 0.5 });
    withMomentum.applyGradients([[tensor([1, 2, 3]), v]]);
    assert.deepEqual(
      withMomentum.getState().slots.map((s) => s.slot),
      ['momentum'],
    );
  });

  it('rejects a bad momentum or learning rate', () => {
    assert.throws(() => new SGD({ momentum: 1 }), /momentum/);
    assert.throws(() => new SGD({ momentum: -0.1 }), /momentum/);
    assert.throws(() => new SGD({ learningRate: 0 }), /learningRate/);
  });
});
