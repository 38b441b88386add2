import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { callbacks, layers, optimizers, sequential, setSeed, tensor, type Tensor, type Callback, type Logs, type Sequential } from '../../src/index.js';
import { EarlyStopping, type EarlyStoppingArgs } from '../../src/model/early-stopping.js';
import type { TrainingModel } from '../../src/model/callbacks.js';

const silent = { verbose: 0 } as const;

function smallModel(): Sequential {
  const model = sequential([layers.dense({ units: 1, inputShape: [1] })]);
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0.05 }), loss: 'mse', metrics: ['mae'] });
  return model;
}

function data(n: number): { x: Tensor; y: Tensor } {
  const xs = Array.from({ length: n }, (_, i) => i / n);
  return {
    x: tensor(xs, [n, 1]),
    y: tensor(
      xs.map((v) => 3 * v - 1),
      [n, 1],
    ),
  };
}

/** A stand-in model whose weights are one tensor holding the epoch they were read at. */
class FakeModel implements TrainingModel {
  stopTraining = false;
  epoch = 0;
  restored: number | null = null;
  getWeights(): Tensor[] {
    return [tensor([this.epoch])];
  }
  setWeights(weights: readonly Tensor[]): void {
    this.restored = weights[0].values[0];
  }
}

/**
 * Feeds `values` of `monitor` to an EarlyStopping, one epoch at a time, as fit would; returns the epoch it
 * asked to stop at (null if it never did) and the callback.
 */
function drive(
  args: EarlyStoppingArgs,
  values: number[],
  monitor = args.monitor ?? 'val_loss',
): { stoppedAt: number | null; es: EarlyStopping; model: FakeModel } {
  const es = new EarlyStopping(args);
  const model = new FakeModel();
  es.setModel(model);
  es.onTrainBegin();
  let stoppedAt: number | null = null;
  for (let epoch = 0; epoch < values.length && !model.stopTraining; epoch++) {
    model.epoch = epoch;
    es.onEpochEnd(epoch, { loss: 1, [monitor]: values[epoch] });
    if (model.stopTraining) stoppedAt = epoch;
  }
  es.onTrainEnd();
  return { stoppedAt, es, model };
}

