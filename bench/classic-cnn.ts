// The classic Keras MNIST CNN, as dendrite builds it for the bench scripts (bench/dendrite.ts, bench/cnn-turns.ts);
// bench/tfjs.ts and the PyTorch scripts build the same network in their libraries.
import * as dd from '../src/index.js';

export function classicCnn(): dd.Sequential {
  const L = dd.layers;
  return dd.sequential([
    L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    L.maxPooling2d({ poolSize: 2 }),
    L.dropout({ rate: 0.25 }),
    L.flatten(),
    L.dense({ units: 128, activation: 'relu' }),
    L.dropout({ rate: 0.5 }),
    L.dense({ units: 10, activation: 'softmax' }),
  ]);
}
