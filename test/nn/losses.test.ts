import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { valueAndGrads } from '../../src/autograd/functional.js';
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  getLoss,
  huber,
  meanAbsoluteError,
  meanSquaredError,
  sparseCategoricalCrossentropy,
  type Loss,
  type LossIdentifier,
  type LossOptions,
} from '../../src/nn/losses.js';
import { reshape } from '../../src/ops/reshape.js';
import { softmax } from '../../src/ops/softmax.js';
import { scalar, tensor } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import type { Fixture, FixtureTensor } from '../conformance/fixture.js';
import { conformanceFixtures } from '../fixtures/conformance.js';
import { gradCheck, nd, type ND } from '../gradcheck.js';
import { assertClose } from '../helpers.js';

// Independent float64 references, written per sample from the formulas (no shared code with src/).

const EPS = 1e-7;
const clip = (p: number) => Math.min(Math.max(p, EPS), 1 - EPS);
const rowsOf = (x: ND) => {
  const c = x.shape[x.shape.length - 1];
  return Array.from({ length: x.data.length / c }, (_, r) => x.data.slice(r * c, (r + 1) * c));
};
/** Per-row values, then their mean, as a scalar ND. */
const meanOfRows = (t: ND, p: ND, perRow: (t: number[], p: number[]) => number): ND => {
  const tr = rowsOf(t);
  const pr = rowsOf(p);
  return nd([], [pr.reduce((s, row, i) => s + perRow(tr[i], row), 0) / pr.length]);
};
const avg = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const sigmoid64 = (x: number) => 1 / (1 + Math.exp(-x));

const ref = {
  mse: (t: ND, p: ND) => meanOfRows(t, p, (tr, pr) => avg(pr.map((v, j) => (v - tr[j]) ** 2))),
  mae: (t: ND, p: ND) => meanOfRows(t, p, (tr, pr) => avg(pr.map((v, j) => Math.abs(v - tr[j])))),
  huber: (delta: number) => (t: ND, p: ND) =>
    meanOfRows(t, p, (tr, pr) =>
      avg(
        pr.map((v, j) => {
          const e = Math.abs(v - tr[j]);
          return e <= delta ? 0.5 * e * e : delta * e - 0.5 * delta * delta;
        }),
      ),
    ),
  bce:
    (fromLogits: boolean, smoothing = 0) =>
    (t: ND, p: ND) =>
      meanOfRows(t, p, (tr, pr) =>
        avg(
          pr.map((v, j) => {
            const z = tr[j] * (1 - smoothing) + 0.5 * smoothing;
            const q = fromLogits ? sigmoid64(v) : clip(v);
            return -(z * Math.log(q) + (1 - z) * Math.log(1 - q));
          }),
        ),
      ),
  cce:
    (fromLogits: boolean, smoothing = 0) =>
    (t: ND, p: ND) =>
      meanOfRows(t, p, (tr, pr) => {
        const c = pr.length;
        let logq: number[];
        if (fromLogits) {
          const lse = Math.log(pr.reduce((s, x) => s + Math.exp(x), 0));
          logq = pr.map((x) => x - lse);
        } else {
          const total = pr.reduce((s, x) => s + x, 0);
          logq = pr.map((x) => Math.log(clip(x / total)));
        }
        return -tr.reduce((s, y, j) => s + (y * (1 - smoothing) + smoothing / c) * logq[j], 0);
      }),
  sparse: (fromLogits: boolean) => (labels: ND, p: ND) => {
    const c = p.shape[p.shape.length - 1];
    const oneHot = labels.data.flatMap((k) => Array.from({ length: c }, (_, j) => (j === k ? 1 : 0)));
    return ref.cce(fromLogits)(nd(p.shape, oneHot), p);
  },
};

const t2 = (rows: number[][]) => tensor(rows);

