// Data set elements of dendrite and of TensorFlow.js as plain values, to compare with deepEqual: a tensor becomes
// { shape, values } (values as float32 numbers), containers stay containers, numbers and strings stay themselves.
import * as tf from '@tensorflow/tfjs';
import { Tensor } from '../../../src/tensor/tensor.js';

export { tf };

export interface PlainTensor {
  shape: number[];
  values: number[];
}

export function plain(x: unknown): unknown {
  if (x instanceof Tensor) return { shape: [...x.shape], values: Array.from(x.values) };
  if (x instanceof tf.Tensor) return { shape: [...x.shape], values: Array.from(Float32Array.from(x.dataSync() as ArrayLike<number>)) };
  if (Array.isArray(x)) return x.map(plain);
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
  return x;
}

/** Every element of a dendrite and a TF.js data set, as plain values. */
export async function both(ours: { toArray(): Promise<unknown[]> }, theirs: tf.data.Dataset<tf.TensorContainer>): Promise<[unknown, unknown]> {
  return [plain(await ours.toArray()), plain(await theirs.toArray())];
}
