// `model.predict`: the outputs for inputs of any number of samples, computed in batches, in inference mode. It
// records no gradients (the tape would keep every batch's activations alive), except where they are asked for,
// so that TF.js' differentiable predict ports: inside a gradient function (`grad((x) => model.predict(x))`) or
// on an input that requires a gradient.
import { isDifferentiating, noGrad } from '../autograd/mode.js';
import { gatherRows } from '../data/gather-rows.js';
import { concat } from '../ops/slice.js';
import { softmaxLogits } from '../ops/softmax.js';
import { asInference } from '../tensor/buffer-pool.js';
import type { Tensor } from '../tensor/tensor.js';
import { inferenceRunsOwnCodeOnly } from './buffer-reuse.js';
import { dataName, toTensorList, type ModelData } from './model-data.js';
import type { TrainableModel } from './trainable-model.js';

export interface PredictArgs {
  /** Samples per forward pass (default 32). */
  batchSize?: number;
}

/**
 * The memory that a pass's outputs keep alive: their own, the logits a softmax output was computed from
 * (crossentropy reads them: softmaxLogits), and the outputs' masks (the model's computeMask reports them).
 */
function keptBy(model: TrainableModel, inputs: Tensor[], outputs: Tensor[]): Float32Array[] {
  const kept: Float32Array[] = [];
  for (const t of outputs) {
    kept.push(t.values);
    const logits = softmaxLogits(t);
    if (logits) kept.push(logits.values);
  }
  const masks = model.computeMask(inputs.length === 1 ? inputs[0] : inputs, undefined, outputs.length === 1 ? outputs[0] : outputs);
  for (const m of Array.isArray(masks) ? masks : [masks]) if (m) kept.push(m.values);
  return kept;
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
  const recording = isDifferentiating() || xs.some((t) => t.requiresGrad);
  // A pass of dendrite's own layers hands its buffers back, all but its outputs', for the next batch or call
  // to take again; not a recorded pass, whose buffers the tape keeps for the gradient.
  const reuse = !recording && inferenceRunsOwnCodeOnly(model);
  const forward = (batch: () => Tensor[]): Tensor[] => {
    if (!reuse) return model.forward(batch(), { training: false });
    let inputs: Tensor[] = [];
    return asInference(
      () => {
        inputs = batch();
        return model.forward(inputs, { training: false });
      },
      (outputs) => keptBy(model, inputs, outputs),
    );
  };
  const compute = (): Tensor[] => {
    const n = xs[0].shape[0];
    if (n <= batchSize) return forward(() => xs);
    const parts: Tensor[][] = [];
    for (let start = 0; start < n; start += batchSize) {
      const idx = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
      parts.push(forward(() => xs.map((t) => gatherRows(t, idx))));
    }
    return parts[0].map((_, o) =>
      concat(
        parts.map((p) => p[o]),
        0,
      ),
    );
  };
  return recording ? compute() : noGrad(compute);
}
