import { mnist } from '../data/mnist.js';
import { toCategorical } from '../data/to-categorical.js';
import { confusionMatrix, formatConfusionMatrix } from '../nn/confusion-matrix.js';
import { argMax } from '../ops/reduce.js';
import { reshape } from '../ops/reshape.js';
import { setSeed } from '../tensor/rng.js';
import { learningRateScheduler } from '../model/lr-scheduler.js';
import { formatDuration } from '../model/progress.js';
import { MNIST_MODELS } from './mnist-models.js';
import type { TrainOptions } from './train.js';

/** Trains an MNIST model, prints the test accuracy and confusion matrix, and saves the model. */
export async function trainMnist(options: TrainOptions): Promise<{ testAccuracy: number; outDir: string }> {
  const recipe = MNIST_MODELS[options.model];
  const epochs = options.epochs ?? recipe.epochs;
  const batchSize = options.batchSize ?? recipe.batchSize;
  const learningRate = options.learningRate ?? recipe.learningRate;
  const outDir = options.out ?? `./dendrite-models/mnist-${options.model}`;
  const log = options.quiet ? () => {} : (line: string) => console.log(line);

  const started = performance.now();
  const data = await mnist({ trainSize: options.trainSize, testSize: options.testSize });
  const xTrain = recipe.flatten ? reshape(data.xTrain, [data.xTrain.shape[0], 784]) : data.xTrain;
  const xTest = recipe.flatten ? reshape(data.xTest, [data.xTest.shape[0], 784]) : data.xTest;
  log(`MNIST: ${data.xTrain.shape[0]} training and ${data.xTest.shape[0]} test images`);

  setSeed(options.seed);
  const model = recipe.build();
  model.compile({ optimizer: recipe.optimizer(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  if (!options.quiet) model.summary();
  const stepsPerEpoch = Math.ceil((data.xTrain.shape[0] * (1 - options.validationSplit)) / batchSize);
  const schedule = learningRateScheduler((step) => recipe.schedule(step, stepsPerEpoch * epochs, learningRate), { perBatch: true });
  await model.fit(xTrain, toCategorical(data.yTrain, 10), {
    epochs,
    batchSize,
    validationSplit: options.validationSplit || undefined,
    callbacks: [schedule],
    verbose: options.quiet ? 0 : 1,
  });

  const predicted = argMax(model.predict(xTest, { batchSize: 256 }), -1);
  const labels = data.yTest.values;
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted.values[i] === labels[i]) correct++;
  const testAccuracy = correct / labels.length;
  console.log(`test accuracy: ${(testAccuracy * 100).toFixed(2)}%`);
  if (!options.quiet) {
    log('confusion matrix (rows: true digit, columns: predicted digit):');
    log(formatConfusionMatrix(confusionMatrix(data.yTest, predicted, 10)));
  }
  await model.save(outDir);
  log(`saved the model to ${outDir} (model.json + weights.bin, TensorFlow.js layers format) in ${formatDuration((performance.now() - started) / 1000)} in all`);
  return { testAccuracy, outDir };
}
