import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Adagrad } from '../../../src/nn/optimizers/adagrad.js';
import { tensor } from '../../../src/tensor/create.js';
import { Variable } from '../../../src/tensor/tensor.js';
import { assertClose } from '../../helpers.js';
import { agreesWithReference } from './reference.js';

/** a += g^2 (a starts at initialAccumulatorValue); p -= lr g / (sqrt(a) + eps). */
function adagradReference(lr: number, initial: number, eps: number) {
  const a = new Array(12).fill(initial);
  return (p: number[], g: number[]) => {
    for (let i = 0; i < p.length; i++) {
      a[i] += g[i] ** 2;
      p[i] -= (lr * g[i]) / (Math.sqrt(a[i]) + eps);
    }
  };
}

describe('Adagrad', () => {
  it('Keras defaults', () => {
    assert.deepEqual(new Adagrad().getConfig(), { learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 });
  });

  it('matches the formula (defaults)', () => {
    agreesWithReference(new Adagrad(), adagradReference(0.001, 0.1, 1e-7), { seed: 19 });
  });

  it('matches with other hyper-parameters', () => {
    agreesWithReference(new Adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.5, epsilon: 1e-4 }), adagradReference(0.1, 0.5, 1e-4), { seed: 19 });
  });

  it('epsilon is added outside the square root', () => {
    agreesWithReference(new Adagrad({ learningRate: 0.1, epsilon: 0.1 }), adagradReference(0.1, 0.1, 0.1), { seed: 19 });
  });

  it("formula 'tfjs': epsilon inside the root (TF.js 4.x)", () => {
    const a = new Array(12).fill(0.1);
    agreesWithReference(
      new Adagrad({ learningRate: 0.1, epsilon: 0.1, formula: 'tfjs' }),
      (p, g) => {
        for (let i = 0; i < p.length; i++) {
          a[i] += g[i] ** 2;
          p[i] -= (0.1 * g[i]) / Math.sqrt(a[i] + 0.1);
        }
      },
      { seed: 19 },
    );
    assert.deepEqual(new Adagrad({ formula: 'tfjs' }).getConfig(), { learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7, formula: 'tfjs' });
  });

  it('the accumulator starts at initialAccumulatorValue', () => {
    const opt = new Adagrad({ initialAccumulatorValue: 0.25 });
    opt.applyGradients([[tensor([0, 1]), new Variable(new Float32Array(2), [2], 'w')]]);
    const [slot] = opt.getState().slots;
    assert.equal(slot.slot, 'accumulator');
    assertClose(slot.values, [0.25, 1.25]);
  });

  it('rejects bad hyper-parameters', () => {
    assert.throws(() => new Adagrad({ initialAccumulatorValue: -1 }), /initialAccumulatorValue/);
    assert.throws(() => new Adagrad({ epsilon: -1 }), /epsilon/);
  });
});
