// `model.predict`: the outputs for inputs of any number of samples, computed in batches, in inference mode. It
// records no gradients (the tape would keep every batch's activations alive), except where they are asked for,
// so that TF.js' differentiable predict ports: inside a gradient function (`grad((x) => model.predict(x))`) or
// on an input that requires a gradient.
import { isDifferentiating, noGrad } from '../autograd/mode.js';
import { gatherRows } from '../data/gather-rows.js';
import { concat } from '../ops/slice.js';
import type { Tensor } from '../tensor/tensor.js';
import { dataName, toTensorList, type ModelData } from './model-data.js';
import type { TrainableModel } from './trainable-model.js';

export interface PredictArgs {
  /** Samples per forward pass (default 32). */
  batchSize?: number;
}

/** One tensor per output for the inputs `x` (one tensor, a list, or an object keyed by input name). */
export function predictModel(model: TrainableModel, x: ModelData, args: PredictArgs): Tensor[] {
  const batchSize = args.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`predict(): batchSize must be a positive integer, got ${batchSize}.`);
  const names = model.inputNames;
  const xs = toTensorList(x, names, 'predict', 'x');
  for (const [i, t] of xs.entries()) {
    if (t.rank === 0)
      throw new Error(`predict(): ${dataName('x', names, i)} needs a batch axis (shape [batch, ...]), got a scalar; wrap one sample as [1, ...].`);
    if (t.shape[0] !== xs[0].shape[0])
      throw new Error(`predict(): ${dataName('x', names, 0)} has ${xs[0].shape[0]} samples but ${dataName('x', names, i)} has ${t.shape[0]}.`);
  }
  const run = isDifferentiating() || xs.some((t) => t.requiresGrad) ? <T>(fn: () => T) => fn() : noGrad;
  return run(() => {
    const n = xs[0].shape[0];
    if (n <= batchSize) return model.forward(xs, { training: false });
    const parts: Tensor[][] = [];
    for (let start = 0; start < n; start += batchSize) {
      const idx = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
      parts.push(
        model.forward(
          xs.map((t) => gatherRows(t, idx)),
          { training: false },
        ),
      );
    }
    return parts[0].map((_, o) =>
      concat(
        parts.map((p) => p[o]),
        0,
      ),
    );
  });
}
