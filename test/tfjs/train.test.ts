// tf.train against real TensorFlow.js: each optimizer, made with the same positional arguments (or TF.js'
// defaults) in both libraries, steps the same variables with the same gradients; the weights must agree after
// every step to 1e-6. Then optimizer.minimize on a hand-written training loop, as TF.js' examples write one.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tfjs from '@tensorflow/tfjs';
import { Adadelta, Adagrad, Adam, Adamax, Momentum, RMSprop, SGD } from '../../src/nn/optimizers/index.js';
import { tensor } from '../../src/tensor/create.js';
import { type Tensor, Variable } from '../../src/tensor/tensor.js';
import {
  AdadeltaOptimizer,
  AdagradOptimizer,
  AdamaxOptimizer,
  AdamOptimizer,
  MomentumOptimizer,
  Optimizer,
  RMSPropOptimizer,
  SGDOptimizer,
} from '../../src/tfjs/optimizers.js';
import * as train from '../../src/tfjs/train.js';
import { makeRng } from '../gradcheck.js';
import '../../src/ops/methods.js';

before(async () => {
  await tfjs.setBackend('cpu');
});

type Factory = (t: typeof train | typeof tfjs.train) => { applyGradients(g: never): void };

/** Each tf.train factory as a TF.js program would call it (same code on both libraries). */
const cases: [string, Factory][] = [
  ['sgd(0.1)', (t) => t.sgd(0.1)],
  ['momentum(0.05, 0.9)', (t) => t.momentum(0.05, 0.9)],
  ['momentum(0.05, 0.8, true)', (t) => t.momentum(0.05, 0.8, true)],
  ['adam()', (t) => t.adam()],
  ['adam(0.05, 0.5, 0.9, 1e-3)', (t) => t.adam(0.05, 0.5, 0.9, 1e-3)],
  ['adamax()', (t) => t.adamax()],
  ['adamax(0.05, 0.8, 0.99, 1e-4, 0.05)', (t) => t.adamax(0.05, 0.8, 0.99, 1e-4, 0.05)],
  ['adadelta()', (t) => t.adadelta()],
  ['adadelta(1, 0.9, 1e-6)', (t) => t.adadelta(1, 0.9, 1e-6)],
  ['rmsprop(0.01)', (t) => t.rmsprop(0.01)],
  ['rmsprop(0.01, 0.8, 0.5, 0.1)', (t) => t.rmsprop(0.01, 0.8, 0.5, 0.1)],
  ['rmsprop(0.01, 0.9, 0.3, 1e-7, true)', (t) => t.rmsprop(0.01, 0.9, 0.3, 1e-7, true)],
  ['adagrad(0.1)', (t) => t.adagrad(0.1)],
  ['adagrad(0.05, 0.5)', (t) => t.adagrad(0.05, 0.5)],
];

const SHAPES = [[3, 4], [5], []] as const;

/** Steps both optimizers `steps` times with the same random gradients (one all-zero step) and compares the weights. */
function compareSteps(name: string, make: Factory, steps = 20): number {
  const rand = makeRng(17);
  const draw = (n: number) => Array.from({ length: n }, () => Math.fround(rand() * 2 - 1));
  const sizes = SHAPES.map((s) => s.reduce((a, b) => a * b, 1));
  const initial = sizes.map(draw);
  const theirs = SHAPES.map((s, i) => tfjs.variable(tfjs.tensor(initial[i], [...s]), true, `train-test/${name}/${i}`));
  const ours = SHAPES.map((s, i) => new Variable(Float32Array.from(initial[i]), s, `train-test/${name}/${i}`));
  const theirOpt = make(tfjs.train) as unknown as tfjs.Optimizer;
  const ourOpt = make(train) as unknown as Optimizer;
  let worst = 0;
  for (let t = 1; t <= steps; t++) {
    // every fifth step a zero gradient, where only epsilon keeps the divisions finite
    const grads = sizes.map((n) => (t % 5 === 0 ? new Array(n).fill(0) : draw(n)));
    // TF.js' two forms of applyGradients, alternately, on both sides
    if (t % 2 === 0) {
      theirOpt.applyGradients(Object.fromEntries(theirs.map((v, i) => [v.name, tfjs.tensor(grads[i], [...SHAPES[i]])])));
      ourOpt.applyGradients(Object.fromEntries(ours.map((v, i) => [v.name, tensor(grads[i], SHAPES[i])])));
    } else {
      theirOpt.applyGradients(theirs.map((v, i) => ({ name: v.name, tensor: tfjs.tensor(grads[i], [...SHAPES[i]]) })));
      ourOpt.applyGradients(ours.map((v, i) => ({ name: v.name, tensor: tensor(grads[i], SHAPES[i]) })));
    }
    theirs.forEach((v, i) => {
      const expected = v.dataSync();
      const actual = ours[i].values;
      for (let k = 0; k < expected.length; k++) {
        const d = Math.abs(actual[k] - expected[k]);
        if (!(d <= 1e-6)) assert.fail(`${name}, step ${t}, variable ${i}[${k}]: ${actual[k]}, TF.js ${expected[k]}`);
        worst = Math.max(worst, d);
      }
    });
  }
  assert.equal(ourOpt.iterations, theirOpt.iterations, `${name}: iterations`);
  for (const v of theirs) v.dispose();
  return worst;
}

