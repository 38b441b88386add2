// Models of several inputs and outputs in compile, fit and evaluate: one loss, a list or an object per output,
// lossWeights, metrics per output, data as lists or objects keyed by name, and the log keys Keras writes
// (`loss`, `<output>_loss`, `<output>_<metric>` and their `val_` versions).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { input, layers, losses, model, setSeed, tensor, type Model, type Tensor } from '../../src/index.js';
import { assertClose } from '../helpers.js';

function ramp(shape: number[], offset = 0): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Array.from({ length: n }, (_, i) => (((i + offset) * 37) % 23) / 11.5 - 1),
    shape,
  );
}

/** Two inputs, two outputs: a class (3 classes, softmax) and a value. */
function twoHeads(): Model<Tensor[]> {
  const image = input({ shape: [4], name: 'image' });
  const extra = input({ shape: [2], name: 'extra' });
  const h = layers.dense({ units: 8, activation: 'relu', name: 'trunk' }).apply(layers.concatenate().apply([image, extra]));
  const kind = layers.dense({ units: 3, activation: 'softmax', name: 'kind' }).apply(h);
  const size = layers.dense({ units: 1, name: 'size' }).apply(h);
  return model({ inputs: [image, extra], outputs: [kind, size] });
}

const n = 24;
const x = { image: ramp([n, 4]), extra: ramp([n, 2], 7) };
const kinds = tensor(
  Array.from({ length: n }, (_, i) => i % 3),
  [n],
);
const sizes = ramp([n, 1], 3);

