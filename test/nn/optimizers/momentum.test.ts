import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Momentum } from '../../../src/nn/optimizers/momentum.js';
import { SGD } from '../../../src/nn/optimizers/sgd.js';
import { tensor } from '../../../src/tensor/create.js';
import { Variable } from '../../../src/tensor/tensor.js';
import { makeRng } from '../../gradcheck.js';
import { assertClose } from '../../helpers.js';
import { agreesWithReference } from './reference.js';

/**
 * Runs `opt` (float32) and a float64 reference loop on the same random gradients; they must agree at every step.
 * `retune(t)` may change the learning rate of both before step t.
 */

/** acc = m acc + g; p -= lr acc (Nesterov: p -= lr (g + m acc)), in float64, with `lr()` read at each step. */
function momentumReference(lr: () => number, m: number, nesterov: boolean) {
  const acc = new Array(12).fill(0);
  return (p: number[], g: number[]) => {
    for (let i = 0; i < p.length; i++) {
      acc[i] = m * acc[i] + g[i];
      p[i] -= lr() * (nesterov ? g[i] + m * acc[i] : acc[i]);
    }
  };
}

describe('Momentum (TF.js)', () => {
  it('defaults and class name', () => {
    assert.deepEqual(new Momentum().getConfig(), { learningRate: 0.01, momentum: 0.9, nesterov: false });
    assert.equal(new Momentum().className, 'Momentum');
  });

  it('hand-computed steps: the accumulator sums gradients, the learning rate scales the step', () => {
    const v = new Variable(Float32Array.of(1), [1], 'w');
    const opt = new Momentum({ learningRate: 0.1, momentum: 0.5 });
    opt.applyGradients([[tensor([2]), v]]); // acc = 2, p = 1 - 0.2
    assertClose(v.values, [0.8], { rtol: 1e-6 });
    opt.applyGradients([[tensor([1]), v]]); // acc = 2, p = 0.8 - 0.2
    assertClose(v.values, [0.6], { rtol: 1e-6 });
    opt.learningRate = 1;
    opt.applyGradients([[tensor([0]), v]]); // acc = 1, p = 0.6 - 1
    assertClose(v.values, [-0.4], { rtol: 1e-6 });
    assertClose(opt.getState().slots[0].values, [1]);
  });

  for (const nesterov of [false, true]) {
    it(`matches the formula${nesterov ? ' (Nesterov)' : ''}, also after the learning rate changes`, () => {
      const opt = new Momentum({ learningRate: 0.05, momentum: 0.9, nesterov });
      agreesWithReference(
        opt,
        momentumReference(() => opt.learningRate, 0.9, nesterov),
        {
          seed: 31,
          steps: 30,
          retune: (t) => {
            if (t === 15) opt.learningRate = 0.01;
          },
        },
      );
    });
  }

  it("is Keras' SGD with momentum at a constant learning rate, and not once it changes", () => {
    const run = (opt: Momentum | SGD) => {
      const rand = makeRng(5);
      const v = new Variable(
        Float32Array.from({ length: 20 }, () => rand()),
        [20],
        'w',
      );
      for (let t = 0; t < 40; t++) {
        if (t === 20) opt.learningRate = 0.01;
        opt.applyGradients([[tensor(Array.from({ length: 20 }, () => rand() * 2 - 1)), v]]);
        if (t === 19) constantRate.push(v.values.slice());
      }
      return v.values;
    };
    const constantRate: Float32Array[] = [];
    const tfjs = run(new Momentum({ learningRate: 0.05, momentum: 0.9 }));
    const keras = run(new SGD({ learningRate: 0.05, momentum: 0.9 }));
    assertClose(constantRate[0], constantRate[1], { rtol: 0, atol: 1e-5 });
    const apart = tfjs.reduce((worst, x, i) => Math.max(worst, Math.abs(x - keras[i])), 0);
    assert.ok(apart > 0.1, `the two part after the learning rate changes (max difference ${apart})`);
  });

  it('rejects a bad momentum', () => {
    assert.throws(() => new Momentum({ momentum: 1 }), /Momentum: momentum/);
    assert.throws(() => new Momentum({ momentum: -0.5 }), /Momentum: momentum/);
  });
});
