// TensorFlow.js's side of `npm run bench` (backend 'wasm' or 'cpu'): prints one JSON line.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { mnist } from '../src/data/mnist.js';
import { CNN, GEMM_SIZES, INFERENCE, median, MLP, gemmKey, type PeerResult } from './workloads.js';

const backendName = (process.argv[2] ?? 'wasm') as 'wasm' | 'cpu';
// the cpu backend is ~100x slower: it gets fewer repetitions and a smaller CNN workload
const slow = backendName === 'cpu';

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
}

function cnnModel(): tf.Sequential {
  const L = tf.layers;
  return tf.sequential({
    layers: [
      L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.dropout({ rate: 0.25 }),
      L.flatten(),
      L.dense({ units: 128, activation: 'relu' }),
      L.dropout({ rate: 0.5 }),
      L.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

async function main(): Promise<PeerResult> {
  if (backendName === 'wasm') {
    const require = createRequire(import.meta.url);
    setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
  }
  await tf.setBackend(backendName);
  await tf.ready();
  const result: PeerResult = { peer: `tfjs ${backendName}`, gemm: {}, notes: [] };
  for (const size of GEMM_SIZES) {
    const [m, k, n] = size;
    const a = tf.randomUniform([m, k]);
    const b = tf.randomUniform([k, n]);
    tf.matMul(a, b).dataSync();
    const reps = slow ? 1 : Math.max(3, Math.min(20, Math.round(1e9 / (2 * m * k * n))));
    // NOTE: outputs are disposed after the timing: disposing between calls (tf.tidy) made the wasm
    // backend's matMul ~15x slower in this setup, which would not be a fair peak number.
    const outputs: tf.Tensor[] = [];
    const times = Array.from({ length: reps }, () =>
      time(() => {
        const c = tf.matMul(a, b);
        c.dataSync();
        outputs.push(c);
      }),
    );
    tf.dispose(outputs);
    result.gemm[gemmKey(size)] = (2 * m * k * n) / median(times) / 1e9;
  }

  const steps = slow ? 10 : MLP.steps;
  const data = await mnist({ trainSize: MLP.batchSize * steps, testSize: INFERENCE.throughputBatch });
  const x = tf.tensor(data.xTrain.values, [data.xTrain.shape[0], 784]);
  const y = tf.oneHot(tf.tensor1d(Array.from(data.yTrain.values), 'int32'), 10).toFloat();
  const mlp = tf.sequential({
    layers: [tf.layers.dense({ units: MLP.hidden, activation: 'relu', inputShape: [784] }), tf.layers.dense({ units: 10, activation: 'softmax' })],
  });
  mlp.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  await mlp.fit(x, y, { epochs: slow ? 1 : MLP.warmupEpochs, batchSize: MLP.batchSize, verbose: 0 });
  const mlpTimes: number[] = [];
  for (let r = 0; r < (slow ? 1 : 3); r++) {
    const t = performance.now();
    await mlp.fit(x, y, { epochs: 1, batchSize: MLP.batchSize, verbose: 0 });
    mlpTimes.push((performance.now() - t) / 1000);
  }
  result.mlpSamplesPerSec = (MLP.batchSize * steps) / median(mlpTimes);

  const cnn = cnnModel();
  cnn.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const images = tf.tensor4d(data.xTrain.values, [data.xTrain.shape[0], 28, 28, 1]);
  const nCnn = slow ? CNN.batchSize : CNN.batchSize * CNN.steps;
  try {
    const xc = images.slice([0, 0, 0, 0], [nCnn, 28, 28, 1]);
    const yc = y.slice([0, 0], [nCnn, 10]);
    if (!slow) await cnn.fit(xc, yc, { epochs: CNN.warmupEpochs, batchSize: CNN.batchSize, verbose: 0 });
    const t = performance.now();
    await cnn.fit(xc, yc, { epochs: 1, batchSize: CNN.batchSize, verbose: 0 });
    result.cnnSamplesPerSec = nCnn / ((performance.now() - t) / 1000);
  } catch (e) {
    result.notes!.push(`CNN training: ${(e as Error).message.split('\n')[0]}`);
  }

  const test = tf.tensor4d(data.xTest.values, [data.xTest.shape[0], 28, 28, 1]);
  const one = test.slice([0, 0, 0, 0], [1, 28, 28, 1]);
  const predictOne = () => tf.tidy(() => (cnn.predict(one) as tf.Tensor).dataSync());
  predictOne();
  for (const start = performance.now(); !slow && performance.now() - start < 1000 * INFERENCE.latencyWarmupSeconds; ) predictOne();
  result.cnnLatencyMs = 1000 * median(Array.from({ length: slow ? 10 : INFERENCE.latencyRuns }, () => time(predictOne)));
  const tp = Array.from({ length: slow ? 1 : INFERENCE.throughputRuns }, () =>
    time(() => tf.tidy(() => (cnn.predict(test, { batchSize: INFERENCE.throughputBatch }) as tf.Tensor).dataSync())),
  );
  result.cnnThroughput = INFERENCE.throughputBatch / median(tp);
  result.peakRssMb = process.resourceUsage().maxRSS / 1024;
  return result;
}

console.log(JSON.stringify(await main()));
