import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getLoss } from '../../src/nn/losses.js';
import {
  binaryAccuracy,
  categoricalAccuracy,
  getMetric,
  meanAbsoluteError,
  meanSquaredError,
  sparseCategoricalAccuracy,
  type MetricIdentifier,
} from '../../src/nn/metrics.js';
import { tensor } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { assertClose } from '../helpers.js';

const value = (t: Tensor) => {
  assert.deepEqual([...t.shape], [], 'a rank-0 tensor');
  return t.item();
};

describe('metric functions', () => {
  it('binaryAccuracy: threshold 0.5 by default, strict >', () => {
    const yTrue = tensor([[1], [0], [1], [0]]);
    assert.equal(value(binaryAccuracy(yTrue, tensor([[0.7], [0.6], [0.5], [0.1]]))), 0.5);
    assert.equal(value(binaryAccuracy(yTrue, tensor([[0.7], [0.6], [0.5], [0.1]]), 0.65)), 0.75);
    // several outputs per sample: the mean over every entry
    assert.equal(
      value(
        binaryAccuracy(
          tensor([
            [1, 0],
            [1, 1],
          ]),
          tensor([
            [0.9, 0.8],
            [0.2, 0.7],
          ]),
        ),
      ),
      0.5,
    );
  });

  it('binaryAccuracy accepts [N] labels for [N, 1] predictions', () => {
    assertClose(binaryAccuracy(tensor([1, 0, 1]), tensor([[0.9], [0.1], [0.2]])), [2 / 3], { shape: [] });
    assert.throws(() => binaryAccuracy(tensor([1, 0, 1]), tensor([[0.9], [0.1]])), /\[3\].*\[2, 1\]/);
  });

  it('categoricalAccuracy compares argmax of labels and predictions', () => {
    const yTrue = tensor([
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const yPred = tensor([
      [0.1, 0.8, 0.1],
      [0.3, 0.6, 0.1],
      [0.2, 0.2, 0.6],
    ]);
    assertClose(categoricalAccuracy(yTrue, yPred), [2 / 3]);
    assert.throws(() => categoricalAccuracy(tensor([1, 0, 2]), yPred), /sparseCategoricalAccuracy/);
  });

  it('sparseCategoricalAccuracy takes class ids of shape [N] or [N, 1]', () => {
    const yPred = tensor([
      [0.1, 0.8, 0.1],
      [0.3, 0.6, 0.1],
      [0.2, 0.2, 0.6],
    ]);
    assertClose(sparseCategoricalAccuracy(tensor([1, 0, 2]), yPred), [2 / 3]);
    assertClose(sparseCategoricalAccuracy(tensor([[1], [1], [2]]), yPred), [1]);
    assert.throws(() => sparseCategoricalAccuracy(tensor([[0, 1, 0]]), yPred), /\[3\] or \[3, 1\]/);
  });

  it('meanSquaredError and meanAbsoluteError', () => {
    const yTrue = tensor([
      [0, 1],
      [2, 3],
    ]);
    const yPred = tensor([
      [1, 1],
      [2, 5],
    ]);
    assertClose(meanSquaredError(yTrue, yPred), [(1 + 0 + 0 + 4) / 4]);
    assertClose(meanAbsoluteError(yTrue, yPred), [(1 + 0 + 0 + 2) / 4]);
  });

  it('record nothing on the tape, even for predictions that require gradients', () => {
    const yPred = tensor([[0.3, 0.7]]).requireGrad();
    for (const m of [meanSquaredError(tensor([[0, 1]]), yPred), binaryAccuracy(tensor([[0, 1]]), yPred), categoricalAccuracy(tensor([[0, 1]]), yPred)]) {
      assert.equal(m.requiresGrad, false);
      assert.equal(m.gradFn, null);
    }
  });
});

describe('getMetric', () => {
  const logitsLoss = getLoss('binaryCrossentropy', { fromLogits: true });

  it("resolves 'accuracy' from the loss, as Keras does", () => {
    const binary = getMetric('accuracy', getLoss('binaryCrossentropy'), 1);
    assert.equal(binary.name, 'accuracy');
    // on probabilities the threshold is 0.5: 0.3 -> 0 (wrong), -0.2 -> 0 (right)
    assert.equal(binary.fn(tensor([[1], [0]]), tensor([[0.3], [-0.2]])).item(), 0.5);
    // on logits the threshold is 0: 0.3 -> 1 (right), -0.2 -> 0 (right)
    assert.equal(
      getMetric('acc', logitsLoss, 1)
        .fn(tensor([[1], [0]]), tensor([[0.3], [-0.2]]))
        .item(),
      1,
    );
    assert.equal(getMetric('acc', logitsLoss, 1).name, 'acc');

    const probs = tensor([
      [0.2, 0.5, 0.3],
      [0.6, 0.3, 0.1],
    ]);
    const cat = getMetric('accuracy', getLoss('categoricalCrossentropy'), 3);
    assert.equal(
      cat
        .fn(
          tensor([
            [0, 1, 0],
            [0, 0, 1],
          ]),
          probs,
        )
        .item(),
      0.5,
    );
    const sparse = getMetric('accuracy', getLoss('sparse_categorical_crossentropy'), 3);
    assert.equal(sparse.fn(tensor([1, 0]), probs).item(), 1);
  });

  it("for other losses 'accuracy' is binary for one output unit, categorical for several", () => {
    const mse = getLoss('mse');
    assert.equal(
      getMetric('accuracy', mse, 1)
        .fn(tensor([[1], [0]]), tensor([[0.9], [0.7]]))
        .item(),
      0.5,
    );
    assert.equal(
      getMetric('accuracy', mse, 2)
        .fn(
          tensor([
            [1, 0],
            [0, 1],
          ]),
          tensor([
            [0.9, 0.1],
            [0.7, 0.3],
          ]),
        )
        .item(),
      0.5,
    );
    // unknown units: read them from the predictions
    assert.equal(
      getMetric('accuracy', mse)
        .fn(tensor([[1], [0]]), tensor([[0.9], [0.7]]))
        .item(),
      0.5,
    );
    assert.equal(
      getMetric('accuracy', mse)
        .fn(
          tensor([
            [1, 0],
            [0, 1],
          ]),
          tensor([
            [0.9, 0.1],
            [0.7, 0.3],
          ]),
        )
        .item(),
      0.5,
    );
    // class-id labels with several units (Keras spots these too)
    assert.equal(
      getMetric('accuracy', mse, 2)
        .fn(
          tensor([0, 0]),
          tensor([
            [0.9, 0.1],
            [0.7, 0.3],
          ]),
        )
        .item(),
      1,
    );
  });

  it('named metrics keep the name the user wrote', () => {
    const loss = getLoss('mse');
    const yTrue = tensor([
      [0, 1],
      [2, 3],
    ]);
    const yPred = tensor([
      [1, 1],
      [2, 5],
    ]);
    const cases: [MetricIdentifier, number][] = [
      ['mse', 1.25],
      ['meanSquaredError', 1.25],
      ['mean_squared_error', 1.25],
      ['mae', 0.75],
      ['meanAbsoluteError', 0.75],
      ['mean_absolute_error', 0.75],
    ];
    for (const [id, want] of cases) {
      const m = getMetric(id, loss);
      assert.equal(m.name, id);
      assertClose(m.fn(yTrue, yPred), [want]);
    }
    assert.equal(
      getMetric('binaryAccuracy', loss)
        .fn(tensor([[1]]), tensor([[0.6]]))
        .item(),
      1,
    );
    assert.equal(getMetric('categoricalAccuracy', loss).name, 'categoricalAccuracy');
    assert.equal(
      getMetric('sparseCategoricalAccuracy', loss)
        .fn(tensor([1]), tensor([[0.4, 0.6]]))
        .item(),
      1,
    );
  });

  it('custom metric functions are named after the function', () => {
    function meanPrediction(_yTrue: Tensor, yPred: Tensor): Tensor {
      return yPred.mean();
    }
    const m = getMetric(meanPrediction, getLoss('mse'));
    assert.equal(m.name, 'meanPrediction');
    assert.equal(m.fn, meanPrediction);
  });

  it('unknown names suggest the closest', () => {
    assert.throws(() => getMetric('acuracy' as MetricIdentifier, getLoss('mse')), /Unknown metric 'acuracy'.*did you mean 'accuracy'/);
  });
});
