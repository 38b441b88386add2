// From dendrite to Keras 3's data-parallel training and back: the road for a job bigger than one machine.
//
//     npm run setup:keras                                   # once: Keras 3 + JAX in the git-ignored .venv-keras
//     npx tsx examples/scale-out/scale-out.ts               # an MLP on 4,096 MNIST digits, 2 virtual CPU devices
//     npx tsx examples/scale-out/scale-out.ts --model cnn --processes 2 --cpu-devices 1   # a CNN, a 2-process cluster
//     npx tsx examples/scale-out/scale-out.ts --cpu-devices 0 --python /path/to/python   # the devices JAX finds (GPUs)
//
// dendrite builds a small network and trains it briefly, saves it as a Keras 3 `.keras` file and writes the
// training digits as NumPy `.npy` files; train_data_parallel.py (beside this file) loads the model in Keras 3,
// trains it with `keras.distribution.DataParallel` on every device JAX sees (here CPU devices that JAX pretends to
// have, or several processes joined as one cluster), saves it as `.keras` again with its predictions on held-out
// digits; dendrite loads that file and must predict what Keras predicted, to 1e-5. From there the model goes on as
// dendrite's models do: a TensorFlow.js folder for the browser and an ONNX file, which ONNX Runtime must run to the
// same predictions. README.md beside this file explains the road to a real cluster.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import * as dd from '../../src/index.js';
import { defaultPython, type KerasReport, trainWithKeras } from './keras-run.js';
import { readNpy, writeNpy } from './npy.js';

export interface ScaleOutOptions {
  /** 'mlp' (784-64-10, the default) or 'cnn' (conv 3x3 8, max-pool, dense 10); see `buildModel`. */
  model?: 'mlp' | 'cnn';
  /** Training digits (the first N of MNIST's 60,000); a multiple of the devices. Default 4,096. */
  trainSize?: number;
  /** Held-out digits (the first N of MNIST's 10,000) for accuracy and the prediction check. Default 1,000. */
  testSize?: number;
  /** Epochs dendrite trains before handing over. Default 1. */
  dendriteEpochs?: number;
  /** Epochs Keras trains, data-parallel. Default 3. */
  kerasEpochs?: number;
  /** Global batch size in both; Keras splits each batch over the devices. Default 64. */
  batchSize?: number;
  seed?: number;
  /** Python with Keras 3 and JAX. Default: DENDRITE_KERAS_VENV's, else the repository's .venv-keras. */
  python?: string;
  /**
   * CPU devices JAX pretends each process has (XLA_FLAGS=--xla_force_host_platform_device_count=N,
   * JAX_PLATFORMS=cpu), so that one machine shows data parallelism. 0: the devices JAX finds (GPUs or TPUs when
   * present). Default 2.
   */
  cpuDevices?: number;
  /**
   * Python processes on this machine joined into one JAX cluster (keras.distribution.initialize, collectives over
   * Gloo on 127.0.0.1), as hosts of a real cluster are; each trains on its share of the rows. Default 1.
   */
  processes?: number;
  /**
   * Where the files go (model.keras, the .npy files, trained.keras, report.json, trained-tfjs/, trained.onnx).
   * Default a temporary folder, removed after.
   */
  outDir?: string;
  /** Python is killed after this long. Default 10 minutes. */
  timeoutMs?: number;
  /** 1: dendrite's progress bars and the Python script's lines. Default 0. */
  verbose?: 0 | 1;
}

/** Sparse categorical cross-entropy and accuracy over a set of digits. */
export interface Scores {
  loss: number;
  accuracy: number;
}

export interface ScaleOutResult {
  /** The model trained by Keras, loaded back into dendrite. */
  model: dd.Model;
  keras: KerasReport;
  /** dendrite's scores of its own model before the hand-over and of the model Keras trained, on the training and held-out digits. */
  before: { train: Scores; test: Scores };
  after: { train: Scores; test: Scores };
  /** The largest |dendrite - Keras| over the held-out digits' predicted probabilities of the model Keras trained. */
  maxPredictionDifference: number;
  /** The same for ONNX Runtime running the model's ONNX export against Keras. */
  maxOnnxDifference: number;
  /** |dendrite's training loss - Keras' loss of the same file on the same digits| before Keras trained. */
  handOverLossDifference: number;
  trainImages: number;
  testImages: number;
  /** Seconds: dendrite's training, Keras (Python's whole run), and everything. */
  seconds: { dendrite: number; keras: number; total: number };
}