describe('tf.train against TF.js', () => {
  for (const [name, make] of cases) {
    it(`${name}: the same weights after each of 20 steps (1e-6)`, () => {
      compareSteps(name, make);
    });
  }

  it('momentum after setLearningRate: the new rate scales the momentum gathered so far, as in TF.js', () => {
    const run = (t: typeof train | typeof tfjs.train) => {
      const opt = t.momentum(0.1, 0.9);
      return {
        applyGradients: (g: never) => {
          opt.applyGradients(g);
          if (opt.iterations === 10) opt.setLearningRate(0.01);
        },
      };
    };
    compareSteps('momentum setLearningRate', run as Factory, 20);
  });

  it('each optimizer is the dendrite class with the TF.js class name, and a tf.Optimizer', () => {
    const pairs: [Optimizer & { getClassName(): string }, new (...a: never[]) => Optimizer, tfjs.Optimizer][] = [
      [train.sgd(0.1), SGD, tfjs.train.sgd(0.1)],
      [train.momentum(0.1, 0.9), Momentum, tfjs.train.momentum(0.1, 0.9)],
      [train.adam(), Adam, tfjs.train.adam()],
      [train.adamax(), Adamax, tfjs.train.adamax()],
      [train.adadelta(), Adadelta, tfjs.train.adadelta()],
      [train.rmsprop(0.1), RMSprop, tfjs.train.rmsprop(0.1)],
      [train.adagrad(0.1), Adagrad, tfjs.train.adagrad(0.1)],
    ];
    for (const [ours, cls, theirs] of pairs) {
      assert.ok(ours instanceof cls && ours instanceof Optimizer, theirs.getClassName());
      assert.equal(ours.getClassName(), theirs.getClassName());
    }
    assert.ok(train.sgd(0.1) instanceof SGDOptimizer);
    assert.ok(train.momentum(0.1, 0.5) instanceof MomentumOptimizer);
    assert.ok(train.adam() instanceof AdamOptimizer);
    assert.ok(train.adamax() instanceof AdamaxOptimizer);
    assert.ok(train.adadelta() instanceof AdadeltaOptimizer);
    assert.ok(train.rmsprop(0.1) instanceof RMSPropOptimizer);
    assert.ok(train.adagrad(0.1) instanceof AdagradOptimizer);
  });

  it("TF.js' defaults: adam 0.001 / 1e-7, adamax 0.002, adadelta 0.001 / 0.95, rmsprop 0.9 / 1e-7, adagrad 0.1", () => {
    assert.deepEqual(train.adam().getConfig(), { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    assert.deepEqual(train.adamax().getConfig(), { learningRate: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, decay: 0 });
    assert.deepEqual(train.adadelta().getConfig(), { learningRate: 0.001, rho: 0.95, epsilon: 1e-7, formula: 'tfjs' });
    assert.deepEqual(train.rmsprop(0.01).getConfig(), { learningRate: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false, formula: 'tfjs' });
    assert.deepEqual(train.adagrad(0.01).getConfig(), { learningRate: 0.01, initialAccumulatorValue: 0.1, epsilon: 1e-7, formula: 'tfjs' });
    assert.deepEqual(train.momentum(0.01, 0.5).getConfig(), { learningRate: 0.01, momentum: 0.5, nesterov: false });
  });

  it('a learning rate TF.js requires is required', () => {
    assert.throws(() => (train.sgd as (lr?: number) => unknown)(), /learningRate for SGDOptimizer must be defined/);
    assert.throws(() => (train.rmsprop as (lr?: number) => unknown)(), /learningRate for RMSPropOptimizer must be defined/);
    assert.throws(() => (train.momentum as (lr: number) => unknown)(0.1), /momentum for MomentumOptimizer must be defined/);
  });
});

describe('optimizer.minimize against TF.js', () => {
  it('fits y = a x^2 + b x + c by minimize(f, true): the same costs and coefficients at each step', () => {
    // TF.js' documented example for tf.train.sgd, with fixed starting values
    const xs = [0, 1, 2, 3];
    const ys = [1.1, 5.9, 16.8, 33.9];
    const start = [0.3, 0.6, 0.1];
    for (const make of [(t: typeof train | typeof tfjs.train) => t.sgd(0.01), (t: typeof train | typeof tfjs.train) => t.adam(0.1)]) {
      const [ta, tb, tc] = start.map((v) => tfjs.variable(tfjs.scalar(v)));
      const theirX = tfjs.tensor1d(xs);
      const theirY = tfjs.tensor1d(ys);
      const theirOpt = make(tfjs.train) as tfjs.Optimizer;
      const [oa, ob, oc] = start.map((v, i) => new Variable(Float32Array.of(v), [], `minimize-test/${i}`));
      const ourX = tensor(xs);
      const ourY = tensor(ys);
      const ourOpt = make(train) as Optimizer;
      // NOTE: 3e-5 relative: the two libraries sum the squared errors (up to ~900) in float32 in their own orders
      for (let step = 0; step < 15; step++) {
        const theirCost = theirOpt.minimize(() => ta.mul(theirX.square()).add(tb.mul(theirX)).add(tc).sub(theirY).square().mean() as tfjs.Scalar, true);
        const ourCost = ourOpt.minimize(() => oa.mul(ourX.square()).add(ob.mul(ourX)).add(oc).sub(ourY).square().mean(), true) as Tensor;
        assert.deepEqual(ourCost.shape, []);
        const expected = theirCost!.dataSync()[0];
        assert.ok(Math.abs(ourCost.values[0] - expected) <= 3e-5 * Math.abs(expected) + 1e-6, `step ${step}: cost ${ourCost.values[0]} vs TF.js ${expected}`);
        [ta, tb, tc].forEach((v, i) => {
          const ours = [oa, ob, oc][i].values[0];
          const theirs = v.dataSync()[0];
          assert.ok(Math.abs(ours - theirs) <= 3e-5 * Math.abs(theirs) + 1e-6, `step ${step}, coefficient ${i}: ${ours} vs TF.js ${theirs}`);
        });
      }
      assert.equal(
        ourOpt.minimize(() => oa.mul(ourX).sum()),
        null,
        'no cost unless asked',
      );
      for (const v of [ta, tb, tc]) v.dispose();
    }
  });

  it('minimize(f, false, varList) and computeGradients(f, varList) as in TF.js', () => {
    const a = new Variable(Float32Array.of(2), [], 'minimize-test/list-a');
    const b = new Variable(Float32Array.of(3), [], 'minimize-test/list-b');
    const frozen = new Variable(Float32Array.of(1), [], 'minimize-test/list-frozen', false);
    const opt = train.sgd(0.5);
    const { value, grads } = opt.computeGradients(() => a.mul(b).mul(frozen), [a, frozen]);
    assert.equal(value.values[0], 6);
    assert.deepEqual(Object.keys(grads), ['minimize-test/list-a', 'minimize-test/list-frozen']);
    assert.equal(grads['minimize-test/list-a']!.values[0], 3);
    assert.equal(grads['minimize-test/list-frozen'], null);
    opt.minimize(() => a.mul(b), false, [a]);
    assert.equal(a.values[0], 2 - 0.5 * 3);
    assert.equal(b.values[0], 3);
  });
});

describe("TF.js' optimizer classes", () => {
  it('tf.train.* makes instances of tf.SGDOptimizer ... tf.AdagradOptimizer with TF.js class names', async () => {
    const tf = await import('../../src/tfjs/index.js');
    const pairs: [unknown, unknown, tfjs.Optimizer, string][] = [
      [tf.train.sgd(0.1), tf.SGDOptimizer, tfjs.train.sgd(0.1), 'SGDOptimizer'],
      [tf.train.momentum(0.1, 0.9), tf.MomentumOptimizer, tfjs.train.momentum(0.1, 0.9), 'MomentumOptimizer'],
      [tf.train.adam(0.1), tf.AdamOptimizer, tfjs.train.adam(0.1), 'AdamOptimizer'],
      [tf.train.adamax(0.1), tf.AdamaxOptimizer, tfjs.train.adamax(0.1), 'AdamaxOptimizer'],
      [tf.train.adadelta(0.1), tf.AdadeltaOptimizer, tfjs.train.adadelta(0.1), 'AdadeltaOptimizer'],
      [tf.train.rmsprop(0.1), tf.RMSPropOptimizer, tfjs.train.rmsprop(0.1), 'RMSPropOptimizer'],
      [tf.train.adagrad(0.1), tf.AdagradOptimizer, tfjs.train.adagrad(0.1), 'AdagradOptimizer'],
    ];
    for (const [ours, Cls, theirs, name] of pairs) {
      assert.ok(ours instanceof (Cls as new (...a: never[]) => unknown), name);
      assert.ok(ours instanceof tf.Optimizer, name);
      assert.ok(theirs instanceof (tfjs as unknown as Record<string, new (...a: never[]) => unknown>)[name], name);
      assert.equal((ours as unknown as { getClassName(): string }).getClassName(), theirs.getClassName(), name);
    }
    assert.ok(tf.tensor([1, 2]) instanceof tf.Tensor);
  });
});