describe('custom callbacks', () => {
  test('hooks run in order with the right counts and logs', async () => {
    const events: string[] = [];
    const batchLogs: Logs[] = [];
    const epochLogs: Logs[] = [];
    const recorder: Callback = {
      onTrainBegin: () => void events.push('trainBegin'),
      onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
      onBatchBegin: (b, logs) => void events.push(`batchBegin ${b} size ${logs.size}`),
      onBatchEnd: (b, logs) => {
        events.push(`batchEnd ${b}`);
        batchLogs.push(logs);
      },
      onEpochEnd: (e, logs) => {
        events.push(`epochEnd ${e}`);
        epochLogs.push(logs);
      },
      onTrainEnd: () => void events.push('trainEnd'),
    };
    const { x, y } = data(10);
    await smallModel().fit(x, y, { ...silent, epochs: 2, batchSize: 4, validationSplit: 0.2, callbacks: [recorder] });
    // 8 training samples in batches of 4
    const epoch = (e: number) => [`epochBegin ${e}`, 'batchBegin 0 size 4', 'batchEnd 0', 'batchBegin 1 size 4', 'batchEnd 1', `epochEnd ${e}`];
    assert.deepEqual(events, ['trainBegin', ...epoch(0), ...epoch(1), 'trainEnd']);
    assert.equal(batchLogs.length, 4);
    for (const logs of batchLogs) {
      assert.deepEqual(Object.keys(logs).sort(), ['batch', 'loss', 'mae', 'size']);
      assert.ok(Number.isFinite(logs.loss));
    }
    assert.deepEqual(
      batchLogs.map((l) => l.batch),
      [0, 1, 0, 1],
    );
    for (const logs of epochLogs) assert.deepEqual(Object.keys(logs).sort(), ['loss', 'mae', 'val_loss', 'val_mae']);
    // the epoch loss is the sample-weighted mean of the batch losses
    assert.ok(Math.abs(epochLogs[0].loss - (batchLogs[0].loss + batchLogs[1].loss) / 2) < 1e-6);
  });

  test('async hooks are awaited before training goes on', async () => {
    const events: string[] = [];
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const slow: Callback = {
      onTrainBegin: async () => {
        await sleep(5);
        events.push('trainBegin done');
      },
      onEpochEnd: async (e) => {
        await sleep(5);
        events.push(`epochEnd ${e} done`);
      },
      onTrainEnd: async () => {
        await sleep(5);
        events.push('trainEnd done');
      },
    };
    const fast: Callback = {
      onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
      onEpochEnd: (e) => void events.push(`epochEnd ${e} (second callback)`),
    };
    const { x, y } = data(4);
    const h = await smallModel().fit(x, y, { ...silent, epochs: 2, callbacks: [slow, fast] });
    events.push('fit resolved');
    assert.deepEqual(events, [
      'trainBegin done',
      'epochBegin 0',
      'epochEnd 0 done',
      'epochEnd 0 (second callback)',
      'epochBegin 1',
      'epochEnd 1 done',
      'epochEnd 1 (second callback)',
      'trainEnd done',
      'fit resolved',
    ]);
    assert.equal(h.history.loss.length, 2);
  });

  test('a single callback object works without an array; setModel receives the model; this is the callback', async () => {
    const { x, y } = data(4);
    const model = smallModel();
    let received: TrainingModel | null = null;
    let epochs = 0;
    const cb = {
      count: 0,
      setModel(m: TrainingModel) {
        received = m;
      },
      onEpochEnd() {
        this.count++;
        epochs = this.count;
      },
    };
    await model.fit(x, y, { ...silent, epochs: 3, callbacks: cb });
    assert.equal(received, model);
    assert.equal(epochs, 3);
  });

  test('setting model.stopTraining ends fit after the current epoch; the next fit starts afresh', async () => {
    const { x, y } = data(8);
    const model = smallModel();
    const stopper: Callback = {
      setModel(m) {
        this.model = m;
      },
      onEpochEnd(epoch) {
        if (epoch === 1) (this.model as TrainingModel).stopTraining = true;
      },
    } as Callback & { model?: TrainingModel };
    const h = await model.fit(x, y, { ...silent, epochs: 10, batchSize: 4, callbacks: [stopper] });
    assert.deepEqual(h.epoch, [0, 1]);
    const again = await model.fit(x, y, { ...silent, epochs: 3 });
    assert.deepEqual(again.epoch, [0, 1, 2]);
  });

  test('an error thrown by a callback rejects fit', async () => {
    const { x, y } = data(4);
    await assert.rejects(
      smallModel().fit(x, y, { ...silent, callbacks: [{ onEpochEnd: () => Promise.reject(new Error('callback failed')) }] }),
      /callback failed/,
    );
  });
});

