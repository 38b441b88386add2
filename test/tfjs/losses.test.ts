// tf.losses against real TensorFlow.js: every loss, with no weights, per-element weights (some zero), weights that
// broadcast, and each reduction, gives TF.js' value and shape on the same inputs, and the same gradient with
// respect to the predictions (the losses train models).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tfjs from '@tensorflow/tfjs';
import { tensor } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { grad } from '../../src/tfjs/gradients.js';
import * as losses from '../../src/tfjs/losses.js';
import { assertClose } from '../helpers.js';

before(async () => {
  await tfjs.setBackend('cpu');
});

function same(actual: Tensor, expected: tfjs.Tensor, what: string, tol = 1e-5): void {
  assert.deepEqual([...actual.shape], expected.shape, `${what}: shape`);
  assertClose(actual.values, expected.dataSync() as Float32Array, { rtol: tol, atol: 1e-6 });
}

const LABELS = [
  [1, 0, 1],
  [0, 0, 1],
];
// probabilities for logLoss; also used as regression predictions and as logits
const PREDICTIONS = [
  [0.9, 0.2, 0.4],
  [0.3, 0.05, 0.7],
];
const REGRESSION = [
  [1.5, -2, 0.3],
  [0.2, 0.9, -1.4],
];
const LOGITS = [
  [2.5, -1, 0.3],
  [0, 1.2, -3],
];

/** No weights, per-element weights with a zero, and weights that broadcast along the last axis. */
const WEIGHTS: [string, number[][] | number[] | null][] = [
  ['no weights', null],
  [
    'per-element weights',
    [
      [1, 0, 2],
      [0.5, 1, 0],
    ],
  ],
  ['broadcast weights', [[2], [0]]],
];

const REDUCTIONS = [losses.Reduction.NONE, losses.Reduction.MEAN, losses.Reduction.SUM, losses.Reduction.SUM_BY_NONZERO_WEIGHTS];

type Lib = typeof losses | typeof tfjs.losses;

/** A loss call written once for both libraries: labels, predictions, weights, reduction. */
type Call = (lib: Lib, l: never, p: never, w: never, r: never) => unknown;

const CASES: [string, Call, number[][]][] = [
  ['absoluteDifference', (lib, l, p, w, r) => lib.absoluteDifference(l, p, w, r), REGRESSION],
  ['meanSquaredError', (lib, l, p, w, r) => lib.meanSquaredError(l, p, w, r), REGRESSION],
  ['hingeLoss', (lib, l, p, w, r) => lib.hingeLoss(l, p, w, r), REGRESSION],
  ['huberLoss', (lib, l, p, w, r) => lib.huberLoss(l, p, w, undefined, r), REGRESSION],
  ['huberLoss delta 0.5', (lib, l, p, w, r) => lib.huberLoss(l, p, w, 0.5, r), REGRESSION],
  ['logLoss', (lib, l, p, w, r) => lib.logLoss(l, p, w, undefined, r), PREDICTIONS],
  ['logLoss epsilon 0.01', (lib, l, p, w, r) => lib.logLoss(l, p, w, 0.01, r), PREDICTIONS],
  ['cosineDistance axis 1', (lib, l, p, w, r) => lib.cosineDistance(l, p, 1, w, r), REGRESSION],
  ['sigmoidCrossEntropy', (lib, l, p, w, r) => lib.sigmoidCrossEntropy(l, p, w, undefined, r), LOGITS],
  ['sigmoidCrossEntropy smoothing 0.2', (lib, l, p, w, r) => lib.sigmoidCrossEntropy(l, p, w, 0.2, r), LOGITS],
  ['softmaxCrossEntropy', (lib, l, p, w, r) => lib.softmaxCrossEntropy(l, p, w, undefined, r), LOGITS],
  ['softmaxCrossEntropy smoothing 0.1', (lib, l, p, w, r) => lib.softmaxCrossEntropy(l, p, w, 0.1, r), LOGITS],
];

/** softmaxCrossEntropy has one loss per sample: its weights are per sample (or one). */
function weightsFor(name: string, w: number[][] | number[] | null): number[][] | number[] | null {
  if (w === null || !name.startsWith('softmax')) return w;
  return name.includes('smoothing') ? [0.5, 2] : [1, 0];
}

