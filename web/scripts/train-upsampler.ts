// Trains the small model that the playground's "Changing resolution" section ships in
// web/public/models/mnist-upsampler/: it brings 14x14 MNIST digits (2x2 averages of the 28x28 images) back to
// 28x28.
//
//     node --import tsx web/scripts/train-upsampler.ts [--train-size 20000] [--epochs 2] [--out dir]
//
// UpSampling2D(2, bilinear) -> Conv2D(16, 3x3, relu) -> Conv2D(16, 3x3, relu) -> Conv2D(1, 3x3, sigmoid): the
// bilinear guess, then learned sharpening (2,625 weights). Saved only if its mean squared error on the test images is
// below bilinear upsampling's.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as dd from '../../src/index.js';

const { values } = parseArgs({
  options: {
    'train-size': { type: 'string', default: '20000' },
    epochs: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: fileURLToPath(new URL('../public/models/mnist-upsampler', import.meta.url)) },
  },
});
const trainSize = Number(values['train-size']);
const epochs = Number(values.epochs);

function buildUpsampler(): dd.Sequential {
  return dd.sequential(
    [
      dd.layers.upSampling2d({ size: 2, interpolation: 'bilinear', inputShape: [14, 14, 1], name: 'bilinear' }),
      dd.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv1' }),
      dd.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv2' }),
      dd.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid', name: 'pixels' }),
    ],
    { name: 'mnist_upsampler' },
  );
}

const started = performance.now();
const data = await dd.mnist({ trainSize });
const shrink = dd.layers.averagePooling2d({ poolSize: 2 });
const small = (x: dd.Tensor) => dd.noGrad(() => shrink.apply(x));
dd.setSeed(Number(values.seed));
const model = buildUpsampler();
model.compile({ optimizer: dd.optimizers.adam({ learningRate: 3e-3 }), loss: 'meanSquaredError' });
model.summary();
await model.fit(small(data.xTrain), data.xTrain, { epochs, batchSize: 32, verbose: 2 });
const xTestSmall = small(data.xTest);
const mse = model.evaluate(xTestSmall, data.xTest, { batchSize: 500 }).loss;
const bilinear = dd.noGrad(() => {
  const up = dd.layers.upSampling2d({ size: 2, interpolation: 'bilinear' }).apply(xTestSmall);
  const a = up.dataSync();
  const b = data.xTest.dataSync();
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return sum / a.length;
});
console.log(
  `test MSE: model ${mse.toFixed(5)}, bilinear ${bilinear.toFixed(5)} on ${data.xTest.shape[0]} images, ${((performance.now() - started) / 1000).toFixed(0)} s in all`,
);
if (!(mse < 0.8 * bilinear)) {
  console.error("the model's MSE is not clearly below bilinear's: it was not saved.");
  process.exitCode = 1;
} else {
  await model.save(values.out!);
  console.log(`saved the model to ${values.out}`);
}
