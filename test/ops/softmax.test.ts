import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { logSoftmax, logSumExp, mul, neg, softmax, softmaxCrossEntropy, sum, tensor } from '../../src/index.js';
import { softmaxLogits } from '../../src/ops/softmax.js';
import { Variable } from '../../src/tensor/tensor.js';
import { assertClose } from '../helpers.js';
import { gradCheck, nd, ndAlongAxis, ndReduce, type ND } from '../gradcheck.js';

const softmax64 = (lane: number[]) => {
  const m = Math.max(...lane);
  const e = lane.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
const logSoftmax64 = (lane: number[]) => softmax64(lane).map(Math.log);
const lse64 = (lane: number[]) => {
  const m = Math.max(...lane);
  return m + Math.log(lane.reduce((a, v) => a + Math.exp(v - m), 0));
};

describe('softmax / logSoftmax: values', () => {
  test('hand-computed', () => {
    const e = [1, Math.E, Math.E ** 2];
    const s = e[0] + e[1] + e[2];
    assertClose(
      softmax(tensor([0, 1, 2])),
      e.map((v) => v / s),
    );
    assertClose(
      logSoftmax(tensor([0, 1, 2])),
      e.map((v) => Math.log(v / s)),
    );
    assertClose(softmax(tensor([[5, 5]])), [0.5, 0.5], { shape: [1, 2] });
  });

  test('rows sum to 1 along the chosen axis', () => {
    const x = tensor(
      Array.from({ length: 24 }, (_, i) => Math.sin(i) * 3),
      [2, 3, 4],
    );
    for (const axis of [-1, 0, 1, 2]) {
      const s = sum(softmax(x, axis), axis);
      assertClose(s, new Array(s.size).fill(1), { rtol: 1e-6, atol: 1e-6 });
    }
  });

  test('stable with logits of 1e4', () => {
    const y = softmax(
      tensor([
        [1e4, 0, -1e4],
        [1e4, 1e4, 1e4],
      ]),
    );
    assert.ok(y.values.every(Number.isFinite));
    assertClose(y, [1, 0, 0, 1 / 3, 1 / 3, 1 / 3], { rtol: 1e-6, atol: 1e-7 });
    const l = logSoftmax(tensor([1e4, 0]));
    assert.ok(l.values.every(Number.isFinite));
    assertClose(l, [0, -1e4], { rtol: 1e-6 });
    const x = tensor([1e4, 1e4 - 1]).requireGrad();
    logSoftmax(x)
      .mul(tensor([1, 0]))
      .sum()
      .backward();
    assert.ok(x.grad!.values.every(Number.isFinite));
  });

  test('logSumExp', () => {
    assertClose(logSumExp(tensor([0, 0])), [Math.LN2], { shape: [] });
    assertClose(logSumExp(tensor([[1e4, 1e4]]), -1, true), [1e4 + Math.LN2], { shape: [1, 1] });
    assertClose(
      logSumExp(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        0,
      ),
      [lse64([1, 3]), lse64([2, 4])],
      { shape: [2] },
    );
  });
});

describe('softmax / logSoftmax: forward and gradient vs float64 reference', () => {
  const cases: [number[], number][] = [
    [[5], -1],
    [[3, 4], -1],
    [[3, 4], 0],
    [[2, 3, 4], 1],
    [[2, 3, 4], -1],
  ];
  for (const [shape, axis] of cases) {
    const ax = axis < 0 ? axis + shape.length : axis;
    test(`softmax [${shape}] axis ${axis}`, () => {
      gradCheck(
        (x) => softmax(x, axis),
        (x) => ndAlongAxis(x, ax, softmax64),
        [{ shape, low: -3, high: 3 }],
      );
    });
    test(`logSoftmax [${shape}] axis ${axis}`, () => {
      gradCheck(
        (x) => logSoftmax(x, axis),
        (x) => ndAlongAxis(x, ax, logSoftmax64),
        [{ shape, low: -3, high: 3 }],
      );
    });
    test(`logSumExp [${shape}] axis ${axis}`, () => {
      gradCheck(
        (x) => logSumExp(x, axis),
        (x: ND) => ndReduce(x, [ax], false, lse64),
        [{ shape, low: -3, high: 3 }],
      );
      gradCheck(
        (x) => logSumExp(x, axis, true),
        (x: ND) => ndReduce(x, [ax], true, lse64),
        [{ shape, low: -3, high: 3 }],
      );
    });
  }

  test('gradient with tied maxima (the shift must not leak a max-gradient)', () => {
    const values = [1, 1, 0, 2, 2, 2];
    gradCheck(
      (x) => softmax(x),
      (x) => ndAlongAxis(x, 1, softmax64),
      [{ shape: [2, 3], values }],
      { h: 1e-7 },
    );
    gradCheck(
      (x) => logSoftmax(x),
      (x) => ndAlongAxis(x, 1, logSoftmax64),
      [{ shape: [2, 3], values }],
      { h: 1e-7 },
    );
    gradCheck(
      (x) => logSumExp(x),
      (x) => ndReduce(x, [1], false, lse64),
      [{ shape: [2, 3], values }],
      { h: 1e-7 },
    );
  });

  test('gradient with large logits (shifted by 1e3)', () => {
    gradCheck(
      (x) => logSoftmax(x),
      (x) => ndAlongAxis(x, 1, logSoftmax64),
      [{ shape: [2, 3], low: 998, high: 1002 }],
      { rtol: 2e-3, atol: 2e-4, fwdAtol: 5e-4 },
    );
  });
});

describe('softmaxCrossEntropy', () => {
  // -sum(labels * logSoftmax(logits)) over the last axis, in float64
  const ce64 = (y: ND, x: ND): ND => {
    const lp = ndAlongAxis(x, x.shape.length - 1, logSoftmax64);
    return ndReduce(
      nd(
        y.shape,
        y.data.map((v, i) => -v * lp.data[i]),
      ),
      [y.shape.length - 1],
      false,
      (lane) => lane.reduce((a, b) => a + b, 0),
    );
  };
  for (const shape of [[1, 1], [4, 3], [5, 10], [2, 3, 4], [7]]) {
    test(`forward and both gradients, [${shape}]`, () => {
      gradCheck((y, x) => softmaxCrossEntropy(y, x), ce64, [
        { shape, low: 0, high: 1 },
        { shape, low: -4, high: 4 },
      ]);
    });
  }

  test('one-hot labels: the gradient is softmax - labels', () => {
    const logits = tensor([
      [1, 2, 3],
      [0, 0, 5],
    ]).requireGrad();
    const labels = tensor([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    sum(softmaxCrossEntropy(labels, logits)).backward();
    const p = softmax(
      tensor([
        [1, 2, 3],
        [0, 0, 5],
      ]),
    );
    assertClose(
      logits.grad!,
      p.values.map((v, i) => v - labels.values[i]),
      { shape: [2, 3], rtol: 1e-6, atol: 1e-7 },
    );
  });

  test('equals the composed -sum(labels * logSoftmax(logits))', () => {
    const logits = tensor(
      Array.from({ length: 60 }, (_, i) => Math.sin(i * 1.7) * 6),
      [6, 10],
    );
    const labels = tensor(
      Array.from({ length: 60 }, (_, i) => (i % 7) / 7),
      [6, 10],
    );
    const composed = neg(sum(mul(labels, logSoftmax(logits)), -1));
    assertClose(softmaxCrossEntropy(labels, logits), composed.values, { shape: [6], rtol: 1e-6, atol: 1e-6 });
  });

  test('stable with logits of 1e4', () => {
    const l = softmaxCrossEntropy(tensor([[1, 0]]), tensor([[-1e4, 1e4]]));
    assertClose(l, [2e4], { shape: [1], rtol: 1e-6 });
  });

  test('shape mismatch and scalars throw', () => {
    assert.throws(() => softmaxCrossEntropy(tensor([[1, 0]]), tensor([[1, 0, 0]])), /same shape/);
    assert.throws(() => softmaxCrossEntropy(tensor(1), tensor(1)), /same shape/);
  });
});

describe('softmax over the last axis: one kernel', () => {
  test('equals the composition exp(x - max) / sum, bit for bit on the js backend', () => {
    const x = tensor(
      Array.from({ length: 48 }, (_, i) => Math.cos(i * 0.9) * 8),
      [4, 12],
    );
    const e = x.sub(x.max(-1, true)).exp();
    const composed = e.div(e.sum(-1, true));
    assertClose(softmax(x), composed.values, { shape: [4, 12], rtol: 1e-6, atol: 1e-7 });
  });

  test('remembers its logits for crossentropy; other axes and Variables do not', () => {
    const x = tensor([[1, 2, 3]]);
    assert.equal(softmaxLogits(softmax(x)), x);
    assert.equal(softmaxLogits(softmax(x, 0)), null);
    assert.equal(softmaxLogits(x), null);
    const v = new Variable(Float32Array.of(1, 2, 3), [1, 3], 'v');
    assert.equal(softmaxLogits(softmax(v)), null);
  });
});
