import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Checks that `x` is an [N, F] table, with F features when known, and returns [N, F]. */
export function checkTable(x: Tensor, where: string, features: number | null): [number, number] {
  if (x.rank !== 2) {
    const hint = x.rank === 1 ? '; for a single feature reshape it to [N, 1]' : '';
    throw new Error(`${where}: expected a [samples, features] tensor of rank 2, got shape ${formatShape(x.shape)}${hint}.`);
  }
  if (features !== null && x.shape[1] !== features) {
    throw new Error(`${where}: the scaler was fitted on ${features} features, but x has shape ${formatShape(x.shape)}.`);
  }
  return [x.shape[0], x.shape[1]];
}

/** A float64 statistics vector as a float32 tensor of shape [F]. */
export function vector(v: Float64Array): Tensor {
  return new Tensor(Float32Array.from(v), [v.length]);
}
