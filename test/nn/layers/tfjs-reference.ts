// TensorFlow.js (its pure-JS cpu backend) as the reference for a layer: the same layer built in TF.js, given
// the same weights, run on the same input.
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '../../../src/tensor/tensor.js';

let ready: Promise<boolean> | null = null;

/** The output of the TF.js layer `layer` on `x`, with `weights` (in TF.js' order) set once it is built. */
export async function tfjsApply(layer: tf.layers.Layer, x: Tensor, weights: readonly Tensor[] = []): Promise<Float32Array> {
  ready ??= tf.setBackend('cpu');
  await ready;
  const input = tf.tensor(x.values, [...x.shape]);
  layer.apply(input);
  if (weights.length > 0) layer.setWeights(weights.map((w) => tf.tensor(w.values, [...w.shape])));
  return (layer.apply(input) as tf.Tensor).dataSync() as Float32Array;
}

export { tf };
