import { mnist } from '../data/mnist.js';
import { toCategorical } from '../data/to-categorical.js';
import { confusionMatrix, formatConfusionMatrix } from '../nn/confusion-matrix.js';
import { argMax } from '../ops/reduce.js';
import { reshape } from '../ops/reshape.js';
import { setRngState, setSeed } from '../tensor/rng.js';
import { learningRateScheduler } from '../model/lr-scheduler.js';
import { modelCheckpoint } from '../model/model-checkpoint.js';
import type { History } from '../model/history.js';
import { formatDuration } from '../model/progress.js';
import type { Sequential } from '../model/sequential.js';
import { UsageError } from './errors.js';
import { CtrlC } from './interrupt.js';
import { MNIST_MODELS } from './mnist-models.js';
import { resumeMnist, type MnistJobSettings, type ResumedRun } from './mnist-resume.js';
import { prepareOutDir } from './out-dir.js';
import type { TrainOptions } from './train-options.js';
import { writeMnistReport } from './report-mnist.js';

/** Trains an MNIST model, prints the test accuracy and confusion matrix, and saves the model. */
export async function trainMnist(options: TrainOptions): Promise<{ testAccuracy: number | null; outDir: string }> {
  // --resume: the interrupted run's settings, model, epoch and random state come from its checkpoint
  const resumed = options.resume ? await resumeMnist(options) : null;
  if (resumed) options = { ...options, ...resumed.settings };
  const outDir = options.out ?? resumed?.outDir ?? `./dendrite-models/mnist-${options.model}`;
  // before the data is loaded: a folder that cannot take the model, or that another run is using, is refused now
  const out = await prepareOutDir(outDir, 'dendrite train mnist');
  try {
    return await runMnistJob(options, resumed, outDir);
  } finally {
    await out.release();
  }
}

async function runMnistJob(options: TrainOptions, resumed: ResumedRun | null, outDir: string): Promise<{ testAccuracy: number | null; outDir: string }> {
  const recipe = MNIST_MODELS[options.model];
  const epochs = options.epochs ?? recipe.epochs;
  const batchSize = options.batchSize ?? recipe.batchSize;
  const learningRate = options.learningRate ?? recipe.learningRate;
  const log = options.quiet ? () => {} : (line: string) => console.log(line);
  const settings: MnistJobSettings = {
    model: options.model,
    epochs,
    batchSize,
    learningRate,
    seed: options.seed,
    validationSplit: options.validationSplit,
    trainSize: options.trainSize ?? null,
  };

  const started = performance.now();
  const data = await mnist({ trainSize: options.trainSize, testSize: options.testSize });
  const xTrain = recipe.flatten ? reshape(data.xTrain, [data.xTrain.shape[0], 784]) : data.xTrain;
  const xTest = recipe.flatten ? reshape(data.xTest, [data.xTest.shape[0], 784]) : data.xTest;
  log(`MNIST: ${data.xTrain.shape[0]} training and ${data.xTest.shape[0]} test images`);

  let model: Sequential;
  if (resumed) {
    model = resumed.model;
    if (resumed.rngState) setRngState(resumed.rngState);
    const where = resumed.progress
      ? `in epoch ${resumed.epoch + 1} of ${epochs}, after batch ${resumed.progress.batch}`
      : `after epoch ${resumed.epoch} of ${epochs}`;
    log(`resuming from ${resumed.checkpointDir} ${where}`);
  } else {
    setSeed(options.seed);
    model = recipe.build();
    model.compile({ optimizer: recipe.optimizer(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  }
  if (!options.quiet) model.summary();
  const stepsPerEpoch = Math.ceil((data.xTrain.shape[0] * (1 - options.validationSplit)) / batchSize);
  const optimizer = model.compiled!.optimizer;
  // the step count is the optimizer's, which a checkpoint restores, so a resumed run continues the same schedule
  const schedule = learningRateScheduler(() => recipe.schedule(optimizer.iterations, stepsPerEpoch * epochs, learningRate), { perBatch: true });
  // a checkpoint after every epoch, with the optimizer and random state, for --resume
  const checkpoint = modelCheckpoint({ dir: `${outDir}/checkpoint`, metadata: { mnistJob: settings } });
  // Ctrl-C ends the epoch after the current batch; the checkpoint callback then saves how far it got
  const ctrlC = new CtrlC();
  let history: History;
  try {
    history = await model.fit(xTrain, toCategorical(data.yTrain, 10), {
      epochs,
      batchSize,
      validationSplit: options.validationSplit || undefined,
      callbacks: [schedule, checkpoint, ctrlC],
      verbose: options.quiet ? 0 : 1,
      initialEpoch: resumed?.epoch ?? 0,
      initialEpochProgress: resumed?.progress ?? undefined,
    });
  } catch (error) {
    // a diverging run: the checkpoint callback has saved the weights from before the bad batch
    if (model.interruption && error instanceof Error && error.message.startsWith('Training stopped')) {
      throw new UsageError(`${error.message.replace(/\.$/, '')}, saved in ${outDir}/checkpoint.`);
    }
    throw error;
  } finally {
    ctrlC.dispose();
  }
  const completed = history.epoch.length > 0 ? history.epoch.at(-1)! + 1 : (resumed?.epoch ?? 0);
  if (ctrlC.interrupted && (model.interruption || completed < epochs)) {
    const stopped = model.interruption;
    const at = stopped ? `in epoch ${stopped.epoch + 1} of ${epochs}, after batch ${stopped.progress.batch}` : `after epoch ${completed} of ${epochs}`;
    console.log(`interrupted ${at}: checkpoint saved in ${outDir}/checkpoint`);
    console.log(`resume with: npx dendrite train mnist --resume ${outDir}`);
    process.exitCode = 130;
    return { testAccuracy: null, outDir };
  }

  const probabilities = model.predict(xTest, { batchSize: 256 });
  const predicted = argMax(probabilities, -1);
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
  const report = await writeMnistReport(outDir, {
    model,
    history,
    xTest: data.xTest,
    yTest: data.yTest,
    probabilities,
    testAccuracy,
    confusion: confusionMatrix(data.yTest, predicted, 10),
    facts: [
      ['data', `MNIST: ${data.xTrain.shape[0]} training, ${data.yTest.shape[0]} test images`],
      [
        'training',
        `${options.model}, ${epochs} epochs, batch size ${batchSize}, peak learning rate ${learningRate}, validation split ${options.validationSplit}`,
      ],
    ],
    seconds: (performance.now() - started) / 1000,
  });
  log(`report: ${report}`);
  return { testAccuracy, outDir };
}
