// dendrite's side of `npm run bench`: prints one JSON line with its results.
import { backend } from '../src/backend/registry.js';
import { MNIST_MODELS } from '../src/cli/mnist-models.js';
import * as dd from '../src/index.js';
import { classicCnn } from './classic-cnn.js';
import { CNN, GEMM_SIZES, INFERENCE, LSTM, MNIST_CNN, median, MLP, gemmKey, type PeerResult } from './workloads.js';

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

/** The LSTM of workloads.ts: two layers (the first returning every step), a softmax head on the last step. */
function lstmModel(): dd.Sequential {
  return dd.sequential([
    dd.layers.lstm({ units: LSTM.units, returnSequences: true, inputShape: [LSTM.timesteps, LSTM.features] }),
    dd.layers.lstm({ units: LSTM.units }),
    dd.layers.dense({ units: LSTM.classes, activation: 'softmax' }),
  ]);
}

/**
 * Trains the LSTM (samples/s, median of 3 epochs of LSTM.steps batches) and, unless `trainingOnly`, times its
 * inference on one batch. On a backend where one batch takes seconds (js, the reference) each run is one batch.
 */
async function runLstm(result: PeerResult, trainingOnly: boolean): Promise<void> {
  const n = LSTM.batchSize * LSTM.steps;
  const x = dd.randomNormal([n, LSTM.timesteps, LSTM.features]);
  const y = dd.toCategorical(
    Array.from(dd.randomUniform([n]).values, (v) => Math.min(LSTM.classes - 1, Math.floor(v * LSTM.classes))),
    LSTM.classes,
  );
  const lstm = lstmModel();
  lstm.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const first = [...Array(LSTM.batchSize).keys()];
  const [x1, y1] = [dd.gatherRows(x, first), dd.gatherRows(y, first)];
  const slow = (await timeAsync(() => lstm.fit(x1, y1, { epochs: 1, batchSize: LSTM.batchSize, verbose: 0 }))) > 2;
  const [xs, ys] = slow ? [x1, y1] : [x, y];
  const times: number[] = [];
  for (let r = 0; r < 3; r++) times.push(await timeAsync(() => lstm.fit(xs, ys, { epochs: 1, batchSize: LSTM.batchSize, verbose: 0 })));
  result.lstmSamplesPerSec = xs.shape[0] / median(times);
  if (trainingOnly) return;
  lstm.predict(x1);
  result.lstmInferenceSamplesPerSec = LSTM.batchSize / median(Array.from({ length: slow ? 1 : 5 }, () => time(() => lstm.predict(x1))));
}

/** Trains `model` (Adam) on the first `steps` batches of images: samples/s, median of 3 epochs after `warmupEpochs` untimed ones. */
async function cnnTraining(
  model: dd.Sequential,
  images: dd.Tensor,
  labels: dd.Tensor,
  { batchSize, steps, warmupEpochs }: { batchSize: number; steps: number; warmupEpochs: number },
): Promise<number> {
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const first = (n: number) => [...Array(n).keys()];
  const [x, y] = [dd.gatherRows(images, first(batchSize * steps)), dd.gatherRows(labels, first(batchSize * steps))];
  await model.fit(x, y, { epochs: warmupEpochs, batchSize, verbose: 0 });
  const times: number[] = [];
  for (let r = 0; r < 3; r++) times.push(await timeAsync(() => model.fit(x, y, { epochs: 1, batchSize, verbose: 0 })));
  return x.shape[0] / median(times);
}

/** The MLP as a graph model: the same layers, called on a symbolic input. */
function mlpGraph(): dd.Model<dd.Tensor> {
  const x = dd.input({ shape: [784] });
  const h = dd.layers.dense({ units: MLP.hidden, activation: 'relu' }).apply(x);
  return dd.model({ inputs: x, outputs: dd.layers.dense({ units: 10, activation: 'softmax' }).apply(h) });
}

