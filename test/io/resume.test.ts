import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { callbacks, layers, loadCheckpoint, optimizers, randomNormal, sequential, setRngState, setSeed, toCategorical } from '../../src/index.js';

const script = fileURLToPath(new URL('./fixtures/resume-train.ts', import.meta.url));
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dendrite-resume-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** Starts a run that pauses after epoch `epoch`'s checkpoint, and kills it with SIGKILL there. */
async function runKilledAfter(out: string, epochs: number, epoch: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, out, String(epochs), '--pause-after', String(epoch)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes(`paused ${epoch}`)) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`the run ended (code ${code}) before pausing: ${stderr}`)));
  });
  await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(child.signalCode, 'SIGKILL');
}

test('a run killed with SIGKILL after epoch 2 of 4 and resumed ends with the same weights, bit for bit', async () => {
  const straight = join(dir, 'straight');
  const interrupted = join(dir, 'interrupted');
  assert.match(run([straight, '4']), /done/);
  await runKilledAfter(interrupted, 4, 2);
  const { epoch } = await loadCheckpoint(join(interrupted, 'checkpoint'));
  assert.equal(epoch, 2);
  await assert.rejects(readFile(join(interrupted, 'model.json')), 'the killed run never saved its final model');
  assert.match(run([interrupted, '4', '--resume']), /done/);
  assert.deepEqual(await readFile(join(interrupted, 'weights.bin')), await readFile(join(straight, 'weights.bin')));
  // the checkpoints agree too, optimizer state and random state included
  for (const file of ['weights.bin', 'optimizer.bin']) {
    assert.deepEqual(await readFile(join(interrupted, 'checkpoint', file)), await readFile(join(straight, 'checkpoint', file)), file);
  }
  const a = JSON.parse(await readFile(join(interrupted, 'checkpoint', 'model.json'), 'utf8'));
  const b = JSON.parse(await readFile(join(straight, 'checkpoint', 'model.json'), 'utf8'));
  assert.deepEqual(a.dendrite.training, b.dendrite.training);
  assert.equal(a.dendrite.training.epoch, 4);
});

test('modelCheckpoint with saveBestOnly saves only improvements of the monitored quantity', async () => {
  setSeed(1);
  const x = randomNormal([32, 3]);
  const y = toCategorical(
    Array.from({ length: 32 }, (_, i) => (x.values[3 * i] > 0 ? 1 : 0)),
    2,
  );
  setSeed(2);
  const model = sequential([layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })]);
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0.5 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const folder = join(dir, 'best');
  const saves: number[] = [];
  const checkpoint = callbacks.modelCheckpoint({ dir: folder, saveBestOnly: true, monitor: 'val_loss' });
  const history = await model.fit(x, y, {
    epochs: 6,
    validationSplit: 0.25,
    verbose: 0,
    callbacks: [checkpoint, { onEpochEnd: (e) => void (checkpoint.lastSavedEpoch === e && saves.push(e)) }],
  });
  const losses = history.history.val_loss;
  const expected = losses.flatMap((v, i) => (losses.slice(0, i).every((u) => v < u) ? [i] : []));
  assert.deepEqual(saves, expected);
  const saved = await loadCheckpoint(folder);
  assert.equal(saved.epoch, expected.at(-1)! + 1);
  assert.equal(saved.logs!.val_loss, Math.min(...losses));
  // a missing monitored quantity is an error that says why
  const noVal = callbacks.modelCheckpoint({ dir: folder, saveBestOnly: true });
  await assert.rejects(model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [noVal] }), /'val_loss' is not in the logs .* validationSplit/);
});

test('resuming in-process: loadCheckpoint + setRngState + initialEpoch repeats the rest of the run', async () => {
  setSeed(9);
  const x = randomNormal([40, 4]);
  const y = toCategorical(
    Array.from({ length: 40 }, (_, i) => (x.values[4 * i] > x.values[4 * i + 1] ? 1 : 0)),
    2,
  );
  const build = () => {
    setSeed(10);
    const m = sequential([
      layers.dense({ units: 8, activation: 'tanh', inputShape: [4] }),
      layers.dropout({ rate: 0.5 }),
      layers.dense({ units: 2, activation: 'softmax' }),
    ]);
    m.compile({ optimizer: optimizers.rmsprop({ learningRate: 0.01, momentum: 0.3 }), loss: 'categoricalCrossentropy' });
    return m;
  };
  const straight = build();
  await straight.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
  const folder = join(dir, 'in-process');
  const first = build();
  await first.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [callbacks.modelCheckpoint({ dir: folder })] });
  setSeed(12345); // anything in between must not matter
  const { model, epoch, rngState } = await loadCheckpoint(folder);
  setRngState(rngState!);
  await model.fit(x, y, { epochs: 3, initialEpoch: epoch, batchSize: 8, verbose: 0 });
  model.weights.forEach((w, i) => {
    assert.deepEqual(w.values, straight.weights[i].values, w.name);
  });
});