describe('earlyStopping: the logic, fed logs directly', () => {
  test('patience counts epochs without improvement (Keras)', () => {
    // best at epoch 1; epochs 2 and 3 do not improve -> stop at epoch 3 with patience 2
    const { stoppedAt, es } = drive({ patience: 2 }, [1, 0.5, 0.6, 0.7, 0.4, 0.3]);
    assert.equal(stoppedAt, 3);
    assert.equal(es.stoppedEpoch, 3);
    assert.equal(es.bestEpoch, 1);
    // an improvement resets the count
    assert.equal(drive({ patience: 2 }, [1, 0.9, 0.95, 0.8, 0.85, 0.86, 0.1]).stoppedAt, 5);
    // patience 0: the first epoch without improvement stops
    assert.equal(drive({ patience: 0 }, [1, 0.9, 0.9, 0.5]).stoppedAt, 2);
    assert.equal(drive({}, [3, 2, 1]).stoppedAt, null);
    // an equal value is no improvement
    assert.equal(drive({ patience: 1 }, [1, 1, 1]).stoppedAt, 1);
  });

  test('minDelta: smaller improvements do not count', () => {
    assert.equal(drive({ patience: 1, minDelta: 0.1 }, [1, 0.95, 0.91, 0.5]).stoppedAt, 1);
    assert.equal(drive({ patience: 1, minDelta: -0.1 }, [1, 0.95, 0.91, 0.5]).stoppedAt, 1, 'the sign of minDelta is ignored');
    assert.equal(drive({ patience: 1, minDelta: 0.01 }, [1, 0.95, 0.91, 0.5]).stoppedAt, null);
  });

  test("mode 'auto' maximises accuracies and minimises losses; 'min' and 'max' force the direction", () => {
    const rising = [0.5, 0.6, 0.7, 0.8];
    assert.equal(drive({ monitor: 'val_accuracy' }, rising).stoppedAt, null);
    assert.equal(drive({ monitor: 'val_loss' }, rising).stoppedAt, 1);
    assert.equal(drive({ monitor: 'val_accuracy', patience: 1 }, [0.5, 0.6, 0.55, 0.58]).stoppedAt, 2);
    assert.equal(drive({ monitor: 'accuracy', mode: 'auto' }, rising).stoppedAt, null);
    assert.equal(drive({ monitor: 'val_acc' }, rising).stoppedAt, null);
    assert.equal(drive({ monitor: 'val_accuracy', mode: 'min' }, rising).stoppedAt, 1);
    assert.equal(drive({ monitor: 'val_loss', mode: 'max' }, rising).stoppedAt, null);
    const es = drive({ monitor: 'val_accuracy', restoreBestWeights: true, patience: 1 }, [0.5, 0.9, 0.6, 0.7]);
    assert.equal(es.stoppedAt, 2);
    assert.equal(es.es.bestEpoch, 1);
    assert.equal(es.model.restored, 1);
  });

  test('restoreBestWeights puts back the weights of the best epoch when training ends', () => {
    const run = drive({ patience: 2, restoreBestWeights: true }, [1, 0.5, 0.6, 0.7, 0.4]);
    assert.equal(run.stoppedAt, 3);
    assert.equal(run.model.restored, 1);
    // also when training runs to the end without stopping
    assert.equal(drive({ patience: 5, restoreBestWeights: true }, [1, 0.2, 0.6, 0.7]).model.restored, 1);
    // and not at all without the option
    assert.equal(drive({ patience: 2 }, [1, 0.5, 0.6, 0.7]).model.restored, null);
  });

  test('baseline: stop if the monitored value does not beat it within patience epochs', () => {
    assert.equal(drive({ baseline: 0.5, patience: 2 }, [0.9, 0.8, 0.7, 0.6]).stoppedAt, 1);
    assert.equal(drive({ baseline: 0.5, patience: 2 }, [0.9, 0.4, 0.45, 0.3]).stoppedAt, null);
  });

  test('startFromEpoch: epochs before it are not watched', () => {
    assert.equal(drive({ patience: 0, startFromEpoch: 2 }, [1, 2, 3, 4, 5]).stoppedAt, 3);
  });

  test('a missing monitored key is an error that lists what is logged', () => {
    const es = callbacks.earlyStopping({ monitor: 'val_loss' });
    es.setModel(new FakeModel());
    es.onTrainBegin();
    assert.throws(
      () => es.onEpochEnd(0, { loss: 1, accuracy: 0.5 }),
      /'val_loss' is not in the logs \(available: loss, accuracy\).*validationSplit or validationData/,
    );
  });

  test('onTrainBegin resets the state, so one instance can watch several fits', () => {
    const es = new EarlyStopping({ patience: 0, monitor: 'loss' });
    const model = new FakeModel();
    es.setModel(model);
    es.onTrainBegin();
    es.onEpochEnd(0, { loss: 0.1 });
    es.onEpochEnd(1, { loss: 0.2 });
    assert.equal(model.stopTraining, true);
    model.stopTraining = false;
    es.onTrainBegin();
    es.onEpochEnd(0, { loss: 5 });
    es.onEpochEnd(1, { loss: 4 });
    assert.equal(model.stopTraining, false, 'a fresh best, not the 0.1 of the last run');
    assert.equal(es.stoppedEpoch, 0);
  });
});

