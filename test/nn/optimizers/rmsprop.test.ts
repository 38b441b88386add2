import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RMSprop } from '../../../src/nn/optimizers/rmsprop.js';
import { tensor } from '../../../src/tensor/create.js';
import { Variable } from '../../../src/tensor/tensor.js';
import { agreesWithReference } from './reference.js';

/** a = rho a + (1-rho) g^2 (centered: minus the squared mean gradient); step = lr g / (sqrt(.) + eps); optional momentum. */
function rmspropReference(lr: number, rho: number, eps: number, momentum = 0, centered = false) {
  const a = new Array(12).fill(0);
  const mg = new Array(12).fill(0);
  const mom = new Array(12).fill(0);
  return (p: number[], g: number[]) => {
    for (let i = 0; i < p.length; i++) {
      a[i] = rho * a[i] + (1 - rho) * g[i] ** 2;
      let denom = a[i];
      if (centered) {
        mg[i] = rho * mg[i] + (1 - rho) * g[i];
        denom = a[i] - mg[i] ** 2;
      }
      const step = (lr * g[i]) / (Math.sqrt(denom) + eps);
      if (momentum > 0) {
        mom[i] = momentum * mom[i] + step;
        p[i] -= mom[i];
      } else {
        p[i] -= step;
      }
    }
  };
}

describe('RMSprop', () => {
  it('Keras defaults', () => {
    assert.deepEqual(new RMSprop().getConfig(), { learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
  });

  it('plain', () => {
    agreesWithReference(new RMSprop({ learningRate: 0.01 }), rmspropReference(0.01, 0.9, 1e-7), { seed: 17 });
  });

  it('epsilon is added outside the square root', () => {
    // a large epsilon makes the two conventions (outside / inside the root) differ clearly
    agreesWithReference(new RMSprop({ learningRate: 0.01, epsilon: 0.1 }), rmspropReference(0.01, 0.9, 0.1), { seed: 17 });
  });

  it('with momentum', () => {
    agreesWithReference(new RMSprop({ learningRate: 0.01, momentum: 0.9 }), rmspropReference(0.01, 0.9, 1e-7, 0.9), { seed: 17 });
  });

  it('centered, with momentum', () => {
    agreesWithReference(new RMSprop({ learningRate: 0.005, rho: 0.8, centered: true, momentum: 0.5 }), rmspropReference(0.005, 0.8, 1e-7, 0.5, true), {
      seed: 17,
    });
  });

  it("formula 'tfjs': epsilon inside the root, and subtracted in the centred form (TF.js 4.x)", () => {
    const tfjsReference = (lr: number, rho: number, eps: number, momentum: number, centered: boolean) => {
      const a = new Array(12).fill(0);
      const mg = new Array(12).fill(0);
      const mom = new Array(12).fill(0);
      return (p: number[], g: number[]) => {
        for (let i = 0; i < p.length; i++) {
          a[i] = rho * a[i] + (1 - rho) * g[i] ** 2;
          mg[i] = rho * mg[i] + (1 - rho) * g[i];
          const denom = centered ? a[i] - mg[i] ** 2 - eps : a[i] + eps;
          mom[i] = momentum * mom[i] + (lr * g[i]) / Math.sqrt(denom);
          p[i] -= mom[i];
        }
      };
    };
    // a large epsilon makes the placements differ clearly; the centred run keeps it below the variance
    agreesWithReference(new RMSprop({ learningRate: 0.01, epsilon: 0.1, formula: 'tfjs' }), tfjsReference(0.01, 0.9, 0.1, 0, false), { seed: 17 });
    agreesWithReference(new RMSprop({ learningRate: 0.01, momentum: 0.9, formula: 'tfjs' }), tfjsReference(0.01, 0.9, 1e-7, 0.9, false), { seed: 17 });
    agreesWithReference(
      new RMSprop({ learningRate: 0.005, rho: 0.8, centered: true, momentum: 0.5, epsilon: 1e-4, formula: 'tfjs' }),
      tfjsReference(0.005, 0.8, 1e-4, 0.5, true),
      { seed: 17 },
    );
    assert.equal(new RMSprop({ formula: 'tfjs' }).getConfig().formula, 'tfjs');
  });

  it("formula 'tfjs', centred: NaN where the variance estimate is below epsilon, as in TF.js", () => {
    const v = new Variable(Float32Array.of(1, 1), [2], 'w');
    // first step: a - mg^2 = 0.1 g^2 - 0.01 g^2 = 0.09 g^2, below epsilon 1e-7 for g = 1e-4
    new RMSprop({ centered: true, formula: 'tfjs' }).applyGradients([[tensor([1e-4, 1]), v]]);
    assert.ok(Number.isNaN(v.values[0]));
    assert.ok(Number.isFinite(v.values[1]));
  });

  it('keeps only the slots its options need (Keras names)', () => {
    const slotsOf = (opt: RMSprop) => {
      opt.applyGradients([[tensor([1, 2]), new Variable(new Float32Array(2), [2], 'w')]]);
      return opt.getState().slots.map((s) => s.slot);
    };
    assert.deepEqual(slotsOf(new RMSprop()), ['velocity']);
    assert.deepEqual(slotsOf(new RMSprop({ momentum: 0.9, centered: true })), ['velocity', 'momentum', 'average_gradient']);
    assert.deepEqual(slotsOf(new RMSprop({ centered: true })), ['velocity', 'average_gradient']);
  });

  it('rejects bad hyper-parameters', () => {
    assert.throws(() => new RMSprop({ rho: 1 }), /rho/);
    assert.throws(() => new RMSprop({ momentum: 1.5 }), /momentum/);
    assert.throws(() => new RMSprop({ epsilon: Number.NaN }), /epsilon/);
  });
});
