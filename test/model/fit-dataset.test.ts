// model.fitDataset and model.evaluateDataset: on the same batches in the same order they train exactly as fit does
// (bit for bit, with the same History), for a Sequential and for a graph model of two inputs and two outputs fed
// objects keyed by name; validation, batchesPerEpoch, callbacks, a NaN loss and bad elements behave as fit and
// TF.js do; and the weights match TF.js' fitDataset on the same model, weights and data.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  type Callback,
  callbacks,
  data,
  gatherRows,
  input,
  layers,
  type Model,
  model,
  optimizers,
  randomNormal,
  sequential,
  setSeed,
  type Tensor,
  tensor,
  toCategorical,
} from '../../src/index.js';
import { assertClose } from '../helpers.js';

before(async () => {
  await tf.setBackend('cpu');
});

const N = 50;
const BATCH = 8;

function classifier(): Model {
  setSeed(5);
  const m = sequential([layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), layers.dense({ units: 3, activation: 'softmax' })]);
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

setSeed(1);
const x = randomNormal([N, 4]);
const y = toCategorical(tensor(Array.from({ length: N }, (_, i) => (i * 7) % 3)), 3);
const range = (start: number, end: number) => Array.from({ length: end - start }, (_, i) => start + i);

/** The batches fit cuts without shuffling: rows 0-7, 8-15, ..., 48-49. */
function batchesOf(xs: Tensor, ys: Tensor, size = BATCH): { xs: Tensor; ys: Tensor }[] {
  const out: { xs: Tensor; ys: Tensor }[] = [];
  for (let s = 0; s < xs.shape[0]; s += size) {
    const idx = range(s, Math.min(s + size, xs.shape[0]));
    out.push({ xs: gatherRows(xs, idx), ys: gatherRows(ys, idx) });
  }
  return out;
}

function assertSameWeights(a: Model, b: Model): void {
  const wa = a.getWeights();
  const wb = b.getWeights();
  assert.equal(wa.length, wb.length);
  for (const [i, w] of wa.entries()) assert.deepEqual(Array.from(wb[i].values), Array.from(w.values), `weight ${i}`);
}

describe('fitDataset trains as fit does, bit for bit', () => {
  test('a data set of batches, or of rows batched by the data set, gives fit(shuffle: false)', async () => {
    const reference = classifier();
    const fitted = await reference.fit(x, y, { epochs: 3, batchSize: BATCH, shuffle: false, verbose: 0 });

    const fromBatches = classifier();
    const h1 = await fromBatches.fitDataset(data.array(batchesOf(x, y)), { epochs: 3, verbose: 0 });
    assertSameWeights(reference, fromBatches);
    assert.deepEqual(h1.history, fitted.history);
    assert.deepEqual(h1.epoch, fitted.epoch);

    const rows = range(0, N).map((i) => ({ xs: Array.from(gatherRows(x, [i]).values), ys: Array.from(gatherRows(y, [i]).values) }));
    const fromRows = classifier();
    const h2 = await fromRows.fitDataset(data.array(rows).batch(BATCH), { epochs: 3, verbose: 0 });
    assertSameWeights(reference, fromRows);
    assert.deepEqual(h2.history, fitted.history);

    // [xs, ys] pairs and a zip of two data sets are the same batches
    const fromZip = classifier();
    await fromZip.fitDataset(data.zip([data.array(batchesOf(x, y).map((b) => b.xs)), data.array(batchesOf(x, y).map((b) => b.ys))]), { epochs: 3, verbose: 0 });
    assertSameWeights(reference, fromZip);
  });

  test('a graph model of two inputs and two outputs (dropout and batch normalisation inside), fed objects keyed by name', async () => {
    const build = () => {
      setSeed(9);
      const a = input({ shape: [3], name: 'a' });
      const b = input({ shape: [2], name: 'b' });
      const h = layers.concatenate().apply([a, b]);
      const d = layers.dropout({ rate: 0.3 }).apply(layers.dense({ units: 6, activation: 'tanh' }).apply(h));
      const n = layers.batchNormalization().apply(d);
      const cls = layers.dense({ units: 2, activation: 'softmax', name: 'cls' }).apply(n);
      const reg = layers.dense({ units: 1, name: 'reg' }).apply(n);
      const m = model({ inputs: [a, b], outputs: [cls, reg] });
      m.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: ['sparseCategoricalCrossentropy', 'meanSquaredError'], metrics: ['accuracy'] });
      return m;
    };
    setSeed(2);
    const xa = randomNormal([20, 3]);
    const xb = randomNormal([20, 2]);
    const yc = tensor(range(0, 20).map((i) => i % 2)).reshape([20, 1]);
    const yr = randomNormal([20, 1]);
    const reference = build();
    setSeed(100);
    const fitted = await reference.fit({ a: xa, b: xb }, { cls: yc, reg: yr }, { epochs: 2, batchSize: 6, shuffle: false, verbose: 0 });
    const batches = [0, 6, 12, 18].map((s) => {
      const idx = range(s, Math.min(s + 6, 20));
      return { xs: { a: gatherRows(xa, idx), b: gatherRows(xb, idx) }, ys: { cls: gatherRows(yc, idx), reg: gatherRows(yr, idx) } };
    });
    const streamed = build();
    setSeed(100);
    const h = await streamed.fitDataset(data.array(batches), { epochs: 2, verbose: 0 });
    assertSameWeights(reference, streamed);
    assert.deepEqual(h.history, fitted.history);
    assert.deepEqual(Object.keys(h.history).sort(), ['cls_accuracy', 'cls_loss', 'loss', 'reg_accuracy', 'reg_loss']);
  });

  test('an unbuilt Sequential (no inputShape) is built from the first batch', async () => {
    const m = sequential([layers.dense({ units: 3, activation: 'softmax' })]);
    m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await m.fitDataset(data.array(batchesOf(x, y)), { verbose: 0 });
    assert.deepEqual(m.inputShape, [null, 4]);
  });
});

