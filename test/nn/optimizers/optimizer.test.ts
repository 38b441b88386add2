import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backward } from '../../../src/autograd/backward.js';
import { adadelta, adagrad, adam, adamax, adamw, momentum, type Optimizer, rmsprop, sgd } from '../../../src/nn/optimizers/index.js';
import { add, mul, square, sub } from '../../../src/ops/binary.js';
import { sum } from '../../../src/ops/reduce.js';
import { tensor } from '../../../src/tensor/create.js';
import { Variable } from '../../../src/tensor/tensor.js';
import { makeRng } from '../../gradcheck.js';
import { assertClose } from '../../helpers.js';

// Behaviour every optimizer shares through the Optimizer base class, checked on each of them.

const makers: [string, () => Optimizer][] = [
  ['sgd', () => sgd({ learningRate: 0.1 })],
  ['sgd nesterov', () => sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
  ['adam', () => adam({ learningRate: 0.01 })],
  ['adamw', () => adamw({ learningRate: 0.01, weightDecay: 0.1 })],
  ['rmsprop centered + momentum', () => rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true })],
  ['adagrad', () => adagrad({ learningRate: 0.1 })],
  ['adagrad tfjs', () => adagrad({ learningRate: 0.1, formula: 'tfjs' })],
  ['rmsprop tfjs + momentum', () => rmsprop({ learningRate: 0.01, momentum: 0.5, formula: 'tfjs' })],
  ['momentum nesterov', () => momentum({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
  ['adamax with decay', () => adamax({ learningRate: 0.01, decay: 0.1 })],
  ['adadelta', () => adadelta({ learningRate: 1 })],
  ['adadelta tfjs', () => adadelta({ learningRate: 1, formula: 'tfjs' })],
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

describe("Optimizer.minimize and applyGradients' TF.js forms", () => {
  it('minimize(f) steps every trainable variable the loss used, and returns the cost when asked', () => {
    const w = new Variable(Float32Array.of(1, 2), [2], 'min/w');
    const b = new Variable(Float32Array.of(0.5), [1], 'min/b');
    const untouched = new Variable(Float32Array.of(9), [1], 'min/untouched');
    const opt = sgd({ learningRate: 0.1 });
    // loss = sum((w x + b - y)^2), x = [1, 2], y = [0, 0]: r = [1.5, 4.5]; d/dw = 2 r x = [3, 18]; d/db = 2 sum(r) = 12
    const loss = () => sum(square(sub(add(mul(w, tensor([1, 2])), b), tensor([0, 0]))));
    assert.equal(opt.minimize(loss), null);
    assertClose(w.values, [1 - 0.3, 2 - 1.8]);
    assertClose(b.values, [0.5 - 1.2]);
    assert.deepEqual([...untouched.values], [9]);
    assert.equal(opt.iterations, 1);
    const cost = opt.minimize(loss, true);
    assert.ok(cost !== null && cost.rank === 0);
    // the cost is the loss before this step: r = [0.7 - 0.7, 0.2 * 2 - 0.7] = [0, -0.3]
    assertClose(cost, [0.09], { rtol: 1e-5 });
  });

  it('minimize(f, false, varList) steps only the listed variables the loss depends on', () => {
    const w = new Variable(Float32Array.of(1), [1], 'min/w2');
    const b = new Variable(Float32Array.of(1), [1], 'min/b2');
    const unrelated = new Variable(Float32Array.of(1), [1], 'min/unrelated');
    const opt = momentum({ learningRate: 0.1, momentum: 0.9 });
    opt.minimize(() => sum(mul(w, b)), false, [w, unrelated]);
    assertClose(w.values, [0.9]);
    assert.deepEqual([...b.values], [1]);
    assert.deepEqual([...unrelated.values], [1]);
    // no slot for a variable the loss does not reach, as TF.js skips its null gradient
    assert.deepEqual(
      opt.getState().slots.map((s) => s.variable),
      ['min/w2'],
    );
  });

  it('applyGradients takes { name: gradient } and [{ name, tensor }]; a null gradient leaves its variable as it is', () => {
    const a = new Variable(Float32Array.of(1, 1), [2], 'named/a');
    const b = new Variable(Float32Array.of(1), [1], 'named/b');
    const opt = sgd({ learningRate: 0.5 });
    opt.applyGradients({ 'named/a': tensor([1, 2]), 'named/b': null });
    assertClose(a.values, [0.5, 0]);
    assert.deepEqual([...b.values], [1]);
    opt.applyGradients([
      { name: 'named/b', tensor: tensor([2]) },
      { name: 'named/a', tensor: undefined },
    ]);
    assertClose(b.values, [0]);
    assert.equal(opt.iterations, 2);
  });

  it('applyGradients refuses unknown names, non-tensors, other shapes, and updates nothing then', () => {
    const a = new Variable(Float32Array.of(1), [1], 'named/c');
    const opt = sgd({ learningRate: 0.5 });
    assert.throws(() => opt.applyGradients({ 'named/nowhere': tensor([1]) }), /SGD.applyGradients: there is no variable named 'named\/nowhere'/);
    assert.throws(() => opt.applyGradients({ 'named/c': [1] as never }), /the gradient of 'named\/c' is not a tensor/);
    assert.throws(() => opt.applyGradients([42] as never), /takes \[gradient, variable\] pairs.*neither/);
    assert.throws(() => opt.applyGradients({ 'named/c': tensor([1]), 'named/d': tensor([1, 2]) }), /there is no variable named 'named\/d'/);
    const d = new Variable(Float32Array.of(1, 1), [2], 'named/d');
    assert.throws(() => opt.applyGradients({ 'named/c': tensor([1]), 'named/d': tensor([1, 2, 3]) }), /'named\/d' of shape \[2\]/);
    assert.deepEqual([...a.values], [1]);
    assert.deepEqual([...d.values], [1, 1]);
    assert.equal(opt.iterations, 0);
    opt.dispose();
  });
});
