import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Adamax } from '../../../src/nn/optimizers/adamax.js';
import { tensor } from '../../../src/tensor/create.js';
import { Variable } from '../../../src/tensor/tensor.js';
import { assertClose } from '../../helpers.js';
import { agreesWithReference } from './reference.js';

/** m = b1 m + (1-b1) g; u = max(b2 u, |g|); p -= lr / (1 + decay (t-1)) / (1 - b1^t) * m / (u + eps), in float64. */
function adamaxReference(lr: number, b1: number, b2: number, eps: number, decay = 0) {
  const m = new Array(12).fill(0);
  const u = new Array(12).fill(0);
  return (p: number[], g: number[], t: number) => {
    const lrT = lr / (1 + decay * (t - 1));
    for (let i = 0; i < p.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      u[i] = Math.max(b2 * u[i], Math.abs(g[i]));
      p[i] -= ((lrT / (1 - b1 ** t)) * m[i]) / (u[i] + eps);
    }
  };
}

describe('Adamax', () => {
  it('Keras defaults', () => {
    assert.deepEqual(new Adamax().getConfig(), { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, decay: 0 });
    assert.equal(new Adamax().className, 'Adamax');
  });

  it('a hand-computed first and second step', () => {
    // step 1: m = 0.1 * 2 = 0.2, u = 2, p -= 0.1 / 0.1 * 0.2 / 2 = 0.1; step 2 (g = -1): m = 0.18 - 0.1 = 0.08,
    // u = max(0.999 * 2, 1) = 1.998, p -= 0.1 / 0.19 * 0.08 / 1.998
    const v = new Variable(Float32Array.of(1), [1], 'w');
    const opt = new Adamax({ learningRate: 0.1, epsilon: 0 });
    opt.applyGradients([[tensor([2]), v]]);
    assertClose(v.values, [0.9], { rtol: 1e-6 });
    opt.applyGradients([[tensor([-1]), v]]);
    assertClose(v.values, [0.9 - ((0.1 / 0.19) * 0.08) / 1.998], { rtol: 1e-6 });
  });

  it('matches the formula (defaults)', () => {
    agreesWithReference(new Adamax(), adamaxReference(0.001, 0.9, 0.999, 1e-7), { seed: 23 });
  });

  it('matches with other hyper-parameters, zero gradients and a time decay of the learning rate', () => {
    agreesWithReference(new Adamax({ learningRate: 0.05, beta1: 0.5, beta2: 0.9, epsilon: 1e-3, decay: 0.1 }), adamaxReference(0.05, 0.5, 0.9, 1e-3, 0.1), {
      seed: 23,
      steps: 30,
      zeroEvery: 4,
    });
  });

  it("keeps Keras' slots, momentum and norm", () => {
    const opt = new Adamax();
    opt.applyGradients([[tensor([1, -3]), new Variable(new Float32Array(2), [2], 'w')]]);
    assert.deepEqual(
      opt.getState().slots.map((s) => [s.slot, [...s.values]]),
      [
        ['momentum', [Math.fround(0.1), Math.fround(-0.3)]],
        ['norm', [1, 3]],
      ],
    );
  });

  it('rejects bad hyper-parameters', () => {
    assert.throws(() => new Adamax({ beta1: 1 }), /Adamax: beta1/);
    assert.throws(() => new Adamax({ beta2: -0.1 }), /Adamax: beta2/);
    assert.throws(() => new Adamax({ epsilon: -1 }), /Adamax: epsilon/);
    assert.throws(() => new Adamax({ decay: Number.NaN }), /Adamax: decay/);
  });
});