describe('validation, evaluateDataset and the logs', () => {
  test('validationData as a data set or as [x, y] gives the val_ logs fit gives', async () => {
    const [xv, yv] = [gatherRows(x, range(40, 50)), gatherRows(y, range(40, 50))];
    const [xt, yt] = [gatherRows(x, range(0, 40)), gatherRows(y, range(0, 40))];
    const reference = classifier();
    const fitted = await reference.fit(xt, yt, { epochs: 2, batchSize: BATCH, shuffle: false, validationData: [xv, yv], verbose: 0 });
    // fit evaluates the validation data in batches of its batchSize
    for (const validationData of [data.array(batchesOf(xv, yv)), [xv, yv] as const]) {
      const m = classifier();
      const h = await m.fitDataset(data.array(batchesOf(xt, yt)), { epochs: 2, validationData, validationBatchSize: BATCH, verbose: 0 });
      assert.deepEqual(h.history, fitted.history);
      assert.deepEqual(Object.keys(h.history), ['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    }
    // validationBatches takes the first batches only: here the first 5 rows, evaluated after the epoch
    const m = classifier();
    const h = await m.fitDataset(data.array(batchesOf(xt, yt)), {
      epochs: 1,
      validationData: data.array(batchesOf(xv, yv, 5)),
      validationBatches: 1,
      verbose: 0,
    });
    assert.equal(h.history.val_loss[0], m.evaluate(gatherRows(xv, range(0, 5)), gatherRows(yv, range(0, 5))).loss);
  });

  test('evaluateDataset equals evaluate on the same batches; batches limits them', async () => {
    const m = classifier();
    await m.fit(x, y, { epochs: 1, verbose: 0 });
    assert.deepEqual(await m.evaluateDataset(data.array(batchesOf(x, y))), m.evaluate(x, y, { batchSize: BATCH }));
    const firstTwo = gatherRows(x, range(0, 16));
    assert.deepEqual(
      await m.evaluateDataset(data.array(batchesOf(x, y)), { batches: 2 }),
      m.evaluate(firstTwo, gatherRows(y, range(0, 16)), { batchSize: BATCH }),
    );
  });

  test('callbacks see the same hooks and batch logs as with fit; a stop from a batch ends training after it', async () => {
    const record = (events: string[]): Callback => ({
      onTrainBegin: () => void events.push('trainBegin'),
      onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
      onBatchBegin: (b, l) => void events.push(`batchBegin ${b} ${l.size}`),
      onBatchEnd: (b, l) => void events.push(`batchEnd ${b} ${l.batch} ${l.size} ${Object.keys(l).sort().join(',')}`),
      onEpochEnd: (e, l) => void events.push(`epochEnd ${e} ${Object.keys(l).join(',')}`),
      onTrainEnd: () => void events.push('trainEnd'),
    });
    const ours: string[] = [];
    const theirs: string[] = [];
    await classifier().fit(x, y, { epochs: 2, batchSize: BATCH, shuffle: false, verbose: 0, callbacks: record(theirs) });
    await classifier().fitDataset(data.array(batchesOf(x, y)), { epochs: 2, verbose: 0, callbacks: record(ours) });
    assert.deepEqual(ours, theirs);

    const m = classifier();
    let batches = 0;
    const h = await m.fitDataset(data.array(batchesOf(x, y)), {
      epochs: 3,
      verbose: 0,
      callbacks: {
        onBatchEnd: (b) => {
          batches++;
          if (b === 2) m.stopTraining = true;
        },
      },
    });
    assert.equal(batches, 3);
    assert.deepEqual(h.epoch, []);
  });

  test('earlyStopping stops at an epoch end as with fit', async () => {
    const stop = () => callbacks.earlyStopping({ monitor: 'loss', patience: 1, minDelta: 0.01 });
    const h = await classifier().fitDataset(data.array(batchesOf(x, y)), { epochs: 50, verbose: 0, callbacks: stop() });
    const fitted = await classifier().fit(x, y, { epochs: 50, batchSize: BATCH, shuffle: false, verbose: 0, callbacks: stop() });
    assert.ok(h.epoch.length < 50);
    assert.deepEqual(h.history, fitted.history);
  });

  test('verbose 1 draws the progress bar with the batch count; 2 one line per epoch', async () => {
    const lines: string[] = [];
    await classifier().fitDataset(data.array(batchesOf(x, y)), { epochs: 2, verbose: 1, progressSink: { line: (l) => void lines.push(l) } });
    assert.equal(lines.length, 2);
    assert.match(lines[1], /^Epoch 2\/2 \[=+\] 7\/7 - .* samples\/s - loss: \d\.\d{4} - accuracy: \d\.\d{4}$/);
    const two: string[] = [];
    await classifier().fitDataset(
      data.generator(() => batchesOf(x, y)),
      { epochs: 1, verbose: 2, progressSink: { line: (l) => void two.push(l) } },
    );
    assert.match(two[0], /^Epoch 1\/1 - loss: /);
  });
});

describe('batchesPerEpoch and streams without end', () => {
  test('batchesPerEpoch takes batches from one stream that goes on across epochs', async () => {
    const seen: number[] = [];
    const ds = data.array(range(0, 7)).map((i) => {
      seen.push(i);
      return batchesOf(x, y)[i];
    });
    const m = classifier();
    const h = await m.fitDataset(ds.repeat(), { epochs: 3, batchesPerEpoch: 4, verbose: 0 });
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4]);
    assert.equal(h.epoch.length, 3);
    // the same 12 batches through fit: three fits of 28, 28 and 40 rows would differ; compare with batches in turn
    const reference = classifier();
    const order = [0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4].map((i) => batchesOf(x, y)[i]);
    await reference.fitDataset(data.array(order), { epochs: 1, verbose: 0 });
    assertSameWeights(reference, m);
  });

  test('a stream that runs out before batchesPerEpoch * epochs ends training with a warning', async (t) => {
    const warn = t.mock.method(console, 'warn', () => undefined);
    const h = await classifier().fitDataset(data.array(batchesOf(x, y)), { epochs: 3, batchesPerEpoch: 5, verbose: 0 });
    assert.equal(h.epoch.length, 1 + 1, 'the first epoch, then the second of 2 batches');
    assert.equal(warn.mock.callCount(), 1);
    assert.match(String(warn.mock.calls[0].arguments[0]), /ran out after 2 batches of epoch 2 \(batchesPerEpoch 5\); training ends here.*use repeat\(\)/);
  });

  test('initialEpoch counts the epochs from there, as with fit', async () => {
    const h = await classifier().fitDataset(data.array(batchesOf(x, y)), { epochs: 3, initialEpoch: 1, verbose: 0 });
    const fitted = await classifier().fit(x, y, { epochs: 3, initialEpoch: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
    assert.deepEqual(h.epoch, [1, 2]);
    assert.deepEqual(h.history, fitted.history);
  });

  test('a generator of unknown length: the progress bar counts the batches as they come', async () => {
    const lines: string[] = [];
    const updates: string[] = [];
    await classifier().fitDataset(
      data.generator(() => batchesOf(x, y)),
      { epochs: 2, progressSink: { line: (l) => void lines.push(l), update: (l) => void updates.push(l) } },
    );
    assert.match(lines[0], /^Epoch 1\/2 \[=+\] 7\/7 /);
    assert.match(lines[1], /^Epoch 2\/2 \[=+\] 7\/7 /);
    assert.ok(updates.length > 0);
  });

  test('a data set without end needs batchesPerEpoch', async () => {
    await assert.rejects(classifier().fitDataset(data.array(batchesOf(x, y)).repeat()), /no end \(repeat\(\) without a count\).*pass batchesPerEpoch/);
  });
});

describe('errors as fit gives them', () => {
  test("a NaN loss stops training with fit's message, keeping the weights from before the batch", async () => {
    // a NaN label (ReLU would turn a NaN input into 0)
    const bad = gatherRows(y, range(0, N));
    bad.values[20 * 3] = Number.NaN;
    const reference = classifier();
    const fitError = await reference.fit(x, bad, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0, checkInputs: false }).catch((e: Error) => e);
    const m = classifier();
    const error = await m.fitDataset(data.array(batchesOf(x, bad)), { verbose: 0, checkInputs: false }).catch((e: Error) => e);
    assert.ok(fitError instanceof Error && error instanceof Error);
    assert.equal(error.message, fitError.message);
    assert.match(error.message, /^Training stopped: the loss became NaN at epoch 1, batch 3 \(of 7\)/);
    assertSameWeights(reference, m);
  });

  test('checkInputs finds NaN in a batch and names the epoch and the batch', async () => {
    const bad = gatherRows(x, range(0, N));
    bad.values[20 * 4 + 1] = Number.NaN;
    await assert.rejects(
      classifier().fitDataset(data.array(batchesOf(bad, y)), { verbose: 0 }),
      /^Error: fitDataset\(\): epoch 1, batch 3: x has NaN in row 4 \(element \[1\] of that row\)/,
    );
  });

  test('elements that are no { xs, ys }, options that do not apply, an uncompiled model', async () => {
    await assert.rejects(
      classifier().fitDataset(data.array([1, 2, 3]), { verbose: 0 }),
      /fitDataset\(\): epoch 1, batch 1: each element of the data set must be \{ xs, ys \} \(or \[xs, ys\]\).*got number/,
    );
    await assert.rejects(
      classifier().fitDataset(data.array([{ xs: x, labels: y }]), { verbose: 0 }),
      /must be \{ xs, ys \}.*got an object with keys xs, labels/,
    );
    await assert.rejects(
      classifier().fitDataset(data.array(batchesOf(x, y)), { batchSize: 8 } as never),
      /batchSize does not apply to a data set; the data set makes the batches/,
    );
    await assert.rejects(
      classifier().fitDataset(data.array(batchesOf(x, y)), { validationSplit: 0.2 } as never),
      /validationSplit does not apply.*validationData/,
    );
    const raw = sequential([layers.dense({ units: 1, inputShape: [4] })]);
    await assert.rejects(raw.fitDataset(data.array(batchesOf(x, y))), /Call model\.compile\(\{ optimizer, loss \}\) before fitDataset\(\)/);
    await assert.rejects(classifier().fitDataset(data.array([]), { verbose: 0 }), /gave no batches in epoch 1/);
    await assert.rejects(
      classifier().evaluateDataset(data.array([{ xs: x, ys: gatherRows(y, [0]) }])),
      /evaluateDataset\(\): batch 1: x has 50 samples but y has 1/,
    );
  });
});

describe('against TensorFlow.js fitDataset', () => {
  test('the same model, weights and batches give the same weights and history (to 1e-5)', async () => {
    setSeed(3);
    const ours = sequential([layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }), layers.dense({ units: 3, activation: 'softmax' })]);
    ours.compile({ optimizer: optimizers.sgd({ learningRate: 0.2 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const theirs = tf.sequential({
      layers: [tf.layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }), tf.layers.dense({ units: 3, activation: 'softmax' })],
    });
    theirs.compile({ optimizer: tf.train.sgd(0.2), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(Array.from(w.values), [...w.shape])));
    const toTf = (t: Tensor) => tf.tensor(Array.from(t.values), [...t.shape]);
    const batches = batchesOf(x, y);
    const h = await ours.fitDataset(data.array(batches), { epochs: 3, verbose: 0 });
    const th = await theirs.fitDataset(tf.data.array(batches.map((b) => ({ xs: toTf(b.xs), ys: toTf(b.ys) }))), { epochs: 3, verbose: 0 });
    for (const [i, w] of theirs.getWeights().entries()) assertClose(ours.getWeights()[i], Array.from(w.dataSync()), { atol: 1e-5 });
    assertClose(h.history.loss, th.history.loss as number[], { atol: 1e-5 });
    assertClose(h.history.accuracy, th.history.acc as number[], { atol: 1e-6 });
    const evaluated = (await theirs.evaluateDataset(tf.data.array(batches.map((b) => ({ xs: toTf(b.xs), ys: toTf(b.ys) }))), {})) as tf.Scalar[];
    const mine = await ours.evaluateDataset(data.array(batches));
    assertClose([mine.loss, mine.accuracy], [evaluated[0].dataSync()[0], evaluated[1].dataSync()[0]], { atol: 1e-5 });
  });
});
