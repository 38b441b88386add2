// One side of `npm run bench:memory`: trains the MNIST MLP (784-128-10, Adam, batch 128) for `epochs` epochs
// on `trainSize` images and prints a JSON line of memory after each epoch. Run with --expose-gc, so that the
// heap figure is the live heap (after a full collection) rather than wherever the collector happened to be.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { mnist } from '../src/data/mnist.js';

export interface EpochMemory {
  epoch: number;
  /** Live JS heap after a full GC, MB. */
  heapMb: number;
  /** Memory V8 holds for its heap (the young generation's semi-spaces included), MB. */
  heapCommittedMb: number;
  /** ArrayBuffer memory (tensor storage lives here, outside the JS heap), MB. */
  arrayBuffersMb: number;
  /** Resident set size of the whole process, MB. */
  rssMb: number;
  seconds: number;
}

const [peer = 'dendrite', sizeArg = '60000', epochsArg = '20'] = process.argv.slice(2);
const trainSize = Number(sizeArg);
const epochs = Number(epochsArg);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

async function measure(epoch: number, started: number): Promise<EpochMemory> {
  // ArrayBuffer storage is released by a sweeper that runs after the collection: give it a moment, collect again
  gc!();
  await new Promise((resolve) => setTimeout(resolve, 20));
  gc!();
  const m = process.memoryUsage();
  const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
  return {
    epoch,
    heapMb: mb(m.heapUsed),
    heapCommittedMb: mb(m.heapTotal),
    arrayBuffersMb: mb(m.arrayBuffers),
    rssMb: mb(m.rss),
    seconds: (performance.now() - started) / 1000,
  };
}

const report = async (m: Promise<EpochMemory>) => console.log(JSON.stringify(await m));
const data = await mnist({ trainSize, testSize: 1 });

if (peer === 'dendrite') {
  const dd = await import('../src/index.js');
  dd.setSeed(1);
  const x = dd.reshape(data.xTrain, [trainSize, 784]);
  const y = dd.toCategorical(data.yTrain, 10);
  const model = dd.sequential([dd.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }), dd.layers.dense({ units: 10, activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const started = performance.now();
  await report(measure(0, started));
  await model.fit(x, y, { epochs, batchSize: 128, verbose: 0, callbacks: [{ onEpochEnd: (epoch) => report(measure(epoch + 1, started)) }] });
} else {
  const tf = await import('@tensorflow/tfjs');
  const backend = peer.replace('tfjs-', '');
  if (backend === 'wasm') {
    const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
  }
  await tf.setBackend(backend);
  const x = tf.tensor2d(data.xTrain.values, [trainSize, 784]);
  const y = tf.oneHot(tf.tensor1d(data.yTrain.values, 'int32'), 10).toFloat();
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }), tf.layers.dense({ units: 10, activation: 'softmax' })],
  });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const started = performance.now();
  await report(measure(0, started));
  await model.fit(x, y, { epochs, batchSize: 128, verbose: 0, callbacks: { onEpochEnd: (epoch) => report(measure(epoch + 1, started)) } });
}
