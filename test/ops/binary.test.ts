import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  add,
  div,
  equal,
  greater,
  greaterEqual,
  less,
  lessEqual,
  maximum,
  minimum,
  mul,
  neg,
  notEqual,
  pow,
  scalar,
  square,
  sub,
  tensor,
  type Tensor,
} from '../../src/index.js';
import { assertClose } from '../helpers.js';
import { gradCheck, ndMap, type InputSpec, type ND } from '../gradcheck.js';

const binaryRef = (f: (a: number, b: number) => number) => (a: ND, b: ND) => ndMap([a, b], f);

const ops: [string, (a: Tensor, b: Tensor) => Tensor, (a: number, b: number) => number][] = [
  ['add', add, (a, b) => a + b],
  ['sub', sub, (a, b) => a - b],
  ['mul', mul, (a, b) => a * b],
  ['div', div, (a, b) => a / b],
  ['maximum', maximum, Math.max],
  ['minimum', minimum, Math.min],
];

// Broadcasting patterns: [a shape, b shape].
const broadcastCases: [number[], number[]][] = [
  [
    [2, 3],
    [2, 3],
  ],
  [
    [3, 1],
    [1, 4],
  ],
  [[4], []],
  [[], [4]],
  [[2, 3, 4], [4]],
  [[3], [2, 3]],
  [
    [2, 1, 3],
    [4, 1],
  ],
  [[1], [1]],
];

describe('binary ops: hand-computed values', () => {
  test('same shapes', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([
      [5, 6],
      [7, 8],
    ]);
    assert.deepEqual(add(a, b).toArray(), [
      [6, 8],
      [10, 12],
    ]);
    assert.deepEqual(sub(a, b).toArray(), [
      [-4, -4],
      [-4, -4],
    ]);
    assert.deepEqual(mul(a, b).toArray(), [
      [5, 12],
      [21, 32],
    ]);
    assertClose(div(a, b), [1 / 5, 2 / 6, 3 / 7, 4 / 8], { shape: [2, 2] });
    assert.deepEqual(
      pow(
        a,
        tensor([
          [2, 3],
          [0.5, -1],
        ]),
      ).toArray(),
      [
        [1, 8],
        [Math.fround(Math.sqrt(3)), 0.25],
      ],
    );
    assert.deepEqual(maximum(tensor([1, 5, -2]), tensor([3, 2, -2])).toArray(), [3, 5, -2]);
    assert.deepEqual(minimum(tensor([1, 5, -2]), tensor([3, 2, -2])).toArray(), [1, 2, -2]);
  });

  test('[3,1] + [1,4] is an outer sum', () => {
    const y = add(tensor([[1], [2], [3]]), tensor([[10, 20, 30, 40]]));
    assert.deepEqual(y.toArray(), [
      [11, 21, 31, 41],
      [12, 22, 32, 42],
      [13, 23, 33, 43],
    ]);
  });

  test('scalars (numbers and rank-0 tensors)', () => {
    assert.deepEqual(add(tensor([1, 2, 3]), 1).toArray(), [2, 3, 4]);
    assert.deepEqual(sub(10, tensor([1, 2])).toArray(), [9, 8]);
    assert.deepEqual(mul(scalar(2), tensor([[1], [2]])).toArray(), [[2], [4]]);
    assert.deepEqual(div(tensor([3, 6]), 3).toArray(), [1, 2]);
    assert.deepEqual(pow(2, tensor([0, 1, 10])).toArray(), [1, 2, 1024]);
    assert.deepEqual(pow(tensor([-2, 3]), 2).toArray(), [4, 9]);
    const s = add(scalar(1), scalar(2));
    assert.deepEqual(s.shape, []);
    assert.equal(s.item(), 3);
  });

  test('rank mismatch aligns from the right', () => {
    const y = add(tensor([[[1, 2, 3]], [[4, 5, 6]]]), tensor([[0], [10]])); // [2,1,3] + [2,1] -> [2,2,3]
    assert.deepEqual(y.toArray(), [
      [
        [1, 2, 3],
        [11, 12, 13],
      ],
      [
        [4, 5, 6],
        [14, 15, 16],
      ],
    ]);
    assert.deepEqual(
      mul(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        tensor([10, 100]),
      ).toArray(),
      [
        [10, 200],
        [30, 400],
      ],
    );
  });

  test('incompatible shapes give a clear error', () => {
    assert.throws(() => add(tensor([1, 2, 3]), tensor([1, 2])), /Shapes \[3\] and \[2\] cannot be broadcast/);
    assert.throws(
      () =>
        mul(
          tensor([
            [1, 2],
            [3, 4],
          ]),
          tensor([[1, 2, 3]]),
        ),
      /\[2, 2\] and \[1, 3\]/,
    );
  });

  test('empty tensors broadcast to empty results', () => {
    assert.deepEqual(add(tensor([], [0, 3]), tensor([1, 2, 3])).shape, [0, 3]);
  });

  test('neg and square', () => {
    assertClose(neg(tensor([1, -2, 0])), [-1, 2, 0], { shape: [3] });
    assert.deepEqual(square(tensor([-3, 0.5])).toArray(), [9, 0.25]);
  });

  test('comparisons give 1/0 and broadcast', () => {
    const a = tensor([[1, 2, 3]]);
    const b = tensor([[2], [3]]);
    assert.deepEqual(equal(a, b).toArray(), [
      [0, 1, 0],
      [0, 0, 1],
    ]);
    assert.deepEqual(notEqual(a, b).toArray(), [
      [1, 0, 1],
      [1, 1, 0],
    ]);
    assert.deepEqual(greater(a, b).toArray(), [
      [0, 0, 1],
      [0, 0, 0],
    ]);
    assert.deepEqual(greaterEqual(a, b).toArray(), [
      [0, 1, 1],
      [0, 0, 1],
    ]);
    assert.deepEqual(less(a, 2).toArray(), [[1, 0, 0]]);
    assert.deepEqual(lessEqual(a, 2).toArray(), [[1, 1, 0]]);
  });

  test('comparisons carry no gradient', () => {
    const x = tensor([1, 2]).requireGrad();
    assert.equal(greater(x, 1).requiresGrad, false);
  });
});

