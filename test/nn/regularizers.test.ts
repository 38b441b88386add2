import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { grad } from '../../src/autograd/functional.js';
import { getRegularizer, l1, l1l2, l2, regularizers, serializeRegularizer, type Regularizer } from '../../src/nn/regularizers.js';
import { tensor } from '../../src/tensor/create.js';
import { assertClose } from '../helpers.js';

const w = tensor([
  [1, -2],
  [3, -4],
]);

describe('regularizer values (Keras: no 1/2 on the L2 term)', () => {
  test('l1 = 0.01 * sum(|w|) by default', () => {
    const p = l1().apply(w);
    assert.deepEqual([...p.shape], []);
    assertClose(p, [0.1]);
    assertClose(l1({ l1: 0.5 }).apply(w), [5]);
  });

  test('l2 = 0.01 * sum(w^2) by default', () => {
    assertClose(l2().apply(w), [0.3]);
    assertClose(l2({ l2: 0.1 }).apply(w), [3]);
  });

  test('l1l2 adds both, 0.01 each by default', () => {
    assertClose(l1l2().apply(w), [0.4]);
    assertClose(l1l2({ l1: 0.1, l2: 0 }).apply(w), [1]);
    assertClose(l1l2({ l1: 0, l2: 0 }).apply(w), [0]);
  });
});

describe('regularizer gradients', () => {
  test('d l2 / dw = 2 * l2 * w', () => {
    assertClose(grad((x) => l2({ l2: 0.1 }).apply(x))(w), [0.2, -0.4, 0.6, -0.8]);
  });

  test('d l1 / dw = l1 * sign(w)', () => {
    assertClose(grad((x) => l1({ l1: 0.1 }).apply(x))(w), [0.1, -0.1, 0.1, -0.1]);
  });

  test('d l1l2 / dw is the sum of both', () => {
    assertClose(grad((x) => l1l2({ l1: 0.1, l2: 0.1 }).apply(x))(w), [0.3, -0.5, 0.7, -0.9]);
  });
});

describe('getRegularizer', () => {
  test('names give the default strengths', () => {
    assert.deepEqual(getRegularizer('l1').getConfig(), { l1: 0.01, l2: 0 });
    assert.deepEqual(getRegularizer('l2').getConfig(), { l1: 0, l2: 0.01 });
    assert.deepEqual(getRegularizer('l1l2').getConfig(), { l1: 0.01, l2: 0.01 });
    assert.deepEqual(getRegularizer('l1_l2' as 'l1l2').getConfig(), { l1: 0.01, l2: 0.01 });
  });

  test('passes objects through', () => {
    const r: Regularizer = regularizers.l2({ l2: 0.5 });
    assert.equal(getRegularizer(r), r);
  });

  test('unknown names suggest the closest', () => {
    assert.throws(() => getRegularizer('L2 ' as 'l2'), /Unknown regularizer 'L2 ' — did you mean 'l2'\?/);
    assert.throws(() => getRegularizer('dropout' as 'l2'), /Unknown regularizer 'dropout'\. Valid regularizers: 'l1', 'l2', 'l1l2'\./);
    assert.throws(() => getRegularizer(3 as never), /must be 'l1', 'l2', 'l1l2' or a Regularizer/);
  });

  test('negative or non-finite strengths are rejected', () => {
    assert.throws(() => l2({ l2: -1 }), /l2 must be a finite number >= 0, got -1/);
    assert.throws(() => l1({ l1: NaN }), /l1 must be a finite number >= 0/);
  });

  test('all three serialize as L1L2 (the TF.js class)', () => {
    assert.deepEqual(serializeRegularizer(l2({ l2: 1e-4 })), { className: 'L1L2', config: { l1: 0, l2: 1e-4 } });
    assert.equal(l1().className, 'L1L2');
  });
});
