// Checkpoints of graph models: callbacks.modelCheckpoint saves a model of two inputs and two outputs (with a
// nested model, dropout and batch normalisation) while it trains, loadCheckpoint brings it back compiled with
// its optimizer state, and the resumed run ends with the weights of a run never stopped, bit for bit.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  type Callback,
  callbacks,
  input,
  layers,
  loadCheckpoint,
  type Model,
  model,
  optimizers,
  randomNormal,
  type SymbolicTensor,
  sequential,
  setRngState,
  setSeed,
  type Tensor,
  tensor,
  toCategorical,
} from '../../src/index.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dendrite-graph-ckpt-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const EPOCHS = 3;
const BATCH = 8;

function setup(): { model: Model<Tensor[]>; x: Tensor[]; y: Tensor[] } {
  setSeed(5);
  const a = randomNormal([40, 4]);
  const b = randomNormal([40, 3]);
  const flag = Array.from({ length: 40 }, (_, i) => (a.values[4 * i] + b.values[3 * i] > 0 ? 1 : 0));
  const cls = toCategorical(
    Array.from({ length: 40 }, (_, i) => (a.values[4 * i + 1] > 0.5 ? 2 : b.values[3 * i + 1] > 0 ? 1 : 0)),
    3,
  );
  const left = input({ shape: [4], name: 'left' });
  const right = input({ shape: [3], name: 'right' });
  const tower = sequential([layers.dense({ units: 6, activation: 'relu', inputShape: [3] }), layers.batchNormalization()], { name: 'tower' });
  const joined = layers
    .concatenate()
    .apply([layers.dense({ units: 6, activation: 'tanh' }).apply(left) as SymbolicTensor, tower.apply(right) as SymbolicTensor]);
  const hidden = layers.dropout({ rate: 0.25 }).apply(joined) as SymbolicTensor;
  const m = model({
    inputs: [left, right],
    outputs: [
      layers.dense({ units: 1, activation: 'sigmoid', name: 'flag' }).apply(hidden) as SymbolicTensor,
      layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(hidden) as SymbolicTensor,
    ],
  });
  m.compile({
    optimizer: optimizers.adam({ learningRate: 0.02 }),
    loss: ['binaryCrossentropy', 'categoricalCrossentropy'],
    lossWeights: [0.5, 1],
    metrics: ['accuracy'],
  });
  return { model: m, x: [a, b], y: [tensor(flag, [40, 1]), cls] };
}

/** Asks fit to stop at the end of epoch `epoch` (from 0). */
function stopAfterEpoch(epoch: number): Callback {
  let m: { stopTraining: boolean } | undefined;
  return {
    setModel: (model) => {
      m = model as unknown as { stopTraining: boolean };
    },
    onEpochEnd: (e) => {
      if (e === epoch && m) m.stopTraining = true;
    },
  };
}

const weights = (m: Model<Tensor[]>) => m.getWeights().map((w) => [...w.values]);

test('a graph model checkpointed in training resumes to the weights of a run never stopped, bit for bit', async () => {
  const straight = setup();
  const full = await straight.model.fit(straight.x, straight.y, { epochs: EPOCHS, batchSize: BATCH, verbose: 0 });
  assert.ok(full.history.flag_accuracy && full.history.cls_loss, 'Keras log keys per output');

  const ckpt = join(dir, 'ckpt');
  const first = setup();
  await first.model.fit(first.x, first.y, {
    epochs: EPOCHS,
    batchSize: BATCH,
    verbose: 0,
    callbacks: [callbacks.modelCheckpoint({ dir: ckpt }), stopAfterEpoch(0)],
  });
  const saved = await loadCheckpoint<Tensor[]>(ckpt);
  assert.equal(saved.epoch, 1);
  assert.equal(saved.model.getLayer('tower').className, 'Sequential');
  assert.deepEqual(
    saved.model.compiled?.outputs.map((o) => [o.outputName, o.weight]),
    [
      ['flag', 0.5],
      ['cls', 1],
    ],
  );
  setRngState(saved.rngState!);
  const rest = await saved.model.fit(first.x, first.y, { epochs: EPOCHS, batchSize: BATCH, verbose: 0, initialEpoch: saved.epoch });
  assert.deepEqual(rest.epoch, [1, 2]);
  assert.deepEqual(weights(saved.model), weights(straight.model));
  assert.deepEqual(rest.history.loss, full.history.loss.slice(1));
});