describe('binary ops: forward vs float64 reference on random inputs', () => {
  for (const [name, op, f] of ops) {
    for (const [as, bs] of broadcastCases) {
      test(`${name} [${as}] with [${bs}] (forward and gradient)`, () => {
        const a: InputSpec = { shape: as, minGap: name === 'maximum' || name === 'minimum' ? 1e-3 : undefined };
        // b away from 0 for div; maximum/minimum inputs distinct across a and b (offset the ranges)
        const b: InputSpec =
          name === 'div'
            ? { shape: bs, awayFromZero: 0.5 }
            : name === 'maximum' || name === 'minimum'
              ? { shape: bs, low: -1.9937, high: 2.0071 }
              : { shape: bs };
        gradCheck(op, binaryRef(f), [a, b], { seed: as.length * 31 + bs.length });
      });
    }
  }

  test('pow with a positive base: gradient for both base and exponent', () => {
    gradCheck(pow, binaryRef(Math.pow), [
      { shape: [3, 4], low: 0.2, high: 3 },
      { shape: [3, 4], low: -2, high: 2 },
    ]);
    gradCheck(pow, binaryRef(Math.pow), [
      { shape: [2, 3], low: 0.5, high: 2 },
      { shape: [3], low: -1.5, high: 2.5 },
    ]);
    gradCheck(pow, binaryRef(Math.pow), [
      { shape: [4], low: 0.5, high: 2 },
      { shape: [], low: 1, high: 3 },
    ]);
  });

  test('pow with a negative base and an integer constant exponent', () => {
    gradCheck(
      (x) => pow(x, 3),
      (x) => ndMap([x], (v) => v ** 3),
      [{ shape: [5], low: -2, high: 2 }],
    );
    gradCheck(
      (x) => pow(x, -2),
      (x) => ndMap([x], (v) => v ** -2),
      [{ shape: [5], low: -2, high: 2, awayFromZero: 0.5 }],
    );
  });

  test('pow gradients at base 0 are finite (0 ** b with b > 0, and 0 ** 0)', () => {
    // d/db a^b = a^b ln a -> 0 as a -> 0+ (b > 0); d/da a^0 = 0 everywhere
    const a = tensor([0, 2, 0]).requireGrad();
    const b = tensor([1.5, 2, 0]).requireGrad();
    pow(a, b).sum().backward();
    assertClose(a.grad!, [0, 4, 0]);
    assertClose(b.grad!, [0, 4 * Math.LN2, 0]);
  });

  test('number operands: gradient flows only to the tensor', () => {
    gradCheck(
      (x) => sub(3, x),
      (x) => ndMap([x], (v) => 3 - v),
      [{ shape: [2, 2] }],
    );
    gradCheck(
      (x) => div(2, x),
      (x) => ndMap([x], (v) => 2 / v),
      [{ shape: [2, 2], awayFromZero: 0.5 }],
    );
    gradCheck(
      (x) => maximum(x, 0.25),
      (x) => ndMap([x], (v) => Math.max(v, 0.25)),
      [{ shape: [6], values: [-1, 0.1, 0.3, 1, 2, -0.5] }],
    );
  });

  test('neg and square', () => {
    gradCheck(neg, (x) => ndMap([x], (v) => -v), [{ shape: [3, 2] }]);
    gradCheck(square, (x) => ndMap([x], (v) => v * v), [{ shape: [3, 2] }]);
  });

  test('an input used as both operands', () => {
    gradCheck(
      (x) => mul(x, x),
      (x) => ndMap([x], (v) => v * v),
      [{ shape: [4] }],
    );
    gradCheck(
      (x) => div(x, add(x, 3)),
      (x) => ndMap([x], (v) => v / (v + 3)),
      [{ shape: [4], low: 0, high: 2 }],
    );
  });
});

describe('maximum/minimum gradient routing', () => {
  test('each element gradient goes to the larger (maximum) or smaller (minimum) operand', () => {
    const a = tensor([1, 5, 3]).requireGrad();
    const b = tensor([4, 2, 3.5]).requireGrad();
    maximum(a, b).sum().backward();
    assert.deepEqual(a.grad!.toArray(), [0, 1, 0]);
    assert.deepEqual(b.grad!.toArray(), [1, 0, 1]);
    a.grad = b.grad = null;
    minimum(a, b).sum().backward();
    assert.deepEqual(a.grad!.toArray(), [1, 0, 1]);
    assert.deepEqual(b.grad!.toArray(), [0, 1, 0]);
  });
});
