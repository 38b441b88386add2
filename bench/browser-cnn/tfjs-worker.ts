// The browser benchmark's TensorFlow.js side: the same CNN (conv 8 3x3, pool, conv 16 3x3, pool, dense 10; Adam
// 3e-3, sparse categorical cross-entropy, batches of 32) on TF.js' wasm or cpu backend, trained on the same slice.
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { loadSlice } from '../../web/src/live/mnist-slice.js';
import { type BenchRequest, type BenchResult, timeRounds } from './protocol.js';

const BATCH = 32;

self.onmessage = async (event: MessageEvent<BenchRequest>) => {
  const request = event.data;
  const backend = request.backend ?? 'cpu';
  const result: BenchResult = { library: 'TF.js', backend, threads: 0, crossOriginIsolated, rounds: [] };
  try {
    if (backend === 'wasm') setWasmPaths(new URL('./tfjs-wasm/', location.href).href);
    if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} did not start`);
    await tf.ready();
    result.threads = backend === 'wasm' ? getThreadsCount() : 1; // TF.js cpu runs on the worker's own thread
    const slice = await loadSlice(request.sliceUrl);
    const n = slice.trainLabels.length;
    const x = Float32Array.from(slice.trainImages, (v) => v / 255);
    const y = Float32Array.from(slice.trainLabels);
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(3e-3), loss: 'sparseCategoricalCrossentropy' });
    let cursor = 0;
    result.rounds = await timeRounds(request, BATCH, async (batches) => {
      const count = batches * BATCH;
      const xb = new Float32Array(count * 784);
      const yb = new Float32Array(count);
      for (let k = 0; k < count; k++, cursor = (cursor + 1) % n) {
        xb.set(x.subarray(cursor * 784, (cursor + 1) * 784), k * 784);
        yb[k] = y[cursor];
      }
      const xs = tf.tensor4d(xb, [count, 28, 28, 1]);
      const ys = tf.tensor1d(yb);
      const started = performance.now();
      await model.fit(xs, ys, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
      const ms = performance.now() - started;
      tf.dispose([xs, ys]);
      return ms;
    });
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  }
  postMessage(result);
};
