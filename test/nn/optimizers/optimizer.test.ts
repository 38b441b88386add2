import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backward } from '../../../src/autograd/backward.js';
import { adagrad, adam, adamw, type Optimizer, rmsprop, sgd } from '../../../src/nn/optimizers/index.js';
import { mul, sub } from '../../../src/ops/binary.js';
import { sum } from '../../../src/ops/reduce.js';
import { tensor } from '../../../src/tensor/create.js';
import { Variable } from '../../../src/tensor/tensor.js';
import { makeRng } from '../../gradcheck.js';
import { assertClose } from '../../helpers.js';

// Behaviour every optimizer shares through the Optimizer base class, checked on all five.

const makers: [string, () => Optimizer][] = [
  ['sgd', () => sgd({ learningRate: 0.1 })],
  ['sgd nesterov', () => sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
  ['adam', () => adam({ learningRate: 0.01 })],
  ['adamw', () => adamw({ learningRate: 0.01, weightDecay: 0.1 })],
  ['rmsprop centered + momentum', () => rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true })],
  ['adagrad', () => adagrad({ learningRate: 0.1 })],
];

const variables = () => [
  new Variable(Float32Array.of(1, -2, 3, 0.5, 0, -1), [2, 3], 'dense/kernel'),
  new Variable(Float32Array.of(0.1, -0.1, 0.2), [3], 'dense/bias'),
];

function randomGrads(rand: () => number, vs: readonly Variable[]) {
  return vs.map(
    (v) =>
      [
        tensor(
          Float32Array.from({ length: v.size }, () => rand() * 2 - 1),
          v.shape,
        ),
        v,
      ] as const,
  );
}

describe('Optimizer (shared behaviour)', () => {
  it('step() uses .grad from backward(), zeroGrad() clears it (SGD: p -= lr * 2 (p - target))', () => {
    const w = new Variable(Float32Array.of(1, 2, 3), [3], 'w');
    const target = tensor([0, 1, 5]);
    const opt = sgd({ learningRate: 0.1 });
    const loss = () => sum(mul(sub(w, target), sub(w, target)));
    backward(loss());
    assertClose(w.grad!, [2, 2, -4]);
    opt.step([w]);
    assertClose(w.values, [0.8, 1.8, 3.4]);
    opt.zeroGrad([w]);
    assert.equal(w.grad, null);
    // gradients accumulate until cleared: two backward passes double the step
    backward(loss());
    backward(loss());
    opt.step([w]);
    assertClose(w.values, [0.8 - 0.1 * 2 * 1.6, 1.8 - 0.1 * 2 * 1.6, 3.4 + 0.1 * 2 * 3.2], { rtol: 1e-6 });
    assert.equal(opt.iterations, 2);
  });

  it('step() skips variables without a gradient', () => {
    const a = new Variable(Float32Array.of(1), [1], 'a');
    const b = new Variable(Float32Array.of(1), [1], 'b');
    backward(sum(mul(a, 3)));
    adam({ learningRate: 0.1 }).step([a, b]);
    assertClose(a.values, [0.9], { rtol: 1e-5 });
    assert.deepEqual([...b.values], [1]);
  });

  it('applyGradients([[g, v], ...]) updates several variables and counts iterations', () => {
    for (const [name, make] of makers) {
      const opt = make();
      const vs = variables();
      const before = vs.map((v) => [...v.values]);
      opt.applyGradients(randomGrads(makeRng(3), vs));
      opt.applyGradients(randomGrads(makeRng(4), vs));
      assert.equal(opt.iterations, 2, name);
      vs.forEach((v, i) => {
        assert.notDeepEqual([...v.values], before[i], `${name}: ${v.name} moved`);
      });
    }
  });

  it('rejects a gradient of the wrong shape, naming the variable', () => {
    const v = new Variable(new Float32Array(6), [2, 3], 'dense/kernel');
    assert.throws(() => adam().applyGradients([[tensor([1, 2, 3]), v]]), /Adam.*\[3\].*'dense\/kernel'.*\[2, 3\]/);
  });

  it('getState / setState: a restored optimizer continues exactly like the original', () => {
    for (const [name, make] of makers) {
      const rand = makeRng(99);
      const original = make();
      const vs = variables();
      for (let t = 0; t < 5; t++) original.applyGradients(randomGrads(rand, vs));
      const state = original.getState();
      const weights = vs.map((v) => v.values.slice());

      // a fresh optimizer on fresh variables with the same values and names
      const restored = make();
      const copies = vs.map((v, i) => new Variable(weights[i].slice(), v.shape, v.name));
      restored.setState(state, copies);
      assert.equal(restored.iterations, 5, name);

      const later = Array.from({ length: 5 }, () => randomGrads(rand, vs).map(([g]) => g));
      for (const gs of later) {
        original.applyGradients(gs.map((g, i) => [g, vs[i]] as const));
        restored.applyGradients(gs.map((g, i) => [g, copies[i]] as const));
      }
      vs.forEach((v, i) => {
        assert.deepEqual([...copies[i].values], [...v.values], `${name}: ${v.name}`);
      });
    }
  });

  it('getState returns copies, and setState checks names, slots and sizes', () => {
    const opt = adam();
    const vs = variables();
    opt.applyGradients(randomGrads(makeRng(1), vs));
    const state = opt.getState();
    assert.deepEqual(
      state.slots.map((s) => `${s.variable}:${s.slot}`),
      ['dense/kernel:momentum', 'dense/kernel:velocity', 'dense/bias:momentum', 'dense/bias:velocity'],
    );
    state.slots[0].values[0] = 123;
    assert.notEqual(opt.getState().slots[0].values[0], 123);
    assert.throws(() => opt.setState(state, [vs[0]]), /unknown variable 'dense\/bias'/);
    assert.throws(() => sgd({ momentum: 0.9 }).setState(state, vs), /no slot 'velocity'/);
    const bad = { ...state, slots: [{ ...state.slots[0], values: new Float32Array(2) }] };
    assert.throws(() => adam().setState(bad, vs), /2 values, expected 6/);
  });
});
