import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { grad, layers, logSoftmax, losses, mul, optimizers, sequential, setSeed, softmax, sum, tensor, type Tensor } from '../../src/index.js';

const allFinite = (t: Tensor) => t.values.every(Number.isFinite);
const LOGITS = [
  [1e4, 0, -1e4],
  [-1e4, -1e4, -1e4],
  [1e4, 1e4, -1e4],
  [0, -1e4, 1e4],
];

describe('stability: softmax and cross-entropy with logits of magnitude 1e4', () => {
  const x = tensor(LOGITS);

  test('softmax and logSoftmax are finite, with finite gradients', () => {
    const s = softmax(x);
    assert.ok(allFinite(s));
    assert.ok(allFinite(sum(s, -1)));
    const ls = logSoftmax(x);
    assert.ok(allFinite(ls), `logSoftmax ${[...ls.values]}`);
    assert.equal(ls.values[2], -2e4);
    const w = tensor([
      [0.1, 0.2, 0.7],
      [1, 0, 0],
      [0, 1, 0],
      [0.3, 0.3, 0.4],
    ]);
    assert.ok(allFinite(grad((t) => sum(mul(softmax(t), w)))(x)));
    assert.ok(allFinite(grad((t) => sum(mul(logSoftmax(t), w)))(x)));
  });

  test('categoricalCrossentropy fromLogits is finite with finite gradients and the right value', () => {
    const y = tensor([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const loss = losses.categoricalCrossentropy(y, x, { fromLogits: true });
    assert.ok(allFinite(loss));
    // Per row: 2e4, log 3, log 2, 0.
    const expected = (2e4 + Math.log(3) + Math.log(2) + 0) / 4;
    assert.ok(Math.abs(loss.values[0] - expected) <= 1e-2, `loss ${loss.values[0]} vs ${expected}`);
    const g = grad((t) => losses.categoricalCrossentropy(y, t, { fromLogits: true }))(x);
    assert.ok(allFinite(g), `gradient ${[...g.values]}`);
    for (const v of g.values) assert.ok(Math.abs(v) <= 1 / 4 + 1e-6);
  });

  test('sparseCategoricalCrossentropy fromLogits is finite with finite gradients', () => {
    const labels = tensor([2, 0, 1, 2]);
    const loss = losses.sparseCategoricalCrossentropy(labels, x, { fromLogits: true });
    assert.ok(allFinite(loss));
    const dense = losses.categoricalCrossentropy(
      tensor([
        [0, 0, 1],
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ]),
      x,
      { fromLogits: true },
    );
    assert.ok(Math.abs(loss.values[0] - dense.values[0]) <= 1e-3);
    const g = grad((t) => losses.sparseCategoricalCrossentropy(labels, t, { fromLogits: true }))(x);
    assert.ok(allFinite(g), `gradient ${[...g.values]}`);
  });
});

describe('stability: binaryCrossentropy fromLogits', () => {
  for (const m of [100, 1e4]) {
    test(`logits of ±${m} give finite losses with the correct limits and gradients`, () => {
      // Confidently right -> 0, confidently wrong -> |logit|.
      const cases: [number, number, number][] = [
        [1, m, 0],
        [0, -m, 0],
        [1, -m, m],
        [0, m, m],
      ];
      for (const [z, logit, want] of cases) {
        const yTrue = tensor([[z]]);
        const yPred = tensor([[logit]]);
        const loss = losses.binaryCrossentropy(yTrue, yPred, { fromLogits: true });
        assert.ok(allFinite(loss), `loss(${z}, ${logit}) = ${loss.values[0]}`);
        assert.ok(Math.abs(loss.values[0] - want) <= 1e-6 * Math.max(1, want), `loss(${z}, ${logit}) = ${loss.values[0]}, expected ${want}`);
        const g = grad((t) => losses.binaryCrossentropy(yTrue, t, { fromLogits: true }))(yPred);
        // d/dx = sigmoid(x) - z: about 0 when right, ±1 when wrong.
        const wantGrad = want === 0 ? 0 : logit > 0 ? 1 : -1;
        assert.ok(allFinite(g), `gradient at (${z}, ${logit}) = ${g.values[0]}`);
        assert.ok(Math.abs(g.values[0] - wantGrad) <= 1e-6, `gradient at (${z}, ${logit}) = ${g.values[0]}, expected ${wantGrad}`);
      }
    });
  }
});

describe('stability: a diverging training run', () => {
  test('fit with learning rate 1e3 rejects naming the epoch and batch', async () => {
    setSeed(7);
    const model = sequential([layers.dense({ units: 1, inputShape: [2] })]);
    model.compile({ optimizer: optimizers.sgd({ learningRate: 1e3 }), loss: 'meanSquaredError' });
    const n = 32;
    const xs = Array.from({ length: n }, (_, i) => [Math.sin(i) * 3, Math.cos(i) * 3]);
    const x = tensor(xs);
    const y = tensor(xs.map(([a, b]) => [2 * a - b + 1]));
    await assert.rejects(model.fit(x, y, { epochs: 50, batchSize: 4, verbose: 0 }), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /epoch \d+, batch \d+/);
      return true;
    });
  });
});