describe('compile() for several outputs', () => {
  test('a list of losses, metrics for every output, and the Keras log keys in fit and evaluate', async () => {
    setSeed(1);
    const m = twoHeads();
    m.compile({ optimizer: 'adam', loss: ['sparseCategoricalCrossentropy', 'meanSquaredError'], metrics: ['accuracy'] });
    assert.deepEqual(
      m.compiled!.metrics.map((metric) => metric.name),
      ['kind_accuracy', 'size_accuracy'],
    );
    const history = await m.fit([x.image, x.extra], [kinds, sizes], { epochs: 2, batchSize: 8, verbose: 0, validationSplit: 0.25 });
    assert.deepEqual(Object.keys(history.history), [
      'loss',
      'kind_loss',
      'size_loss',
      'kind_accuracy',
      'size_accuracy',
      'val_loss',
      'val_kind_loss',
      'val_size_loss',
      'val_kind_accuracy',
      'val_size_accuracy',
    ]);
    const logs = m.evaluate(x, { kind: kinds, size: sizes });
    assert.deepEqual(Object.keys(logs), ['loss', 'kind_loss', 'size_loss', 'kind_accuracy', 'size_accuracy']);
    assert.ok(Math.abs(logs.loss - (logs.kind_loss + logs.size_loss)) < 1e-5);
  });

  test('the per-output losses are those of each output alone; lossWeights weight the total', () => {
    setSeed(2);
    const m = twoHeads();
    m.compile({ optimizer: 'sgd', loss: { kind: 'sparseCategoricalCrossentropy', size: 'meanAbsoluteError' }, lossWeights: { kind: 0.5, size: 2 } });
    const logs = m.evaluate(x, [kinds, sizes], { batchSize: 100 });
    const [p, q] = m.predict(x);
    assertClose([logs.kind_loss], [losses.sparseCategoricalCrossentropy(kinds, p).item()], { rtol: 1e-5 });
    assertClose([logs.size_loss], [losses.meanAbsoluteError(sizes, q).item()], { rtol: 1e-5 });
    assertClose([logs.loss], [0.5 * logs.kind_loss + 2 * logs.size_loss], { rtol: 1e-5 });
  });

  test('metrics per output: a list of lists or an object keyed by output name', () => {
    const m = twoHeads();
    m.compile({ optimizer: 'adam', loss: ['sparseCategoricalCrossentropy', 'meanSquaredError'], metrics: [['accuracy'], ['mae', 'mse']] });
    assert.deepEqual(
      m.compiled!.metrics.map((metric) => metric.name),
      ['kind_accuracy', 'size_mae', 'size_mse'],
    );
    m.compile({ optimizer: 'adam', loss: ['sparseCategoricalCrossentropy', 'meanSquaredError'], metrics: { size: 'mae' } });
    assert.deepEqual(
      m.compiled!.metrics.map((metric) => metric.name),
      ['size_mae'],
    );
    assert.deepEqual(Object.keys(m.evaluate(x, [kinds, sizes])), ['loss', 'kind_loss', 'size_loss', 'size_mae']);
  });

  test('one loss for every output', () => {
    const a = input({ shape: [2] });
    const m = model({ inputs: a, outputs: [layers.dense({ units: 1, name: 'u' }).apply(a), layers.dense({ units: 1, name: 'v' }).apply(a)] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    assert.deepEqual(
      m.compiled!.outputs.map((o) => [o.outputName, o.loss.lossName, o.weight]),
      [
        ['u', 'meanSquaredError', 1],
        ['v', 'meanSquaredError', 1],
      ],
    );
  });

  test('errors name the outputs', () => {
    const m = twoHeads();
    assert.throws(() => m.compile({ optimizer: 'adam', loss: ['meanSquaredError'] }), /loss is a list of 1, but the model has 2 output\(s\) \(kind, size\)/);
    assert.throws(() => m.compile({ optimizer: 'adam', loss: { kind: 'meanSquaredError' } }), /loss has no entry for the output 'size'/);
    assert.throws(() => m.compile({ optimizer: 'adam', loss: { kind: 'mse', sise: 'mse' } as never }), /loss has a key 'sise' that is no output of the model/);
    assert.throws(() => m.compile({ optimizer: 'adam', loss: 'mse', lossWeights: [1] }), /lossWeights is a list of 1/);
    assert.throws(
      () => m.compile({ optimizer: 'adam', loss: 'mse', lossWeights: { kind: Number.NaN } }),
      /lossWeights for output 'kind' must be a finite number/,
    );
  });
});

describe('fit() data for several inputs and outputs', () => {
  test('is checked input by input, output by output, naming them', async () => {
    const m = twoHeads();
    m.compile({ optimizer: 'adam', loss: ['sparseCategoricalCrossentropy', 'meanSquaredError'] });
    await assert.rejects(m.fit(x.image, [kinds, sizes]), /fit\(\): the model has 2 inputs \(image, extra\); pass x as a list/);
    await assert.rejects(m.fit(x, [kinds]), /fit\(\): the model has 2 output\(s\) \(kind, size\), but y is a list of 1 tensors/);
    await assert.rejects(m.fit({ image: x.image, extra: ramp([n - 1, 2]) }, [kinds, sizes]), /fit\(\): x\['image'\] has 24 samples but x\['extra'\] has 23/);
    await assert.rejects(
      m.fit({ image: x.image, extra: ramp([n, 3]) }, [kinds, sizes]),
      /input 'extra' expects x\['extra'\] of shape \[null, 2\] but x\['extra'\] has shape \[24, 3\]/,
    );
    const bad = tensor(
      Array.from({ length: n }, (_, i) => (i === 5 ? 7 : 0)),
      [n],
    );
    await assert.rejects(m.fit(x, [bad, sizes]), /fit\(\): y\['kind'\]: y row 5 is 7/);
    const nan = tensor(
      Array.from({ length: n * 4 }, (_, i) => (i === 9 ? Number.NaN : 0)),
      [n, 4],
    );
    await assert.rejects(m.fit({ image: nan, extra: x.extra }, [kinds, sizes]), /fit\(\): x\['image'\] has NaN in row 2/);
    await assert.rejects(m.fit(x, { kind: kinds, size: sizes }, { validationData: [x, [kinds]] }), /y is a list of 1 tensors/);
  });

  test('validationData takes the same forms', async () => {
    setSeed(3);
    const m = twoHeads();
    m.compile({ optimizer: 'adam', loss: ['sparseCategoricalCrossentropy', 'meanSquaredError'] });
    const history = await m.fit(x, { kind: kinds, size: sizes }, { epochs: 1, verbose: 0, validationData: [[x.image, x.extra], { size: sizes, kind: kinds }] });
    assert.deepEqual(history.history.val_loss.length, 1);
    assertClose(history.history.val_loss, [m.evaluate(x, [kinds, sizes]).loss], { rtol: 1e-5 });
  });
});