/** `trainingOnly`: just the MLP and CNN training workloads (for the interleaved rounds of `npm run bench`). */
export async function runDendrite(backendName?: string, trainingOnly = false): Promise<PeerResult> {
  if (backendName) dd.setBackend(backendName);
  dd.setSeed(1);
  const result: PeerResult = { peer: `dendrite ${dd.getBackend()}`, gemm: {} };
  for (const size of trainingOnly ? [] : GEMM_SIZES) {
    const [m, k, n] = size;
    // the backend's kernel into one output buffer, as numpy's and PyTorch's `out=`: the product alone, not a fresh
    // output's allocation and page faults (5.5 MB for 43264x32); warmed up first (a pool's woken threads take a few
    // milliseconds to spread over the cores again)
    const [a, b] = [dd.randomUniform([m, k]).values, dd.randomUniform([k, n]).values];
    const out = new Float32Array(m * n);
    const product = () => backend().matmul(a, b, out, { m, k, n, transposeA: false, transposeB: false, aOffsets: [0], bOffsets: [0] });
    for (const start = performance.now(); performance.now() - start < 20; ) product();
    const reps = Math.max(3, Math.min(30, Math.round(2e9 / (2 * m * k * n))));
    const times = Array.from({ length: reps }, () => time(product));
    result.gemm[gemmKey(size)] = (2 * m * k * n) / median(times) / 1e9;
  }

  const data = await dd.mnist({ trainSize: MLP.batchSize * MLP.steps, testSize: INFERENCE.throughputBatch });
  const yAll = dd.toCategorical(data.yTrain, 10);
  const xFlat = dd.reshape(data.xTrain, [data.xTrain.shape[0], 784]);
  const mlp = dd.sequential([
    dd.layers.dense({ units: MLP.hidden, activation: 'relu', inputShape: [784] }),
    dd.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  mlp.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  await mlp.fit(xFlat, yAll, { epochs: MLP.warmupEpochs, batchSize: MLP.batchSize, verbose: 0 });
  const mlpTimes: number[] = [];
  for (let r = 0; r < 5; r++) mlpTimes.push(await timeAsync(() => mlp.fit(xFlat, yAll, { epochs: 1, batchSize: MLP.batchSize, verbose: 0 })));
  result.mlpSamplesPerSec = (MLP.batchSize * MLP.steps) / median(mlpTimes);
  if (!trainingOnly) {
    // the same network as a graph model: its training step should cost what the Sequential one's does. Timed in
    // turns with the Sequential model, so that the machine's drift falls on both alike.
    const graph = mlpGraph();
    graph.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await graph.fit(xFlat, yAll, { epochs: MLP.warmupEpochs, batchSize: MLP.batchSize, verbose: 0 });
    const graphTimes: number[] = [];
    const sequentialTimes: number[] = [];
    for (let r = 0; r < 5; r++) {
      sequentialTimes.push(await timeAsync(() => mlp.fit(xFlat, yAll, { epochs: 1, batchSize: MLP.batchSize, verbose: 0 })));
      graphTimes.push(await timeAsync(() => graph.fit(xFlat, yAll, { epochs: 1, batchSize: MLP.batchSize, verbose: 0 })));
    }
    result.mlpGraphSamplesPerSec = (MLP.batchSize * MLP.steps) / median(graphTimes);
    result.mlpTurnsSequentialSamplesPerSec = (MLP.batchSize * MLP.steps) / median(sequentialTimes);

    // the same training through fitDataset: a data.array of the batches fit cuts (in order), timed in turns with fit
    // (which gathers its shuffled batches itself), so the cost of the stream per sample shows beside fit's
    const batches = Array.from({ length: MLP.steps }, (_, i) => {
      const idx = Array.from({ length: MLP.batchSize }, (_, j) => i * MLP.batchSize + j);
      return { xs: dd.gatherRows(xFlat, idx), ys: dd.gatherRows(yAll, idx) };
    });
    const dataset = dd.data.array(batches);
    await mlp.fitDataset(dataset, { epochs: 1, verbose: 0 });
    const datasetTimes: number[] = [];
    const fitTimes: number[] = [];
    for (let r = 0; r < 5; r++) {
      fitTimes.push(await timeAsync(() => mlp.fit(xFlat, yAll, { epochs: 1, batchSize: MLP.batchSize, verbose: 0 })));
      datasetTimes.push(await timeAsync(() => mlp.fitDataset(dataset, { epochs: 1, verbose: 0 })));
    }
    result.mlpDatasetSamplesPerSec = (MLP.batchSize * MLP.steps) / median(datasetTimes);
    result.mlpTurnsFitSamplesPerSec = (MLP.batchSize * MLP.steps) / median(fitTimes);
  }

  const cnn = classicCnn();
  result.cnnSamplesPerSec = await cnnTraining(cnn, data.xTrain, yAll, CNN);
  result.mnistCnnSamplesPerSec = await cnnTraining(MNIST_MODELS.cnn.build(), data.xTrain, yAll, MNIST_CNN);
  await runLstm(result, trainingOnly);
  if (trainingOnly) return result;

  const one = dd.gatherRows(data.xTest, [0]);
  for (const start = performance.now(); performance.now() - start < 1000 * INFERENCE.latencyWarmupSeconds; ) cnn.predict(one);
  result.cnnLatencyMs = 1000 * median(Array.from({ length: INFERENCE.latencyRuns }, () => time(() => cnn.predict(one))));
  const batch = data.xTest;
  cnn.predict(batch, { batchSize: INFERENCE.throughputBatch });
  const tp = Array.from({ length: INFERENCE.throughputRuns }, () => time(() => cnn.predict(batch, { batchSize: INFERENCE.throughputBatch })));
  result.cnnThroughput = INFERENCE.throughputBatch / median(tp);
  result.peakRssMb = process.resourceUsage().maxRSS / 1024;
  return result;
}

if (process.argv[1]?.endsWith('dendrite.ts')) {
  console.log(JSON.stringify(await runDendrite(process.argv[2], process.argv[3] === '--training')));
}