describe('earlyStopping: through fit', () => {
  /** A metric whose value per epoch is scripted, so the monitored sequence is exact. */
  function scriptedRun(values: number[], args: EarlyStoppingArgs, epochs: number) {
    let epoch = 0;
    function scripted(_yTrue: Tensor, yPred: Tensor): Tensor {
      return yPred.mean().mul(0).add(values[epoch]);
    }
    const snapshots: Tensor[][] = [];
    const tracker: Callback = {
      onEpochBegin: (e) => {
        epoch = e;
      },
      onEpochEnd: () => void snapshots.push(model.getWeights()),
    };
    setSeed(20);
    const model = sequential([layers.dense({ units: 2, inputShape: [1] }), layers.dense({ units: 1 })]);
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0.05 }), loss: 'mse', metrics: [scripted] });
    const es = callbacks.earlyStopping({ monitor: 'scripted', ...args });
    const { x, y } = data(6);
    // one batch per epoch: the logged metric is exactly the scripted value
    return model.fit(x, y, { ...silent, epochs, batchSize: 6, callbacks: [tracker, es] }).then((history) => ({ history, snapshots, model, es }));
  }

  test('stops at the expected epoch', async () => {
    const { history, es } = await scriptedRun([3, 2, 2.5, 2.6, 2.7, 1, 0.5], { patience: 2 }, 7);
    assert.deepEqual(history.epoch, [0, 1, 2, 3]);
    assert.deepEqual(history.history.scripted, [3, 2, 2.5, 2.6].map(Math.fround));
    assert.equal(es.stoppedEpoch, 3);
    assert.equal(es.bestEpoch, 1);
  });

  test('restoreBestWeights leaves the model with the best epoch weights', async () => {
    const { model, snapshots, es } = await scriptedRun([3, 2, 2.5, 2.6, 2.7], { patience: 2, restoreBestWeights: true }, 5);
    assert.equal(es.bestEpoch, 1);
    assert.equal(snapshots.length, 4);
    const now = model.getWeights().map((w) => [...w.values]);
    assert.deepEqual(
      now,
      snapshots[1].map((w) => [...w.values]),
    );
    assert.notDeepEqual(
      now,
      snapshots[3].map((w) => [...w.values]),
    );
  });

  test("monitors 'val_accuracy' as a quantity to maximise", async () => {
    setSeed(21);
    const n = 20;
    const xs = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1 : 1) * (0.5 + i / n));
    const x = tensor(xs, [n, 1]);
    const y = tensor(
      xs.map((v) => (v > 0 ? 1 : 0)),
      [n, 1],
    );
    const model = sequential([layers.dense({ units: 1, activation: 'sigmoid', inputShape: [1] })]);
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0.5 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    // val_accuracy reaches 1 and stays there: with 'max' semantics that stops `patience` epochs later
    const es = callbacks.earlyStopping({ monitor: 'val_accuracy', patience: 2 });
    const h = await model.fit(x, y, { ...silent, epochs: 40, batchSize: 5, validationSplit: 0.25, callbacks: [es] });
    const acc = h.history.val_accuracy;
    const best = Math.max(...acc);
    const firstBest = acc.indexOf(best);
    assert.ok(firstBest > 0 && acc[0] < best, `the data must make val_accuracy rise: ${acc.join(', ')}`);
    assert.equal(es.bestEpoch, firstBest);
    assert.equal(h.epoch.length, firstBest + 3, `val_accuracy ${acc.join(', ')}`);
    assert.ok(h.epoch.length < 40);
  });

  test('fit rejects when the monitored quantity is not logged', async () => {
    const { x, y } = data(4);
    await assert.rejects(
      smallModel().fit(x, y, { ...silent, epochs: 3, callbacks: [callbacks.earlyStopping()] }),
      /'val_loss' is not in the logs \(available: loss, mae\)/,
    );
  });
});
