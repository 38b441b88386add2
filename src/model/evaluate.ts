// `model.evaluate`: the loss and metrics over a data set, batch by batch, without gradients.
import { noGrad } from '../autograd/mode.js';
import { gatherRows } from '../data/gather-rows.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkData } from './check-data.js';
import { requireCompiled } from './compile-settings.js';
import { toTensorList, type ModelData } from './model-data.js';
import { addMetricLogs, batchLoss, lossLogs } from './train-step.js';
import type { TrainableModel } from './trainable-model.js';

export interface EvaluateArgs {
  batchSize?: number;
  /** Refuse NaN / Infinity in x and y, and labels the loss cannot take (default true). */
  checkInputs?: boolean;
}

/** The mean loss (with regularisation penalties) and metrics over all samples of `x` and `y`. */
export function evaluateModel(model: TrainableModel, x: ModelData, y: ModelData, args: EvaluateArgs): Record<string, number> {
  requireCompiled(model, 'evaluate');
  return evaluateLists(model, toTensorList(x, model.inputNames, 'evaluate', 'x'), toTensorList(y, model.outputNames, 'evaluate', 'y'), args);
}

/** The mean loss and metrics of data already in lists: one tensor per model input and output. */
export function evaluateLists(model: TrainableModel, xs: readonly Tensor[], ys: readonly Tensor[], args: EvaluateArgs): Record<string, number> {
  const compiled = requireCompiled(model, 'evaluate');
  const batchSize = args.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`evaluate(): batchSize must be a positive integer, got ${batchSize}.`);
  checkData(model, xs, ys, 'evaluate', args.checkInputs ?? true);
  const n = xs[0].shape[0];
  const sums: Record<string, number> = { loss: 0 };
  noGrad(() => {
    for (let start = 0; start < n; start += batchSize) {
      const idx = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
      const xb = xs.map((x) => gatherRows(x, idx));
      const yb = ys.map((y) => gatherRows(y, idx));
      const yPred = model.forward(xb, { training: false });
      const logs = lossLogs(compiled, batchLoss(model, compiled, yb, yPred));
      addMetricLogs(logs, compiled, yb, yPred);
      for (const [k, v] of Object.entries(logs)) sums[k] = (sums[k] ?? 0) + v * idx.length;
    }
  });
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n]));
}