/**
 * The network dendrite builds and Keras trains. 'mlp': flatten -> dense 64 relu -> dense 10 softmax (50,890
 * parameters). 'cnn': conv 3x3 8 relu -> max-pool 2 -> flatten -> dense 10 softmax (13,610 parameters). Both
 * small enough for seconds per epoch on a CPU; the point is the road, not the accuracy.
 */
export function buildModel(kind: 'mlp' | 'cnn' = 'mlp'): dd.Sequential {
  const input = dd.layers.input({ shape: [28, 28, 1] });
  const classes = dd.layers.dense({ units: 10, activation: 'softmax' });
  if (kind === 'mlp') return dd.sequential([input, dd.layers.flatten(), dd.layers.dense({ units: 64, activation: 'relu' }), classes]);
  const conv = dd.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' });
  return dd.sequential([input, conv, dd.layers.maxPooling2d({ poolSize: 2 }), dd.layers.flatten(), classes]);
}

/** Keras' sparse categorical cross-entropy (probabilities clipped to [1e-7, 1 - 1e-7]) and accuracy, from predictions. */
export function scores(probabilities: dd.Tensor, labels: dd.Tensor): Scores {
  const [n, classes] = probabilities.shape;
  const p = probabilities.values;
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const label = labels.values[i];
    loss -= Math.log(Math.min(Math.max(p[i * classes + label], 1e-7), 1 - 1e-7));
    let best = 0;
    for (let c = 1; c < classes; c++) if (p[i * classes + c] > p[i * classes + best]) best = c;
    if (best === label) correct++;
  }
  return { loss: loss / n, accuracy: correct / n };
}

