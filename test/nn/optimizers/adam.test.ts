import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Adam } from '../../../src/nn/optimizers/adam.js';
import { tensor } from '../../../src/tensor/create.js';
import { Variable } from '../../../src/tensor/tensor.js';
import { assertClose } from '../../helpers.js';
import { agreesWithReference } from './reference.js';

/** Kingma & Ba with bias correction, in float64. */
function adamReference(lr: number, b1: number, b2: number, eps: number) {
  const m = new Array(12).fill(0);
  const v = new Array(12).fill(0);
  return (p: number[], g: number[], t: number) => {
    for (let i = 0; i < p.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      const mHat = m[i] / (1 - b1 ** t);
      const vHat = v[i] / (1 - b2 ** t);
      p[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  };
}

describe('Adam', () => {
  it('Keras defaults', () => {
    assert.deepEqual(new Adam().getConfig(), { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    assert.equal(new Adam().className, 'Adam');
  });

  it('matches the bias-corrected formula (defaults)', () => {
    agreesWithReference(new Adam(), adamReference(0.001, 0.9, 0.999, 1e-7), { seed: 11 });
  });

  it('matches with other hyper-parameters and zero gradients', () => {
    agreesWithReference(new Adam({ learningRate: 0.05, beta1: 0.5, beta2: 0.9, epsilon: 1e-3 }), adamReference(0.05, 0.5, 0.9, 1e-3), {
      seed: 11,
      steps: 30,
      zeroEvery: 4,
    });
  });

  it('the first step moves every weight by about lr * sign(g)', () => {
    const v = new Variable(Float32Array.of(1, 1, 1), [3], 'w');
    new Adam({ learningRate: 0.1 }).applyGradients([[tensor([3, -0.01, 0]), v]]);
    assertClose(v.values, [0.9, 1.1, 1], { rtol: 1e-5 });
  });

  it('rejects bad betas and epsilon', () => {
    assert.throws(() => new Adam({ beta1: 1 }), /Adam: beta1/);
    assert.throws(() => new Adam({ beta2: -0.5 }), /beta2/);
    assert.throws(() => new Adam({ epsilon: -1 }), /epsilon/);
  });
});
