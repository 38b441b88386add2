import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Adadelta } from '../../../src/nn/optimizers/adadelta.js';
import { tensor } from '../../../src/tensor/create.js';
import { Variable } from '../../../src/tensor/tensor.js';
import { assertClose } from '../../helpers.js';
import { agreesWithReference } from './reference.js';

/**
 * ag = rho ag + (1-rho) g^2; d = g sqrt(ad + eps) / sqrt(ag + eps); ad = rho ad + (1-rho) d^2; p -= lr d, in
 * float64. `previous`: divide by the root of ag from before the update (TF.js).
 */
function adadeltaReference(lr: number, rho: number, eps: number, previous = false) {
  const ag = new Array(12).fill(0);
  const ad = new Array(12).fill(0);
  return (p: number[], g: number[]) => {
    for (let i = 0; i < p.length; i++) {
      const before = ag[i];
      ag[i] = rho * ag[i] + (1 - rho) * g[i] ** 2;
      const d = (g[i] * Math.sqrt(ad[i] + eps)) / Math.sqrt((previous ? before : ag[i]) + eps);
      ad[i] = rho * ad[i] + (1 - rho) * d * d;
      p[i] -= lr * d;
    }
  };
}

describe('Adadelta', () => {
  it('Keras defaults', () => {
    assert.deepEqual(new Adadelta().getConfig(), { learningRate: 0.001, rho: 0.95, epsilon: 1e-7 });
    assert.deepEqual(new Adadelta({ formula: 'tfjs' }).getConfig(), { learningRate: 0.001, rho: 0.95, epsilon: 1e-7, formula: 'tfjs' });
  });

  it('a hand-computed first step: Keras divides by the new average, TF.js by the one before it', () => {
    // g = 2, rho 0.5, eps 0.01: ag = 0.5 * 4 = 2; Keras d = 2 sqrt(0.01) / sqrt(2.01); TF.js d = 2 sqrt(0.01) / sqrt(0.01) = 2
    const keras = new Variable(Float32Array.of(1), [1], 'w');
    new Adadelta({ learningRate: 0.1, rho: 0.5, epsilon: 0.01 }).applyGradients([[tensor([2]), keras]]);
    assertClose(keras.values, [1 - (0.1 * 2 * 0.1) / Math.sqrt(2.01)], { rtol: 1e-6 });
    const tfjs = new Variable(Float32Array.of(1), [1], 'w');
    new Adadelta({ learningRate: 0.1, rho: 0.5, epsilon: 0.01, formula: 'tfjs' }).applyGradients([[tensor([2]), tfjs]]);
    assertClose(tfjs.values, [0.8], { rtol: 1e-6 });
  });

  it('matches the Keras formula (defaults and others)', () => {
    agreesWithReference(new Adadelta(), adadeltaReference(0.001, 0.95, 1e-7), { seed: 29 });
    agreesWithReference(new Adadelta({ learningRate: 1, rho: 0.8, epsilon: 1e-4 }), adadeltaReference(1, 0.8, 1e-4), { seed: 29 });
  });

  it("matches TF.js' formula", () => {
    agreesWithReference(new Adadelta({ formula: 'tfjs' }), adadeltaReference(0.001, 0.95, 1e-7, true), { seed: 29 });
    agreesWithReference(new Adadelta({ learningRate: 0.5, rho: 0.8, epsilon: 1e-4, formula: 'tfjs' }), adadeltaReference(0.5, 0.8, 1e-4, true), { seed: 29 });
  });

  it("keeps Keras' slots", () => {
    const opt = new Adadelta();
    opt.applyGradients([[tensor([1]), new Variable(new Float32Array(1), [1], 'w')]]);
    assert.deepEqual(
      opt.getState().slots.map((s) => s.slot),
      ['accumulated_grad', 'accumulated_delta_var'],
    );
  });

  it('rejects bad hyper-parameters', () => {
    assert.throws(() => new Adadelta({ rho: 1 }), /Adadelta: rho/);
    assert.throws(() => new Adadelta({ epsilon: 0 }), /Adadelta: epsilon/);
    assert.throws(() => new Adadelta({ formula: 'pytorch' as never }), /Adadelta: formula/);
  });
});
