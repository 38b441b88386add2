import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { layers, losses, metrics, optimizers, regularizers, sequential, setSeed, tensor, Tensor, type Callback, type Sequential } from '../../src/index.js';
import { getMetric } from '../../src/nn/metrics.js';
import { getLoss } from '../../src/nn/losses.js';
import { assertClose } from '../helpers.js';

const silent = { verbose: 0 } as const;

/** y = 2x + 1 on n points in [-1, 1]. */
function line(n: number): { x: Tensor; y: Tensor } {
  const xs = Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1));
  return {
    x: tensor(xs, [n, 1]),
    y: tensor(
      xs.map((v) => 2 * v + 1),
      [n, 1],
    ),
  };
}

/** Two separable blobs in 2-D: label 1 where x0 + x1 > 0. Deterministic (no global RNG). */
function blobs(n: number): { x: Tensor; y: Tensor } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = Math.sin(i * 12.9898) * 0.5;
    const b = Math.cos(i * 78.233) * 0.5;
    const label = i % 2;
    const shift = label === 1 ? 0.8 : -0.8;
    xs.push(a + shift, b + shift);
    ys.push(label);
  }
  return { x: tensor(xs, [n, 2]), y: tensor(ys, [n, 1]) };
}

/** Three classes placed on the corners of a triangle; labels as class ids. */
function threeClasses(n: number): { x: Tensor; ids: Tensor; oneHot: Tensor } {
  const centres = [
    [1, 0],
    [-0.5, 0.87],
    [-0.5, -0.87],
  ];
  const xs: number[] = [];
  const ids: number[] = [];
  const hot: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    xs.push(centres[c][0] + 0.3 * Math.sin(i * 3.1), centres[c][1] + 0.3 * Math.cos(i * 1.7));
    ids.push(c);
    hot.push(...[0, 1, 2].map((k) => (k === c ? 1 : 0)));
  }
  return { x: tensor(xs, [n, 2]), ids: tensor(ids, [n]), oneHot: tensor(hot, [n, 3]) };
}

function regressor(): Sequential {
  const model = sequential([layers.dense({ units: 1, inputShape: [1] })]);
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
  return model;
}

function rows(t: Tensor, from: number, to: number): Tensor {
  const size = t.size / t.shape[0];
  return new Tensor(t.values.slice(from * size, to * size), [to - from, ...t.shape.slice(1)]);
}

