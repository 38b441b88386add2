// The "28×28 = 784" section's Dense-vs-CNN comparison: both networks trained for the same steps on the same
// mini-batches of the MNIST slice, in a Web Worker (web/src/live/compare-worker.ts), then tested on the slice's
// 500 test digits. The CNN is the live CNN section's; the Dense network reads the 784 flattened pixels.
import * as dd from 'dendrite';
import { buildLiveCnn } from './cnn-trainer.js';
import type { MnistSlice } from './mnist-slice.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;

export type ToCompareWorker = { type: 'run'; sliceUrl: string; steps: number; batchSize: number };

export interface CompareResult {
  name: 'dense' | 'cnn';
  layers: string;
  params: number;
  steps: number;
  samples: number;
  testAccuracy: number;
  testSize: number;
  trainMs: number;
}

export type FromCompareWorker = { type: 'result'; result: CompareResult } | { type: 'done' } | { type: 'error'; message: string };

/** Flatten → Dense(32, relu) → Dense(10, softmax): the image as 784 inputs. */
export function buildDense(seed: number): dd.Sequential {
  dd.setSeed(seed);
  const model = dd.sequential(
    [
      dd.layers.flatten({ inputShape: [SIDE, SIDE, 1], name: 'flatten' }),
      dd.layers.dense({ units: 32, activation: 'relu', name: 'hidden' }),
      dd.layers.dense({ units: 10, activation: 'softmax', name: 'probabilities' }),
    ],
    { name: 'dense_784' },
  );
  model.compile({ optimizer: dd.optimizers.adam({ learningRate: 3e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

function toFloat(bytes: Uint8Array): Float32Array {
  return Float32Array.from(bytes, (v) => v / 255);
}

/** Trains one network `steps` mini-batches on the slice (the same order for both) and tests it. */
export async function trainAndTest(name: 'dense' | 'cnn', data: MnistSlice, steps: number, batchSize: number, seed = 1): Promise<CompareResult> {
  const model = name === 'dense' ? buildDense(seed) : buildLiveCnn(seed);
  const nTrain = data.trainLabels.length;
  const count = steps * batchSize;
  const x = new Float32Array(count * PIXELS);
  const y = new Float32Array(count);
  for (let k = 0; k < count; k++) {
    // the slice in order, pass after pass: the same mini-batches for both networks
    const i = k % nTrain;
    x.set(toFloat(data.trainImages.subarray(i * PIXELS, (i + 1) * PIXELS)), k * PIXELS);
    y[k] = data.trainLabels[i];
  }
  const started = performance.now();
  await model.fit(dd.tensor(x, [count, SIDE, SIDE, 1]), dd.tensor(y, [count]), { epochs: 1, batchSize, shuffle: false, verbose: 0 });
  const trainMs = performance.now() - started;
  const nTest = data.testLabels.length;
  const xTest = dd.tensor(toFloat(data.testImages), [nTest, SIDE, SIDE, 1]);
  const yTest = dd.tensor(Float32Array.from(data.testLabels), [nTest]);
  const { accuracy } = model.evaluate(xTest, yTest, { batchSize: 250 });
  const layers = model.layers
    .filter((l) => l.className !== 'InputLayer')
    .map((l) => l.className)
    .join(' → ');
  return { name, layers, params: model.countParams(), steps, samples: count, testAccuracy: accuracy, testSize: nTest, trainMs };
}
