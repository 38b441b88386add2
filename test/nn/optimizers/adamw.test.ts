import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Adam } from '../../../src/nn/optimizers/adam.js';
import { AdamW } from '../../../src/nn/optimizers/adamw.js';
import { tensor } from '../../../src/tensor/create.js';
import { Variable } from '../../../src/tensor/tensor.js';
import { assertClose } from '../../helpers.js';
import { agreesWithReference } from './reference.js';

/** Decoupled decay p -= lr*wd*p, then Kingma & Ba Adam, in float64. */
function adamwReference(lr: number, wd: number, b1 = 0.9, b2 = 0.999, eps = 1e-7) {
  const m = new Array(12).fill(0);
  const v = new Array(12).fill(0);
  return (p: number[], g: number[], t: number) => {
    for (let i = 0; i < p.length; i++) {
      p[i] -= lr * wd * p[i];
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      p[i] -= (lr * (m[i] / (1 - b1 ** t))) / (Math.sqrt(v[i] / (1 - b2 ** t)) + eps);
    }
  };
}

describe('AdamW', () => {
  it('Keras defaults (weightDecay 0.004, Adam otherwise)', () => {
    assert.deepEqual(new AdamW().getConfig(), { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.004 });
    assert.equal(new AdamW().className, 'AdamW');
    assert.ok(new AdamW() instanceof Adam);
  });

  it('matches decay-then-Adam (defaults)', () => {
    agreesWithReference(new AdamW(), adamwReference(0.001, 0.004), { seed: 13 });
  });

  it('matches with strong decay', () => {
    agreesWithReference(new AdamW({ learningRate: 0.01, weightDecay: 0.1 }), adamwReference(0.01, 0.1), { seed: 13 });
  });

  it('weightDecay 0 is exactly Adam', () => {
    const a = new Variable(Float32Array.of(0.5, -2, 3), [3], 'a');
    const b = new Variable(Float32Array.of(0.5, -2, 3), [3], 'b');
    const adam = new Adam({ learningRate: 0.01 });
    const adamw = new AdamW({ learningRate: 0.01, weightDecay: 0 });
    for (const g of [
      [1, 2, 3],
      [-1, 0.5, 0],
      [0.1, 0.1, -4],
    ]) {
      adam.applyGradients([[tensor(g), a]]);
      adamw.applyGradients([[tensor(g), b]]);
    }
    assert.deepEqual([...b.values], [...a.values]);
  });

  it('with a zero gradient, only the decay acts', () => {
    const v = new Variable(Float32Array.of(2, -4), [2], 'w');
    new AdamW({ learningRate: 0.1, weightDecay: 0.5 }).applyGradients([[tensor([0, 0]), v]]);
    assertClose(v.values, [2 * 0.95, -4 * 0.95]);
  });

  it('validates its arguments under its own name', () => {
    assert.throws(() => new AdamW({ weightDecay: -1 }), /AdamW: weightDecay/);
    assert.throws(() => new AdamW({ beta1: 2 }), /AdamW: beta1/);
  });
});