describe('compile', () => {
  test('needs an optimizer and a loss', () => {
    const model = sequential([layers.dense({ units: 1, inputShape: [1] })]);
    assert.throws(() => model.compile({ optimizer: 'sgd' } as never), /needs an optimizer and a loss/);
    assert.throws(() => model.compile({ loss: 'mse' } as never), /needs an optimizer and a loss/);
    assert.throws(() => model.compile(undefined as never), /needs an optimizer and a loss/);
  });

  test('an unknown optimizer or loss name suggests the right one', () => {
    const model = sequential([layers.dense({ units: 1, inputShape: [1] })]);
    assert.throws(() => model.compile({ optimizer: 'adamm' as never, loss: 'mse' }), /Unknown optimizer 'adamm' — did you mean 'adam'\?/);
    assert.throws(() => model.compile({ optimizer: 'sdg' as never, loss: 'mse' }), /did you mean 'sgd'\?/);
    assert.throws(
      () => model.compile({ optimizer: 'adam', loss: 'meanSquareError' as never }),
      /Unknown loss 'meanSquareError' — did you mean 'meanSquaredError'\?/,
    );
    assert.throws(() => model.compile({ optimizer: 'adam', loss: 'categoricalCrossEntropy' as never }), /did you mean 'categoricalCrossentropy'\?/);
    assert.throws(
      () => model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['acuracy' as never] }),
      /Unknown metric 'acuracy' — did you mean 'accuracy'\?/,
    );
  });

  test("accepts Keras spellings: 'Adam', 'SGD', snake_case losses", () => {
    const model = sequential([layers.dense({ units: 1, inputShape: [1] })]);
    model.compile({ optimizer: 'Adam' as never, loss: 'mean_squared_error' });
    assert.equal(model.compiled!.loss.lossName, 'meanSquaredError');
    model.compile({ optimizer: 'SGD' as never, loss: 'mse' });
    assert.equal(model.compiled!.optimizer.learningRate, 0.01);
  });

  test("'accuracy' resolves to binary / categorical / sparse accuracy as Keras does", () => {
    const check = (loss: string, units: number, yTrue: Tensor, yPred: Tensor, expected: number) => {
      const model = sequential([layers.dense({ units, inputShape: [2] })]);
      model.compile({ optimizer: 'sgd', loss: loss as never, metrics: ['accuracy'] });
      const [metric] = model.compiled!.metrics;
      assert.equal(metric.name, 'accuracy');
      assert.equal(metric.fn(yTrue, yPred).item(), expected, `${loss} with ${units} units`);
    };
    // binary: threshold 0.5 on one unit
    check('binaryCrossentropy', 1, tensor([[1], [0], [1], [0]]), tensor([[0.7], [0.6], [0.4], [0.1]]), 0.5);
    // categorical: argmax of one-hot labels
    check(
      'categoricalCrossentropy',
      3,
      tensor([
        [0, 1, 0],
        [1, 0, 0],
      ]),
      tensor([
        [0.2, 0.5, 0.3],
        [0.1, 0.8, 0.1],
      ]),
      0.5,
    );
    // sparse: class ids against argmax
    check(
      'sparseCategoricalCrossentropy',
      3,
      tensor([1, 1]),
      tensor([
        [0.2, 0.5, 0.3],
        [0.1, 0.1, 0.8],
      ]),
      0.5,
    );
    // other losses: by the number of output units
    check('meanSquaredError', 1, tensor([[1], [0]]), tensor([[0.9], [0.2]]), 1);
    check(
      'meanSquaredError',
      3,
      tensor([
        [0, 0, 1],
        [1, 0, 0],
      ]),
      tensor([
        [0.1, 0.2, 0.7],
        [0.1, 0.8, 0.1],
      ]),
      0.5,
    );
  });

  test('metrics with the same name get distinct log keys (evaluate would otherwise add them up)', async () => {
    const model = sequential([layers.dense({ units: 1, inputShape: [1] })]);
    const one = (_t: Tensor, p: Tensor) => p.mean().mul(0).add(1);
    const two = (_t: Tensor, p: Tensor) => p.mean().mul(0).add(2);
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [one, two] });
    assert.deepEqual(
      model.compiled!.metrics.map((m) => m.name),
      ['one', 'two'],
    );
    // an inline arrow function has no name of its own; a function called 'loss' would clash with the loss
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [(t, p) => one(t, p), (t, p) => two(t, p), 'accuracy', 'accuracy'] });
    assert.deepEqual(
      model.compiled!.metrics.map((m) => m.name),
      ['metric', 'metric_1', 'accuracy', 'accuracy_1'],
    );
    const x = tensor([[1], [2]]);
    const y = tensor([[1], [0]]);
    const result = model.evaluate(x, y);
    assert.equal(result.metric, 1);
    assert.equal(result.metric_1, 2);
    assert.equal(result.accuracy, result.accuracy_1);
    assert.ok(result.accuracy <= 1);
    const h = await model.fit(x, y, silent);
    assert.deepEqual(Object.keys(h.history), ['loss', 'metric', 'metric_1', 'accuracy', 'accuracy_1']);
    function loss(_t: Tensor, p: Tensor) {
      return p.mean().mul(0);
    }
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [loss] });
    assert.equal(model.compiled!.metrics[0].name, 'loss_1');
  });

  test("'accuracy' with binaryCrossentropy on logits thresholds at 0", () => {
    const metric = getMetric('accuracy', getLoss('binaryCrossentropy', { fromLogits: true }), 1);
    assertClose([metric.fn(tensor([[1], [0], [1]]), tensor([[0.2], [-0.1], [-3]])).item()], [2 / 3]);
  });
});

