// Vanishing gradients: why deep sigmoid networks barely learn in their first layers, and what fixes it.
//
//     node --import tsx examples/vanishing-gradients.ts
//
// Backpropagation multiplies the gradient, layer by layer, by each layer's weights and by its activation's
// derivative. The sigmoid's derivative is at most 1/4, so after 10 layers the signal reaching the first
// layer is shrunk by roughly (1/4)^10 ≈ 1e-6 times whatever the weights contribute. ReLU's derivative is 1
// wherever a unit is active, and He initialisation scales the weights so each layer keeps the signal's
// size, so the gradient arrives at the first layer about as large as it left the last.
//
// We do no training: one forward pass on one batch, then the gradient of the loss for every weight.
import { pathToFileURL } from 'node:url';
import * as dd from '../src/index.js';

export interface VanishingGradientsOptions {
  /** Dense layers in each network, the output layer included. Default 10. */
  depth?: number;
  /** Units in each hidden layer. Default 32. */
  width?: number;
  seed?: number;
}

export interface VanishingGradientsResult {
  /** L2 norm of the loss gradient for each layer's kernel, first layer first. */
  sigmoidNorms: number[];
  reluNorms: number[];
}

/** `depth - 1` hidden layers of `width` units, then one sigmoid output unit for the binary target. */
function deepNetwork(
  depth: number,
  width: number,
  features: number,
  activation: 'sigmoid' | 'relu',
  kernelInitializer: 'glorotUniform' | 'heNormal',
): dd.Sequential {
  const model = dd.sequential([dd.layers.input({ shape: [features] })]);
  for (let i = 0; i < depth - 1; i++) model.add(dd.layers.dense({ units: width, activation, kernelInitializer }));
  model.add(dd.layers.dense({ units: 1, activation: 'sigmoid' }));
  return model;
}

/** The L2 norm of each Dense kernel's gradient for one batch (the biases are skipped). */
function kernelGradientNorms(model: dd.Sequential, x: dd.Tensor, y: dd.Tensor): number[] {
  const loss = dd.losses.binaryCrossentropy(y, model.apply(x));
  const weights = model.trainableWeights; // [kernel 1, bias 1, kernel 2, bias 2, ...]
  const grads = dd.gradients(loss, weights);
  return grads.filter((_, i) => weights[i].name.endsWith('kernel')).map((g) => Math.sqrt(dd.sum(dd.square(g)).item()));
}

export async function run(options: VanishingGradientsOptions = {}): Promise<VanishingGradientsResult> {
  const { depth = 10, width = 32, seed = 0 } = options;
  dd.setSeed(seed);
  // One batch: 64 samples of 16 standard-normal features; the target is whether their sum is positive.
  const x = dd.randomNormal([64, 16]);
  const y = dd.greater(dd.sum(x, 1, true), 0); // 1 or 0, shape [64, 1]

  const sigmoidNet = deepNetwork(depth, width, 16, 'sigmoid', 'glorotUniform'); // glorotUniform is Dense's default
  const reluNet = deepNetwork(depth, width, 16, 'relu', 'heNormal');
  return { sigmoidNorms: kernelGradientNorms(sigmoidNet, x, y), reluNorms: kernelGradientNorms(reluNet, x, y) };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await run();
  const n = r.sigmoidNorms.length;
  console.log(`Gradient size per layer in two ${n}-layer networks (L2 norm of dLoss/dKernel, one batch, no training)\n`);
  console.log('layer   sigmoid + glorotUniform   relu + heNormal');
  for (let i = 0; i < n; i++) {
    console.log(`${String(i + 1).padStart(5)}   ${r.sigmoidNorms[i].toExponential(2).padStart(23)}   ${r.reluNorms[i].toExponential(2).padStart(15)}`);
  }
  const ratio = r.sigmoidNorms[0] / r.sigmoidNorms[n - 1];
  const orders = (v: number) => Math.abs(Math.log10(v)).toFixed(1);
  console.log(`\nsigmoid: layer 1's gradient is ${ratio.toExponential(1)} times layer ${n}'s (${orders(ratio)} orders of magnitude smaller)`);
  const vs = r.reluNorms[0] / r.sigmoidNorms[0];
  console.log(`layer 1: relu's gradient is ${vs.toExponential(1)} times sigmoid's (${orders(vs)} orders of magnitude larger)`);
}
