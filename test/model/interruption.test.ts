// Training stopped inside an epoch (what Ctrl-C in `dendrite train` does) continues exactly: the checkpoint
// saved at the stop, loaded and resumed, ends with the same weights bit for bit as a run never stopped. A
// run whose loss becomes NaN keeps, and saves, the weights from before the bad batch.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  callbacks,
  layers,
  loadCheckpoint,
  optimizers,
  randomNormal,
  sequential,
  setRngState,
  setSeed,
  toCategorical,
  type Callback,
  type Model,
  type Sequential,
  type Tensor,
} from '../../src/index.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dendrite-interrupt-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const EPOCHS = 3;
const BATCH = 8;

/** 60 samples of 6 features in 3 classes; dropout makes the run depend on the random stream. */
function setup(): { model: Sequential; x: Tensor; y: Tensor } {
  setSeed(21);
  const x = randomNormal([60, 6]);
  const ids = Array.from({ length: 60 }, (_, i) => (x.values[i * 6] + x.values[i * 6 + 1] > 0 ? (x.values[i * 6 + 2] > 0 ? 2 : 1) : 0));
  const y = toCategorical(ids, 3);
  const model = sequential([
    layers.dense({ units: 16, activation: 'relu', inputShape: [6] }),
    layers.dropout({ rate: 0.3 }),
    layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return { model, x, y };
}

/** Asks fit to stop after batch `batch` of epoch `epoch` (both from 0), as the CLI's Ctrl-C handler does. */
function stopAt(epoch: number, batch: number): Callback {
  let current = -1;
  let model: Sequential;
  return {
    setModel: (m) => (model = m as unknown as Sequential),
    onEpochBegin: (e) => {
      current = e;
    },
    onBatchEnd: (b) => {
      if (current === epoch && b === batch) model.stopTraining = true;
    },
  };
}

const weights = (m: Model<Tensor>) => m.getWeights().map((w) => [...w.values]);

describe('a fit stopped inside an epoch', () => {
  test('stops after the batch that asked, saves a checkpoint there, and resumes to the same weights bit for bit', async () => {
    const straight = setup();
    const full = await straight.model.fit(straight.x, straight.y, { epochs: EPOCHS, batchSize: BATCH, verbose: 0 });

    const ckpt = join(dir, 'mid-epoch');
    const first = setup();
    const cut = await first.model.fit(first.x, first.y, {
      epochs: EPOCHS,
      batchSize: BATCH,
      verbose: 0,
      callbacks: [callbacks.modelCheckpoint({ dir: ckpt }), stopAt(1, 2)],
    });
    assert.deepEqual(cut.epoch, [0], 'only the first epoch completed');
    assert.equal(first.model.interruption?.epoch, 1);
    assert.equal(first.model.interruption?.progress.batch, 3);
    assert.notDeepEqual(weights(first.model), weights(straight.model));

    const saved = await loadCheckpoint(ckpt);
    assert.equal(saved.epoch, 1);
    assert.equal(saved.progress?.batch, 3);
    assert.deepEqual(weights(saved.model), weights(first.model), 'the checkpoint holds the weights at the stop');
    setRngState(saved.rngState!);
    const rest = await saved.model.fit(first.x, first.y, {
      epochs: EPOCHS,
      batchSize: BATCH,
      verbose: 0,
      initialEpoch: saved.epoch,
      initialEpochProgress: saved.progress!,
    });
    assert.deepEqual(rest.epoch, [1, 2]);
    assert.equal(saved.model.interruption, null);
    assert.deepEqual(weights(saved.model), weights(straight.model));
    // the resumed epoch's logs cover the batches before the stop too
    assert.equal(rest.history.loss[0], full.history.loss[1]);
    assert.equal(rest.history.accuracy[0], full.history.accuracy[1]);
  });

  test('a resumed epoch begins again for callbacks: an epoch-indexed learning-rate schedule resumes exactly', async () => {
    const rates = [0.02, 0.005, 0.001];
    const schedule = () => callbacks.learningRateScheduler((epoch) => rates[epoch]);
    const straight = setup();
    await straight.model.fit(straight.x, straight.y, { epochs: EPOCHS, batchSize: BATCH, verbose: 0, callbacks: [schedule()] });

    const ckpt = join(dir, 'mid-epoch-schedule');
    const first = setup();
    await first.model.fit(first.x, first.y, {
      epochs: EPOCHS,
      batchSize: BATCH,
      verbose: 0,
      callbacks: [schedule(), callbacks.modelCheckpoint({ dir: ckpt }), stopAt(1, 2)],
    });
    const saved = await loadCheckpoint(ckpt);
    // a fresh process compiles with its own rate: the schedule must set epoch 1's again
    saved.model.compiled!.optimizer.learningRate = 0.5;
    setRngState(saved.rngState!);
    const begun: number[] = [];
    await saved.model.fit(first.x, first.y, {
      epochs: EPOCHS,
      batchSize: BATCH,
      verbose: 0,
      initialEpoch: saved.epoch,
      initialEpochProgress: saved.progress!,
      callbacks: [schedule(), { onEpochBegin: (e) => void begun.push(e) }],
    });
    assert.deepEqual(begun, [1, 2]);
    assert.deepEqual(weights(saved.model), weights(straight.model));
  });

  test('a stop from onEpochEnd still ends after that epoch, with no interruption recorded', async () => {
    const { model, x, y } = setup();
    const h = await model.fit(x, y, {
      epochs: EPOCHS,
      batchSize: BATCH,
      verbose: 0,
      callbacks: [
        {
          onEpochEnd: (e) => {
            if (e === 0) model.stopTraining = true;
          },
        },
      ],
    });
    assert.deepEqual(h.epoch, [0]);
    assert.equal(model.interruption, null);
  });

  test('a stop after the last batch of an epoch completes that epoch', async () => {
    const { model, x, y } = setup();
    const h = await model.fit(x, y, { epochs: EPOCHS, batchSize: BATCH, verbose: 0, callbacks: [stopAt(0, Math.ceil(60 / BATCH) - 1)] });
    assert.deepEqual(h.epoch, [0]);
    assert.equal(model.interruption, null);
  });

  test('initialEpochProgress from another batch size is refused with a clear message', async () => {
    const { model, x, y } = setup();
    await assert.rejects(
      model.fit(x, y, { epochs: 2, batchSize: 30, verbose: 0, initialEpochProgress: { batch: 5, epochRngState: [1, 2, 3, 4], sums: {}, seen: 40 } }),
      /initialEpochProgress.batch must be an integer in \[0, 2\) for 2 batches per epoch, got 5; was the run interrupted with another batch size/,
    );
  });
});

describe('a diverging fit', () => {
  test('rejects naming the batch, keeps the weights from before it, and the checkpoint saves them', async () => {
    setSeed(3);
    const x = randomNormal([64, 4]);
    const y = randomNormal([64, 1]);
    const model = sequential([layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), layers.dense({ units: 1 })]);
    model.compile({ optimizer: optimizers.sgd({ learningRate: 1e3 }), loss: 'meanSquaredError' });
    const ckpt = join(dir, 'diverged');
    let lastGood: number[][] = [];
    const watch: Callback = {
      onBatchBegin: () => {
        lastGood = weights(model);
      },
    };
    await assert.rejects(
      model.fit(x, y, { epochs: 20, batchSize: 8, verbose: 0, callbacks: [watch, callbacks.modelCheckpoint({ dir: ckpt })] }),
      /Training stopped: the loss became (NaN|Infinity) at epoch \d+, batch \d+ \(of 8\).*keeps its weights from before this batch/,
    );
    assert.ok(weights(model).flat().every(Number.isFinite), 'the weights are finite');
    assert.deepEqual(weights(model), lastGood, 'the weights are those before the bad batch');
    const saved = await loadCheckpoint(ckpt);
    assert.deepEqual(weights(saved.model), lastGood);
    assert.equal(saved.progress?.batch, model.interruption!.progress.batch);
  });
});