describe('fit: data checks', () => {
  test('fit and evaluate need compile first', async () => {
    const model = sequential([layers.dense({ units: 1, inputShape: [1] })]);
    await assert.rejects(model.fit(tensor([[1]]), tensor([[1]]), silent), /Call model.compile\(\{ optimizer, loss \}\) before fit\(\)/);
    assert.throws(() => model.evaluate(tensor([[1]]), tensor([[1]])), /before evaluate\(\)/);
  });

  test('one-hot labels [N, 10] for a one-unit output', async () => {
    const model = regressor();
    const y = tensor(
      Array.from({ length: 40 }, (_, i) => (i % 10 === 0 ? 1 : 0)),
      [4, 10],
    );
    await assert.rejects(model.fit(tensor([[0], [1], [2], [3]]), y, silent), (e: Error) => {
      assert.match(e.message, /y has shape \[4, 10\]/);
      assert.match(e.message, /\[null, 1\]/);
      assert.match(e.message, /one-hot with 10 classes but the model has 1 output unit/);
      return true;
    });
  });

  test('image inputs into Dense without Flatten get a Flatten hint', async () => {
    const x = new Tensor(new Float32Array(2 * 28 * 28), [2, 28, 28, 1]);
    for (const [loss, y] of [
      [
        'categoricalCrossentropy',
        tensor([
          [1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
          [0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
        ]),
      ],
      ['sparseCategoricalCrossentropy', tensor([3, 4])],
    ] as const) {
      const model = sequential([layers.dense({ units: 10, activation: 'softmax', inputShape: [28, 28, 1] })]);
      model.compile({ optimizer: 'adam', loss });
      await assert.rejects(model.fit(x, y, silent), /\[null, 28, 28, 10\].*Did you forget a Flatten layer/, loss);
    }
    // with the Flatten layer it trains
    const fixed = sequential([layers.flatten({ inputShape: [28, 28, 1] }), layers.dense({ units: 10, activation: 'softmax' })]);
    fixed.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const h = await fixed.fit(x, tensor([3, 4]), silent);
    assert.equal(h.history.loss.length, 1);
  });

  test('class-index labels with categoricalCrossentropy, one-hot labels with the sparse loss', async () => {
    const { x, ids, oneHot } = threeClasses(6);
    const cat = sequential([layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })]);
    cat.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await assert.rejects(cat.fit(x, ids, silent), /look like class indices/);
    await assert.rejects(cat.fit(x, tensor(ids.values, [6, 1]), silent), /look like class indices/);
    const sparse = sequential([layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })]);
    sparse.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await assert.rejects(sparse.fit(x, oneHot, silent), /look one-hot: use 'categoricalCrossentropy'/);
    // [N] and [N, 1] class ids both work
    await sparse.fit(x, ids, silent);
    await sparse.fit(x, tensor(ids.values, [6, 1]), silent);
  });

  test('labels of shape [N] are accepted for a [N, 1] output, as the losses accept them', async () => {
    const { x, y } = line(8);
    const model = regressor();
    const flat = tensor(y.values, [8]);
    const h = await model.fit(x, flat, { ...silent, epochs: 2 });
    assert.equal(h.history.loss.length, 2);
    assert.equal(model.evaluate(x, flat).loss, model.evaluate(x, y).loss);
  });

  test('a custom loss function chooses its own label layout', async () => {
    const model = sequential([layers.dense({ units: 1, inputShape: [1] })]);
    // labels [N, 2]: a target and a weight per sample, for a one-unit output
    const weightedMse = (yTrue: Tensor, yPred: Tensor): Tensor => {
      const target = yTrue.slice([0, 0], [-1, 1]);
      const weight = yTrue.slice([0, 1], [-1, 1]);
      return yPred.sub(target).square().mul(weight).mean();
    };
    model.compile({ optimizer: 'sgd', loss: weightedMse });
    const h = await model.fit(
      tensor([[0], [1]]),
      tensor([
        [1, 1],
        [3, 0.5],
      ]),
      silent,
    );
    assert.ok(Number.isFinite(h.history.loss[0]));
  });

  test('x / y sample counts, empty data, batchSize, epochs and validationSplit are validated', async () => {
    const model = regressor();
    const { x, y } = line(4);
    await assert.rejects(model.fit(x, tensor([[1], [2], [3]]), silent), /x has 4 samples but y has 3 \(shapes \[4, 1\] and \[3, 1\]\)/);
    await assert.rejects(model.fit(new Tensor(new Float32Array(0), [0, 1]), new Tensor(new Float32Array(0), [0, 1]), silent), /the data set is empty/);
    await assert.rejects(model.fit(x, y, { ...silent, batchSize: 0 }), /batchSize must be a positive integer, got 0/);
    await assert.rejects(model.fit(x, y, { ...silent, batchSize: 2.5 }), /batchSize must be a positive integer, got 2.5/);
    await assert.rejects(model.fit(x, y, { ...silent, epochs: -1 }), /epochs must be a non-negative integer, got -1/);
    await assert.rejects(model.fit(x, y, { ...silent, validationSplit: 1.5 }), /validationSplit must be between 0 and 1, got 1.5/);
    await assert.rejects(model.fit(x, y, { ...silent, validationSplit: 0.9 }), /validationSplit 0.9 of 4 samples leaves 0 for training and 4 for validation/);
    await assert.rejects(model.fit(tensor(1), y, silent), /need a first \(batch\) axis/);
    await assert.rejects(
      model.fit(
        tensor([
          [1, 2],
          [3, 4],
          [5, 6],
          [7, 8],
        ]),
        y,
        silent,
      ),
      /fit\(\): model '.*' expects x of shape \[null, 1\] but x has shape \[4, 2\]/,
    );
    assert.throws(() => model.evaluate(x, tensor([[1]])), /evaluate\(\): x has 4 samples but y has 1/);
    assert.throws(() => model.evaluate(x, y, { batchSize: 0 }), /evaluate\(\): batchSize must be a positive integer/);
  });

  test('bad validationData fails before any training happens', async () => {
    const model = regressor();
    const { x, y } = line(8);
    let epochs = 0;
    const counter: Callback = { onEpochEnd: () => void epochs++ };
    await assert.rejects(
      model.fit(x, y, { ...silent, validationData: [tensor([[1, 2]]), tensor([[1]])], callbacks: [counter] }),
      /validationData.*expects x of shape \[null, 1\]/,
    );
    await assert.rejects(
      model.fit(x, y, { ...silent, validationData: [tensor([[1]]), tensor([[1, 2]])], callbacks: [counter] }),
      /validationData.*y has shape \[1, 2\]/,
    );
    assert.equal(epochs, 0);
  });
});

