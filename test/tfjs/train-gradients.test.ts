// tf.grad, tf.grads, tf.valueAndGrad, tf.valueAndGrads, tf.variableGrads and tf.customGrad against real
// TensorFlow.js: the same functions (written with the tensor methods both libraries have) on the same inputs give
// the same values, gradients and shapes; where TF.js throws, dendrite/tfjs throws too.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tfjs from '@tensorflow/tfjs';
import { tensor } from '../../src/tensor/create.js';
import { type Tensor, Variable } from '../../src/tensor/tensor.js';
import * as ours from '../../src/tfjs/gradients.js';
import { assertClose } from '../helpers.js';
import '../../src/ops/methods.js';

before(async () => {
  await tfjs.setBackend('cpu');
});

/** The methods both libraries' tensors have, enough to write one function for both. */
interface T {
  shape: readonly number[];
  add(b: T | number): T;
  sub(b: T | number): T;
  mul(b: T | number): T;
  square(): T;
  tanh(): T;
  exp(): T;
  sum(axis?: number): T;
}

/** Asserts a dendrite tensor equals a TF.js tensor in shape and values. */
function same(actual: Tensor, expected: tfjs.Tensor, what: string): void {
  assert.deepEqual([...actual.shape], expected.shape, `${what}: shape`);
  assertClose(actual.values, expected.dataSync() as Float32Array, { rtol: 1e-5, atol: 1e-6 });
}

const X = [
  [0.5, -1.2, 2],
  [0.1, 0.7, -0.3],
];
const Y = [
  [1, 2, -1],
  [0.4, -0.6, 0.2],
];
const theirX = () => tfjs.tensor2d(X);
const ourX = () => tensor(X);

describe('tf.grad / tf.grads / tf.valueAndGrad(s) against TF.js', () => {
  const f = (x: T) => x.tanh().mul(x).add(x.square().mul(0.5));

  it('grad(f)(x): dy defaults to ones for a non-scalar f; an explicit dy; a TensorLike x', () => {
    const dy = [
      [1, -2, 0.5],
      [3, 0, -1],
    ];
    same(ours.grad(f as never)(ourX()), tfjs.grad(f as never)(theirX()), 'no dy');
    same(ours.grad(f as never)(ourX(), tensor(dy)), tfjs.grad(f as never)(theirX(), tfjs.tensor2d(dy)), 'dy');
    same(ours.grad((x: Tensor) => x.square().sum())([1, 2, 3]), tfjs.grad((x: tfjs.Tensor) => x.square().sum())([1, 2, 3]), 'an array as x');
    same(ours.grad((x: Tensor) => x.square())(3), tfjs.grad((x: tfjs.Tensor) => x.square())(3), 'a number as x');
  });

  it('grads(f)([a, b], dy?)', () => {
    const g = (a: T, b: T) => a.mul(b).exp().sum(1).add(a.sum(1).square());
    const theirs = tfjs.grads(g as never)([theirX(), tfjs.tensor2d(Y)]);
    const oursG = ours.grads(g as never)([ourX(), tensor(Y)]);
    assert.equal(oursG.length, 2);
    same(oursG[0], theirs[0], 'da');
    same(oursG[1], theirs[1], 'db');
    const withDy = ours.grads(g as never)([ourX(), tensor(Y)], tensor([2, -1]));
    const theirsDy = tfjs.grads(g as never)([theirX(), tfjs.tensor2d(Y)], tfjs.tensor1d([2, -1]));
    same(withDy[0], theirsDy[0], 'da with dy');
    same(withDy[1], theirsDy[1], 'db with dy');
  });

  it('valueAndGrad(f)(x) and valueAndGrads(f)([a, b])', () => {
    const v1 = ours.valueAndGrad(f as never)(ourX());
    const t1 = tfjs.valueAndGrad(f as never)(theirX());
    same(v1.value, t1.value, 'value');
    same(v1.grad, t1.grad, 'grad');
    const g = (a: T, b: T) => a.mul(b).sum();
    const v2 = ours.valueAndGrads(g as never)([ourX(), tensor(Y)]);
    const t2 = tfjs.valueAndGrads(g as never)([theirX(), tfjs.tensor2d(Y)]);
    same(v2.value, t2.value, 'value');
    same(v2.grads[0], t2.grads[0], 'da');
    same(v2.grads[1], t2.grads[1], 'db');
  });

  it('throws where TF.js throws', () => {
    const unconnected = (a: T, b: T) =>
      a
        .square()
        .sum()
        .add(b.shape.length === 99 ? b : 0);
    assert.throws(() => tfjs.grads(unconnected as never)([theirX(), tfjs.tensor2d(Y)]));
    assert.throws(() => ours.grads(unconnected as never)([ourX(), tensor(Y)]), /Cannot compute gradient of y=f\(x\) with respect to x/);
    assert.throws(() => tfjs.grad(f as never)(theirX(), tfjs.tensor1d([1, 2])));
    assert.throws(() => ours.grad(f as never)(ourX(), tensor([1, 2])), /The shape of dy passed in grad\(f\)\(x, dy\) must match/);
    assert.throws(() => tfjs.valueAndGrad(f as never)(X as never));
    assert.throws(() => ours.valueAndGrad(f as never)(X as never), /The x passed in valueAndGrad\(f\)\(x\) must be a tensor/);
    assert.throws(() => tfjs.valueAndGrads(f as never)([X] as never));
    assert.throws(() => ours.valueAndGrads(f as never)([X] as never), /must be array of tensors/);
    assert.throws(() => tfjs.grad(3 as never));
    assert.throws(() => ours.grad(3 as never), /The f passed in grad\(f\) must be a function/);
  });
});