describe('losses: values and gradients against float64 references', () => {
  const shape = [4, 3];
  const grad = { rtol: 1e-4, atol: 1e-6, wrt: [1] };

  it('meanSquaredError (both inputs)', () => {
    gradCheck(meanSquaredError, ref.mse, [{ shape }, { shape }], { ...grad, wrt: [0, 1] });
  });

  it('meanAbsoluteError (away from the kink)', () => {
    gradCheck(
      meanAbsoluteError,
      ref.mae,
      [
        { shape, values: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
        { shape, awayFromZero: 0.05 },
      ],
      grad,
    );
  });

  it('huber, both branches, delta 1 and 0.5', () => {
    const yTrue = { shape, values: new Array(12).fill(0) };
    // errors on both sides of delta, none within 0.05 of it
    const yPred = { shape, values: [0.2, -0.7, 1.6, -2.5, 0.9, 1.3, -0.3, 3, -1.2, 0.05, 0.7, -1.8] };
    gradCheck(huber, ref.huber(1), [yTrue, yPred], grad);
    gradCheck((t, p) => huber(t, p, { delta: 0.5 }), ref.huber(0.5), [yTrue, { shape, values: yPred.values.map((v) => v * 0.5) }], grad);
  });

  it('binaryCrossentropy on probabilities (soft labels, label smoothing)', () => {
    const inputs = [
      { shape, low: 0, high: 1 },
      { shape, low: 0.05, high: 0.95 },
    ];
    gradCheck(binaryCrossentropy, ref.bce(false), inputs, grad);
    gradCheck((t, p) => binaryCrossentropy(t, p, { labelSmoothing: 0.2 }), ref.bce(false, 0.2), inputs, grad);
  });

  it('binaryCrossentropy from logits (with a logit of exactly 0)', () => {
    const yTrue = { shape, values: [1, 0, 1, 0, 0, 1, 1, 1, 0, 0.3, 0.5, 1] };
    const logits = { shape, values: [0, 2.5, -3, 0.7, -0.2, 4, 1.1, -1.5, 0, 3.2, -4.5, 0.01] };
    gradCheck((t, p) => binaryCrossentropy(t, p, { fromLogits: true }), ref.bce(true), [yTrue, logits], grad);
    gradCheck((t, p) => binaryCrossentropy(t, p, { fromLogits: true, labelSmoothing: 0.1 }), ref.bce(true, 0.1), [yTrue, logits], grad);
  });

  it('categoricalCrossentropy on probabilities rescales by the row sum (rows need not sum to 1)', () => {
    const yTrue = { shape, values: [0, 1, 0, 1, 0, 0, 0.2, 0.3, 0.5, 0, 0, 1] };
    const probs = { shape, low: 0.05, high: 1 };
    gradCheck(categoricalCrossentropy, ref.cce(false), [yTrue, probs], grad);
    gradCheck((t, p) => categoricalCrossentropy(t, p, { labelSmoothing: 0.1 }), ref.cce(false, 0.1), [yTrue, probs], grad);
  });

  it('categoricalCrossentropy from logits', () => {
    const yTrue = { shape, values: [0, 1, 0, 1, 0, 0, 0.2, 0.3, 0.5, 0, 0, 1] };
    gradCheck((t, p) => categoricalCrossentropy(t, p, { fromLogits: true }), ref.cce(true), [yTrue, { shape, low: -4, high: 4 }], grad);
    gradCheck(
      (t, p) => categoricalCrossentropy(t, p, { fromLogits: true, labelSmoothing: 0.3 }),
      ref.cce(true, 0.3),
      [yTrue, { shape, low: -4, high: 4 }],
      grad,
    );
  });

  it('sparseCategoricalCrossentropy on probabilities and logits, labels [N] and [N, 1]', () => {
    const labels = { shape: [4], values: [2, 0, 1, 2] };
    gradCheck(sparseCategoricalCrossentropy, ref.sparse(false), [labels, { shape, low: 0.05, high: 1 }], grad);
    gradCheck((t, p) => sparseCategoricalCrossentropy(t, p, { fromLogits: true }), ref.sparse(true), [labels, { shape, low: -4, high: 4 }], grad);
    const column = { shape: [4, 1], values: labels.values };
    gradCheck(
      (t, p) => sparseCategoricalCrossentropy(t, p, { fromLogits: true }),
      (t, p) => ref.sparse(true)(nd([4], t.data), p),
      [column, { shape, low: -4, high: 4 }],
      grad,
    );
  });

  it('small worked examples', () => {
    assertClose(meanSquaredError(t2([[0, 1]]), t2([[1, 1]])), [0.5], { shape: [] });
    assertClose(meanAbsoluteError(t2([[0, 1]]), t2([[2, 1]])), [1], { shape: [] });
    assertClose(huber(t2([[0]]), t2([[3]])), [2.5], { shape: [] });
    assertClose(binaryCrossentropy(t2([[1], [0]]), t2([[0.9], [0.2]])), [-(Math.log(0.9) + Math.log(0.8)) / 2], { shape: [] });
    assertClose(categoricalCrossentropy(t2([[0, 1]]), t2([[0.2, 0.8]])), [-Math.log(0.8)], { shape: [] });
    assertClose(sparseCategoricalCrossentropy(tensor([1]), t2([[0.2, 0.8]])), [-Math.log(0.8)], { shape: [] });
  });

  it('per-sample mean over the last axis, then the mean over every batch axis (rank 3)', () => {
    const yTrue = tensor([0, 0, 0, 0, 0, 0, 0, 0], [2, 2, 2]);
    const yPred = tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    assertClose(meanSquaredError(yTrue, yPred), [(1 + 4 + 9 + 16 + 25 + 36 + 49 + 64) / 8], { shape: [] });
    // CCE sums over the classes of each sample: 4 samples of -log(0.5) with one-hot labels
    const oneHot = tensor([1, 0, 0, 1, 1, 0, 0, 1], [2, 2, 2]);
    assertClose(categoricalCrossentropy(oneHot, tensor(new Array(8).fill(0.5), [2, 2, 2])), [Math.log(2)], { shape: [] });
  });

  it('[N] labels with [N, 1] predictions (and back) are matched, not broadcast to [N, N]', () => {
    assertClose(meanSquaredError(tensor([1, 2, 3]), t2([[1], [2], [5]])), [4 / 3], { shape: [] });
    assertClose(meanSquaredError(t2([[1], [2], [3]]), tensor([1, 2, 5])), [4 / 3], { shape: [] });
    assertClose(binaryCrossentropy(tensor([1, 0]), t2([[0.9], [0.2]])), [-(Math.log(0.9) + Math.log(0.8)) / 2]);
  });
});

describe('losses: numerical stability', () => {
  it('crossentropy from logits of magnitude 1e4 stays finite, with exact values', () => {
    const logits = t2([
      [1e4, -1e4, 0],
      [-1e4, 1e4, 5e3],
    ]);
    const labels = t2([
      [1, 0, 0],
      [1, 0, 0],
    ]);
    const { value, grads } = valueAndGrads((p: Tensor) => categoricalCrossentropy(labels, p, { fromLogits: true }))([logits]);
    // row 0: log-softmax of the label is 0; row 1: -(-1e4 - 1e4) = 2e4
    assertClose(value, [(0 + 2e4) / 2], { rtol: 1e-6 });
    assert.ok([...grads[0].values].every(Number.isFinite), 'finite gradients');
    // d/dx = (softmax - y) / N
    assertClose(grads[0], [0, 0, 0, -0.5, 0.5, 0], { atol: 1e-6 });
    const sparse = valueAndGrads((p: Tensor) => sparseCategoricalCrossentropy(tensor([0, 0]), p, { fromLogits: true }))([logits]);
    assertClose(sparse.value, [1e4], { rtol: 1e-6 });
    assertClose(sparse.grads[0], [0, 0, 0, -0.5, 0.5, 0], { atol: 1e-6 });
  });

  it('binaryCrossentropy from logits at ±100 (and ±1e4)', () => {
    for (const big of [100, 1e4]) {
      const logits = t2([[big], [-big], [big], [-big]]);
      const labels = t2([[1], [0], [0], [1]]);
      const { value, grads } = valueAndGrads((p: Tensor) => binaryCrossentropy(labels, p, { fromLogits: true }))([logits]);
      // two confident right answers (loss ~0) and two confident wrong ones (loss = |x|)
      assertClose(value, [(2 * big) / 4], { rtol: 1e-6 });
      // d/dx = (sigmoid(x) - z) / N
      assertClose(grads[0], [0, 0, 0.25, -0.25], { atol: 1e-7 });
    }
  });

  it('binaryCrossentropy on probabilities of exactly 0 and 1 is clipped to [1e-7, 1 - 1e-7] like Keras', () => {
    const { value, grads } = valueAndGrads((p: Tensor) => binaryCrossentropy(t2([[1, 0, 1, 0]]), p))([t2([[0, 1, 1, 0]])]);
    const hi = Math.fround(1 - 1e-7);
    const expected = (-Math.log(Math.fround(1e-7)) - Math.log(1 - hi) + -Math.log(hi) - Math.log(1 - Math.fround(1e-7))) / 4;
    assertClose(value, [expected], { rtol: 1e-5 });
    assert.ok([...grads[0].values].every(Number.isFinite), 'finite gradients');
  });

  it('categoricalCrossentropy on a probability of 0 for the true class is finite (-log 1e-7)', () => {
    assertClose(categoricalCrossentropy(t2([[1, 0]]), t2([[0, 1]])), [-Math.log(1e-7)], { rtol: 1e-5 });
  });

  it('categoricalCrossentropy on a softmax output computes from its logits, as Keras does', () => {
    const logits = t2([
      [1, 2, 3],
      [40, -40, 0],
    ]);
    const labels = t2([
      [0, 0, 1],
      [0, 1, 0],
    ]);
    const { value, grads } = valueAndGrads((x: Tensor) => categoricalCrossentropy(labels, softmax(x)))([logits]);
    const fromLogits = valueAndGrads((x: Tensor) => categoricalCrossentropy(labels, x, { fromLogits: true }))([logits]);
    // the true class of row 1 has probability e^-80: from logits its loss is 80, not the clipped -log(1e-7)
    assertClose(value, fromLogits.value.values, { rtol: 1e-6 });
    assert.ok(value.item() > 40, `loss ${value.item()} is not clipped`);
    assertClose(grads[0], fromLogits.grads[0].values, { atol: 1e-7 });
    const sparse = valueAndGrads((x: Tensor) => sparseCategoricalCrossentropy(tensor([2, 1]), softmax(x)))([logits]);
    assertClose(sparse.value, fromLogits.value.values, { rtol: 1e-6 });
    assertClose(sparse.grads[0], fromLogits.grads[0].values, { atol: 1e-7 });
  });
});

describe('losses: errors that teach', () => {
  const throwsWith = (fn: () => unknown, ...parts: (string | RegExp)[]) => {
    assert.throws(fn, (e: Error) => {
      for (const p of parts) assert.match(e.message, typeof p === 'string' ? new RegExp(p.replace(/[[\]().*+?^$|\\]/g, '\\$&')) : p);
      return true;
    });
  };

  it('one-hot labels [N, 10] against predictions [N, 1]', () => {
    const oneHot = tensor(new Array(40).fill(0), [4, 10]);
    throwsWith(() => categoricalCrossentropy(oneHot, tensor([0.1, 0.2, 0.3, 0.4], [4, 1])), '[4, 10]', '[4, 1]', /10 units/, /binaryCrossentropy/);
  });

  it('class-index labels with a categorical loss suggest the sparse loss', () => {
    throwsWith(
      () => categoricalCrossentropy(tensor([[1], [2]]), tensor(new Array(6).fill(1 / 3), [2, 3])),
      '[2, 1]',
      '[2, 3]',
      /sparseCategoricalCrossentropy/,
    );
    throwsWith(() => categoricalCrossentropy(tensor([1, 2]), tensor(new Array(6).fill(1 / 3), [2, 3])), '[2]', '[2, 3]', /sparseCategoricalCrossentropy/);
  });

  it('wrong number of classes and different batch sizes', () => {
    throwsWith(() => meanSquaredError(tensor(new Array(6).fill(0), [2, 3]), tensor(new Array(8).fill(0), [2, 4])), '[2, 3]', '[2, 4]', /units/);
    throwsWith(() => meanSquaredError(tensor([1, 2, 3]), tensor([[1], [2]])), '[3]', '[2, 1]', /batch sizes differ/);
  });

  it('sparse labels: not an integer class id, named by value and row', () => {
    const probs = tensor(new Array(9).fill(1 / 3), [3, 3]);
    throwsWith(() => sparseCategoricalCrossentropy(tensor([0, 1.5, 2]), probs), 'label 1.5 in row 1', '0..2');
    throwsWith(() => sparseCategoricalCrossentropy(tensor([0, 2, 3]), probs), 'label 3 in row 2');
    throwsWith(() => sparseCategoricalCrossentropy(tensor([-1, 0, 0]), probs), 'label -1 in row 0');
  });

  it('sparse loss given one-hot labels suggests the categorical loss', () => {
    throwsWith(
      () =>
        sparseCategoricalCrossentropy(
          tensor([
            [1, 0],
            [0, 1],
          ]),
          tensor([
            [0.5, 0.5],
            [0.5, 0.5],
          ]),
        ),
      '[2, 2]',
      /categoricalCrossentropy/,
    );
  });

  it('[N] labels go with [N, 1] predictions for any N, one included (a last batch of one sample)', () => {
    for (const n of [1, 2, 5]) {
      const labels = tensor(Array.from({ length: n }, (_, i) => i % 2));
      const predictions = tensor(Array.from({ length: n }, () => [0.25]));
      assert.ok(
        Math.abs(meanSquaredError(labels, predictions).values[0] - meanSquaredError(reshape(labels, [n, 1]), predictions).values[0]) < 1e-7,
        `N = ${n}`,
      );
      assert.ok(
        Number.isFinite(binaryCrossentropy(predictions, tensor(Array.from({ length: n }, () => 0.5))).values[0]),
        `N = ${n}, [N, 1] labels with [N] predictions`,
      );
    }
    throwsWith(() => meanSquaredError(tensor([1]), tensor([[[0.5]]])), '[1]', '[1, 1, 1]');
  });

  it('bad options', () => {
    throwsWith(() => huber(tensor([0]), tensor([1]), { delta: 0 }), /delta/);
    throwsWith(() => binaryCrossentropy(tensor([0]), tensor([0.5]), { labelSmoothing: 2 }), /labelSmoothing/);
  });
});

describe('getLoss', () => {
  const y = t2([
    [1, 0, 0],
    [0, 0, 1],
  ]);
  const p = t2([
    [0.7, 0.2, 0.1],
    [0.1, 0.3, 0.6],
  ]);

  it('resolves names and Keras aliases to the canonical lossName', () => {
    const cases: [LossIdentifier, string][] = [
      ['mse', 'meanSquaredError'],
      ['mean_squared_error', 'meanSquaredError'],
      ['mae', 'meanAbsoluteError'],
      ['mean_absolute_error', 'meanAbsoluteError'],
      ['huber_loss', 'huber'],
      ['binary_crossentropy', 'binaryCrossentropy'],
      ['categorical_crossentropy', 'categoricalCrossentropy'],
      ['sparse_categorical_crossentropy', 'sparseCategoricalCrossentropy'],
      ['sparseCategoricalCrossentropy', 'sparseCategoricalCrossentropy'],
    ];
    for (const [id, name] of cases) {
      const loss = getLoss(id);
      assert.equal(loss.lossName, name, id);
      assert.equal(loss.fromLogits, false);
    }
    assertClose(getLoss('mse')(y, p), [meanSquaredError(y, p).item()]);
    assertClose(getLoss('categorical_crossentropy')(y, p), [categoricalCrossentropy(y, p).item()]);
  });

  it('passes options on', () => {
    const logits = t2([
      [2, -1, 0.5],
      [0, 0.3, 1],
    ]);
    const loss = getLoss('categoricalCrossentropy', { fromLogits: true, labelSmoothing: 0.1 });
    assert.equal(loss.fromLogits, true);
    assertClose(loss(y, logits), [categoricalCrossentropy(y, logits, { fromLogits: true, labelSmoothing: 0.1 }).item()]);
    assertClose(getLoss('huber', { delta: 0.1 })(y, p), [huber(y, p, { delta: 0.1 }).item()]);
  });

  it('rejects options the loss would ignore', () => {
    assert.throws(() => getLoss('mse', { fromLogits: true }), /fromLogits/);
    assert.throws(() => getLoss('sparseCategoricalCrossentropy', { labelSmoothing: 0.1 }), /labelSmoothing/);
    assert.throws(() => getLoss('binaryCrossentropy', { delta: 2 }), /delta/);
  });

  it('unknown names list the valid ones and suggest the closest', () => {
    assert.throws(
      () => getLoss('meanSquareError' as LossIdentifier),
      (e: Error) =>
        /Unknown loss 'meanSquareError'/.test(e.message) &&
        /did you mean 'meanSquaredError'/i.test(e.message) &&
        /'sparseCategoricalCrossentropy'/.test(e.message),
    );
    assert.throws(() => getLoss('binary_crossentropi' as LossIdentifier), /did you mean 'binary_?crossentropy'/i);
  });

  it('wraps a plain function, naming it after the function', () => {
    function myLoss(t: Tensor, q: Tensor): Tensor {
      return meanAbsoluteError(t, q);
    }
    const loss = getLoss(myLoss);
    assert.equal(loss.lossName, 'myLoss');
    assert.equal(loss.fromLogits, false);
    assertClose(loss(y, p), [meanAbsoluteError(y, p).item()]);
    assert.equal(getLoss((a: Tensor, b: Tensor) => meanSquaredError(a, b)).lossName.length > 0, true);
    assert.equal(getLoss(myLoss, { fromLogits: true }).fromLogits, true);
  });

  it('treats our own functions like their names, and passes a Loss through', () => {
    const bce = getLoss(binaryCrossentropy, { fromLogits: true });
    assert.equal(bce.lossName, 'binaryCrossentropy');
    assert.equal(bce.fromLogits, true);
    const loss: Loss = getLoss('mae');
    assert.equal(getLoss(loss), loss);
  });

  it('losses are differentiable through getLoss (a scalar, rank 0)', () => {
    const { value, grads } = valueAndGrads((q: Tensor) => getLoss('mse')(y, q))([p]);
    assert.deepEqual([...value.shape], []);
    assertClose(
      grads[0],
      [...p.values].map((v, i) => (2 * (v - y.values[i])) / 6),
      { atol: 1e-7 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Conformance fixtures: every loss fixture in the folder, dispatched on op and params only.

const LOSS_OPS: Record<string, LossIdentifier> = {
  mean_squared_error: 'mean_squared_error',
  mean_absolute_error: 'mean_absolute_error',
  huber: 'huber',
  binary_crossentropy: 'binary_crossentropy',
  categorical_crossentropy: 'categorical_crossentropy',
  sparse_categorical_crossentropy: 'sparse_categorical_crossentropy',
};

const toTensor = (t: FixtureTensor) => tensor(Float32Array.from(t.data), t.shape);

/** null when every value is within tolerance, else a description of the worst miss. */
function mismatch(got: Tensor, want: FixtureTensor, tol: { rtol: number; atol: number }): string | null {
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) return `shape [${got.shape}] vs [${want.shape}]`;
  for (let i = 0; i < want.data.length; i++) {
    const err = Math.abs(got.values[i] - want.data[i]);
    if (!(err <= tol.atol + tol.rtol * Math.abs(want.data[i]))) return `element ${i}: got ${got.values[i]}, want ${want.data[i]}`;
  }
  return null;
}

function runLossFixture(f: Fixture): string {
  const options: LossOptions = {};
  if (f.params.from_logits !== undefined) options.fromLogits = Boolean(f.params.from_logits);
  if (f.params.delta !== undefined) options.delta = Number(f.params.delta);
  if (f.params.label_smoothing !== undefined && Number(f.params.label_smoothing) !== 0) options.labelSmoothing = Number(f.params.label_smoothing);
  if (f.params.reduction !== undefined) assert.equal(f.params.reduction, 'mean', `${f.name}: only reduction 'mean' is implemented`);
  const loss = getLoss(LOSS_OPS[f.op], options);
  const yTrue = toTensor(f.inputs.y_true);
  const yPred = toTensor(f.inputs.y_pred);
  const dy = f.upstream ? toTensor(f.upstream) : scalar(1);
  const { value, grads } = valueAndGrads((t: Tensor, p: Tensor) => loss(t, p))([yTrue, yPred], dy);
  const got = { output: value, grads: { y_true: grads[0], y_pred: grads[1] } as Record<string, Tensor> };
  const check = (output: FixtureTensor, gradsWant: Record<string, FixtureTensor>): string[] => {
    const errors: string[] = [];
    const e = mismatch(got.output, output, f.tolerance);
    if (e) errors.push(`output ${e}`);
    for (const [k, want] of Object.entries(gradsWant)) {
      const g = mismatch(got.grads[k], want, f.tolerance);
      if (g) errors.push(`grad ${k} ${g}`);
    }
    return errors;
  };
  const primary = check(f.output, f.grads);
  if (primary.length === 0) return 'primary';
  if (f.alt && (f.alt.output || f.alt.grads)) {
    const alt = check(f.alt.output ?? f.output, { ...f.grads, ...(f.alt.grads ?? {}) });
    if (alt.length === 0) return 'alt';
    assert.fail(`${f.name}: primary: ${primary.join('; ')} | alt: ${alt.join('; ')}`);
  }
  assert.fail(`${f.name}: ${primary.join('; ')}`);
}

describe('losses: conformance fixtures', () => {
  const fixtures = conformanceFixtures().filter(({ fixture }) => fixture.op in LOSS_OPS);
  it('has loss fixtures', () => assert.ok(fixtures.length > 0));
  for (const { file, fixture } of fixtures) {
    it(file, (t) => {
      const which = runLossFixture(fixture);
      t.diagnostic(`${fixture.name}: ${which} values matched`);
    });
  }
});