describe('fit: training', () => {
  test('loss decreases on a regression y = 2x + 1 and the weights approach 2 and 1', async () => {
    setSeed(10);
    const { x, y } = line(32);
    const model = regressor();
    const h = await model.fit(x, y, { ...silent, epochs: 60, batchSize: 8 });
    const loss = h.history.loss;
    assert.equal(loss.length, 60);
    assert.ok(loss[59] < loss[0] / 100, `loss ${loss[0]} -> ${loss[59]}`);
    assert.ok(loss[59] < 1e-3);
    const [kernel, bias] = model.getWeights();
    assertClose(kernel, [2], { atol: 0.02 });
    assertClose(bias, [1], { atol: 0.02 });
    assert.deepEqual(
      h.epoch,
      Array.from({ length: 60 }, (_, i) => i),
    );
  });

  test('loss decreases and accuracy rises on binary classification; History has every key per epoch', async () => {
    setSeed(11);
    const { x, y } = blobs(60);
    const model = sequential([layers.dense({ units: 4, activation: 'tanh', inputShape: [2] }), layers.dense({ units: 1, activation: 'sigmoid' })]);
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const h = await model.fit(x, y, { ...silent, epochs: 15, batchSize: 10, validationSplit: 0.25 });
    assert.deepEqual(Object.keys(h.history).sort(), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    for (const values of Object.values(h.history)) assert.equal(values.length, 15);
    assert.ok(h.history.loss[14] < h.history.loss[0] * 0.5, `loss ${h.history.loss[0]} -> ${h.history.loss[14]}`);
    assert.ok(h.history.accuracy[14] >= 0.95, `accuracy ${h.history.accuracy[14]}`);
    assert.ok(h.history.val_accuracy[14] >= 0.9);
    for (const a of h.history.accuracy) assert.ok(a >= 0 && a <= 1);
  });

  test('multi-class with categorical and sparse crossentropy both learn', async () => {
    const { x, ids, oneHot } = threeClasses(30);
    for (const [loss, y] of [
      ['categoricalCrossentropy', oneHot],
      ['sparseCategoricalCrossentropy', ids],
    ] as const) {
      setSeed(12);
      const model = sequential([layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })]);
      model.compile({ optimizer: optimizers.adam({ learningRate: 0.1 }), loss, metrics: ['accuracy'] });
      const h = await model.fit(x, y, { ...silent, epochs: 20, batchSize: 10 });
      assert.ok(h.history.loss[19] < h.history.loss[0], loss);
      assert.equal(h.history.accuracy[19], 1, loss);
    }
  });

  test('validationSplit holds out the LAST fraction, before shuffling (Keras)', async () => {
    // y holds the row index; a metric records the labels it is shown, a callback sorts them into
    // training batches (before onBatchEnd) and validation (after the last batch of the epoch)
    const trainRows = new Set<number>();
    const valRows = new Set<number>();
    let pending: number[] = [];
    function seen(yTrue: Tensor, yPred: Tensor): Tensor {
      pending.push(...yTrue.values);
      return yPred.mean().mul(0);
    }
    const sorter: Callback = {
      onBatchEnd: () => {
        pending.forEach((r) => {
          trainRows.add(r);
        });
        pending = [];
      },
      onEpochEnd: () => {
        pending.forEach((r) => {
          valRows.add(r);
        });
        pending = [];
      },
    };
    const n = 10;
    const x = tensor(
      Array.from({ length: n }, (_, i) => i / n),
      [n, 1],
    );
    const y = tensor(
      Array.from({ length: n }, (_, i) => i),
      [n, 1],
    );
    const model = regressor();
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0.001 }), loss: 'mse', metrics: [seen] });
    const h = await model.fit(x, y, { ...silent, epochs: 3, batchSize: 3, validationSplit: 0.2, callbacks: [sorter] });
    assert.deepEqual(
      [...trainRows].sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
    assert.deepEqual(
      [...valRows].sort((a, b) => a - b),
      [8, 9],
    );
    // the reported val_loss is the loss on those rows with the final weights
    assertClose([h.history.val_loss[2]], [model.evaluate(rows(x, 8, 10), rows(y, 8, 10)).loss], { rtol: 1e-6 });

    // Keras rounds the training part down: 10 samples at 0.25 hold out 3 (split at floor(10 * 0.75) = 7)
    trainRows.clear();
    valRows.clear();
    pending = []; // evaluate() above ran the metric too
    await model.fit(x, y, { ...silent, epochs: 1, batchSize: 4, validationSplit: 0.25, callbacks: [sorter] });
    assert.deepEqual(
      [...trainRows].sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5, 6],
    );
    assert.deepEqual(
      [...valRows].sort((a, b) => a - b),
      [7, 8, 9],
    );
  });

  test('validationData is evaluated after each epoch with the weights at that point', async () => {
    setSeed(13);
    const { x, y } = line(16);
    const xVal = tensor([[0.25], [0.5], [-0.75]]);
    const yVal = tensor([[1.5], [2], [-0.5]]);
    const model = regressor();
    const h = await model.fit(x, y, { ...silent, epochs: 3, batchSize: 4, validationData: [xVal, yVal], validationSplit: 0.5 });
    assert.equal(h.history.val_loss.length, 3);
    assertClose([h.history.val_loss[2]], [model.evaluate(xVal, yVal).loss], { rtol: 1e-6 });
    // validationData wins over validationSplit: all 16 samples were used for training (4 batches of 4)
  });

  test('shuffle: false visits the samples in order and is deterministic whatever the seed', async () => {
    const order: number[] = [];
    function seen(yTrue: Tensor, yPred: Tensor): Tensor {
      order.push(...yTrue.values);
      return yPred.mean().mul(0);
    }
    const n = 7;
    const x = tensor(
      Array.from({ length: n }, (_, i) => i / n),
      [n, 1],
    );
    const y = tensor(
      Array.from({ length: n }, (_, i) => i),
      [n, 1],
    );
    setSeed(1);
    const a = regressor();
    const b = regressor();
    b.setWeights(a.getWeights());
    a.compile({ optimizer: optimizers.sgd({ learningRate: 0.01 }), loss: 'mse', metrics: [seen] });
    b.compile({ optimizer: optimizers.sgd({ learningRate: 0.01 }), loss: 'mse' });
    setSeed(100);
    await a.fit(x, y, { ...silent, epochs: 2, batchSize: 3, shuffle: false });
    setSeed(200);
    await b.fit(x, y, { ...silent, epochs: 2, batchSize: 3, shuffle: false });
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(
      a.getWeights().map((w) => [...w.values]),
      b.getWeights().map((w) => [...w.values]),
    );
  });

  test('setSeed before building and fitting gives bit-identical weights (shuffling and dropout included)', async () => {
    const { x, y } = blobs(40);
    const run = async () => {
      setSeed(42);
      const model = sequential([
        layers.dense({ units: 8, activation: 'relu', inputShape: [2] }),
        layers.dropout({ rate: 0.3 }),
        layers.dense({ units: 1, activation: 'sigmoid' }),
      ]);
      model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
      const h = await model.fit(x, y, { ...silent, epochs: 3, batchSize: 8 });
      return { weights: model.getWeights().map((w) => [...w.values]), loss: h.history.loss };
    };
    const first = await run();
    const second = await run();
    assert.deepEqual(second.weights, first.weights);
    assert.deepEqual(second.loss, first.loss);
    setSeed(43);
    const model = sequential([layers.dense({ units: 8, activation: 'relu', inputShape: [2] })]);
    assert.notDeepEqual([...model.getWeights()[0].values], first.weights[0].slice(0, 16));
  });

  test('a batchSize larger than the data set gives one batch per epoch', async () => {
    const { x, y } = line(5);
    const sizes: number[] = [];
    const h = await regressor().fit(x, y, { ...silent, epochs: 2, batchSize: 1000, callbacks: { onBatchEnd: (_b, logs) => void sizes.push(logs.size) } });
    assert.deepEqual(sizes, [5, 5]);
    assert.equal(h.history.loss.length, 2);
  });

  test('epochs: 0 trains nothing; initialEpoch continues the count', async () => {
    const { x, y } = line(4);
    const model = regressor();
    const before = model.getWeights().map((w) => [...w.values]);
    const none = await model.fit(x, y, { ...silent, epochs: 0 });
    assert.deepEqual(none.epoch, []);
    assert.deepEqual(
      model.getWeights().map((w) => [...w.values]),
      before,
    );
    const resumed = await model.fit(x, y, { ...silent, epochs: 5, initialEpoch: 3 });
    assert.deepEqual(resumed.epoch, [3, 4]);
  });

  test('a diverging learning rate makes fit reject, naming the epoch and batch', async () => {
    setSeed(14);
    const { x, y } = line(8);
    const model = sequential([layers.dense({ units: 1, inputShape: [1] })]);
    model.compile({ optimizer: optimizers.sgd({ learningRate: 1e6 }), loss: 'mse' });
    await assert.rejects(
      model.fit(x, y, { ...silent, epochs: 50, batchSize: 2 }),
      /loss became (NaN|Infinity|-Infinity) at epoch \d+, batch \d+ \(of 4\).*learning rate may be too high/,
    );
  });

  test('NaN in the data makes fit refuse it, naming the row; unchecked, fit rejects at the batch that holds it', async () => {
    const xs = Array.from({ length: 10 }, (_, i) => i / 10);
    xs[5] = NaN;
    const model = regressor();
    await assert.rejects(
      model.fit(
        tensor(xs, [10, 1]),
        tensor(
          xs.map(() => 1),
          [10, 1],
        ),
        { ...silent, batchSize: 4, shuffle: false },
      ),
      /^Error: fit\(\): x has NaN in row 5 \(element \[0\] of that row\)/,
    );
    await assert.rejects(
      model.fit(
        tensor(xs, [10, 1]),
        tensor(
          xs.map(() => 1),
          [10, 1],
        ),
        { ...silent, batchSize: 4, shuffle: false, checkInputs: false },
      ),
      /loss became NaN at epoch 1, batch 2 \(of 3\)/,
    );
  });

  test('regularizers add their penalty to the reported loss (fit and evaluate)', async () => {
    setSeed(15);
    const { x, y } = line(6);
    const plain = sequential([layers.dense({ units: 3, inputShape: [1] }), layers.dense({ units: 1 })]);
    const reg = sequential([layers.dense({ units: 3, inputShape: [1], kernelRegularizer: regularizers.l2({ l2: 0.5 }) }), layers.dense({ units: 1 })]);
    reg.setWeights(plain.getWeights());
    for (const m of [plain, reg]) m.compile({ optimizer: optimizers.sgd({ learningRate: 0.01 }), loss: 'mse' });
    const kernel = plain.getWeights()[0].values;
    const penalty = 0.5 * kernel.reduce((s, v) => s + v * v, 0);
    const lossPlain = plain.evaluate(x, y).loss;
    const lossReg = reg.evaluate(x, y).loss;
    assertClose([lossReg], [lossPlain + penalty], { rtol: 1e-5 });
    // one batch per epoch: the first reported loss is the loss before the first update
    const hPlain = await plain.fit(x, y, { ...silent, batchSize: 6 });
    const hReg = await reg.fit(x, y, { ...silent, batchSize: 6 });
    assertClose([hPlain.history.loss[0]], [lossPlain], { rtol: 1e-5 });
    assertClose([hReg.history.loss[0]], [lossPlain + penalty], { rtol: 1e-5 });
  });

  test('fit leaves the compiled optimizer in place across calls (Adam keeps its step count)', async () => {
    const { x, y } = line(4);
    const model = sequential([layers.dense({ units: 1, inputShape: [1] })]);
    const opt = optimizers.adam({ learningRate: 0.01 });
    model.compile({ optimizer: opt, loss: 'mse' });
    assert.equal(model.compiled!.optimizer, opt);
    await model.fit(x, y, { ...silent, epochs: 2, batchSize: 2 });
    assert.equal(model.compiled!.optimizer, opt);
  });
});