describe('tf.variableGrads against TF.js', () => {
  it('gradients by variable name, of the variables f used; null for a non-trainable one of varList', () => {
    const w = [0.2, -0.4, 0.6];
    const theirW = tfjs.variable(tfjs.tensor1d(w), true, 'vgrads/w');
    const theirB = tfjs.variable(tfjs.scalar(0.5), true, 'vgrads/b');
    const theirFrozen = tfjs.variable(tfjs.scalar(2), false, 'vgrads/frozen');
    const ourW = new Variable(Float32Array.from(w), [3], 'vgrads/w');
    const ourB = new Variable(Float32Array.of(0.5), [], 'vgrads/b');
    const ourFrozen = new Variable(Float32Array.of(2), [], 'vgrads/frozen', false);
    const loss = (x: T, wv: T, b: T, frozen: T) => x.mul(wv).sum(1).add(b).mul(frozen).tanh().square().sum();

    const theirs = tfjs.variableGrads(
      () => loss(theirX() as never, theirW as never, theirB as never, theirFrozen as never) as never,
      [theirW, theirB, theirFrozen],
    );
    const mine = ours.variableGrads(() => loss(ourX() as never, ourW as never, ourB as never, ourFrozen as never) as never, [ourW, ourB, ourFrozen]);
    same(mine.value, theirs.value, 'value');
    assert.deepEqual(Object.keys(mine.grads).sort(), Object.keys(theirs.grads).sort());
    same(mine.grads['vgrads/w']!, theirs.grads['vgrads/w'], 'd/dw');
    same(mine.grads['vgrads/b']!, theirs.grads['vgrads/b'], 'd/db');
    assert.equal(mine.grads['vgrads/frozen'], null);
    assert.equal(theirs.grads['vgrads/frozen'], null);

    // without a list: every trainable variable f used (TF.js: every trainable variable alive that f reaches)
    const all = ours.variableGrads(() => loss(ourX() as never, ourW as never, ourB as never, ourFrozen as never) as never);
    assert.deepEqual(Object.keys(all.grads).sort(), ['vgrads/b', 'vgrads/w']);
    for (const v of [theirW, theirB, theirFrozen]) v.dispose();
  });

  it('throws where TF.js throws: a non-scalar loss, a loss of no variable, no trainable variable in varList', () => {
    const v = new Variable(Float32Array.of(1, 2), [2], 'vgrads/v');
    const theirV = tfjs.variable(tfjs.tensor1d([1, 2]), true, 'vgrads/v');
    assert.throws(() => tfjs.variableGrads(() => theirV.square() as never));
    assert.throws(() => ours.variableGrads(() => v.square()), /must return a scalar/);
    assert.throws(() => tfjs.variableGrads(() => tfjs.scalar(1)));
    assert.throws(() => ours.variableGrads(() => tensor([1], [])), /does not depend on any trainable variable/);
    const frozen = new Variable(Float32Array.of(1), [], 'vgrads/frozen2', false);
    assert.throws(() => ours.variableGrads(() => frozen.square(), [frozen]), /none of the 1 variables of varList is trainable/);
    theirV.dispose();
  });
});

describe('tf.customGrad against TF.js', () => {
  it('the value of f, and the gradient gradFunc gives from dy and the saved tensors, through later ops', () => {
    // a clipped-gradient identity times b: d/da = clip(dy * b, -1, 1) as gradFunc says, not b
    const build = (lib: { customGrad: (f: never) => (...args: never[]) => unknown }) =>
      lib.customGrad(((a: T, b: T, save: (ts: T[]) => void) => {
        save([b]);
        return {
          value: a.mul(b),
          gradFunc: (dy: T, [saved]: T[]) => [dy.mul(saved).tanh(), dy.mul(a)],
        };
      }) as never);
    const theirF = build(tfjs as never) as (a: tfjs.Tensor, b: tfjs.Tensor) => tfjs.Tensor;
    const ourF = build(ours as never) as (a: Tensor, b: Tensor) => Tensor;
    same(ourF(ourX(), tensor(Y)), theirF(theirX(), tfjs.tensor2d(Y)), 'value');
    const theirG = tfjs.grads((a: tfjs.Tensor, b: tfjs.Tensor) => theirF(a, b).square().sum())([theirX(), tfjs.tensor2d(Y)]);
    const ourG = ours.grads((a: Tensor, b: Tensor) => ourF(a, b).square().sum())([ourX(), tensor(Y)]);
    same(ourG[0], theirG[0], 'da');
    same(ourG[1], theirG[1], 'db');
  });

  it('one input: gradFunc may return a tensor; a wrong count of gradients or a missing value throws, as in TF.js', () => {
    const double = ours.customGrad(((x: Tensor) => ({ value: x.mul(2), gradFunc: (dy: Tensor) => dy.mul(3) })) as never);
    assertClose(ours.grad((x: Tensor) => double(x))(tensor([1, 2])), [3, 3]);
    const twoGrads = ours.customGrad(((x: Tensor) => ({ value: x.mul(2), gradFunc: (dy: Tensor) => [dy, dy] })) as never);
    assert.throws(() => ours.grad((x: Tensor) => twoGrads(x))(tensor([1])), /returns the same number of tensors as inputs/);
    const noValue = ours.customGrad((() => ({ gradFunc: (dy: Tensor) => dy })) as never);
    assert.throws(() => noValue(tensor([1])), /`obj.value` is a tensor/);
    const theirNoValue = tfjs.customGrad((() => ({ gradFunc: (dy: tfjs.Tensor) => dy })) as never);
    assert.throws(() => theirNoValue(tfjs.tensor1d([1])));
  });
});
