// Regression: fitting a curve. A straight line cannot follow sin(x); one hidden layer can.
//
//     node --import tsx examples/regression.ts
//
// The data are y = sin(x) + noise for x in [-π, π]. We train two models the same way (Adam, mean squared
// error) and compare their error on held-out test points:
//   - linear regression: a single Dense unit, y = w·x + b;
//   - a shallow network: 32 tanh units, then a linear output unit.
// No model can beat the noise: its variance (noise² = 0.01 here) is the floor for the test MSE. The best
// straight line through sin on [-π, π] has slope 3/π² and leaves an error of 1/2 - 3/π² ≈ 0.196 on top.
import { pathToFileURL } from 'node:url';
import * as dd from '../src/index.js';

export interface RegressionOptions {
  /** Number of (x, y) points before the split. Default 300. */
  n?: number;
  /** Standard deviation of the Gaussian noise on y. Default 0.1. */
  noise?: number;
  epochs?: number;
  /** Adam's learning rate for both models. Default 0.005. */
  learningRate?: number;
  seed?: number;
  verbose?: 0 | 1 | 2;
}

export interface RegressionResult {
  linearTestMse: number;
  networkTestMse: number;
  /** noise², the error of the true curve sin(x) itself: no model can do better on average. */
  noiseVariance: number;
  /** Samples of the two fits at a few x, for the report. */
  samples: { x: number; sin: number; linear: number; network: number }[];
}

/** Trains `model` on the training set with the settings both models share. */
async function train(model: dd.Sequential, x: dd.Tensor, y: dd.Tensor, epochs: number, learningRate: number, verbose: 0 | 1 | 2): Promise<void> {
  model.compile({ optimizer: dd.optimizers.adam({ learningRate }), loss: 'meanSquaredError' });
  await model.fit(x, y, { epochs, batchSize: 32, verbose });
}

export async function run(options: RegressionOptions = {}): Promise<RegressionResult> {
  const { n = 300, noise = 0.1, epochs = 300, learningRate = 0.005, seed = 0, verbose = 0 } = options;
  dd.setSeed(seed);
  const { x, y } = dd.sineWave({ n, noise });
  // Hold out a quarter of the points: a model is judged on data it has not seen.
  const { xTrain, xTest, yTrain, yTest } = dd.trainTestSplit(x, y, { testSize: 0.25 });

  const linear = dd.sequential([dd.layers.dense({ units: 1, inputShape: [1] })]);
  await train(linear, xTrain, yTrain, epochs, learningRate, verbose);

  const network = dd.sequential([
    dd.layers.dense({ units: 32, activation: 'tanh', inputShape: [1] }),
    dd.layers.dense({ units: 1 }), // no activation: a regression output can be any number
  ]);
  await train(network, xTrain, yTrain, epochs, learningRate, verbose);

  const xs = [-3, -2, -1, 0, 1, 2, 3];
  const grid = dd.tensor(xs.map((v) => [v]));
  const lin = linear.predict(grid).values;
  const net = network.predict(grid).values;
  return {
    linearTestMse: linear.evaluate(xTest, yTest).loss,
    networkTestMse: network.evaluate(xTest, yTest).loss,
    noiseVariance: noise ** 2,
    samples: xs.map((v, i) => ({ x: v, sin: Math.sin(v), linear: lin[i], network: net[i] })),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await run();
  console.log('y = sin(x) + noise: linear regression vs. a 1-32-1 tanh network\n');
  console.log(`test MSE, linear regression   ${r.linearTestMse.toFixed(4)}`);
  console.log(`test MSE, shallow network     ${r.networkTestMse.toFixed(4)}   (${(r.linearTestMse / r.networkTestMse).toFixed(0)}x smaller)`);
  console.log(`noise variance (the floor)    ${r.noiseVariance.toFixed(4)}\n`);
  console.log('    x   sin(x)   linear  network');
  for (const s of r.samples) {
    console.log(`${s.x.toFixed(0).padStart(5)} ${s.sin.toFixed(3).padStart(8)} ${s.linear.toFixed(3).padStart(8)} ${s.network.toFixed(3).padStart(8)}`);
  }
}