describe('evaluate', () => {
  test('returns { loss, metric } equal to the loss and metric computed on predict, whatever the batch size', () => {
    setSeed(16);
    const { x, ids, oneHot } = threeClasses(20);
    const model = sequential([layers.dense({ units: 5, activation: 'tanh', inputShape: [2] }), layers.dense({ units: 3, activation: 'softmax' })]);
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const probs = model.predict(x);
    const loss = losses.categoricalCrossentropy(oneHot, probs).item();
    let correct = 0;
    for (let i = 0; i < 20; i++) {
      const row = [...probs.values.slice(i * 3, i * 3 + 3)];
      if (row.indexOf(Math.max(...row)) === ids.values[i]) correct++;
    }
    for (const batchSize of [1, 5, 7, 20, 32]) {
      const result = model.evaluate(x, oneHot, { batchSize });
      assert.deepEqual(Object.keys(result), ['loss', 'accuracy']);
      assertClose([result.loss], [loss], { rtol: 1e-5 });
      assertClose([result.accuracy], [correct / 20], { rtol: 1e-6 });
    }
  });

  test('with a sparse loss and several metrics', () => {
    setSeed(17);
    const { x, ids } = threeClasses(9);
    const model = sequential([layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy', 'sparse_categorical_accuracy'] });
    const probs = model.predict(x);
    const result = model.evaluate(x, ids, { batchSize: 4 });
    assert.deepEqual(Object.keys(result), ['loss', 'accuracy', 'sparse_categorical_accuracy']);
    assertClose([result.loss], [losses.sparseCategoricalCrossentropy(ids, probs).item()], { rtol: 1e-5 });
    assertClose([result.accuracy], [metrics.sparseCategoricalAccuracy(ids, probs).item()], { rtol: 1e-6 });
    assert.equal(result.sparse_categorical_accuracy, result.accuracy);
  });

  test('does not change the weights and ignores dropout', () => {
    setSeed(18);
    const { x, y } = line(6);
    const model = sequential([layers.dense({ units: 4, inputShape: [1] }), layers.dropout({ rate: 0.5 }), layers.dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const before = model.getWeights().map((w) => [...w.values]);
    const a = model.evaluate(x, y);
    const b = model.evaluate(x, y, { batchSize: 4 });
    assertClose([b.loss], [a.loss], { rtol: 1e-6 });
    assertClose([a.loss], [losses.meanSquaredError(y, model.predict(x)).item()], { rtol: 1e-6 });
    assert.deepEqual(
      model.getWeights().map((w) => [...w.values]),
      before,
    );
  });
});

test('fit and evaluate take [N] labels for a 1-unit output when the last batch holds one sample', async () => {
  const model = sequential([layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })]);
  model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
  const x = tensor(Array.from({ length: 5 }, (_, i) => [i, 1]));
  const y = tensor([0, 1, 0, 1, 1]);
  for (const batchSize of [2, 4]) {
    const history = await model.fit(x, y, { epochs: 1, batchSize, verbose: 0 });
    assert.ok(Number.isFinite(history.history.loss[0]), `batch size ${batchSize}`);
  }
  assert.ok(Number.isFinite(model.evaluate(x, y, { batchSize: 2 }).loss));
});
