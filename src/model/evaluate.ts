// `model.evaluate`: the loss and metrics over a data set, batch by batch, without gradients.
import { noGrad } from '../autograd/mode.js';
import { gatherRows } from '../data/gather-rows.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkData } from './check-data.js';
import { requireCompiled } from './compile-settings.js';
import { batchLoss } from './train-step.js';
import type { TrainableModel } from './trainable-model.js';

export interface EvaluateArgs {
  batchSize?: number;
  /** Refuse NaN / Infinity in x and y, and labels the loss cannot take (default true). */
  checkInputs?: boolean;
}

/** The mean loss (with regularisation penalties) and metrics over all samples of `x` and `y`. */
export function evaluateModel(model: TrainableModel, x: Tensor, y: Tensor, args: EvaluateArgs): Record<string, number> {
  const compiled = requireCompiled(model, 'evaluate');
  const batchSize = args.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`evaluate(): batchSize must be a positive integer, got ${batchSize}.`);
  checkData(model, x, y, 'evaluate', args.checkInputs ?? true);
  const n = x.shape[0];
  const sums: Record<string, number> = { loss: 0 };
  noGrad(() => {
    for (let start = 0; start < n; start += batchSize) {
      const idx = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
      const xb = gatherRows(x, idx);
      const yb = gatherRows(y, idx);
      const yPred = model.apply(xb, { training: false });
      sums.loss += batchLoss(model, compiled.loss, yb, yPred).item() * idx.length;
      for (const m of compiled.metrics) sums[m.name] = (sums[m.name] ?? 0) + m.fn(yb, yPred).item() * idx.length;
    }
  });
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n]));
}
