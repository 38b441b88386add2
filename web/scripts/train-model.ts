// Trains the small MNIST CNN that the playground ships in web/public/models/mnist-cnn/.
//
//     node --import tsx web/scripts/train-model.ts [--train-size 60000] [--epochs 3] [--out dir]
//
// conv 8 3x3 -> max pool -> conv 16 3x3 -> max pool -> flatten -> dense 10 softmax: about 5,000 weights
// (weights.bin ~21 KB), so the page loads it at once and the feature maps stay few enough to show.
// Also writes web/public/data/mnist-samples.json: one test image per digit, for the page's "example" buttons.
// Takes about 4 minutes on two cores; the model is saved only if its test accuracy is at least 97%.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as dd from '../../src/index.js';

const { values } = parseArgs({
  options: {
    'train-size': { type: 'string', default: '60000' },
    epochs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: fileURLToPath(new URL('../public/models/mnist-cnn', import.meta.url)) },
    samples: { type: 'string', default: fileURLToPath(new URL('../public/data/mnist-samples.json', import.meta.url)) },
  },
});
const trainSize = Number(values['train-size']);
const epochs = Number(values.epochs);

/** The first test image of each digit, 784 bytes each as base64, in digit order. */
function samples(data: dd.Mnist): { digit: number; pixels: string }[] {
  const labels = data.yTest.dataSync();
  const images = data.xTest.dataSync();
  const out: { digit: number; pixels: string }[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const i = labels.indexOf(digit);
    const bytes = Uint8Array.from(images.subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255));
    out.push({ digit, pixels: Buffer.from(bytes).toString('base64') });
  }
  return out;
}

/** The playground's CNN: small enough to run live in the browser and to show every feature map. */
function buildCnn(): dd.Sequential {
  return dd.sequential(
    [
      dd.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1], name: 'conv1' }),
      dd.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      dd.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', name: 'conv2' }),
      dd.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      dd.layers.flatten({ name: 'flatten' }),
      dd.layers.dense({ units: 10, activation: 'softmax', name: 'probabilities' }),
    ],
    { name: 'mnist_cnn' },
  );
}

const started = performance.now();
const data = await dd.mnist({ trainSize });
dd.setSeed(Number(values.seed));
const model = buildCnn();
const peak = 3e-3;
model.compile({ optimizer: dd.optimizers.adam({ learningRate: peak }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
model.summary();
const batchSize = 32;
const totalSteps = Math.ceil(trainSize / batchSize) * epochs;
// a half-cosine decay to 5% of the peak: the last steps polish rather than jump around
const schedule = dd.callbacks.learningRateScheduler((step) => peak * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * step) / totalSteps))), { perBatch: true });
await model.fit(data.xTrain, data.yTrain, { epochs, batchSize, callbacks: [schedule], verbose: 2 });
const { accuracy, loss } = model.evaluate(data.xTest, data.yTest, { batchSize: 500 });
console.log(
  `test accuracy ${(accuracy * 100).toFixed(2)}% (loss ${loss.toFixed(4)}) on ${data.xTest.shape[0]} images, ${((performance.now() - started) / 1000).toFixed(0)} s in all`,
);
if (accuracy < 0.97) {
  console.error('test accuracy is below 97%: the model was not saved.');
  process.exitCode = 1;
} else {
  await model.save(values.out!);
  const samplesPath = values.samples!;
  await mkdir(dirname(samplesPath), { recursive: true });
  await writeFile(samplesPath, `${JSON.stringify(samples(data))}\n`);
  console.log(`saved the model to ${values.out} and sample digits to ${samplesPath}`);
}