describe('tf.losses against TF.js', () => {
  for (const [name, call, predictions] of CASES) {
    it(`${name}: values and shapes for every reduction and weighting, and the gradient of the default one`, () => {
      // one-hot labels for the softmax crossentropy
      const labels = name.startsWith('softmax')
        ? [
            [1, 0, 0],
            [0, 0, 1],
          ]
        : LABELS;
      for (const [how, w0] of WEIGHTS) {
        const w = weightsFor(name, w0);
        const ourW = w === null ? null : tensor(w);
        const theirW = w === null ? null : tfjs.tensor(w);
        for (const r of REDUCTIONS) {
          const theirs = call(tfjs.losses, tfjs.tensor(labels) as never, tfjs.tensor(predictions) as never, theirW as never, r as never) as tfjs.Tensor;
          const mine = call(losses, tensor(labels) as never, tensor(predictions) as never, ourW as never, r as never) as Tensor;
          same(mine, theirs, `${name}, ${how}, reduction ${losses.Reduction[r]}`);
        }
        // d loss / d predictions, with the default reduction
        const theirGrad = tfjs.grad(
          (p: tfjs.Tensor) => call(tfjs.losses, tfjs.tensor(labels) as never, p as never, theirW as never, 3 as never) as tfjs.Tensor,
        )(tfjs.tensor(predictions));
        const ourGrad = grad((p: Tensor) => call(losses, tensor(labels) as never, p as never, ourW as never, 3 as never) as Tensor)(tensor(predictions));
        same(ourGrad, theirGrad, `${name}, ${how}: gradient`);
      }
    });
  }

  it('computeWeightedLoss alone, with TF.js default reduction, scalar weights and weights of zero only', () => {
    const l = [
      [1, 2],
      [3, 4],
    ];
    for (const w of [
      undefined,
      2,
      [0, 1],
      [[0], [3]],
      [
        [0, 0],
        [0, 0],
      ],
    ]) {
      for (const r of [undefined, ...REDUCTIONS]) {
        const theirs = tfjs.losses.computeWeightedLoss(tfjs.tensor(l), w === undefined ? undefined : tfjs.tensor(w), r);
        const mine = losses.computeWeightedLoss(tensor(l), w === undefined ? undefined : tensor(w as number[]), r);
        // all-zero weights: 0 / 0 = NaN in both
        if (Number.isNaN(theirs.dataSync()[0])) assert.ok(Number.isNaN(mine.values[0]), `weights ${JSON.stringify(w)}: NaN`);
        else same(mine, theirs, `weights ${JSON.stringify(w)}, reduction ${r}`);
      }
    }
  });

  it('numbers and arrays are taken where TF.js takes them', () => {
    same(losses.meanSquaredError([1, 2, 3], [2, 2, 5]), tfjs.losses.meanSquaredError([1, 2, 3], [2, 2, 5]), 'arrays');
    same(losses.absoluteDifference(2, 5, 3), tfjs.losses.absoluteDifference(2, 5, 3), 'numbers');
  });

  it('shapes that differ throw, as in TF.js; Reduction has TF.js numbering', () => {
    assert.throws(() => tfjs.losses.meanSquaredError(tfjs.tensor1d([1, 2]), tfjs.tensor1d([1, 2, 3])));
    assert.throws(() => losses.meanSquaredError(tensor([1, 2]), tensor([1, 2, 3])), /Error in meanSquaredError: Shapes \[2\] and \[3\] must match/);
    assert.throws(() => losses.softmaxCrossEntropy(tensor([[1, 0]]), tensor([[1, 0, 0]])), /Error in softmaxCrossEntropy/);
    assert.deepEqual(
      [losses.Reduction.NONE, losses.Reduction.MEAN, losses.Reduction.SUM, losses.Reduction.SUM_BY_NONZERO_WEIGHTS],
      [tfjs.Reduction.NONE, tfjs.Reduction.MEAN, tfjs.Reduction.SUM, tfjs.Reduction.SUM_BY_NONZERO_WEIGHTS],
    );
    assert.throws(() => losses.computeWeightedLoss(tensor([1]), null, 7 as losses.Reduction), /Unknown reduction: 7/);
  });

  it('sigmoidCrossEntropy at a logit of exactly 0: the gradient is sigmoid(0) - label, as in TF.js', () => {
    const theirs = tfjs.grad((x: tfjs.Tensor) => tfjs.losses.sigmoidCrossEntropy(tfjs.tensor1d([1, 0]), x))(tfjs.tensor1d([0, 0]));
    const mine = grad((x: Tensor) => losses.sigmoidCrossEntropy(tensor([1, 0]), x))(tensor([0, 0]));
    same(mine, theirs, 'gradient at 0');
  });
});