/** The whole road on one machine: dendrite trains, Keras trains data-parallel, dendrite predicts what Keras predicts. */
export async function run(options: ScaleOutOptions = {}): Promise<ScaleOutResult> {
  const { trainSize = 4096, testSize = 1000, dendriteEpochs = 1, kerasEpochs = 3, batchSize = 64, seed = 42 } = options;
  const { model: kind = 'mlp', python = defaultPython(), cpuDevices = 2, processes = 1, timeoutMs = 600_000, verbose = 0 } = options;
  const started = performance.now();
  const dir = options.outDir ? resolve(options.outDir) : await mkdtemp(join(tmpdir(), 'dendrite-scale-out-'));
  await mkdir(dir, { recursive: true });
  const file = (name: string) => join(dir, name);
  try {
    dd.setSeed(seed);
    const { xTrain, yTrain, xTest, yTest } = await dd.mnist({ trainSize, testSize });

    // 1. dendrite: build, train briefly, save as Keras 3's .keras (config.json, metadata.json, model.weights.h5)
    const model = buildModel(kind);
    model.compile({ optimizer: dd.optimizers.adam({ learningRate: 0.002 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    await model.fit(xTrain, yTrain, { epochs: dendriteEpochs, batchSize, verbose });
    const dendriteSeconds = (performance.now() - started) / 1000;
    const before = { train: scores(model.predict(xTrain), yTrain), test: scores(model.predict(xTest), yTest) };
    await model.save(file('model.keras'));

    // 2. the data as NumPy files: images [N, 28, 28, 1] float32, labels [N] int32 (class indices)
    await writeNpy(file('x_train.npy'), xTrain.values, xTrain.shape);
    await writeNpy(file('y_train.npy'), yTrain.values, yTrain.shape, 'int32');
    await writeNpy(file('x_test.npy'), xTest.values, xTest.shape);

    // 3. Keras 3: data-parallel training over the devices, the trained model and its predictions back as files
    const kerasStarted = performance.now();
    const keras = await trainWithKeras({
      python,
      model: file('model.keras'),
      out: file('trained.keras'),
      x: file('x_train.npy'),
      y: file('y_train.npy'),
      predict: file('x_test.npy'),
      predictionsOut: file('keras_predictions.npy'),
      report: file('report.json'),
      epochs: kerasEpochs,
      batchSize,
      seed,
      cpuDevices,
      processes,
      timeoutMs,
      verbose,
    });
    const kerasSeconds = (performance.now() - kerasStarted) / 1000;

    // 4. dendrite again: the model Keras trained must predict here what it predicted there
    const trained = await dd.loadModel(file('trained.keras'));
    const predictions = trained.predict(xTest);
    const kerasPredictions = await readNpy(file('keras_predictions.npy'));
    if (kerasPredictions.shape.join() !== predictions.shape.join()) {
      throw new Error(`Keras predicted shape [${kerasPredictions.shape.join(', ')}], dendrite [${predictions.shape.join(', ')}].`);
    }
    const maxPredictionDifference = maxDifference(predictions.values, kerasPredictions.values);

    // 5. and on: the TensorFlow.js layers format for the browser, ONNX for ONNX Runtime
    await trained.save(file('trained-tfjs'));
    await trained.exportOnnx(file('trained.onnx'));
    const session = await ort.InferenceSession.create(file('trained.onnx'));
    const { output } = await session.run({ input: new ort.Tensor('float32', xTest.values, [...xTest.shape]) });
    const maxOnnxDifference = maxDifference(output.data as Float32Array, kerasPredictions.values);
    const after = { train: scores(trained.predict(xTrain), yTrain), test: scores(predictions, yTest) };
    return {
      model: trained,
      keras,
      before,
      after,
      maxPredictionDifference,
      maxOnnxDifference,
      handOverLossDifference: Math.abs(before.train.loss - keras.before.loss),
      trainImages: xTrain.shape[0],
      testImages: xTest.shape[0],
      seconds: { dendrite: dendriteSeconds, keras: kerasSeconds, total: (performance.now() - started) / 1000 },
    };
  } finally {
    if (!options.outDir) await rm(dir, { recursive: true, force: true });
  }
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`Comparing ${a.length} predictions with ${b.length}.`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** The few lines the command prints. */
export function formatReport(r: ScaleOutResult): string {
  const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
  const k = r.keras;
  return [
    `Keras ${k.keras} (${k.backend} ${k.jax}), DataParallel over ${k.device_count} devices (${k.devices.join(', ')}) in ${k.processes} process${k.processes === 1 ? '' : 'es'}: each weight on ${k.weight_replicas}, global batch ${k.batch_size} = ${k.per_device_batch} per device`,
    `Keras' loss per epoch: ${k.history.loss.map((v) => v.toFixed(4)).join(', ')}`,
    `                 training loss   training accuracy   test accuracy (${r.testImages} digits)`,
    `before (dendrite)  ${r.before.train.loss.toFixed(4)}          ${pct(r.before.train.accuracy).padStart(7)}             ${pct(r.before.test.accuracy)}`,
    `after (Keras)      ${r.after.train.loss.toFixed(4)}          ${pct(r.after.train.accuracy).padStart(7)}             ${pct(r.after.test.accuracy)}`,
    `the file Keras read: its loss there ${k.before.loss.toFixed(6)}, here ${r.before.train.loss.toFixed(6)} (difference ${r.handOverLossDifference.toExponential(1)})`,
    `the file Keras wrote: max |dendrite - Keras| over ${r.testImages} x 10 predicted probabilities: ${r.maxPredictionDifference.toExponential(2)}`,
    `its ONNX export in ONNX Runtime: max |ONNX Runtime - Keras|: ${r.maxOnnxDifference.toExponential(2)}`,
    `time: dendrite ${r.seconds.dendrite.toFixed(1)} s, Keras ${r.seconds.keras.toFixed(1)} s (training ${k.train_seconds.toFixed(1)} s), total ${r.seconds.total.toFixed(1)} s`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      'train-size': { type: 'string' },
      'test-size': { type: 'string' },
      'dendrite-epochs': { type: 'string' },
      'keras-epochs': { type: 'string' },
      'batch-size': { type: 'string' },
      seed: { type: 'string' },
      model: { type: 'string' },
      python: { type: 'string' },
      'cpu-devices': { type: 'string' },
      processes: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  if (values.model !== undefined && values.model !== 'mlp' && values.model !== 'cnn') throw new Error(`--model is mlp or cnn, got '${values.model}'.`);
  const r = await run({
    model: values.model,
    trainSize: num(values['train-size']),
    testSize: num(values['test-size']),
    dendriteEpochs: num(values['dendrite-epochs']),
    kerasEpochs: num(values['keras-epochs']),
    batchSize: num(values['batch-size']),
    seed: num(values.seed),
    python: values.python,
    cpuDevices: num(values['cpu-devices']),
    processes: num(values.processes),
    outDir: values.out ?? './dendrite-models/scale-out',
    verbose: 1,
  });
  console.log(`\n${formatReport(r)}`);
  console.log(`files: ${resolve(values.out ?? './dendrite-models/scale-out')}`);
  if (Math.max(r.maxPredictionDifference, r.maxOnnxDifference) > 1e-5) {
    console.error(`the predictions disagree with Keras' by more than 1e-5 (dendrite ${r.maxPredictionDifference}, ONNX Runtime ${r.maxOnnxDifference})`);
    process.exitCode = 1;
  }
}
