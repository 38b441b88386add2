// Two ways to classify two classes: one sigmoid output, or two softmax outputs. They are the same model.
//
//     node --import tsx examples/binary-vs-softmax.ts
//
// Model A ends in 1 sigmoid unit, p(class 1) = sigmoid(z), trained with binaryCrossentropy on 0/1 labels.
// Model B ends in 2 softmax units, [p(class 0), p(class 1)], trained with categoricalCrossentropy on
// one-hot labels. Softmax of two logits only depends on their difference:
//
//     softmax([0, z]) = [1 / (1 + e^z), e^z / (1 + e^z)] = [1 - sigmoid(z), sigmoid(z)]
//
// so a 2-way softmax can represent exactly what a sigmoid does (with one redundant set of weights).
// We show it twice: by training both and comparing their decisions, and by building a softmax model
// from the trained sigmoid model's weights whose probabilities match it to float precision.
import { pathToFileURL } from 'node:url';
import * as dd from '../src/index.js';

export interface BinaryVsSoftmaxOptions {
  /** Points on the two circles. Default 400. */
  n?: number;
  /** Std of the Gaussian noise on each coordinate. Default 0.1. */
  noise?: number;
  epochs?: number;
  seed?: number;
  verbose?: 0 | 1 | 2;
}

export interface BinaryVsSoftmaxResult {
  sigmoidTestAccuracy: number;
  softmaxTestAccuracy: number;
  /** Fraction of test points where the two trained models predict the same class. */
  agreement: number;
  /** Largest |p(class 1)| difference between the sigmoid model and the softmax model built from it. */
  maxProbabilityDifference: number;
  /** Fraction of test points where those two predict the same class (exactly 1 if they are the same function). */
  convertedAgreement: number;
}

/** The shared body: two hidden layers of 16 tanh units. Each call makes fresh layers. */
function hiddenLayers(): dd.Layer[] {
  return [dd.layers.dense({ units: 16, activation: 'tanh', inputShape: [2] }), dd.layers.dense({ units: 16, activation: 'tanh' })];
}

/** Class decisions: p > 0.5 for one sigmoid column, the largest entry (argMax) for softmax rows. */
function decisions(probs: dd.Tensor): number[] {
  if (probs.shape[1] === 1) return Array.from(probs.values, (p) => (p > 0.5 ? 1 : 0));
  return Array.from(dd.argMax(probs, -1).values);
}

function fractionEqual(a: number[], b: number[]): number {
  return a.filter((v, i) => v === b[i]).length / a.length;
}

export async function run(options: BinaryVsSoftmaxOptions = {}): Promise<BinaryVsSoftmaxResult> {
  const { n = 400, noise = 0.1, epochs = 100, seed = 4, verbose = 0 } = options;
  dd.setSeed(seed);
  // Label 0 on the outer circle (radius 1), label 1 on the inner one (radius 0.5). Not linearly separable.
  const { x, y } = dd.circles({ n, noise, factor: 0.5 });
  const { xTrain, xTest, yTrain, yTest } = dd.trainTestSplit(x, y, { testSize: 0.25, stratify: y });

  // Model A: 1 sigmoid output, labels 0/1 of shape [N, 1].
  const modelA = dd.sequential([...hiddenLayers(), dd.layers.dense({ units: 1, activation: 'sigmoid' })]);
  modelA.compile({ optimizer: dd.optimizers.adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  await modelA.fit(xTrain, yTrain, { epochs, batchSize: 32, verbose });

  // Model B: 2 softmax outputs, labels one-hot of shape [N, 2] (0 -> [1, 0], 1 -> [0, 1]).
  const modelB = dd.sequential([...hiddenLayers(), dd.layers.dense({ units: 2, activation: 'softmax' })]);
  modelB.compile({ optimizer: dd.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await modelB.fit(xTrain, dd.toCategorical(yTrain, 2), { epochs, batchSize: 32, verbose });

  // A and B start from different random weights, so they are not the same function; they can only
  // disagree on the few noisy points near the boundary between the circles.
  const probsA = modelA.predict(xTest); // [N, 1]: p(class 1)
  const probsB = modelB.predict(xTest); // [N, 2]: [p(class 0), p(class 1)]

  // The exact equivalence. Copy A's hidden weights; its output unit computes z = h·w + b. Give the softmax
  // model the output kernel [0, w] (one column of zeros, one of w) and bias [0, b]: its logits are [0, z].
  const [w, b] = modelA.layers[2].getWeights(); // kernel [16, 1], bias [1]
  const kernel = new Float32Array(w.size * 2);
  w.values.forEach((wi, i) => {
    kernel[2 * i + 1] = wi;
  }); // row i is [0, w_i]
  const converted = dd.sequential([...hiddenLayers(), dd.layers.dense({ units: 2, activation: 'softmax' })]);
  converted.setWeights([...modelA.layers[0].getWeights(), ...modelA.layers[1].getWeights(), new dd.Tensor(kernel, [w.size, 2]), dd.tensor([0, b.values[0]])]);
  const probsC = converted.predict(xTest);

  let maxProbabilityDifference = 0;
  for (let i = 0; i < probsA.size; i++) maxProbabilityDifference = Math.max(maxProbabilityDifference, Math.abs(probsA.values[i] - probsC.values[2 * i + 1]));

  return {
    sigmoidTestAccuracy: modelA.evaluate(xTest, yTest).accuracy,
    softmaxTestAccuracy: modelB.evaluate(xTest, dd.toCategorical(yTest, 2)).accuracy,
    agreement: fractionEqual(decisions(probsA), decisions(probsB)),
    maxProbabilityDifference,
    convertedAgreement: fractionEqual(decisions(probsA), decisions(probsC)),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await run();
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  console.log('Two circles: 1 sigmoid output vs. 2 softmax outputs\n');
  console.log(`A: hidden layers + 1 sigmoid, binaryCrossentropy        test accuracy ${pct(r.sigmoidTestAccuracy)}`);
  console.log(`B: hidden layers + 2 softmax, categoricalCrossentropy   test accuracy ${pct(r.softmaxTestAccuracy)}`);
  console.log(`A and B predict the same class on ${pct(r.agreement)} of the test points\n`);
  console.log('A rewritten as a softmax model (output kernel [0, w], bias [0, b]):');
  console.log(`  largest difference from A's probabilities   ${r.maxProbabilityDifference.toExponential(1)}   (float32 rounding)`);
  console.log(`  same class as A on                          ${pct(r.convertedAgreement)} of the test points`);
}
